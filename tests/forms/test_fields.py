"""Field blocks and their Django fields: what a person may type and what is kept."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.blocks import StreamBlockValidationError

from forms.blocks import FormFieldsBlock
from forms.definition import FormDefinition
from forms.fields import (
    CostRowsField,
    DateRangeField,
    RussianDecimalField,
    format_decimal,
    normalise_phone,
    parse_russian_decimal,
)
from forms.uploads import check_upload
from tests.forms.factories import block, condition, step

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("+7 (910) 123-45-67", "+79101234567"),
        ("8 910 123 45 67", "+79101234567"),
        ("89101234567", "+79101234567"),
        ("9101234567", "+79101234567"),
        ("+7 4842 55-66-77", "+74842556677"),
    ],
)
def test_russian_phone_spellings_are_normalised(typed, kept):
    assert normalise_phone(typed) == kept


@pytest.mark.parametrize("typed", ["12345", "+1 202 555 0100", "телефон", "+7 (910) 123-45-6", "9101234567 доб. 5"])
def test_a_phone_that_is_not_russian_is_refused_with_an_example(typed):
    with pytest.raises(ValidationError) as error:
        normalise_phone(typed)
    assert "+7" in str(error.value) or "цифры" in str(error.value)


@pytest.mark.parametrize(
    ("typed", "number"),
    [("3 358,272", Decimal("3358.272")), ("30\u00a0000", Decimal(30000)), ("2.5", Decimal("2.5")), ("-4", Decimal(-4))],
)
def test_russian_numbers_are_read(typed, number):
    assert parse_russian_decimal(typed) == number


def test_numbers_are_written_the_russian_way():
    assert format_decimal(Decimal("3358.272")) == "3\u00a0358,272"
    assert format_decimal(Decimal("1500.00")) == "1\u00a0500"
    assert format_decimal(Decimal("1500"), places=2) == "1\u00a0500,00"


def test_integer_field_refuses_a_fraction_in_russian():
    field = RussianDecimalField(decimal_places=0, max_value=Decimal(100))
    with pytest.raises(ValidationError) as error:
        field.clean("2,5")
    assert "целое" in str(error.value)
    with pytest.raises(ValidationError):
        field.clean("1 000")


def test_date_range_must_end_after_it_starts():
    field = DateRangeField(min_date=date(2026, 1, 1))
    assert field.clean(["2026-05-01", "2026-09-30"]) == (date(2026, 5, 1), date(2026, 9, 30))
    with pytest.raises(ValidationError, match="окончания раньше"):
        field.clean(["2026-09-30", "2026-05-01"])
    with pytest.raises(ValidationError, match=r"раньше 01\.01\.2026"):
        field.clean(["2025-12-01", "2026-05-01"])
    with pytest.raises(ValidationError, match="обе даты"):
        field.clean(["2026-05-01", ""])


def test_cost_rows_compute_lines_and_total_in_kopecks():
    field = CostRowsField(item_label="Статья", max_rows=10)
    value = field.clean(
        {
            "rows": [
                {"item": "Скамья парковая", "quantity": "4", "unit": "шт.", "unit_price": "12 500,50"},
                {"item": "", "quantity": "", "unit": "", "unit_price": ""},
                {"item": "Плитка", "quantity": "35,5", "unit": "м²", "unit_price": "1 199,99"},
            ]
        }
    )
    assert [row["amount"] for row in value["rows"]] == ["50002.00", "42599.65"]
    assert value["total"] == "92601.65"


def test_cost_rows_name_the_broken_row():
    field = CostRowsField(item_label="Статья", max_rows=10)
    with pytest.raises(ValidationError) as error:
        field.clean({"rows": [{"item": "Скамья", "quantity": "много", "unit": "шт.", "unit_price": "10,999"}]})
    text = " ".join(error.value.messages)
    assert "Строка 1" in text and "количество" in text and "два знака" in text.replace("двух знаков", "два знака")


@pytest.mark.parametrize(
    ("name", "content", "size_limit", "fragment"),
    [
        ("протокол.pdf", PDF, 1024, None),
        ("протокол.exe", b"MZ\x90\x00", 1024, "можно загрузить только pdf"),
        ("протокол.pdf", b"MZ\x90\x00\x03\x00\x00\x00", 1024, "не похоже на PDF"),
        ("протокол.pdf", b"\x7fELF\x02\x01\x01", 1024, "не похоже на PDF"),
        ("протокол.pdf", PDF + b"0" * 2048, 1024, "больше"),
    ],
)
def test_uploads_are_checked_by_extension_size_and_content(name, content, size_limit, fragment):
    upload = SimpleUploadedFile(name, content)
    if fragment is None:
        check_upload(upload, ["pdf"], size_limit)
        return
    with pytest.raises(ValidationError) as error:
        check_upload(upload, ["pdf"], size_limit)
    assert fragment in str(error.value)


def test_definition_splits_steps_and_keys_fields_by_block_id():
    definition = FormDefinition(
        [
            block("short_text", "Название", id="name"),
            step("Бюджет"),
            block("money", "Сумма", id="sum"),
            block("static_text", text="<p>Пояснение</p>"),
            step("Пустой шаг"),
        ]
    )
    assert [(s.number, definition.step_title(s)) for s in definition.steps] == [(1, "Шаг 1"), (2, "Бюджет")]
    assert [item.id for item in definition.fields] == ["name", "sum"]
    assert definition.by_id["sum"].step == 1


def clean_stream(raw):
    stream_block = FormFieldsBlock()
    return stream_block.clean(stream_block.to_python(raw))


def test_a_condition_must_point_to_a_field_above():
    with pytest.raises(StreamBlockValidationError) as error:
        clean_stream(
            [
                block("money", "Сумма", condition=condition("cofin", "equals", "Да")),
                block("yes_no", "Софинансирование?", code="cofin"),
            ]
        )
    assert "выше по форме" in str(error.value.as_json_data())


def test_field_codes_must_be_unique_and_numeric_rules_need_a_number_field():
    with pytest.raises(StreamBlockValidationError) as error:
        clean_stream([block("short_text", "А", code="same"), block("short_text", "Б", code="same")])
    assert "уже занят" in str(error.value.as_json_data())
    with pytest.raises(StreamBlockValidationError) as error:
        clean_stream(
            [
                block("short_text", "Имя", code="name"),
                block("number", "Возраст", condition=condition("name", "greater_than", "5")),
            ]
        )
    assert "числовые" in str(error.value.as_json_data())


def test_choice_blocks_need_two_options_and_sane_limits():
    with pytest.raises(StreamBlockValidationError) as error:
        clean_stream([block("single_choice", "Один вариант", options="Только один")])
    assert "два варианта" in str(error.value.as_json_data())
    with pytest.raises(StreamBlockValidationError) as error:
        clean_stream([block("multiple_choice", "Много", options="А\nБ", max_selections=3)])
    assert "Вариантов меньше" in str(error.value.as_json_data())


@pytest.mark.django_db
def test_every_block_has_an_icon_a_template_and_a_preview_that_renders():
    stream_block = FormFieldsBlock()
    for name, child in stream_block.child_blocks.items():
        assert child.meta.icon, name
        assert child.meta.template, name
        assert child.get_preview_value() is not None, name
        html = child.render(child.get_preview_value())
        assert html.strip(), name
