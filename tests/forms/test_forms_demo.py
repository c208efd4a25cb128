"""load_demo: a residents' survey with generated answers whose results page has charts, and a sample application."""

import io
import re

import pytest
from django.core.management import call_command

from forms.demo import APPLICATION, RESPONSES, SURVEY
from forms.models import FormPage, Submission, SurveyPage
from forms.results import survey_results

pytestmark = pytest.mark.django_db


def load_demo():
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def demo():
    load_demo()
    return SurveyPage.objects.get(slug=SURVEY["slug"]), FormPage.objects.get(slug=APPLICATION["slug"])


def test_a_second_load_creates_nothing(demo):
    survey, application = demo
    before = (
        SurveyPage.objects.count(),
        FormPage.objects.count(),
        Submission.objects.count(),
        survey.form_versions.count(),
        Submission.history.count(),
    )
    load_demo()
    after = (
        SurveyPage.objects.count(),
        FormPage.objects.count(),
        Submission.objects.count(),
        survey.form_versions.count(),
        Submission.history.count(),
    )
    assert after == before
    assert Submission.objects.filter(page=survey).count() == RESPONSES
    assert not Submission.objects.filter(page=application).exists()


def test_the_demo_forms_pass_the_checks_of_the_page_editor(demo):
    for page in demo:
        page.fields.stream_block.clean(page.fields)  # raises on a broken condition, code or option list
        assert page.live and page.get_parent().specific_class.__name__ == "HomePage"
    survey, application = demo
    assert len(survey.definition.fields) == 10
    assert [step.title for step in application.definition.steps] == ["Заявитель", "Проект", "Бюджет", "Документы"]
    kinds = {item.block_type for item in application.definition.fields}
    assert {
        "tos",
        "municipality",
        "phone",
        "email",
        "date_range",
        "yes_no",
        "rows",
        "money",
        "percent",
        "file",
        "consent",
    } <= kinds
    assert "(демо)" in survey.title and "(образец)" in application.title


def test_generated_answers_follow_the_survey_branching(demo):
    survey, _application = demo
    fields = survey.definition.by_code
    submissions = Submission.objects.filter(page=survey)
    assert {submission.status for submission in submissions} == {Submission.Status.SUBMITTED}
    for submission in submissions:
        has_playground = submission.data[fields["playground"].id]
        assert (fields["playground_state"].id in submission.data) == has_playground
        assert len(submission.data[fields["missing"].id]) <= 3


def test_the_results_page_of_the_demo_survey_shows_charts(demo, client):
    survey, _application = demo
    response = client.get(survey.url + "results/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Всего ответов: {RESPONSES}." in html
    assert len(re.findall(r'class="survey-chart__table"', html)) >= 8
    assert len(re.findall(r'class="survey-chart__bar" style="width: [\d.]+%"', html)) >= 30

    results = survey_results(survey)
    playground = next(item for item in results["questions"] if item["code"] == "playground")
    state = next(item for item in results["questions"] if item["code"] == "playground_state")
    assert state["answered"] == next(option["count"] for option in playground["options"] if option["label"] == "Да")


def test_the_survey_and_its_results_link_each_other(demo, client):
    survey, application = demo
    page = client.get(survey.url)
    assert page.status_code == 200
    assert f'href="{survey.url}results/"' in page.content.decode()
    assert client.get(application.url).status_code == 200  # asks to log in: applications need an account
