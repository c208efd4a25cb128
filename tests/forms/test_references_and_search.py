"""The reference blocks (municipality, TOS) and forms in the platform search."""

import pytest

from forms import choice_sources
from forms.definition import FormDefinition
from forms.fields import NamedReferenceTextField, ReferenceChoiceField
from search import service
from tests.forms.factories import block, publish_survey
from website.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def tos_source_registered():
    """A TOS list as the TOS app will register it; Municipality stands in for the TOS profiles here."""
    before = dict(choice_sources._sources)
    choice_sources.register_tos_source(
        queryset=lambda: Municipality.objects.order_by("short_name"), label=lambda record: f"ТОС «{record.short_name}»"
    )
    yield
    choice_sources._sources.clear()
    choice_sources._sources.update(before)


def tos_item():
    return FormDefinition([block("tos", "ТОС-заявитель", id="tos")]).by_id["tos"]


def test_without_the_tos_list_the_tos_is_named_in_text(tos_list_unregistered):
    field = tos_item().form_field()
    assert isinstance(field, NamedReferenceTextField)
    assert field.clean("ТОС «Заречье»") == {"name": "ТОС «Заречье»"}


def test_once_registered_the_tos_is_chosen_from_the_list(tos_source_registered):
    item = tos_item()
    field = item.form_field()
    assert isinstance(field, ReferenceChoiceField)
    record = Municipality.objects.get(short_name="Боровский")
    stored = field.clean(str(record.pk))
    assert stored == {"id": record.pk, "name": "ТОС «Боровский»"}
    assert item.display(stored) == "ТОС «Боровский»"


def test_a_municipality_answer_keeps_the_name_it_had():
    item = FormDefinition([block("municipality", "Муниципальное образование", id="mo")]).by_id["mo"]
    record = Municipality.objects.get(short_name="Калуга")
    stored = item.form_field().clean(str(record.pk))
    record.short_name = "Город Калуга"
    record.save()
    assert item.display(stored) == "Калуга"


def test_a_survey_is_found_by_its_questions(site_tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish_survey(
            site_tree["home"],
            [block("single_choice", "Как вы оцениваете освещение двора?", options="Хорошо\nПлохо")],
            title="Опрос о дворе",
        )
    hits = service.search("освещения двора", "ru").hits
    assert [hit.url for hit in hits] and "Опрос о дворе" in hits[0].title.replace("<mark>", "").replace("</mark>", "")
