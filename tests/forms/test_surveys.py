"""Surveys: residents answer without logging in (once each), and everyone allowed sees results that add up."""

import html
import json
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone

from forms.models import FormPage, Submission, SurveyPage
from forms.results import results_visible_to, survey_results
from tests.factories import UserFactory
from tests.forms.factories import block, condition, publish_form, publish_survey, republish

FIELDS = [
    block("yes_no", "Есть ли во дворе детская площадка?", id="playground", code="playground"),
    block(
        "single_choice",
        "Как вы оцениваете её состояние?",
        id="state",
        options="Хорошее\nТребует ремонта\nОпасна для детей",
        condition=condition("playground", "equals", "Да"),
    ),
    block(
        "multiple_choice",
        "Чего во дворе не хватает?",
        id="needs",
        options="Освещения\nЛавочек\nПарковки\nДеревьев",
        required=False,
    ),
    block("number", "Сколько лет вы живёте в этом дворе?", id="years", integer_only=True, unit="лет", required=False),
    block("money", "Сколько вы готовы вложить в благоустройство?", id="money", required=False),
    block("date", "Когда вы последний раз выходили на субботник?", id="cleanup", required=False),
    block("long_text", "Что изменить в первую очередь?", id="wish", required=False),
]

# Six residents, each answering from their own browser. The counts below are counted by hand from this table.
ANSWERS = [
    {
        "playground": "yes",
        "state": "Хорошее",
        "needs": ["Освещения", "Лавочек"],
        "years": "1",
        "money": "1500,50",
        "cleanup": "2026-05-10",
    },
    {
        "playground": "yes",
        "state": "Требует ремонта",
        "needs": ["Освещения"],
        "years": "2",
        "money": "0",
        "cleanup": "2026-05-20",
    },
    {
        "playground": "yes",
        "state": "Требует ремонта",
        "needs": ["Освещения", "Лавочек", "Парковки"],
        "years": "3",
        "money": "1 000",
        "cleanup": "01.04.2026",
    },
    {"playground": "no", "needs": ["Деревьев"], "years": "12", "money": "250,25"},
    {"playground": "no", "wish": "Лавочки у подъезда, спросите Иванову из кв. 5"},
    {"playground": "yes", "state": "Опасна для детей", "needs": ["Лавочек"], "years": "4"},
]
PRIVATE_TEXT = "спросите Иванову из кв. 5"


@pytest.fixture(autouse=True)
def empty_rate_limits():
    cache.clear()


@pytest.fixture
def survey(site_tree):
    return publish_survey(site_tree["home"], FIELDS, title="Оценка двора", results_visibility="public")


@pytest.fixture
def answered_survey(survey):
    for answers in ANSWERS:
        response = answer(Client(), survey, answers)
        assert response.status_code == 302, text_of(response)[:2000]
    return survey


@pytest.fixture
def methodologist():
    return UserFactory(roles=["Методист"])


@pytest.fixture
def tos_leader():
    return UserFactory(roles=["Лидер ТОС"])


def answer(client, page, answers):
    return client.post(page.url, {"step": "1", "action": "submit", **answers})


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def text_of(response):
    """The page as a reader sees it: text without tags, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def question(results, question_id):
    return next(item for item in results["questions"] if item["id"] == question_id)


def counts(item):
    return {option["label"]: option["count"] for option in item["options"]}


def shares(item):
    return {option["label"]: option["percent"] for option in item["options"]}


def results_url(page):
    return page.url + "results/"


# --- Counts equal a hand count --------------------------------------------------------------------------------------


def test_single_choice_and_yes_no_counts_equal_a_hand_count(answered_survey):
    results = survey_results(answered_survey)
    assert results["respondents"] == 6

    playground = question(results, "playground")
    assert playground["answered"] == 6
    assert counts(playground) == {"Да": 4, "Нет": 2}
    assert shares(playground) == {"Да": 66.7, "Нет": 33.3}

    state = question(results, "state")  # asked only of those who said «Да»
    assert state["answered"] == 4
    assert counts(state) == {"Хорошее": 1, "Требует ремонта": 2, "Опасна для детей": 1}
    assert shares(state) == {"Хорошее": 25.0, "Требует ремонта": 50.0, "Опасна для детей": 25.0}
    assert [option["label"] for option in state["options"]] == ["Хорошее", "Требует ремонта", "Опасна для детей"]


def test_multiple_choice_counts_each_option_not_each_combination(answered_survey):
    needs = question(survey_results(answered_survey), "needs")
    # Five residents ticked something, in five different combinations; each option counts once per resident.
    assert needs["multiple"] is True
    assert needs["answered"] == 5
    assert counts(needs) == {"Освещения": 3, "Лавочек": 3, "Парковки": 1, "Деревьев": 1}
    # Shares are of the residents who answered the question, so together they pass 100 %.
    assert shares(needs) == {"Освещения": 60.0, "Лавочек": 60.0, "Парковки": 20.0, "Деревьев": 20.0}
    assert sum(shares(needs).values()) == 160.0


def test_results_page_shows_a_table_and_bar_per_option(answered_survey, client):
    response = client.get(results_url(answered_survey))
    assert response.status_code == 200
    page = text_of(response)
    assert "Итоги опроса Оценка двора" in page
    assert "Всего ответов: 6." in page
    assert "Ответили на вопрос: 4 из 6." in page
    assert "в сумме могут превышать 100 %" in page
    markup = response.content.decode()
    rows = re.findall(r'<th scope="row">([^<]+)</th>\s*<td class="survey-chart__number">(\d+)</td>', markup)
    assert ("Требует ремонта", "2") in rows and ("Освещения", "3") in rows and ("Деревьев", "1") in rows
    assert 'style="width: 60.0%"' in markup  # the bar of «Освещения», drawn with CSS, no script
    assert "60 %" in page and "66,7 %" in page  # shares written the Russian way


def test_numbers_get_mean_median_range_and_a_histogram(answered_survey):
    results = survey_results(answered_survey)
    years = question(results, "years")  # 1, 2, 3, 12, 4
    assert years["stats"] == {"count": 5, "mean": "4.4", "median": "3", "min": "1", "max": "12"}
    assert years["stats_text"]["mean"] == "4,4\xa0лет"
    assert [(bin["label"], bin["count"]) for bin in years["histogram"]] == [
        ("0–1\xa0лет", 1),
        ("2–3\xa0лет", 2),
        ("4–5\xa0лет", 1),
        ("6–7\xa0лет", 0),
        ("8–9\xa0лет", 0),
        ("10–11\xa0лет", 0),
        ("12–13\xa0лет", 1),
    ]
    assert len(years["histogram"]) <= 10

    money = question(results, "money")  # 1500.50, 0, 1000, 250.25 — kopecks are kept exactly
    assert money["stats"] == {"count": 4, "mean": "687.69", "median": "625.13", "min": "0", "max": "1500.5"}
    assert money["stats_text"]["max"] == "1\xa0500,5\xa0₽"
    assert [(bin["start"], bin["end"], bin["count"]) for bin in money["histogram"]] == [
        ("0", "750.25", 2),
        ("750.25", "1500.5", 2),
    ]


def test_a_large_range_of_whole_numbers_gets_at_most_ten_round_bins(site_tree):
    survey = publish_survey(site_tree["home"], [block("money", "Сумма", id="sum")], results_visibility="public")
    for amount in ("500", "12 000", "49 999", "50 000"):
        assert answer(Client(), survey, {"sum": amount}).status_code == 302
    histogram = question(survey_results(survey), "sum")["histogram"]
    assert len(histogram) <= 10
    assert histogram[0]["label"] == "0–9\xa0999\xa0₽"
    assert histogram[-1]["label"] == "50\xa0000–59\xa0999\xa0₽"
    assert sum(bin["count"] for bin in histogram) == 4


def test_a_rating_scale_is_shown_in_full(site_tree):
    rating = block("number", "Оценка двора от 1 до 5", id="rating", integer_only=True, min_value="1", max_value="5")
    survey = publish_survey(site_tree["home"], [rating], results_visibility="public")
    for value in ("2", "3", "3"):
        assert answer(Client(), survey, {"rating": value}).status_code == 302
    histogram = question(survey_results(survey), "rating")["histogram"]
    assert [(bin["label"], bin["count"]) for bin in histogram] == [("1", 0), ("2", 1), ("3", 2), ("4", 0), ("5", 0)]


def test_dates_are_counted_by_month(answered_survey):
    cleanup = question(survey_results(answered_survey), "cleanup")
    assert [(month["month"], month["count"]) for month in cleanup["months"]] == [("2026-04", 1), ("2026-05", 2)]


def test_free_text_is_counted_for_the_public_and_read_by_staff_only(answered_survey, client, methodologist):
    public = survey_results(answered_survey)
    assert question(public, "wish")["answered"] == 1
    assert "answers" not in question(public, "wish")
    assert PRIVATE_TEXT not in json.dumps(public, ensure_ascii=False)
    page = text_of(client.get(results_url(answered_survey)))
    assert "Ответы на этот вопрос не публикуются" in page
    assert PRIVATE_TEXT not in page

    staff = question(survey_results(answered_survey, include_text=True), "wish")
    assert [item["text"] for item in staff["answers"]] == [ANSWERS[4]["wish"]]
    assert PRIVATE_TEXT in text_of(logged_in(methodologist).get(results_url(answered_survey)))


def test_drafts_are_not_counted(answered_survey):
    draft_only = Client()
    response = draft_only.post(answered_survey.url, {"step": "1", "action": "save", "playground": "no"})
    assert response.status_code == 302
    assert Submission.objects.drafts().filter(page=answered_survey).count() == 1
    results = survey_results(answered_survey)
    assert results["respondents"] == 6
    assert counts(question(results, "playground")) == {"Да": 4, "Нет": 2}


def test_results_use_the_current_questions_and_keep_answers_to_removed_options(answered_survey):
    assert question(survey_results(answered_survey), "needs")["label"] == "Чего во дворе не хватает?"
    fields = [dict(item, value=dict(item["value"])) for item in FIELDS if item["id"] != "wish"]
    needs = next(item for item in fields if item["id"] == "needs")
    needs["value"]["label"] = "Чего не хватает во дворе больше всего?"
    needs["value"]["options"] = "Освещения\nЛавочек\nДеревьев\nУрн"
    republish(answered_survey, fields)

    results = survey_results(SurveyPage.objects.get(pk=answered_survey.pk))  # as the next request reads it
    assert "wish" not in [item["id"] for item in results["questions"]]
    renamed = question(results, "needs")
    assert renamed["label"] == "Чего не хватает во дворе больше всего?"
    assert [(option["label"], option["count"], option["offered"]) for option in renamed["options"]] == [
        ("Освещения", 3, True),
        ("Лавочек", 3, True),
        ("Деревьев", 1, True),
        ("Урн", 0, True),
        ("Парковки", 1, False),
    ]


def test_a_new_answer_shows_in_the_results_at_once(answered_survey, client):
    assert "Всего ответов: 6." in text_of(client.get(results_url(answered_survey)))
    assert answer(Client(), answered_survey, ANSWERS[3]).status_code == 302
    page = text_of(client.get(results_url(answered_survey)))
    assert "Всего ответов: 7." in page
    assert counts(question(survey_results(answered_survey), "playground")) == {"Да": 4, "Нет": 3}


def test_results_are_plain_json(answered_survey):
    results = survey_results(answered_survey, include_text=True)
    assert json.loads(json.dumps(results)) == results


def test_no_answers_yet(survey, client):
    response = client.get(results_url(survey))
    assert response.status_code == 200
    assert "Пока никто не ответил на этот опрос." in text_of(response)
    assert survey_results(survey)["respondents"] == 0


# --- Who sees the results -------------------------------------------------------------------------------------------


def test_public_results_are_linked_from_the_survey_and_its_thank_you_page(survey):
    resident = Client()
    assert "Итоги опроса" in text_of(resident.get(survey.url))
    done = resident.get(answer(resident, survey, ANSWERS[0])["Location"])
    assert "Итоги опроса" in text_of(done)
    assert f'href="{results_url(survey)}"' in done.content.decode()


def test_results_after_close_are_hidden_until_the_survey_closes(site_tree, client, methodologist):
    closes_at = timezone.now() + timedelta(days=3)
    survey = publish_survey(site_tree["home"], FIELDS, results_visibility="after_close", closes_at=closes_at)

    response = client.get(results_url(survey))
    assert response.status_code == 403
    assert "Итоги опроса будут опубликованы после его закрытия" in text_of(response)
    assert timezone.localtime(closes_at).strftime("%d.%m.%Y %H:%M") in text_of(response)
    assert "Итоги опроса" not in text_of(client.get(survey.url)).replace("Итоги опроса будут", "")
    assert logged_in(methodologist).get(results_url(survey)).status_code == 200  # staff always

    assert not results_visible_to(survey, None, moment=closes_at - timedelta(minutes=1))
    assert results_visible_to(survey, None, moment=closes_at)

    survey.closes_at = timezone.now() - timedelta(minutes=1)
    survey.save_revision().publish()
    assert client.get(results_url(survey)).status_code == 200
    assert "Итоги опроса" in text_of(client.get(survey.url))  # the closed survey links to its results


def test_after_close_without_a_close_date_stays_hidden(site_tree, client):
    survey = publish_survey(site_tree["home"], FIELDS, results_visibility="after_close")
    response = client.get(results_url(survey))
    assert response.status_code == 403
    assert "Итоги опроса будут опубликованы после его закрытия." in text_of(response)


def test_private_results_are_for_staff_only(site_tree, client, tos_leader, methodologist):
    survey = publish_survey(site_tree["home"], FIELDS, results_visibility="private")
    answer(Client(), survey, ANSWERS[0])

    for visitor in (client, logged_in(tos_leader)):
        response = visitor.get(results_url(survey))
        assert response.status_code == 403
        assert "Итоги этого опроса видят только сотрудники платформы." in text_of(response)
        assert "Освещения" not in text_of(response)
        assert "Итоги опроса" not in text_of(visitor.get(survey.url))

    staff_page = logged_in(methodologist).get(results_url(survey))
    assert staff_page.status_code == 200
    assert "Вы видите итоги как сотрудник платформы" in text_of(staff_page)
    assert "Всего ответов: 1." in text_of(staff_page)


def test_results_of_an_unpublished_survey_are_not_served(answered_survey, client):
    url = results_url(answered_survey)
    answered_survey.unpublish()
    assert client.get(url).status_code == 404


# --- Duplicate protection -------------------------------------------------------------------------------------------


def test_a_second_anonymous_answer_from_the_same_browser_is_refused(survey):
    resident = Client()
    assert answer(resident, survey, ANSWERS[0]).status_code == 302
    response = answer(resident, survey, ANSWERS[1])
    assert response.status_code == 409
    assert "Вы уже ответили на эту форму" in text_of(response)
    assert "второй ответ не принимается" in text_of(response)
    assert Submission.objects.filter(page=survey).count() == 1
    assert survey_results(survey)["respondents"] == 1


@override_settings(FORMS_ANONYMOUS_SUBMISSIONS_PER_HOUR=2)
def test_fresh_cookies_from_one_address_are_rate_limited(survey):
    for answers in ANSWERS[:2]:
        assert answer(Client(), survey, answers).status_code == 302
    response = answer(Client(), survey, ANSWERS[2])  # a private window: new cookie, same address
    assert response.status_code == 429
    assert "С вашего адреса за этот час отправлено слишком много ответов" in text_of(response)
    assert Submission.objects.filter(page=survey).count() == 2  # nothing stored, not even a draft

    other_address = Client(REMOTE_ADDR="10.0.0.7")
    assert answer(other_address, survey, ANSWERS[2]).status_code == 302
    assert survey_results(survey)["respondents"] == 3


@override_settings(FORMS_ANONYMOUS_SUBMISSIONS_PER_HOUR=1, CLIENT_IP_HEADER="HTTP_X_REAL_IP")
def test_behind_the_proxy_each_visitor_is_counted_by_the_address_the_proxy_passes(survey):
    proxy = "127.0.0.1"
    first = Client(REMOTE_ADDR=proxy, HTTP_X_REAL_IP="95.31.0.10")
    second = Client(REMOTE_ADDR=proxy, HTTP_X_REAL_IP="95.31.0.11")
    assert answer(first, survey, ANSWERS[0]).status_code == 302
    assert answer(second, survey, ANSWERS[1]).status_code == 302
    again = Client(REMOTE_ADDR=proxy, HTTP_X_REAL_IP="95.31.0.10")  # the first visitor, new cookie
    assert answer(again, survey, ANSWERS[2]).status_code == 429


def test_a_logged_in_resident_answers_once_on_any_device(survey, tos_leader):
    assert answer(logged_in(tos_leader), survey, ANSWERS[0]).status_code == 302
    response = answer(logged_in(tos_leader), survey, ANSWERS[1])  # another browser, same account
    assert response.status_code == 409
    assert "второй ответ не принимается" in text_of(response)
    assert Submission.objects.filter(page=survey, user=tos_leader).count() == 1


# --- API ------------------------------------------------------------------------------------------------------------


def api_url(page_id):
    return f"/api/v1/forms/{page_id}/results/"


def test_api_returns_the_same_results_as_the_page(answered_survey, client):
    response = client.get(api_url(answered_survey.pk))
    assert response.status_code == 200
    data = response.json()
    assert data == json.loads(json.dumps(survey_results(answered_survey)))
    assert data["survey"]["title"] == "Оценка двора"
    assert counts(question(data, "needs")) == {"Освещения": 3, "Лавочек": 3, "Парковки": 1, "Деревьев": 1}
    assert PRIVATE_TEXT not in response.content.decode()


def test_api_refuses_hidden_results_with_a_reason(site_tree, client, tos_leader, methodologist):
    private = publish_survey(site_tree["home"], FIELDS, results_visibility="private")
    answer(Client(), private, ANSWERS[4])
    for visitor in (client, logged_in(tos_leader)):
        response = visitor.get(api_url(private.pk))
        assert response.status_code == 403
        assert response.json()["detail"] == "Итоги этого опроса видят только сотрудники платформы."
    staff = logged_in(methodologist).get(api_url(private.pk))
    assert staff.status_code == 200
    assert question(staff.json(), "wish")["answers"][0]["text"] == ANSWERS[4]["wish"]

    later = publish_survey(
        site_tree["home"], FIELDS, results_visibility="after_close", closes_at=timezone.now() + timedelta(days=1)
    )
    response = client.get(api_url(later.pk))
    assert response.status_code == 403
    assert "будут опубликованы после его закрытия" in response.json()["detail"]


def test_api_answers_404_for_what_is_not_a_published_survey(site_tree, answered_survey, client, methodologist):
    form = publish_form(site_tree["home"], [block("short_text", "Название", id="name")])
    assert not SurveyPage.objects.filter(pk=form.pk).exists() and FormPage.objects.filter(pk=form.pk).exists()
    assert not_found(client, api_url(form.pk))
    assert not_found(client, api_url(999999))

    answered_survey.unpublish()
    assert not_found(client, api_url(answered_survey.pk))
    assert logged_in(methodologist).get(api_url(answered_survey.pk)).status_code == 200


def not_found(client, url):
    return client.get(url).status_code == 404


def test_api_is_described_in_the_schema(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/forms/{page_id}/results/"]["get"]
    assert set(operation["responses"]) == {"200", "403", "404"}
