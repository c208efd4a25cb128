import pytest
from django.core.management import CommandError, call_command

from website.models import Municipality, MunicipalityKind

pytestmark = pytest.mark.django_db


def test_migration_loads_all_26_municipalities_of_kaluga_oblast():
    assert Municipality.objects.count() == 26
    kaluga = Municipality.objects.get(short_name="Калуга")
    assert kaluga.kind == MunicipalityKind.URBAN_OKRUG
    assert Municipality.objects.get(short_name="Хвастовичский").kind == MunicipalityKind.MUNICIPAL_OKRUG
    assert Municipality.objects.filter(kind=MunicipalityKind.URBAN_OKRUG).count() == 2


def write_csv(tmp_path, text):
    path = tmp_path / "mo.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_updates_existing_and_adds_new_with_a_revision(tmp_path):
    path = write_csv(
        tmp_path,
        "short_name;official_name;kind;centre;oktmo;kind_changed_at;note\n"
        "Тарусский;Тарусский муниципальный округ Калужской области;municipal_okrug;г. Таруса;29638000;2025-01-01;\n"
        "Новый;Новый муниципальный округ;municipal_okrug;с. Новое;;;\n",
    )
    call_command("import_municipalities", str(path))
    tarusa = Municipality.objects.get(short_name="Тарусский")
    assert tarusa.kind == MunicipalityKind.MUNICIPAL_OKRUG
    assert str(tarusa.kind_changed_at) == "2025-01-01"
    assert tarusa.latest_revision is not None
    assert Municipality.objects.count() == 27


def test_csv_with_a_bad_row_changes_nothing_and_names_the_row(tmp_path):
    path = write_csv(
        tmp_path,
        "short_name,official_name,kind,oktmo\n"
        "Боровский,Боровский муниципальный округ,municipal_okrug,\n"
        "Обнинск,Город Обнинск,city,\n"
        "Калуга,Город Калуга,urban_okrug,12ab\n",
    )
    with pytest.raises(CommandError) as error:
        call_command("import_municipalities", str(path))
    message = str(error.value)
    assert "Ничего не изменено" in message
    assert "строка 3: kind «city»" in message
    assert "строка 4: oktmo" in message and "8 или 11 цифр" in message
    assert Municipality.objects.get(short_name="Боровский").kind == MunicipalityKind.MUNICIPAL_DISTRICT


def test_csv_without_required_columns_is_refused(tmp_path):
    path = write_csv(tmp_path, "name,kind\nБоровский,municipal_okrug\n")
    with pytest.raises(CommandError, match="нет обязательных колонок: short_name, official_name"):
        call_command("import_municipalities", str(path))


def test_csv_with_a_repeated_name_names_both_rows(tmp_path):
    path = write_csv(
        tmp_path,
        "short_name,official_name,kind\nОбнинск,Город Обнинск,urban_okrug\nОбнинск,Город Обнинск 2,urban_okrug\n",
    )
    with pytest.raises(CommandError, match="строка 3: short_name «Обнинск» уже был в строке 2"):
        call_command("import_municipalities", str(path))
    assert Municipality.objects.get(short_name="Обнинск").official_name == "городской округ «Город Обнинск»"
