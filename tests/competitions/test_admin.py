"""The secretary's admin: the applications listing, an application's page, admissibility, award, reports, CSV."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.admin.menu import admin_menu
from wagtail.users.models import UserProfile

from competitions import applications, reports
from competitions.admin_views import MOSCOW
from competitions.cofinancing import rubles
from competitions.models import (
    AdmissibilityReview,
    Application,
    ApplicationReport,
    ApplicationVersion,
    CompetitionKind,
    Nomination,
    NotificationTemplate,
    ReportForm,
)
from forms.models import SubmissionFile
from tests.competitions.factories import (
    complete_answers,
    fill,
    publish_competition,
    start_group_application,
    submitted_application,
)
from tests.factories import UserFactory
from tests.forms.factories import block
from tests.tos.factories import TOSIndexPageFactory, leader_of, publish_profile

pytestmark = pytest.mark.django_db

PROTOCOL, CHARTER = "Протокол собрания жителей", "Копия устава ТОС"


def denied(response):
    """A refused admin view: 403, or Wagtail's redirect to its login page (anonymous) or dashboard (no permission)."""
    if response.status_code == 302:
        return response["Location"] == "/admin/" or response["Location"].startswith("/admin/login/")
    return response.status_code == 403


def index_url():
    return reverse("competition_applications:index")


def page_url(application, **query):
    url = reverse("competition_applications:inspect", args=[application.pk])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


def decide_url(application):
    return reverse("competition_applications:decide", args=[application.pk])


@pytest.fixture
def secretary(db):
    return UserFactory(roles=["Секретарь конкурса"], email="secretary@example.org", first_name="Ирина")


@pytest.fixture
def as_secretary(client, secretary):
    client.force_login(secretary)
    return client


@pytest.fixture
def submitted(competition):
    return submitted_application(competition, title="Детская площадка на Садовой")


def admit_data(application, **extra):
    """The checklist with every applicable document ticked, and «допустить»."""
    data = {"decision": "admit", "reasons": "", "correction_deadline": ""}
    for document in application.competition.required_documents.all():
        data[f"ok_{document.pk}"] = "on"
        data[f"note_{document.pk}"] = ""
    return {**data, **extra}


def admit(client, application):
    return client.post(decide_url(application), admit_data(application))


def with_report_form(competition, due_at=None):
    competition.report_forms.add(
        ReportForm(
            kind="final",
            title="Итоговый отчёт",
            due_at=due_at or timezone.now() + timedelta(days=60),
            fields=[block("long_text", "Что сделано", id="done")],
        )
    )
    competition.save_revision().publish()
    competition.refresh_from_db()
    return competition


def winner(client, competition, amount="900000"):
    application = submitted_application(with_report_form(competition))
    admit(client, application)
    client.post(reverse("competition_applications:award", args=[application.pk]), {"amount": amount})
    application.refresh_from_db()
    return application


def send_report(report, text="Площадка построена и открыта."):
    user = report.application.applicant
    reports.save_step(report, user, 0, {"done": text}, {}, revision=report.revision)
    report.refresh_from_db()
    reports.submit(report, user)
    report.refresh_from_db()
    return report


# Listing -----------------------------------------------------------------------------------------------------------


def test_listing_shows_submitted_applications_and_hides_drafts(as_secretary, competition, submitted):
    start_group_application(competition, title="Черновик сквера у школы")

    response = as_secretary.get(index_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert submitted.number in page
    assert "Детская площадка на Садовой" in page
    assert "Жители ул. Садовой, 5" in page
    assert "Черновик сквера у школы" not in page


def test_secretary_cannot_open_a_draft(as_secretary, competition):
    draft = start_group_application(competition)

    assert as_secretary.get(page_url(draft)).status_code == 404


def test_listing_filters_and_search(as_secretary, competitions_index, competition, submitted):
    other_competition = publish_competition(competitions_index, title="Развитие ТОС 2026", kind_prefix="ТОС")
    other = submitted_application(other_competition, title="Сквер у школы № 7")
    returned = submitted_application(competition, title="Ремонт дворового проезда")
    as_secretary.post(
        decide_url(returned), {**admit_data(returned), "decision": "return", "reasons": "Нет сметы на проезд."}
    )

    by_competition = as_secretary.get(index_url(), {"competition": other_competition.pk}).content.decode()
    assert "Сквер у школы № 7" in by_competition
    assert "Детская площадка на Садовой" not in by_competition

    by_status = as_secretary.get(index_url(), {"status": "correction"}).content.decode()
    assert "Ремонт дворового проезда" in by_status
    assert "Детская площадка на Садовой" not in by_status

    by_type = as_secretary.get(index_url(), {"applicant_type": "tos"}).content.decode()
    assert submitted.number not in by_type

    by_number = as_secretary.get(index_url(), {"q": other.number}).content.decode()
    assert "Сквер у школы № 7" in by_number
    assert "Детская площадка на Садовой" not in by_number

    by_title = as_secretary.get(index_url(), {"q": "Ремонт"}).content.decode()
    assert "Ремонт дворового проезда" in by_title
    assert "Сквер у школы № 7" not in by_title


def test_listing_filters_by_nomination(as_secretary, competitions_index):
    competition = publish_competition(competitions_index)
    competition.nominations.add(competition.nominations.model(name="Дворы"))
    competition.nominations.add(competition.nominations.model(name="Скверы"))
    competition.save_revision().publish()
    yards, squares = Nomination.objects.filter(page=competition).order_by("sort_order")
    for title, nomination in (("Площадка во дворе", yards), ("Сквер у реки", squares)):
        application = start_group_application(competition, title=title)
        fill(application)
        applications.update_details(
            application,
            application.applicant,
            revision=application.revision,
            title=title,
            requested_amount=application.requested_amount,
            ledger=application.ledger,
            nomination=nomination,
        )
        applications.submit(application, application.applicant)

    page = as_secretary.get(index_url(), {"nomination": yards.pk}).content.decode()

    assert "Площадка во дворе" in page
    assert "Сквер у реки" not in page


def test_listing_counts_applications_per_competition(as_secretary, competition, submitted):
    rejected = submitted_application(competition, title="Фонтан")
    as_secretary.post(decide_url(rejected), {**admit_data(rejected), "decision": "reject", "reasons": "Не по теме."})
    withdrawn = submitted_application(competition, title="Лавочки")
    applications.withdraw(withdrawn, withdrawn.applicant)
    start_group_application(competition, title="Черновик")

    response = as_secretary.get(index_url())

    counters = response.context["counters"]
    assert len(counters) == 1
    labels = [str(label) for label in response.context["counter_labels"]]
    counts = dict(zip(labels, counters[0]["counts"], strict=True))
    assert counts == {
        "подано": 3,
        "на проверке": 1,
        "на доработке": 0,
        "допущено": 0,
        "не допущено": 1,
        "отозвано": 1,
        "победители": 0,
    }
    assert reverse("competition_applications:export", args=[competition.pk]) in response.content.decode()


# The application page ----------------------------------------------------------------------------------------------


def test_application_page_shows_snapshot_ledger_shares_answers_and_hash(as_secretary, competition, submitted):
    response = as_secretary.get(page_url(submitted))

    page = response.content.decode()
    version = submitted.latest_version
    assert response.status_code == 200
    assert "Детская площадка на Садовой" in page
    assert "Жители ул. Садовой, 5" in page
    assert rubles(Decimal("970000")) in page  # requested
    assert rubles(Decimal("1000000")) in page  # cost
    assert "жители" in page and "деньги" in page and rubles(Decimal("30000")) in page
    assert "3,00 %" in page  # the residents' share
    assert "Правила софинансирования конкурса выполнены." in page
    assert "Во дворе нет детской площадки." in page  # an answer of the form
    assert "Площадка для 120 детей." in page
    assert version.content_hash in page
    assert PROTOCOL in page  # the checklist of the admissibility form
    assert CHARTER not in page  # applies to TOS only; this is an initiative group


def test_application_page_links_files_to_the_protected_download(as_secretary, competitions_index):
    competition = publish_competition(competitions_index, with_file=True)
    application = start_group_application(competition)
    user = application.applicant
    step_one, _step_two = complete_answers()
    applications.save_step(application, user, 0, step_one, {}, revision=application.revision, next_step=1)
    upload = SimpleUploadedFile("protocol.pdf", b"%PDF-1.4 protocol", content_type="application/pdf")
    result = applications.save_step(
        application, user, 1, {"consent": "on"}, {"protocol": upload}, revision=application.revision
    )
    assert result.ok
    applications.update_details(
        application,
        user,
        revision=application.revision,
        title=application.title,
        requested_amount=Decimal("970000"),
        ledger=[{"source": "residents", "kind": "money", "amount": "30000"}],
    )
    applications.submit(application, user)
    stored = SubmissionFile.objects.get(submission=application.latest_version.submission)

    page = as_secretary.get(page_url(application)).content.decode()
    download = reverse("forms:download_file", args=[stored.pk])

    assert download in page
    assert as_secretary.get(download).status_code == 200


def test_application_page_warns_when_the_ledger_breaks_a_rule(as_secretary, competition, submitted):
    competition.cofinancing_rules.add(competition.cofinancing_rules.model(source="business", min_share=Decimal("5")))
    competition.save_revision().publish()

    page = as_secretary.get(page_url(submitted)).content.decode()

    assert "Правила софинансирования конкурса не выполнены" in page
    assert "бизнес (ИП и юрлица)" in page


def test_unknown_version_is_not_found(as_secretary, submitted):
    assert as_secretary.get(page_url(submitted, version=7)).status_code == 404


# Admissibility -----------------------------------------------------------------------------------------------------


def test_admit_with_every_document_ticked(
    as_secretary, secretary, submitted, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admit(as_secretary, submitted)

    assert response.status_code == 302
    assert response["Location"] == page_url(submitted)
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.ADMITTED
    review = AdmissibilityReview.objects.get()
    assert review.decided_by == secretary
    assert [(row["document"], row["ok"]) for row in review.checklist] == [(PROTOCOL, True)]
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [submitted.applicant.email]
    assert submitted.number in mailoutbox[0].subject + mailoutbox[0].body

    page = as_secretary.get(page_url(submitted)).content.decode()
    assert "Версия 1: допустить" in page
    assert "Объявить победителем" in page
    assert "Принять решение" not in page  # the admissibility form is gone once decided


def test_admit_with_a_document_unticked_is_refused(as_secretary, submitted, mailoutbox):
    data = admit_data(submitted)
    document = submitted.competition.required_documents.get(title=PROTOCOL)
    del data[f"ok_{document.pk}"]

    response = as_secretary.post(decide_url(submitted), data)

    assert response.status_code == 400
    assert f"Не отмечены: {PROTOCOL}" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.SUBMITTED
    assert not AdmissibilityReview.objects.exists()
    assert not mailoutbox


def test_no_decision_chosen_is_refused(as_secretary, submitted):
    response = as_secretary.post(decide_url(submitted), {**admit_data(submitted), "decision": ""})

    assert response.status_code == 400
    assert "Выберите решение" in response.content.decode()
    assert not AdmissibilityReview.objects.exists()


def test_return_without_reasons_is_refused(as_secretary, submitted):
    response = as_secretary.post(decide_url(submitted), {**admit_data(submitted), "decision": "return"})

    assert response.status_code == 400
    assert "Напишите причины" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.SUBMITTED
    assert not AdmissibilityReview.objects.exists()


def test_return_with_a_past_deadline_is_refused(as_secretary, submitted):
    past = timezone.localtime(timezone.now() - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")

    response = as_secretary.post(
        decide_url(submitted),
        {**admit_data(submitted), "decision": "return", "reasons": "Нет сметы.", "correction_deadline": past},
    )

    assert response.status_code == 400
    assert "Срок доработки должен быть в будущем." in response.content.decode()
    assert not AdmissibilityReview.objects.exists()


def test_return_with_reasons_opens_a_correction_and_keeps_version_one(
    as_secretary, submitted, mailoutbox, django_capture_on_commit_callbacks
):
    deadline = timezone.localtime(timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)

    with django_capture_on_commit_callbacks(execute=True):
        response = as_secretary.post(
            decide_url(submitted),
            {
                **admit_data(submitted),
                "decision": "return",
                "reasons": "Приложите смету на покрытие.",
                "correction_deadline": deadline.strftime("%Y-%m-%d %H:%M"),
            },
        )

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.CORRECTION
    assert submitted.correction_deadline == deadline
    assert submitted.decision_reason == "Приложите смету на покрытие."
    assert applications.writable_message(submitted) is None  # the applicant may correct it now
    assert "Приложите смету на покрытие." in mailoutbox[0].body

    # The applicant changes an answer and submits version 2; version 1 stays as it was.
    user = submitted.applicant
    applications.save_step(
        submitted,
        user,
        0,
        {"problem": "Во дворе нет площадки; смета приложена.", "result": "Площадка.", "beneficiaries": "450"},
        {},
        revision=submitted.revision,
    )
    applications.submit(submitted, user)
    assert ApplicationVersion.objects.filter(application=submitted).count() == 2

    first = as_secretary.get(page_url(submitted, version=1)).content.decode()
    latest = as_secretary.get(page_url(submitted)).content.decode()
    assert "Во дворе нет детской площадки." in first
    assert "смета приложена" not in first
    assert "прежних версий" in first
    assert "смета приложена" in latest
    assert "Версия 1: вернуть на доработку" in latest  # the earlier review stays readable
    assert "Приложите смету на покрытие." in latest
    assert "возвращена на доработку" in latest  # the history of statuses


def test_deadlines_are_typed_in_moscow_time_whatever_the_profile_says(as_secretary, secretary, submitted):
    profile = UserProfile.get_for_user(secretary)
    profile.current_time_zone = "Asia/Vladivostok"
    profile.save()
    deadline = (timezone.now() + timedelta(days=3)).astimezone(MOSCOW).replace(second=0, microsecond=0)

    page = as_secretary.get(page_url(submitted)).content.decode()
    assert timezone.localtime(submitted.submitted_at, MOSCOW).strftime("%d.%m.%Y %H:%M") + " (мск)" in page

    as_secretary.post(
        decide_url(submitted),
        {
            **admit_data(submitted),
            "decision": "return",
            "reasons": "Нет сметы.",
            "correction_deadline": deadline.strftime("%Y-%m-%d %H:%M"),
        },
    )

    submitted.refresh_from_db()
    assert submitted.correction_deadline == deadline


def test_reject_with_reasons(as_secretary, submitted, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_secretary.post(
            decide_url(submitted),
            {**admit_data(submitted), "decision": "reject", "reasons": "Проект не относится к благоустройству."},
        )

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.REJECTED
    assert AdmissibilityReview.objects.get().decision == AdmissibilityReview.Decision.REJECT
    assert "Проект не относится к благоустройству." in mailoutbox[0].body


def test_a_second_decision_is_refused(as_secretary, submitted):
    admit(as_secretary, submitted)

    response = as_secretary.post(
        decide_url(submitted), {**admit_data(submitted), "decision": "reject", "reasons": "Передумали."}
    )

    assert response.status_code == 409
    assert "Решение принимается по поданной заявке" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.ADMITTED
    assert AdmissibilityReview.objects.count() == 1


# Award and reports -------------------------------------------------------------------------------------------------


def test_award_opens_the_reports(as_secretary, competition, mailoutbox, django_capture_on_commit_callbacks):
    application = submitted_application(with_report_form(competition))
    admit(as_secretary, application)

    with django_capture_on_commit_callbacks(execute=True):
        response = as_secretary.post(
            reverse("competition_applications:award", args=[application.pk]), {"amount": "900000,50"}
        )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.AWARDED
    assert application.award_amount == Decimal("900000.50")
    assert ApplicationReport.objects.get(application=application).status == ApplicationReport.Status.DUE
    assert any(application.number in message.subject + message.body for message in mailoutbox)
    page = as_secretary.get(page_url(application)).content.decode()
    assert "Итоговый отчёт" in page
    assert "ожидается" in page


@pytest.mark.parametrize(("amount", "message"), [("2000000", "не больше"), ("ноль", "Сумма — число рублей")])
def test_award_with_a_bad_amount_is_refused(as_secretary, submitted, amount, message):
    admit(as_secretary, submitted)

    response = as_secretary.post(reverse("competition_applications:award", args=[submitted.pk]), {"amount": amount})

    assert response.status_code == 400
    assert message in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.ADMITTED
    assert submitted.award_amount is None


def test_award_before_admission_is_refused(as_secretary, submitted):
    response = as_secretary.post(reverse("competition_applications:award", args=[submitted.pk]), {"amount": "1000"})

    assert response.status_code == 409
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.SUBMITTED


def test_report_accept(as_secretary, competition, mailoutbox, django_capture_on_commit_callbacks):
    application = winner(as_secretary, competition)
    report = send_report(application.reports.get())
    page = as_secretary.get(page_url(application)).content.decode()
    assert "Площадка построена и открыта." in page
    assert "сдан, на проверке" in page

    url = reverse("competition_applications:report_review", args=[application.pk, report.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = as_secretary.post(url, {f"report-{report.pk}-decision": "accept"})

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ApplicationReport.Status.ACCEPTED
    assert any("принят" in message.subject for message in mailoutbox)


def test_report_return_with_remarks_and_a_new_due_moment(as_secretary, competition):
    application = winner(as_secretary, competition)
    report = send_report(application.reports.get())
    url = reverse("competition_applications:report_review", args=[application.pk, report.pk])
    due = timezone.localtime(timezone.now() + timedelta(days=14)).replace(second=0, microsecond=0)

    refused = as_secretary.post(url, {f"report-{report.pk}-decision": "return"})
    assert refused.status_code == 400
    assert "Напишите замечания" in refused.content.decode()
    report.refresh_from_db()
    assert report.status == ApplicationReport.Status.SUBMITTED

    response = as_secretary.post(
        url,
        {
            f"report-{report.pk}-decision": "return",
            f"report-{report.pk}-remarks": "Приложите фотографии площадки.",
            f"report-{report.pk}-due_at": due.strftime("%Y-%m-%d %H:%M"),
        },
    )

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ApplicationReport.Status.RETURNED
    assert report.due_at == due
    assert report.remarks == "Приложите фотографии площадки."
    assert "Приложите фотографии площадки." in as_secretary.get(page_url(application)).content.decode()


def test_late_report_is_marked(as_secretary, competition):
    application = winner(as_secretary, competition)
    report = application.reports.get()
    ApplicationReport.objects.filter(pk=report.pk).update(due_at=timezone.now() - timedelta(days=1))
    send_report(report)

    page = as_secretary.get(page_url(application)).content.decode()

    assert "с опозданием" in page


def test_a_report_of_another_application_is_not_found(as_secretary, competition):
    application = winner(as_secretary, competition)
    report = send_report(application.reports.get())
    other = submitted_application(competition)

    response = as_secretary.post(
        reverse("competition_applications:report_review", args=[other.pk, report.pk]),
        {f"report-{report.pk}-decision": "accept"},
    )

    assert response.status_code == 404
    report.refresh_from_db()
    assert report.status == ApplicationReport.Status.SUBMITTED


# CSV export --------------------------------------------------------------------------------------------------------


def test_csv_export_for_excel_without_contacts(as_secretary, competition, submitted):
    start_group_application(competition, title="Черновик")

    response = as_secretary.get(reverse("competition_applications:export", args=[competition.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = response.content
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    header, row = rows[0], rows[1]
    assert len(rows) == 2  # the draft is not exported
    values = dict(zip(header, row, strict=True))
    assert values["Номер"] == submitted.number
    assert values["Проект"] == "Детская площадка на Садовой"
    assert values["Заявитель"] == "Жители ул. Садовой, 5"
    assert values["Запрошено, ₽"] == "970000,00"
    assert values["Стоимость проекта, ₽"] == "1000000,00"
    assert values["Доля: жители, %"] == "3,00"
    assert values["Доля: бизнес (ИП и юрлица), %"] == "0,00"
    assert values["Статус"] == "подана, на проверке"
    assert values["Последняя версия"] == "1"
    assert values["SHA-256 последней версии"] == submitted.latest_version.content_hash
    assert submitted.applicant.email not in body.decode("utf-8-sig")


# Snippets ----------------------------------------------------------------------------------------------------------


def test_methodologist_adds_a_competition_kind(client):
    client.force_login(UserFactory(roles=["Методист"]))

    response = client.post(
        reverse("wagtailsnippets_competitions_competitionkind:add"),
        {"name": "Молодёжные инициативы", "number_prefix": "МИ", "description": ""},
    )

    assert response.status_code == 302
    assert CompetitionKind.objects.get(number_prefix="МИ").revisions.count() == 1


def test_secretary_edits_a_letter_template_but_cannot_add_or_delete(as_secretary):
    template = NotificationTemplate.objects.get(event="admitted")
    edit_url = reverse("wagtailsnippets_competitions_notificationtemplate:edit", args=[template.pk])

    form = as_secretary.get(edit_url)
    assert form.status_code == 200
    assert "{number} — номер заявки" in form.content.decode()

    response = as_secretary.post(
        edit_url, {"subject": "Заявка {number} допущена", "body": "Здравствуйте! Заявка {number} допущена."}
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.subject == "Заявка {number} допущена"
    assert template.revisions.count() == 1

    assert denied(as_secretary.get(reverse("wagtailsnippets_competitions_notificationtemplate:add")))
    assert denied(
        as_secretary.post(reverse("wagtailsnippets_competitions_notificationtemplate:delete", args=[template.pk]))
    )
    assert NotificationTemplate.objects.filter(pk=template.pk).exists()


# Permissions -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "sections"),
    [
        ("Секретарь конкурса", ["Заявки", "Эксперты", "Экспертиза", "Виды конкурсов", "Шаблоны писем"]),
        ("Методист", ["Виды конкурсов", "Шаблоны писем"]),
    ],
)
def test_the_competitions_menu_offers_each_role_its_sections(rf, role, sections):
    request = rf.get("/admin/")
    request.user = UserFactory(roles=[role])
    group = next(item for item in admin_menu.menu_items_for_request(request) if item.name == "competitions")
    assert [str(item.label) for item in group.menu.menu_items_for_request(request)] == sections


@pytest.fixture
def tos_leader(site_tree):
    return leader_of(publish_profile(TOSIndexPageFactory(parent=site_tree["home"])))


@pytest.mark.parametrize("who", ["methodologist", "tos_leader", "anonymous"])
def test_others_have_no_access(client, competition, submitted, who, tos_leader, mailoutbox):
    if who == "methodologist":
        client.force_login(UserFactory(roles=["Методист"]))
    elif who == "tos_leader":
        client.force_login(tos_leader)

    assert denied(client.get(index_url()))
    assert denied(client.get(page_url(submitted)))
    assert denied(client.get(reverse("competition_applications:export", args=[competition.pk])))
    assert denied(client.post(decide_url(submitted), admit_data(submitted)))
    assert denied(client.post(reverse("competition_applications:award", args=[submitted.pk]), {"amount": "1"}))

    submitted.refresh_from_db()
    assert submitted.status == Application.Status.SUBMITTED
    assert not AdmissibilityReview.objects.exists()


def test_the_applicant_has_no_access_to_the_secretary_pages(client, submitted):
    client.force_login(submitted.applicant)

    assert denied(client.get(page_url(submitted)))
    assert denied(client.post(decide_url(submitted), admit_data(submitted)))


def test_applications_are_read_only_in_the_admin(as_secretary, submitted):
    for name in ("add", "edit", "delete", "copy"):
        with pytest.raises(NoReverseMatch):
            reverse(f"competition_applications:{name}", args=[submitted.pk] if name != "add" else [])
    assert as_secretary.get(f"/admin/competitions/applications/edit/{submitted.pk}/").status_code == 404


def test_a_viewer_without_the_review_permission_cannot_decide(client, submitted):
    """View access alone (e.g. an auditor) shows the application but neither forms nor decisions."""
    from django.contrib.auth.models import Permission

    viewer = UserFactory()
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_application")
    )
    client.force_login(viewer)

    page = client.get(page_url(submitted))
    assert page.status_code == 200
    assert "Принять решение" not in page.content.decode()
    assert denied(client.post(decide_url(submitted), admit_data(submitted)))
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.SUBMITTED


def test_the_secretary_does_not_reach_other_admin_data(as_secretary, submitted):
    assert denied(as_secretary.get(reverse("tos_requests:index")))
    assert denied(as_secretary.get(reverse("wagtailusers_users:index")))
