"""Journey D: the expert review. The secretary runs automatic assignment; the expert with a declared tie to a TOS is
not given its application; three experts score it in their cabinets, the first two far apart, so a fourth expert is
assigned and scores too; the secretary closes the scoring and publishes; the public results page shows the ranking,
the passing-score line and the allocation.
"""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from competitions.models import ExpertAssignment, ExpertTie
from tests.competitions.factories import CompetitionIndexPageFactory, publish_competition
from tests.competitions.scoring_factories import (
    admitted_application,
    admitted_tos_application,
    make_expert,
    score,
    set_sheet,
)
from tests.e2e.test_editor_translation_journey import log_in_to_admin
from tests.e2e.test_form_builder_journey import log_in_on_site
from tests.factories import UserFactory
from tests.tos.factories import TOSIndexPageFactory, publish_profile

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TOS_PROJECT = "Сквер у школы № 3"
GROUP_PROJECT = "Освещение двора на ул. Садовой"


@pytest.fixture
def setting(site_tree):
    index = CompetitionIndexPageFactory(parent=site_tree["home"])
    index.save_revision().publish()
    competition = publish_competition(index, title="Конкурсный отбор инициативных проектов 2026", slug="ib-2026")
    secretary = UserFactory(
        username="sekretar", first_name="Ольга", last_name="Секретарёва", roles=["Секретарь конкурса"]
    )
    set_sheet(
        competition,
        experts_per_application=3,
        divergence_threshold=Decimal("5"),
        passing_score=Decimal("18"),
        fund=Decimal("1000000"),
    )
    tos = publish_profile(TOSIndexPageFactory(parent=site_tree["home"]), title="ТОС «Солнечный квартал»")
    tos_application = admitted_tos_application(competition, secretary, tos, title=TOS_PROJECT)
    group_application = admitted_application(competition, secretary, title=GROUP_PROJECT)
    experts = [
        make_expert(competition, full_name=name, name=name.split()[1])
        for name in (
            "Громова Елена Викторовна",
            "Белов Андрей Сергеевич",
            "Сидорова Мария Ивановна",
            "Кузнецов Павел Олегович",
        )
    ]
    tied = make_expert(
        competition,
        full_name="Тихонов Игорь Петрович",
        name="Игорь",
        ties=[(ExpertTie.Kind.TOS, {"tos": tos, "description": "Живу на территории ТОС"})],
    )
    return competition, secretary, tos_application, group_application, experts, tied


def score_in_cabinet(page, base, expert, number, relevance, budget, comment=""):
    """An expert signs in, opens the application from their queue and sends the sheet."""
    log_in_on_site(page, base, expert.user)
    page.goto(f"{base}/ru/cabinet/expert/")
    page.get_by_role("link", name=re.compile(rf"Оценить {re.escape(number)}")).click()
    expect(page.get_by_role("heading", name="Лист оценки")).to_be_visible()
    page.get_by_label("Актуальность проблемы").fill(relevance)
    page.get_by_label("Реалистичность сметы").fill(budget)
    if comment:
        page.locator("textarea[name='relevance-comment']").fill(comment)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Отправить оценку").click()
    expect(page.get_by_text(re.compile("Оценка отправлена")).first).to_be_visible()


def test_assign_score_diverge_close_and_publish(setting, live_server, new_page, screenshot):
    competition, secretary, tos_application, group_application, experts, tied = setting
    base = live_server.url

    # --- The secretary runs automatic assignment from the dashboard. ---
    clerk = new_page()
    log_in_to_admin(clerk, base, secretary)
    clerk.goto(f"{base}/admin/competitions/scoring/")
    clerk.get_by_role("link", name=competition.title).click()
    clerk.get_by_role("button", name="Назначить экспертов автоматически").click()
    applications_table = clerk.get_by_role("region", name="Заявки и эксперты")
    tos_row = applications_table.get_by_role("row").filter(has_text=TOS_PROJECT)
    expect(tos_row).to_contain_text("назначен")
    expect(tos_row).not_to_contain_text(tied.full_name)  # declared tie to the TOS: never on its application
    expect(applications_table).to_contain_text(tied.full_name)  # but on the other one
    screenshot(clerk, "assigned")

    on_tos = list(ExpertAssignment.objects.filter(application=tos_application).order_by("pk"))
    assert tied not in {item.expert for item in on_tos} and len(on_tos) == 3

    # --- Three experts score the TOS's application in their cabinets; the first two are 17 points apart. ---
    first, second, third = (item.expert for item in on_tos)
    expert_page = new_page()
    score_in_cabinet(expert_page, base, first, tos_application.number, "9", "9")  # 27
    screenshot(expert_page, "first-sheet-sent")
    second_page = new_page()
    log_in_on_site(second_page, base, second.user)
    second_page.goto(f"{base}/ru/cabinet/expert/")
    second_page.get_by_role("link", name=re.compile(rf"Оценить {re.escape(tos_application.number)}")).click()
    expect(second_page.get_by_text("Проблема не доказана")).to_be_visible()  # band descriptors beside the score
    expect(second_page.get_by_text("27")).to_have_count(0)  # never another expert's score
    second_page.get_by_label("Актуальность проблемы").fill("3")
    second_page.get_by_label("Реалистичность сметы").fill("4")
    second_page.once("dialog", lambda dialog: dialog.accept())
    second_page.get_by_role("button", name="Отправить оценку").click()
    expect(second_page.get_by_text(re.compile("напишите комментарий")).first).to_be_visible()  # score 3 needs one
    screenshot(second_page, "comment-required")
    second_page.locator("textarea[name='relevance-comment']").fill("Проблема не подтверждена опросом жителей.")
    second_page.once("dialog", lambda dialog: dialog.accept())
    second_page.get_by_role("button", name="Отправить оценку").click()
    expect(second_page.get_by_text(re.compile("Оценка отправлена")).first).to_be_visible()  # 10
    third_page = new_page()
    score_in_cabinet(third_page, base, third, tos_application.number, "7", "6")  # 20

    # --- The divergence brought a fourth expert; the secretary sees it on the dashboard. ---
    extra = ExpertAssignment.objects.get(application=tos_application, origin=ExpertAssignment.Origin.DIVERGENCE)
    assert extra.expert not in {first, second, third, tied}
    clerk.reload()
    divergences = clerk.get_by_role("region", name="Расхождения оценок")
    expect(divergences).to_contain_text(tos_application.number)
    expect(divergences).to_contain_text("назначен")
    expect(tos_row).to_contain_text("доп. эксперт из‑за расхождения")
    screenshot(clerk, "divergence")
    fourth_page = new_page()
    score_in_cabinet(fourth_page, base, extra.expert, tos_application.number, "8", "7")  # 23

    # The other application's sheets come in too (not the subject of this journey).
    for item in ExpertAssignment.objects.active().filter(application=group_application):
        score(item, {"relevance": "4", "budget": "5"})  # 13 + 1 point for a 3 % residents' share: below 18

    # --- The secretary closes the scoring, checks the preview and publishes. ---
    clerk.reload()
    clerk.get_by_role("button", name="Закрыть оценку").click()
    expect(clerk.get_by_role("heading", name="Итоги (ещё не опубликованы)")).to_be_visible()
    screenshot(clerk, "closed")
    clerk.get_by_role("button", name="Опубликовать итоги").click()
    expect(clerk.get_by_role("heading", name="Опубликованные итоги")).to_be_visible()

    # --- Anyone can read the ranking, the passing-score line and the allocation. ---
    visitor = new_page()
    visitor.goto(f"{base}{competition.url}results/")
    ranking = visitor.get_by_role("region", name="Рейтинг заявок").first
    rows = ranking.get_by_role("row")
    expect(rows.nth(1)).to_contain_text(TOS_PROJECT)
    expect(rows.nth(1)).to_contain_text("21,00")  # (27 + 10 + 20 + 23) / 4 = 20, + 1 × 1 for the residents' share
    expect(ranking).to_contain_text("Проходной балл")
    expect(rows.last).to_contain_text(GROUP_PROJECT)
    expect(rows.last).to_contain_text("ниже проходного балла")
    for expert in [*experts, tied]:
        expect(visitor.get_by_text(expert.full_name)).to_have_count(0)
    screenshot(visitor, "results")
