"""Journey F: a methodologist builds a three-step form from blocks in the admin and publishes it; a resident fills
step 1, saves a draft, finishes on another device and submits; staff read the answers and download the file that
another resident may not; after the form is edited, the old answer keeps its own questions.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from forms.models import FormPage
from tests.e2e.test_editor_translation_journey import log_in_to_admin, open_page_in_explorer
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FORM_TITLE = "Заявка на конкурс «Наш двор»"
ANSWERS = {"project": "Детская площадка во дворе дома 12", "amount": "150 000"}
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ORIGINAL_ANSWERS = [
    ("Название проекта", ANSWERS["project"]),
    ("Есть ли софинансирование?", "Да"),
    ("Сумма софинансирования", "150\u00a0000,00 ₽"),
    ("Протокол собрания", re.compile(rf"protokol-sobraniya\.pdf\s+\({len(PDF_BYTES)}\sбайт\)")),
]


@pytest.fixture(autouse=True)
def no_admin_autosave(settings):
    """Wagtail's editor saves a draft in the background while one types. Here the live server's request threads
    share one in-memory SQLite connection, so a background save racing «Опубликовать» breaks the transaction."""
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0


@pytest.fixture
def methodologist(site_tree):
    return UserFactory(username="metodist", first_name="Анна", last_name="Петрова", roles=["Методист"])


@pytest.fixture
def resident(site_tree):
    return UserFactory(first_name="Иван", last_name="Смирнов", email="smirnov@example.org")


@pytest.fixture
def other_resident(site_tree):
    return UserFactory(first_name="Ольга", last_name="Кузнецова", email="kuznetsova@example.org")


# --- The form editor: StreamField «Поля формы» -------------------------------------------------------------------


def form_fields(page):
    return page.get_by_role("region", name=re.compile(r"^Поля формы"))


def field_blocks(page):
    """The blocks of «Поля формы» in their order on screen."""
    return form_fields(page).locator("[data-streamfield-child]")


def insert_block(page, block_label, position=None):
    """«Вставить блок» (the «+» before block ``position``; after the last block by default), then the block type."""
    blocks = field_blocks(page)
    position = blocks.count() if position is None else position
    form_fields(page).get_by_role("button", name="Вставить блок").nth(position).click()
    page.get_by_role("option", name=block_label, exact=True).click()
    block = blocks.nth(position)
    expect(block.get_by_role("heading").first).to_contain_text(block_label)
    return block


def add_field(page, block_label, label, position=None, code=None, extensions=None):
    block = insert_block(page, block_label, position)
    block.get_by_role("textbox", name=re.compile(r"^Вопрос \(подпись поля\)")).fill(label)
    if code:
        block.get_by_role("textbox", name="Код поля", exact=True).fill(code)
    if extensions:
        block.get_by_role("textbox", name=re.compile(r"^Разрешённые типы файлов")).fill(extensions)
    return block


def add_step(page, title):
    block = insert_block(page, "Новый шаг")
    block.get_by_role("textbox", name=re.compile(r"^Название шага")).fill(title)
    return block


def set_condition(block, code, operator, value):
    """Open the collapsed «Показывать, только если» of a field block and fill it in."""
    condition = block.get_by_role("region", name=re.compile(r"^Показывать, только если"))
    condition.get_by_role("button", name="Переключить раздел").first.click()
    condition.get_by_role("textbox", name="Код поля-условия").fill(code)
    condition.get_by_role("combobox", name="Условие").select_option(label=operator)
    condition.get_by_role("textbox", name="Значение").fill(value)


def block_titled(page, label):
    """The block of «Поля формы» whose header shows this question."""
    return field_blocks(page).filter(has=page.get_by_role("heading", name=re.compile(re.escape(label))))


def publish(page):
    page.get_by_role("button", name="Больше действий").click()
    page.get_by_role("button", name="Опубликовать", exact=True).click()


@pytest.fixture
def pdf_file(tmp_path):
    path = tmp_path / "protokol-sobraniya.pdf"
    path.write_bytes(PDF_BYTES)
    return path


def log_in_on_site(page, base_url, user):
    """The site's own sign-in (e-mail and password); it leads to the personal cabinet."""
    page.goto(f"{base_url}/ru/accounts/login/")
    page.get_by_role("textbox", name=re.compile(r"^Адрес электронной почты")).fill(user.email)
    page.get_by_role("textbox", name=re.compile(r"^Пароль")).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Личный кабинет")


def answer_to(page, label):
    """On a page of answers (a list of questions, each followed by its answer): the answer to this question."""
    return page.get_by_role("term").filter(has_text=re.compile(rf"^{re.escape(label)}$")).locator("+ dd")


def test_form_builder_journey(
    site_tree, methodologist, resident, other_resident, pdf_file, live_server, new_page, screenshot
):
    base = live_server.url
    assert not methodologist.is_superuser

    # --- 1. The methodologist builds the form in the admin. ---
    admin = new_page()
    log_in_to_admin(admin, base, methodologist)
    open_page_in_explorer(admin, site_tree["home"].title)
    admin.get_by_role("link", name="Добавить дочернюю страницу", exact=True).click()
    admin.wait_for_url(re.compile(r"/admin/pages/(add/|\d+/add_subpage/)"))
    if "/add_subpage/" in admin.url:
        admin.get_by_role("link", name=re.compile(r"^Форма(\s|$)")).click()
    expect(admin.get_by_role("heading", level=1)).to_contain_text("Форма")
    admin.get_by_role("textbox", name=re.compile(r"^Заголовок")).fill(FORM_TITLE)

    add_field(admin, "Строка текста", "Название проекта")
    add_field(admin, "Да / нет", "Есть ли софинансирование?", code="cofin")
    money = add_field(admin, "Сумма в рублях", "Сумма софинансирования")
    set_condition(money, "cofin", "равен", "Да")
    screenshot(admin, "editor-step-1")
    add_step(admin, "Документы")
    add_field(admin, "Файл", "Протокол собрания", extensions="pdf")
    add_step(admin, "Согласие")
    add_field(admin, "Согласие на обработку персональных данных", "Я даю согласие на обработку персональных данных")
    screenshot(admin, "editor-all-blocks")
    publish(admin)
    messages = admin.get_by_role("main").get_by_role("status")
    expect(messages).to_contain_text(re.compile(rf"Страница '{re.escape(FORM_TITLE)}'.* опубликована"))
    screenshot(admin, "form-published")
    form_url = base + FormPage.objects.get(title=FORM_TITLE).url

    # --- 2. A resident fills step 1 and saves a draft. ---
    laptop = new_page()
    log_in_on_site(laptop, base, resident)
    laptop.goto(form_url)
    expect(laptop.get_by_text("Шаг 1 из 3")).to_be_visible()
    amount = laptop.get_by_role("textbox", name=re.compile(r"^Сумма софинансирования"))
    expect(amount).to_be_hidden()
    screenshot(laptop, "resident-step-1")
    laptop.get_by_role("textbox", name=re.compile(r"^Название проекта")).fill(ANSWERS["project"])
    laptop.get_by_role("group", name=re.compile(r"^Есть ли софинансирование")).get_by_label("Да").check()
    expect(amount).to_be_visible()
    amount.fill(ANSWERS["amount"])
    screenshot(laptop, "resident-step-1-filled")
    laptop.get_by_role("button", name="Сохранить черновик").click()
    expect(laptop.get_by_role("status").filter(has_text="Черновик сохранён в")).to_contain_text(
        "Продолжить можно с любого устройства"
    )
    screenshot(laptop, "resident-draft-saved")
    laptop.context.close()

    # --- On another device: the draft from the personal cabinet, steps 2 and 3, submit. ---
    phone = new_page()
    log_in_on_site(phone, base, resident)
    phone.goto(f"{base}/ru/cabinet/")
    my_forms = phone.get_by_role("region", name="Мои формы и опросы")
    expect(my_forms).to_contain_text("черновик")
    screenshot(phone, "cabinet-draft")
    my_forms.get_by_role("link", name=FORM_TITLE).click()
    expect(phone.get_by_role("textbox", name=re.compile(r"^Название проекта"))).to_have_value(ANSWERS["project"])
    expect(phone.get_by_role("textbox", name=re.compile(r"^Сумма софинансирования"))).to_have_value(
        re.compile(r"150\s?000")
    )
    screenshot(phone, "draft-continued")
    phone.get_by_role("button", name="Далее").click()
    expect(phone.get_by_text("Шаг 2 из 3")).to_be_visible()
    phone.get_by_label("Протокол собрания").set_input_files(pdf_file)
    screenshot(phone, "step-2-file-chosen")
    phone.get_by_role("button", name="Далее").click()
    expect(phone.get_by_text("Шаг 3 из 3")).to_be_visible()
    phone.get_by_role("checkbox", name=re.compile(r"^Я даю согласие")).check()
    screenshot(phone, "step-3-consent")
    phone.get_by_role("button", name="Отправить").click()
    expect(phone.get_by_role("status")).to_contain_text("Спасибо! Ваш ответ принят.")
    screenshot(phone, "thank-you")

    # --- 3. Staff read the answer and download the file; another resident may not. ---
    admin.get_by_role("complementary", name="Боковая панель").get_by_role("link", name="Ответы на формы").click()
    forms_table = admin.get_by_role("table")
    form_row = forms_table.get_by_role("row").filter(has_text=FORM_TITLE)
    expect(form_row.get_by_role("cell")).to_have_text([FORM_TITLE, "Форма", "1", "0", re.compile(r"\d")])
    screenshot(admin, "admin-forms-with-answers")
    forms_table.get_by_role("link", name=FORM_TITLE).click()
    submission_row = admin.get_by_role("row").filter(has_text="Смирнов Иван")
    expect(submission_row).to_contain_text(ANSWERS["project"])
    screenshot(admin, "admin-submission-list")
    submission_row.get_by_role("link").first.click()
    main = admin.get_by_role("main")
    expect(main).to_contain_text("Смирнов Иван (smirnov@example.org)")
    for label, value in ORIGINAL_ANSWERS:
        expect(answer_to(admin, label)).to_have_text(value)
    submission_url = admin.url
    screenshot(admin, "admin-submission")

    file_link = main.get_by_role("link", name="protokol-sobraniya.pdf")
    with admin.expect_download() as download_info:
        file_link.click()
    download = download_info.value
    assert download.suggested_filename == "protokol-sobraniya.pdf"
    assert Path(download.path()).read_bytes() == PDF_BYTES
    file_url = base + file_link.get_attribute("href")

    stranger = new_page()
    assert stranger.request.get(file_url, max_redirects=0).headers["location"].startswith("/ru/accounts/login/")
    neighbour = new_page()
    log_in_on_site(neighbour, base, other_resident)
    assert neighbour.request.get(file_url).status == 403
    refused = neighbour.goto(file_url)
    assert refused.status == 403
    screenshot(neighbour, "neighbour-file-refused")

    # --- 4. The methodologist edits the form: renames a label, adds a field, removes one; publishes. ---
    admin.get_by_role("link", name=re.compile(r"^← Все ответы")).click()
    admin.get_by_role("link", name="Редактировать форму").click()
    expect(admin.get_by_text("На эту форму уже есть ответы")).to_be_visible()
    screenshot(admin, "editor-with-answers-notice")
    block_titled(admin, "Название проекта").get_by_role("textbox", name=re.compile(r"^Вопрос")).fill(
        "Наименование проекта"
    )
    description = add_field(admin, "Абзац текста", "Описание проекта", position=2)
    money_block = block_titled(admin, "Сумма софинансирования")
    money_block.get_by_role("button", name="Удалить").click()
    expect(money_block).to_be_hidden()
    description.scroll_into_view_if_needed()
    screenshot(admin, "editor-form-changed")
    publish(admin)
    expect(admin.get_by_role("main").get_by_role("status")).to_contain_text(
        re.compile(rf"Страница '{re.escape(FORM_TITLE)}'.* опубликована")
    )

    # The answer sent earlier keeps the questions its author saw, with the removed field and its value.
    admin.goto(submission_url)
    expect(admin.get_by_role("main")).to_contain_text("форма с тех пор изменена (сейчас версия 2)")
    for label, value in ORIGINAL_ANSWERS:
        expect(answer_to(admin, label)).to_have_text(value)
    expect(admin.get_by_role("main")).not_to_contain_text("Наименование проекта")
    screenshot(admin, "admin-old-submission-after-edit")

    # Its author sees the same in the personal cabinet.
    phone.goto(f"{base}/ru/cabinet/")
    phone.get_by_role("region", name="Мои формы и опросы").get_by_role("link", name=FORM_TITLE).click()
    for label, value in ORIGINAL_ANSWERS:
        expect(answer_to(phone, label)).to_have_text(value)
    screenshot(phone, "resident-own-answer-after-edit")

    # The form on the site asks the new questions.
    neighbour.goto(form_url)
    expect(neighbour.get_by_role("textbox", name=re.compile(r"^Наименование проекта"))).to_be_visible()
    expect(neighbour.get_by_role("textbox", name=re.compile(r"^Описание проекта"))).to_be_visible()
    neighbour.get_by_role("group", name=re.compile(r"^Есть ли софинансирование")).get_by_label("Да").check()
    expect(neighbour.get_by_role("main")).not_to_contain_text("Название проекта")
    expect(neighbour.get_by_role("main")).not_to_contain_text("Сумма софинансирования")
    screenshot(neighbour, "form-after-edit")
