"""Journey G: a resident answers a survey without logging in — a follow-up question appears when they answer «Да» —
sees the thank-you page, opens the results with a chart per question, and cannot answer a second time."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from playwright.sync_api import expect

from forms.models import Submission
from tests.forms.factories import block, condition, publish_survey

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PLAYGROUND = "Есть ли во дворе детская площадка?"
STATE = "Как вы оцениваете её состояние?"
MISSING = "Чего во дворе не хватает?"
RATING = "Оцените благоустройство двора от 1 до 5"
FIELDS = [
    block("yes_no", PLAYGROUND, id="playground", code="playground"),
    block(
        "single_choice",
        STATE,
        id="state",
        options="Хорошее\nТребует ремонта\nОпасна для детей",
        condition=condition("playground", "equals", "Да"),
    ),
    block("multiple_choice", MISSING, id="missing", options="Освещения\nЛавочек\nПарковки", required=False),
    block("number", RATING, id="rating", integer_only=True, min_value="1", max_value="5"),
]
NEIGHBOURS = [
    {"playground": "yes", "state": "Требует ремонта", "missing": ["Освещения", "Лавочек"], "rating": "3"},
    {"playground": "no", "missing": ["Освещения"], "rating": "2"},
]


@pytest.fixture
def survey(site_tree):
    cache.clear()
    page = publish_survey(
        site_tree["home"],
        FIELDS,
        title="Опрос о дворе на улице Ленина",
        slug="opros-dvor-lenina",
        results_visibility="public",
        intro="<p>Помогите решить, что благоустроить в первую очередь. Опрос анонимный.</p>",
    )
    for answers in NEIGHBOURS:  # two neighbours answered earlier, each from their own browser
        response = Client(REMOTE_ADDR="10.0.0.2").post(page.url, {"step": "1", "action": "submit", **answers})
        assert response.status_code == 302
    return page


def test_resident_answers_a_survey_sees_results_and_cannot_answer_twice(survey, live_server, new_page, screenshot):
    page = new_page()
    page.goto(f"{live_server.url}{survey.url}")
    second_tab = page.context.new_page()  # the same survey left open in another tab of the same browser
    second_tab.goto(page.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Опрос о дворе на улице Ленина")

    # The follow-up question waits for «Да».
    follow_up = page.get_by_role("group", name=re.compile(STATE))
    expect(follow_up).to_be_hidden()
    page.get_by_role("group", name=re.compile(PLAYGROUND)).get_by_label("Да").check()
    expect(follow_up).to_be_visible()
    follow_up.get_by_label("Опасна для детей").check()
    missing = page.get_by_role("group", name=re.compile(MISSING))
    missing.get_by_label("Освещения").check()
    missing.get_by_label("Парковки").check()
    page.get_by_label(re.compile(RATING)).fill("2")
    screenshot(page, "answering")

    page.get_by_role("button", name="Отправить").click()
    expect(page.get_by_role("status")).to_contain_text("Спасибо! Ваш ответ принят.")
    screenshot(page, "thank-you")
    assert Submission.objects.submitted().filter(page=survey).count() == 3

    page.get_by_role("link", name="Итоги опроса").click()
    expect(page).to_have_url(re.compile(r"/results/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Итоги опроса")
    expect(page.get_by_text("Всего ответов: 3.")).to_be_visible()

    # A table per question: counts a resident can check, with the share drawn as a bar.
    playground = page.get_by_role("table", name=f"Ответы на вопрос «{PLAYGROUND}»")
    expect(playground.get_by_role("row", name=re.compile(r"^Да 2 66,7"))).to_be_visible()
    expect(playground.get_by_role("row", name=re.compile(r"^Нет 1 33,3"))).to_be_visible()
    state = page.get_by_role("table", name=f"Ответы на вопрос «{STATE}»")
    expect(state.get_by_role("row", name=re.compile(r"^Опасна для детей 1 50"))).to_be_visible()
    lacking = page.get_by_role("table", name=f"Ответы на вопрос «{MISSING}»")
    expect(lacking.get_by_role("row", name=re.compile(r"^Освещения 3 100"))).to_be_visible()
    expect(lacking.get_by_role("row", name=re.compile(r"^Парковки 1 33,3"))).to_be_visible()
    expect(page.get_by_text("в сумме могут превышать 100 %")).to_be_visible()
    expect(page.get_by_text("Среднее", exact=True)).to_be_visible()
    bar = lacking.get_by_role("row", name=re.compile(r"^Освещения")).locator(".survey-chart__bar")
    track = lacking.get_by_role("row", name=re.compile(r"^Освещения")).locator(".survey-chart__track")
    assert bar.bounding_box()["width"] == pytest.approx(track.bounding_box()["width"] - 2, abs=1.5)
    screenshot(page, "results")

    # Back to the survey from the same browser: the answer is already in.
    page.get_by_role("link", name="К странице опроса").click()
    expect(page.get_by_role("status")).to_contain_text("Вы уже ответили на эту форму")
    expect(page.get_by_role("button", name="Отправить")).to_have_count(0)
    screenshot(page, "already-answered")

    # The tab left open earlier tries to send a second answer: refused, nothing stored.
    second_tab.get_by_role("group", name=re.compile(PLAYGROUND)).get_by_label("Нет").check()
    second_tab.get_by_label(re.compile(RATING)).fill("5")
    second_tab.get_by_role("button", name="Отправить").click()
    expect(second_tab.get_by_role("alert")).to_contain_text("Ответ не принят")
    expect(second_tab.get_by_role("alert")).to_contain_text("второй ответ не принимается")
    screenshot(second_tab, "second-answer-refused")
    assert Submission.objects.submitted().filter(page=survey).count() == 3
