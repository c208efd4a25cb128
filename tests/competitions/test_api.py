"""The competitions API: competitions for everyone, an applicant's own applications, the secretary's admissibility."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.utils import timezone
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token

from competitions.models import AdmissibilityReview, Application, ApplicationVersion
from forms.models import SubmissionFile
from tests.competitions.factories import fill, publish_competition, start_group_application, submitted_application
from tests.factories import UserFactory
from tests.tos.factories import TOSIndexPageFactory, leader_of, publish_profile

pytestmark = pytest.mark.django_db

BASE = "/api/v1/competitions"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
GOOD_LEDGER = [{"source": "residents", "kind": "money", "amount": "30000", "note": ""}]


@pytest.fixture
def applicant():
    return UserFactory(first_name="Мария", last_name="Иванова")


@pytest.fixture
def secretary():
    return UserFactory(roles=["Секретарь конкурса"])


def api(user):
    """A client that signs its requests with the user's API token, as an integration would."""
    token, _created = Token.objects.get_or_create(user=user)
    return Client(headers={"Authorization": f"Token {token.key}"})


def create(client, body, key="key-1"):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(f"{BASE}/applications/", body, content_type="application/json", headers=headers)


def group_body(competition, **fields):
    return {
        "competition": competition.pk,
        "applicant_type": "group",
        "title": "Детская площадка во дворе ул. Садовой, 5",
        "group_name": "Жители ул. Садовой, 5",
        "group_size": 12,
        **fields,
    }


def patch(client, pk, body, **headers):
    return client.patch(f"{BASE}/applications/{pk}/", body, content_type="application/json", headers=headers)


def submit(client, pk, body=None):
    return client.post(f"{BASE}/applications/{pk}/submit/", body or {}, content_type="application/json")


def messages(response):
    return {error["field"]: error["message"] for error in response.json()["errors"]}


# --- Competitions -------------------------------------------------------------------------------------------------


def test_competitions_are_listed_with_their_stages_rules_and_documents(client, competition, competitions_index):
    draft = publish_competition(competitions_index, title="Снятый конкурс")
    draft.unpublish()
    response = client.get(f"{BASE}/")
    assert response.status_code == 200
    [item] = response.json()
    assert item["id"] == competition.pk and item["title"] == "Конкурсный отбор инициативных проектов 2026"
    assert item["kind"]["number_prefix"] == "ИБ" and item["year"] == 2026
    assert item["fund"] == "5000000.00" and item["max_per_project"] == "1500000.00"
    assert [stage["kind"] for stage in item["stages"]] == ["intake", "document_check"]
    assert item["current_stage"]["kind"] == "intake" and item["current_stage"]["title"] == "приём заявок"
    assert item["deadline"] == item["stages"][0]["ends_at"]
    assert item["intake_open"] is True and item["intake_message"] == ""
    assert item["cofinancing_rules"] == [
        {"source": "residents", "source_display": "жители", "min_share": "3.00", "counted_kinds": ["money"]}
    ]
    assert [(doc["title"], doc["applies_to"]) for doc in item["required_documents"]] == [
        ("Протокол собрания жителей", "all"),
        ("Копия устава ТОС", "tos"),
    ]
    assert item["url"].endswith(competition.url)


def test_a_competition_is_described_with_its_application_form(client, competition):
    response = client.get(f"{BASE}/{competition.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["legal_basis"].startswith("Решение Городской Думы")
    form = data["application_form"]
    assert form["version"] >= 1
    assert [(step["number"], step["title"]) for step in form["steps"]] == [(1, "Проект"), (2, "Документы")]
    fields = {field["id"]: field for step in form["steps"] for field in step["fields"]}
    assert list(fields) == ["problem", "result", "beneficiaries", "consent"]
    assert fields["beneficiaries"]["schema"]["minimum"] == 1 and fields["consent"]["required"] is True


def test_a_missing_or_unpublished_competition_is_not_found(client, competition):
    competition.unpublish()
    response = client.get(f"{BASE}/{competition.pk}/")
    assert response.status_code == 404
    assert response.json()["detail"] == "Конкурса с таким номером нет, или он не опубликован."
    assert client.get(f"{BASE}/999999/").status_code == 404


# --- Starting a draft ---------------------------------------------------------------------------------------------


def test_a_draft_is_created_once_for_one_idempotency_key(competition, applicant):
    client = api(applicant)
    first = create(client, group_body(competition))
    assert first.status_code == 201, first.content
    draft = first.json()
    assert draft["status"] == "draft" and draft["number"] is None and draft["applicant_name"] == "Жители ул. Садовой, 5"
    assert draft["competition"] == {"id": competition.pk, "title": competition.title}
    assert draft["can_edit"] is True and draft["revision"] == 0
    assert {problem["field"] for problem in draft["readiness_problems"]} >= {"requested_amount", "problem", "consent"}

    again = create(client, group_body(competition))
    assert again.status_code == 200 and again.json()["id"] == draft["id"]
    body_key = create(client, group_body(competition, start_key="key-1"), key=None)
    assert body_key.status_code == 200 and body_key.json()["id"] == draft["id"]
    assert Application.objects.filter(applicant=applicant).count() == 1

    other = create(client, group_body(competition), key="key-2")
    assert other.status_code == 201 and Application.objects.filter(applicant=applicant).count() == 2


def test_a_tos_leader_applies_on_behalf_of_their_tos_and_nobody_else_may(site_tree, competition, applicant):
    tos = publish_profile(TOSIndexPageFactory(parent=site_tree["home"]), title="ТОС «Садовая»")
    leader = leader_of(tos)
    body = {"competition": competition.pk, "applicant_type": "tos", "tos": tos.pk, "title": "Сквер у школы"}
    created = create(api(leader), body)
    assert created.status_code == 201, created.content
    assert created.json()["tos"] == {"id": tos.pk, "title": "ТОС «Садовая»"}
    assert created.json()["applicant_name"] == "ТОС «Садовая»"

    refused = create(api(applicant), body)
    assert refused.status_code == 400
    assert "председатель" in messages(refused)["tos"]
    assert not Application.objects.filter(applicant=applicant).exists()


def test_bad_input_on_create_names_each_field_and_creates_nothing(competition, applicant):
    response = create(
        api(applicant),
        {"competition": 999999, "applicant_type": "group", "title": "Сквер", "group_size": "много", "colour": "red"},
        key=None,
    )
    assert response.status_code == 400
    problems = messages(response)
    assert set(problems) == {"colour", "start_key", "competition", "group_size"}
    assert "Idempotency-Key" in problems["start_key"]
    assert "GET /api/v1/competitions/" in problems["competition"]
    assert {error["label"] for error in response.json()["errors"]} >= {"Конкурс", "Человек в группе"}

    too_few = create(api(applicant), group_body(competition, group_size=3))
    assert too_few.status_code == 400
    assert too_few.json()["detail"] == messages(too_few)["group_size"]
    assert "не меньше 10 человек" in messages(too_few)["group_size"]
    assert not Application.objects.exists()


def test_no_draft_is_started_after_the_intake_closed(competitions_index, applicant):
    now = timezone.now()
    closed = publish_competition(competitions_index, opens=now - timedelta(days=20), closes=now - timedelta(days=1))
    response = create(api(applicant), group_body(closed))
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Приём заявок закрыт")
    assert not Application.objects.exists()


# --- The applicant's own applications -----------------------------------------------------------------------------


def test_the_list_holds_only_the_applicants_own_applications_a_page_at_a_time(competition, applicant):
    mine = [start_group_application(competition, applicant, start_key=f"k{n}") for n in range(3)]
    start_group_application(competition)  # someone else's
    response = api(applicant).get(f"{BASE}/applications/", {"limit": 2})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 3 and data["next"] and len(data["results"]) == 2
    rest = api(applicant).get(f"{BASE}/applications/", {"limit": 2, "offset": 2}).json()["results"]
    assert {item["id"] for item in data["results"] + rest} == {application.pk for application in mine}
    assert data["results"][0]["url"] == f"{BASE}/applications/{data['results'][0]['id']}/"


def test_a_filled_draft_shows_its_ledger_shares_answers_and_history(competition, applicant):
    application = fill(start_group_application(competition, applicant), requested="970000")
    response = api(applicant).get(f"{BASE}/applications/{application.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["requested_amount"] == "970000.00"
    assert data["ledger"] == [
        {
            "source": "residents",
            "source_display": "жители",
            "kind": "money",
            "kind_display": "деньги",
            "amount": "30000.00",
            "note": "",
        }
    ]
    assert data["summary"]["cost"] == "1000000.00" and data["summary"]["requested_share"] == "97.00"
    assert data["summary"]["sources"] == [
        {"source": "residents", "label": "жители", "amount": "30000.00", "share": "3.00"}
    ]
    assert data["rule_problems"] == [] and data["readiness_problems"] == []
    assert data["answers"]["problem"]["value"] == "Во дворе нет детской площадки."
    assert data["answers"]["beneficiaries"]["value"] == "450"
    assert data["answers"]["consent"]["value"] is True
    assert data["revision"] == application.revision
    assert [(entry["status"], entry["user"]) for entry in data["history"]] == [("draft", "Иванова Мария")]
    assert data["versions"] == [] and data["review"] is None


def test_details_and_answers_are_changed_together_and_the_rest_stays(competition, applicant):
    application = fill(start_group_application(competition, applicant))
    body = {
        "title": "Спортивная площадка",
        "requested_amount": "900 000,50",
        "ledger": [*GOOD_LEDGER, {"source": "business", "kind": "in_kind", "amount": 50000, "note": "Плитка"}],
        "answers": {"beneficiaries": 500},
        "revision": application.revision,
    }
    response = patch(api(applicant), application.pk, body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["title"] == "Спортивная площадка" and data["requested_amount"] == "900000.50"
    assert data["group_name"] == "Жители ул. Садовой, 5" and data["group_size"] == 12  # not sent: kept
    assert data["answers"]["beneficiaries"]["value"] == "500"
    assert data["answers"]["problem"]["value"] == "Во дворе нет детской площадки."
    assert data["summary"]["cost"] == "980000.50"
    assert [source["share"] for source in data["summary"]["sources"]] == ["3.06", "5.10"]
    application.refresh_from_db()
    assert application.title == "Спортивная площадка" and application.requested_amount == Decimal("900000.50")
    assert data["revision"] == application.revision == body["revision"] + 2


def test_a_stale_revision_is_a_conflict_and_nothing_is_written(competition, applicant):
    application = fill(start_group_application(competition, applicant))
    stale = application.revision - 1
    response = patch(
        api(applicant), application.pk, {"title": "Другое", "answers": {"beneficiaries": 9}, "revision": stale}
    )
    assert response.status_code == 409
    assert "изменён в другой вкладке" in response.json()["detail"]
    header = patch(api(applicant), application.pk, {"title": "Другое"}, **{"If-Match": f'"{stale}"'})
    assert header.status_code == 409
    application.refresh_from_db()
    assert application.title == "Детская площадка во дворе ул. Садовой, 5"
    assert application.submission.data["beneficiaries"] == "450"
    assert submit(api(applicant), application.pk, {"revision": stale}).status_code == 409
    assert application.versions.count() == 0


def test_refused_answers_leave_the_details_unchanged(competition, applicant):
    application = fill(start_group_application(competition, applicant))
    revision = application.revision
    response = patch(
        api(applicant), application.pk, {"title": "Новое название", "answers": {"beneficiaries": 0, "nope": "x"}}
    )
    assert response.status_code == 400
    problems = messages(response)
    assert set(problems) == {"beneficiaries", "nope"}
    assert {error["label"] for error in response.json()["errors"]} >= {"Число благополучателей"}
    application.refresh_from_db()
    assert application.title == "Детская площадка во дворе ул. Садовой, 5" and application.revision == revision
    assert application.submission.data["beneficiaries"] == "450"


def test_bad_details_are_refused_naming_the_field(competition, applicant):
    application = start_group_application(competition, applicant)
    client = api(applicant)
    ledger = patch(client, application.pk, {"ledger": [{"source": "residents", "kind": "labour", "amount": "-5"}]})
    assert ledger.status_code == 400
    assert all(error["field"] == "ledger" and error["label"] == "Софинансирование" for error in ledger.json()["errors"])
    assert "Строка 1" in ledger.json()["detail"]
    too_much = patch(client, application.pk, {"requested_amount": 2000000})
    assert too_much.status_code == 400 and "не больше 1" in messages(too_much)["requested_amount"]
    assert patch(client, application.pk, {"requested_amount": "много"}).status_code == 400
    unknown = patch(client, application.pk, {"status": "admitted"})
    assert unknown.status_code == 400 and "уберите его из запроса" in messages(unknown)["status"]
    empty = patch(client, application.pk, {})
    assert empty.status_code == 400 and "хотя бы одно изменение" in empty.json()["detail"]
    application.refresh_from_db()
    assert application.ledger == [] and application.requested_amount is None and application.status == "draft"


def test_a_file_is_uploaded_with_a_multipart_patch(competitions_index, applicant):
    competition = publish_competition(competitions_index, with_file=True)
    application = start_group_application(competition, applicant)
    body = {
        "answers": json.dumps({"problem": "Нет площадки."}),
        "ledger": json.dumps(GOOD_LEDGER),
        "requested_amount": "970000",
        "protocol": SimpleUploadedFile("протокол.pdf", PDF, content_type="application/pdf"),
    }
    response = api(applicant).patch(
        f"{BASE}/applications/{application.pk}/", encode_multipart(BOUNDARY, body), content_type=MULTIPART_CONTENT
    )
    assert response.status_code == 200, response.content
    data = response.json()
    stored = SubmissionFile.objects.get(submission=application.submission, field_id="protocol")
    assert data["files"] == [
        {
            "id": stored.pk,
            "field": "protocol",
            "label": "Протокол собрания жителей",
            "name": "протокол.pdf",
            "size": len(PDF),
            "sha256": stored.sha256,
            "url": f"/ru/forms/files/{stored.pk}/",
        }
    ]
    assert data["answers"]["protocol"]["value"]["name"] == "протокол.pdf"
    assert data["requested_amount"] == "970000.00" and data["summary"]["sources"][0]["share"] == "3.00"


# --- Submit, withdraw, versions -----------------------------------------------------------------------------------


def test_submit_numbers_and_freezes_the_application_once(competition, applicant):
    application = fill(start_group_application(competition, applicant))
    client = api(applicant)
    first = submit(client, application.pk)
    assert first.status_code == 200, first.content
    sent = first.json()
    assert sent["number"] == "ИБ-2026-0001" and sent["version"] == 1 and sent["status"] == "submitted"
    assert len(sent["content_hash"]) == 64

    again = submit(client, application.pk)
    assert again.status_code == 200 and again.json() == sent
    assert ApplicationVersion.objects.filter(application=application).count() == 1

    detail = client.get(f"{BASE}/applications/{application.pk}/").json()
    assert detail["can_edit"] is False and "секретарь вернёт" in detail["edit_message"]
    assert [entry["status"] for entry in detail["history"]] == ["draft", "submitted"]
    assert detail["versions"][0]["url"] == sent["version_url"]
    changed = patch(client, application.pk, {"title": "Поздняя правка"})
    assert changed.status_code == 409


def test_a_ledger_short_of_the_residents_share_is_not_submitted(competition, applicant):
    ledger = [{"source": "residents", "kind": "money", "amount": "10000"}]
    application = fill(start_group_application(competition, applicant), requested="990000", ledger=ledger)
    assert api(applicant).get(f"{BASE}/applications/{application.pk}/").json()["rule_problems"]
    response = submit(api(applicant), application.pk)
    assert response.status_code == 400
    [ledger_problem] = [error for error in response.json()["errors"] if error["field"] == "ledger"]
    assert "«жители»" in ledger_problem["message"] and "3,00 %" in ledger_problem["message"]
    assert "«жители»" in response.json()["detail"]
    application.refresh_from_db()
    assert application.status == "draft" and application.number is None and not application.versions.exists()


def test_submit_a_second_after_the_deadline_is_refused_and_the_draft_is_unchanged(competitions_index, applicant):
    closes = timezone.now() + timedelta(days=2)
    competition = publish_competition(competitions_index, closes=closes)
    application = fill(start_group_application(competition, applicant))
    client = api(applicant)
    revision = application.revision
    with time_machine.travel(closes + timedelta(seconds=1), tick=False):
        response = submit(client, application.pk)
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Приём заявок закрыт")
    application.refresh_from_db()
    assert application.status == "draft" and application.number is None and application.revision == revision
    assert not application.versions.exists()


def test_an_applicant_withdraws_with_a_reason(competition, applicant):
    application = submitted_application(competition, applicant)
    client = api(applicant)
    response = client.post(
        f"{BASE}/applications/{application.pk}/withdraw/",
        {"reason": "Проект сделали сами"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "withdrawn" and response.json()["reasons"] == "Проект сделали сами"
    assert response.json()["versions"][0]["number"] == 1  # the submitted version stays
    assert patch(client, application.pk, {"title": "Ещё"}).status_code == 409


def test_a_submitted_version_is_read_back_as_frozen(competition, applicant):
    application = submitted_application(competition, applicant)
    client = api(applicant)
    response = client.get(f"{BASE}/applications/{application.pk}/versions/1/")
    assert response.status_code == 200
    version = response.json()
    assert version["number"] == 1 and version["application_number"] == application.number
    assert version["snapshot"]["requested_amount"] == "970000.00" and version["snapshot"]["shares"]["residents"]
    assert version["answers"]["problem"]["value"] == "Во дворе нет детской площадки."
    assert version["content_hash"] == application.latest_version.content_hash and version["review"] is None
    missing = client.get(f"{BASE}/applications/{application.pk}/versions/2/")
    assert missing.status_code == 404 and "нет версии 2" in missing.json()["detail"]


# --- Who may do what ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("patch", "", {"title": "Чужая правка"}),
        ("post", "submit/", {}),
        ("post", "withdraw/", {}),
        ("get", "versions/1/", None),
    ],
)
def test_another_applicant_cannot_touch_an_application(competition, applicant, method, suffix, body):
    application = (
        submitted_application(competition, applicant)
        if "versions" in suffix
        else fill(start_group_application(competition, applicant))
    )
    stranger = api(UserFactory())
    url = f"{BASE}/applications/{application.pk}/{suffix}"
    kwargs = {"content_type": "application/json"} if body is not None else {}
    response = getattr(stranger, method)(url, body, **kwargs) if body is not None else getattr(stranger, method)(url)
    assert response.status_code == 403
    assert response.json()["detail"] == "Это чужая заявка: открыть и изменить её может только заявитель."
    before = application.status
    application.refresh_from_db()
    assert application.status == before and application.title == "Детская площадка во дворе ул. Садовой, 5"


def test_an_unknown_application_is_not_found(applicant):
    response = api(applicant).get(f"{BASE}/applications/999999/")
    assert response.status_code == 404 and response.json()["detail"] == "Заявки с таким номером нет."


def test_anonymous_visitors_must_sign_in(client, competition, applicant):
    application = start_group_application(competition, applicant)
    assert client.get(f"{BASE}/applications/").status_code == 401
    assert create(client, group_body(competition)).status_code == 401
    assert client.get(f"{BASE}/applications/{application.pk}/").status_code == 401
    assert patch(client, application.pk, {"title": "x"}).status_code == 401
    response = submit(client, application.pk)
    assert response.status_code == 401 and response.json()["detail"]
    assert client.get(f"{BASE}/review/applications/").status_code == 401
    assert Application.objects.count() == 1


def test_session_sign_in_works_as_well_as_a_token(client, competition, applicant):
    application = start_group_application(competition, applicant)
    client.force_login(applicant)
    assert client.get(f"{BASE}/applications/{application.pk}/").status_code == 200


# --- The secretary ------------------------------------------------------------------------------------------------


def test_the_secretary_lists_submitted_applications_only(competition, competitions_index, applicant, secretary):
    submitted = submitted_application(competition, applicant)
    start_group_application(competition)  # a draft: not the secretary's business
    other_competition = publish_competition(competitions_index, title="Другой конкурс", kind_prefix="ТОС")
    elsewhere = submitted_application(other_competition)
    client = api(secretary)
    data = client.get(f"{BASE}/review/applications/").json()
    assert data["count"] == 2 and {item["id"] for item in data["results"]} == {submitted.pk, elsewhere.pk}
    filtered = client.get(f"{BASE}/review/applications/", {"competition": competition.pk, "status": "submitted"})
    [item] = filtered.json()["results"]
    assert item["number"] == "ИБ-2026-0001" and item["versions_count"] == 1 and item["requested_amount"] == "970000.00"
    assert client.get(f"{BASE}/review/applications/", {"status": "admitted"}).json()["count"] == 0
    bad = client.get(f"{BASE}/review/applications/", {"status": "good", "competition": "x"})
    assert bad.status_code == 400 and set(messages(bad)) == {"status", "competition"}


def test_the_secretary_sees_the_checklist_and_admits(competition, applicant, secretary):
    application = submitted_application(competition, applicant)
    client = api(secretary)
    response = client.get(f"{BASE}/review/applications/{application.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["can_decide"] is True and data["applicant"]["email"] == applicant.email
    assert [row["document"] for row in data["checklist"]] == ["Протокол собрания жителей"]  # the TOS charter is not
    assert data["latest_version"]["number"] == 1 and data["latest_version"]["answers"]["problem"]["value"]
    document_id = data["checklist"][0]["document_id"]

    not_checked = client.post(
        f"{BASE}/review/applications/{application.pk}/decision/",
        {"decision": "admit", "checklist": [{"document_id": document_id, "ok": False}]},
        content_type="application/json",
    )
    assert not_checked.status_code == 400 and "Протокол собрания жителей" in messages(not_checked)["checklist"]
    admitted = client.post(
        f"{BASE}/review/applications/{application.pk}/decision/",
        {"decision": "admit", "checklist": [{"document_id": document_id, "ok": True, "note": "Подписан"}]},
        content_type="application/json",
    )
    assert admitted.status_code == 200, admitted.content
    assert admitted.json()["status"] == "admitted"
    assert admitted.json()["review"]["checklist"][0]["note"] == "Подписан"
    again = client.post(
        f"{BASE}/review/applications/{application.pk}/decision/",
        {"decision": "reject", "reasons": "Поздно"},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert AdmissibilityReview.objects.count() == 1


def test_a_returned_application_is_corrected_and_submitted_again(competition, applicant, secretary):
    application = submitted_application(competition, applicant)
    decision = api(secretary).post(
        f"{BASE}/review/applications/{application.pk}/decision/",
        {"decision": "return", "reasons": "Нет подписи на протоколе", "correction_deadline": "2099-04-15T18:00"},
        content_type="application/json",
    )
    assert decision.status_code == 200, decision.content
    assert decision.json()["review"]["correction_deadline"] == "2099-04-15T18:00:00+03:00"

    client = api(applicant)
    detail = client.get(f"{BASE}/applications/{application.pk}/").json()
    assert detail["status"] == "correction" and detail["reasons"] == "Нет подписи на протоколе"
    assert detail["review"]["decision"] == "return" and detail["can_edit"] is True
    assert detail["correction_deadline"] == "2099-04-15T18:00:00+03:00"
    assert patch(client, application.pk, {"answers": {"result": "Площадка и лавочки."}}).status_code == 200
    resent = submit(client, application.pk)
    assert resent.status_code == 200, resent.content
    assert resent.json()["number"] == application.number and resent.json()["version"] == 2
    first = client.get(f"{BASE}/applications/{application.pk}/versions/1/").json()
    assert first["answers"]["result"]["value"] == "Площадка для 120 детей." and first["review"]["decision"] == "return"


def test_bad_decisions_are_refused_naming_the_field(competition, applicant, secretary):
    application = submitted_application(competition, applicant)
    client = api(secretary)
    url = f"{BASE}/review/applications/{application.pk}/decision/"
    response = client.post(
        url,
        {"decision": "maybe", "checklist": [{"document_id": 999999, "ok": True}], "correction_deadline": "завтра"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(messages(response)) == {"decision", "checklist", "correction_deadline"}
    no_reasons = client.post(url, {"decision": "reject"}, content_type="application/json")
    assert no_reasons.status_code == 400 and "Напишите причины" in messages(no_reasons)["reasons"]
    past = client.post(
        url,
        {"decision": "return", "reasons": "Нет", "correction_deadline": "2020-01-01"},
        content_type="application/json",
    )
    assert past.status_code == 400 and "в будущем" in messages(past)["correction_deadline"]
    application.refresh_from_db()
    assert application.status == "submitted" and not AdmissibilityReview.objects.exists()


def test_a_draft_is_not_found_by_the_secretary(competition, secretary):
    draft = start_group_application(competition)
    assert api(secretary).get(f"{BASE}/review/applications/{draft.pk}/").status_code == 404


def test_only_secretaries_use_the_review_endpoints(site_tree, competition, applicant):
    application = submitted_application(competition, applicant)
    tos_leader = leader_of(publish_profile(TOSIndexPageFactory(parent=site_tree["home"])))
    methodologist = UserFactory(roles=["Методист"])
    for user in (tos_leader, methodologist, applicant):
        client = api(user)
        assert client.get(f"{BASE}/review/applications/").status_code == 403
        detail = client.get(f"{BASE}/review/applications/{application.pk}/")
        assert detail.status_code == 403 and "секретарь конкурса" in detail.json()["detail"]
        decision = client.post(
            f"{BASE}/review/applications/{application.pk}/decision/",
            {"decision": "reject", "reasons": "Нет"},
            content_type="application/json",
        )
        assert decision.status_code == 403
    application.refresh_from_db()
    assert application.status == "submitted"


# --- The schema ---------------------------------------------------------------------------------------------------


def test_openapi_schema_documents_the_competitions_api(client):
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    validate_schema(schema)
    paths = schema["paths"]
    for path in [
        "/api/v1/competitions/",
        "/api/v1/competitions/{id}/",
        "/api/v1/competitions/applications/",
        "/api/v1/competitions/applications/{id}/",
        "/api/v1/competitions/applications/{id}/submit/",
        "/api/v1/competitions/applications/{id}/withdraw/",
        "/api/v1/competitions/applications/{id}/versions/{number}/",
        "/api/v1/competitions/review/applications/",
        "/api/v1/competitions/review/applications/{id}/",
        "/api/v1/competitions/review/applications/{id}/decision/",
    ]:
        assert path in paths, path
    submit_operation = paths["/api/v1/competitions/applications/{id}/submit/"]["post"]
    assert submit_operation["summary"] == "Подать заявку"
    assert {"200", "400", "401", "403", "404", "409"} <= set(submit_operation["responses"])
    create_operation = paths["/api/v1/competitions/applications/"]["post"]
    assert "Idempotency-Key" in [parameter["name"] for parameter in create_operation["parameters"]]
