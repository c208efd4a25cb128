"""Journey C: a TOS leader starts an application, saves a draft, comes back to it, fills the co-financing ledger
and the form, submits and gets a number; the secretary returns it for correction with a reason; the leader corrects
and submits again; the secretary admits it; both submitted versions stay readable to the leader.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.competitions.factories import CompetitionIndexPageFactory, publish_competition
from tests.e2e.test_editor_translation_journey import log_in_to_admin
from tests.e2e.test_form_builder_journey import log_in_on_site
from tests.factories import UserFactory
from tests.tos.factories import TOSIndexPageFactory, leader_of, publish_profile

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PROJECT = "Детская площадка во дворе ул. Садовой, 5"
FIRST_PROBLEM = "Во дворе нет детской площадки, дети играют на проезде."
CORRECTED_PROBLEM = "Во дворе нет детской площадки: 86 детей до 12 лет играют на проезде (протокол собрания)."
REASON = "Уточните описание проблемы: сколько детей живёт во дворе."


@pytest.fixture
def setting(site_tree):
    index = CompetitionIndexPageFactory(parent=site_tree["home"])
    index.save_revision().publish()
    competition = publish_competition(index, title="Конкурсный отбор инициативных проектов 2026", slug="ib-2026")
    profile = publish_profile(TOSIndexPageFactory(parent=site_tree["home"]), title="ТОС «Солнечный квартал»")
    leader = leader_of(profile, first_name="Анна", last_name="Иванова", email="ivanova@example.org")
    secretary = UserFactory(
        username="sekretar", first_name="Ольга", last_name="Секретарёва", roles=["Секретарь конкурса"]
    )
    return competition, leader, secretary


def test_apply_correct_and_admit(setting, live_server, new_page, screenshot):
    competition, leader, secretary = setting
    base = live_server.url

    # --- The leader finds the competition and starts an application on behalf of the TOS. ---
    applicant = new_page()
    log_in_on_site(applicant, base, leader)
    applicant.goto(f"{base}{competition.url}")
    expect(applicant.get_by_role("heading", level=1)).to_have_text("Конкурсный отбор инициативных проектов 2026")
    expect(applicant.get_by_text("приём заявок").first).to_be_visible()
    screenshot(applicant, "competition-page")
    applicant.get_by_role("link", name="Подать заявку").first.click()
    applicant.get_by_label("ТОС", exact=True).first.check()
    applicant.get_by_role("combobox", name=re.compile("^ТОС")).select_option(label="ТОС «Солнечный квартал»")
    applicant.get_by_label(re.compile("^Название проекта")).fill(PROJECT)
    screenshot(applicant, "start")
    applicant.get_by_role("button", name="Создать черновик заявки").click()

    # --- The money: requested amount and the residents' share, saved as a draft. ---
    applicant.get_by_label(re.compile("^Запрашиваемая сумма")).fill("970000")
    applicant.get_by_label("Источник, строка 1").select_option(value="residents")
    applicant.get_by_label("Вид вклада, строка 1").select_option(value="money")
    applicant.get_by_label("Сумма, строка 1").fill("30000")
    applicant.get_by_role("button", name="Сохранить черновик").last.click()
    summary = applicant.get_by_role("region", name=re.compile("Стоимость проекта и доли"))
    expect(summary).to_contain_text("1 000 000,00")
    expect(summary).to_contain_text("3,00 %")
    screenshot(applicant, "ledger-saved")

    # --- Later: back from the cabinet, the draft is there to continue. ---
    applicant.goto(f"{base}/ru/cabinet/")
    section = applicant.get_by_role("region", name="Мои заявки на конкурсы")
    expect(section).to_contain_text(PROJECT)
    section.get_by_role("link", name=re.compile(re.escape(PROJECT))).first.click()
    applicant.get_by_role("link", name="Продолжить заполнение").click()
    expect(applicant.get_by_label("Сумма, строка 1")).to_have_value(re.compile(r"^30\s?000"))
    applicant.get_by_role("link", name=re.compile("Проект$")).first.click()
    applicant.get_by_role("textbox", name=re.compile("Описание проблемы")).fill(FIRST_PROBLEM)
    applicant.get_by_role("textbox", name=re.compile("Ожидаемый результат")).fill("Площадка для детей двора.")
    applicant.get_by_role("textbox", name=re.compile("Число благополучателей")).fill("450")
    applicant.get_by_role("button", name="Сохранить и далее").click()
    applicant.get_by_label(re.compile("Согласие на обработку персональных данных")).check()
    applicant.get_by_role("button", name="Сохранить и перейти к проверке").click()
    screenshot(applicant, "check")
    applicant.get_by_role("button", name="Подать заявку").click()
    expect(applicant.get_by_text("ИБ-2026-0001").first).to_be_visible()
    screenshot(applicant, "submitted")

    # --- The secretary returns it for correction with a reason. ---
    clerk = new_page()
    log_in_to_admin(clerk, base, secretary)
    clerk.goto(f"{base}/admin/competitions/applications/")
    clerk.get_by_role("link", name="ИБ-2026-0001").first.click()
    expect(clerk.get_by_text(FIRST_PROBLEM)).to_be_visible()
    clerk.get_by_label("вернуть на доработку").check()
    clerk.get_by_role("textbox", name=re.compile("Причины")).fill(REASON)
    screenshot(clerk, "return")
    clerk.get_by_role("button", name="Принять решение").click()
    expect(clerk.get_by_text("возвращена на доработку").first).to_be_visible()

    # --- The leader sees the reason, corrects and submits again. ---
    applicant.reload()
    expect(applicant.get_by_text(REASON).first).to_be_visible()
    screenshot(applicant, "returned")
    applicant.get_by_role("link", name="Исправить заявку").click()
    applicant.get_by_role("link", name=re.compile("Проект$")).first.click()
    applicant.get_by_role("textbox", name=re.compile("Описание проблемы")).fill(CORRECTED_PROBLEM)
    applicant.get_by_role("button", name="Сохранить и далее").click()
    applicant.get_by_role("button", name="Сохранить и перейти к проверке").click()
    applicant.get_by_role("button", name="Подать исправленную заявку").click()
    expect(applicant.get_by_text("ИБ-2026-0001").first).to_be_visible()
    expect(applicant.get_by_text("подана, на проверке").first).to_be_visible()

    # --- The secretary checks the corrected version and admits it. ---
    clerk.reload()
    expect(clerk.get_by_text(CORRECTED_PROBLEM)).to_be_visible()
    for box in clerk.get_by_role("checkbox", name="в порядке").all():
        box.check()
    clerk.get_by_label("допустить").check()
    clerk.get_by_role("button", name="Принять решение").click()
    expect(clerk.get_by_text("допущена к конкурсу").first).to_be_visible()
    screenshot(clerk, "admitted")

    # --- Both versions stay readable to the leader, each as it was sent. ---
    applicant.reload()
    expect(applicant.get_by_text("допущена к конкурсу").first).to_be_visible()
    application_url = applicant.url.split("?")[0].rstrip("/")
    applicant.goto(f"{application_url}/versions/1/")
    expect(applicant.get_by_text(FIRST_PROBLEM)).to_be_visible()
    expect(applicant.get_by_text(REASON).first).to_be_visible()
    screenshot(applicant, "version-1")
    applicant.goto(f"{application_url}/versions/2/")
    expect(applicant.get_by_text(CORRECTED_PROBLEM)).to_be_visible()
    screenshot(applicant, "version-2")
