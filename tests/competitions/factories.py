"""Competitions for tests: an index under the home page, a competition with an open intake, drafts and applications.

Stage moments are relative to now, so a test that freezes the clock passes the moment it wants explicitly.
"""

from datetime import timedelta
from decimal import Decimal

import wagtail_factories
from django.utils import timezone

from competitions import applications
from competitions.models import ApplicantType, CompetitionIndexPage, CompetitionKind, CompetitionPage
from tests.factories import UserFactory
from tests.forms.factories import block, step


class CompetitionIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CompetitionIndexPage

    title = "Конкурсы"
    slug = "konkursy"


def application_form(*, with_file=False):
    """A two-step application form: the project (problem, result, beneficiaries) and documents."""
    fields = [
        step("Проект"),
        block("long_text", "Описание проблемы", id="problem", code="problem"),
        block("long_text", "Ожидаемый результат", id="result", code="result"),
        block("number", "Число благополучателей", id="beneficiaries", code="beneficiaries", min_value=1),
        step("Документы"),
    ]
    if with_file:
        fields.append(
            block("file", "Протокол собрания жителей", id="protocol", code="protocol", allowed_extensions="pdf,jpg,png")
        )
    fields.append(block("consent", "Согласие на обработку персональных данных", id="consent"))
    return fields


def complete_answers(*, with_file=False):
    """Posted form data that completes application_form(): step 1 and step 2."""
    return (
        {"problem": "Во дворе нет детской площадки.", "result": "Площадка для 120 детей.", "beneficiaries": "450"},
        {"consent": "on"},
    )


def publish_competition(
    index,
    *,
    opens=None,
    closes=None,
    rules=(("residents", "3"),),
    with_file=False,
    with_reports=False,
    kind_prefix="ИБ",
    **fields,
):
    """A published competition whose intake runs from ``opens`` to ``closes`` (default: started, ends in 10 days)."""
    now = timezone.now()
    opens = opens or now - timedelta(days=1)
    closes = closes or now + timedelta(days=10)
    page = CompetitionPage(
        title=fields.pop("title", "Конкурсный отбор инициативных проектов 2026"),
        slug=fields.pop("slug", f"konkurs-{CompetitionPage.objects.count() + 1}"),
        kind=CompetitionKind.objects.get(number_prefix=kind_prefix),
        year=fields.pop("year", 2026),
        organiser=fields.pop("organiser", "Администрация МО (демо)"),
        legal_basis=fields.pop("legal_basis", "Решение Городской Думы г. Калуги от 27.01.2021 № 14"),
        fund=fields.pop("fund", Decimal("5000000")),
        max_per_project=fields.pop("max_per_project", Decimal("1500000")),
        application_form=fields.pop("application_form", application_form(with_file=with_file)),
        **fields,
    )
    page.stages.add(page.stages.model(kind="intake", starts_at=opens, ends_at=closes))
    page.stages.add(page.stages.model(kind="document_check", starts_at=closes, ends_at=closes + timedelta(days=10)))
    for source, share in rules:
        page.cofinancing_rules.add(page.cofinancing_rules.model(source=source, min_share=Decimal(share)))
    page.required_documents.add(page.required_documents.model(title="Протокол собрания жителей"))
    page.required_documents.add(page.required_documents.model(title="Копия устава ТОС", applies_to="tos"))
    if with_reports:
        page.report_forms.add(
            page.report_forms.model(
                kind="final",
                title="Итоговый отчёт",
                due_at=closes + timedelta(days=200),
                fields=[block("long_text", "Что сделано", id="done", code="done")],
            )
        )
    index.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def start_group_application(competition, user=None, **fields):
    """An initiative group's draft (no TOS needed)."""
    user = user or UserFactory()
    application, _created = applications.start(
        competition,
        user,
        start_key=fields.pop("start_key", f"start-{user.pk}-{timezone.now().timestamp()}"),
        applicant_type=ApplicantType.GROUP,
        title=fields.pop("title", "Детская площадка во дворе ул. Садовой, 5"),
        group_name=fields.pop("group_name", "Жители ул. Садовой, 5"),
        group_size=fields.pop("group_size", 12),
        **fields,
    )
    return application


def fill(application, *, requested="970000", ledger=None):
    """Answer every question and fill a ledger that meets a 3 % residents' rule (30 000 of 1 000 000)."""
    user = application.applicant
    step_one, step_two = complete_answers()
    applications.save_step(application, user, 0, step_one, {}, revision=application.revision, next_step=1)
    applications.save_step(application, user, 1, step_two, {}, revision=application.revision)
    ledger = ledger if ledger is not None else [{"source": "residents", "kind": "money", "amount": "30000"}]
    applications.update_details(
        application,
        user,
        revision=application.revision,
        title=application.title,
        requested_amount=Decimal(requested),
        ledger=ledger,
        nomination=application.nomination,
    )
    return application


def submitted_application(competition, user=None, **fields):
    application = fill(start_group_application(competition, user, **fields))
    applications.submit(application, application.applicant)
    application.refresh_from_db()
    return application
