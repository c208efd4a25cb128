"""The expert review through the API: experts' sheets, the secretary's round, published results and feedback."""

import pytest
import yaml
from django.core.management import call_command
from django.test import Client
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token

from competitions import scoring
from competitions.models import ConflictDeclaration, ExpertAssignment, ExpertTie, ScoreSheet, ScoringRound
from tests.competitions.scoring_factories import (
    admitted_application,
    criterion,
    default_sheet,
    make_expert,
    run_assignment,
    score,
    set_sheet,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/competitions"
SECRET_COMMENT = "Смета завышена вдвое — секретное мнение эксперта"


@pytest.fixture
def review(competition, secretary):
    """One admitted application scored by two experts (both assigned to it), the round open."""
    set_sheet(competition)
    application = admitted_application(competition, secretary, title="Сквер у школы № 3")
    first, second = two_experts(competition)
    run_assignment(competition, secretary)
    return {
        "competition": competition,
        "application": application,
        "experts": (first, second),
        "assignments": tuple(ExpertAssignment.objects.get(expert=expert) for expert in (first, second)),
    }


def two_experts(competition):
    return [make_expert(competition, name=name) for name in ("Ольга", "Игорь")]


def api(user):
    token, _created = Token.objects.get_or_create(user=user)
    return Client(headers={"Authorization": f"Token {token.key}"})


def sheet_url(assignment):
    return f"{BASE}/expert/assignments/{assignment.pk}/sheet/"


def put_sheet(client, assignment, body):
    return client.put(sheet_url(assignment), body, content_type="application/json")


def submit_sheet(client, assignment, body):
    return client.post(f"{sheet_url(assignment)}submit/", body, content_type="application/json")


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def messages(response):
    return {error["field"]: error["message"] for error in response.json()["errors"]}


def complete(revision, **overrides):
    return {"revision": revision, "scores": {"relevance": "8", "budget": 6}, **overrides}


def score_all(competition):
    for assignment in ExpertAssignment.objects.filter(scoring_round__competition=competition).active():
        score(assignment, {"relevance": "8", "budget": "6"}, comments={"budget": SECRET_COMMENT})


# --- The expert: assignments ---------------------------------------------------------------------------------------


def test_expert_lists_only_their_active_assignments(review):
    first = review["assignments"][0]
    other_competition_expert = make_expert(name="Вне конкурса")
    response = api(first.expert.user).get(f"{BASE}/expert/assignments/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["id"] == first.pk
    assert item["application_number"] == review["application"].number
    assert item["title"] == "Сквер у школы № 3"
    assert item["applicant"] == "Жители ул. Садовой, 5"
    assert item["sheet_status"] == "not_started" and item["my_total"] is None
    assert item["competition"] == {"id": review["competition"].pk, "title": review["competition"].title}
    assert api(other_competition_expert.user).get(f"{BASE}/expert/assignments/").json()["count"] == 0


def test_assignment_shows_the_frozen_version_and_the_sheet_with_the_weight_for_this_application(competition, secretary):
    sheet = default_sheet()
    sheet[1] = criterion(
        "Реалистичность сметы",
        id="budget",
        weight="1",
        weight_rules=[{"nomination": "", "amount_from": "900000", "amount_to": None, "weight": "3"}],
    )
    set_sheet(competition, sheet)
    application = admitted_application(competition, secretary)  # asks 970 000 ₽: the special weight applies
    two_experts(competition)
    run_assignment(competition, secretary)
    assignment = ExpertAssignment.objects.first()
    application.title = "Название изменили после подачи"
    application.save()
    response = api(assignment.expert.user).get(f"{BASE}/expert/assignments/{assignment.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["version"]["number"] == 1
    assert body["version"]["snapshot"]["title"] == "Детская площадка во дворе ул. Садовой, 5"
    assert body["version"]["snapshot"]["applicant"] == "Жители ул. Садовой, 5"
    answers = {answer["label"]: answer["value"] for answer in body["version"]["answers"]}
    assert answers["Описание проблемы"] == "Во дворе нет детской площадки."
    criteria = {item["id"]: item for item in body["sheet"]["criteria"]}
    assert set(criteria) == {"relevance", "budget"}  # computed criteria are the platform's, not the expert's
    assert criteria["budget"]["weight"] == "3" and criteria["relevance"]["weight"] == "2"
    assert criteria["relevance"]["bands"][2]["text"] == "Проблема подтверждена данными и жителями"
    assert criteria["relevance"]["comment_rule"] == "at_or_below" and criteria["relevance"]["comment_threshold"] == "3"
    assert criteria["relevance"]["scale"] == "0–10, шаг 1"
    assert [question["id"] for question in body["sheet"]["questions"]] == ["recommendation"]


def test_a_hidden_applicant_is_left_out_for_experts(competition, secretary):
    set_sheet(competition, hide_applicant_from_experts=True)
    admitted_application(competition, secretary)
    two_experts(competition)
    run_assignment(competition, secretary)
    assignment = ExpertAssignment.objects.first()
    client = api(assignment.expert.user)
    assert client.get(f"{BASE}/expert/assignments/").json()["results"][0]["applicant"] is None
    response = client.get(f"{BASE}/expert/assignments/{assignment.pk}/")
    assert "applicant" not in response.json()["version"]["snapshot"]
    assert response.json()["applicant"] is None
    assert "Жители ул. Садовой" not in response.content.decode()


def test_experts_reach_only_their_own_assignments_and_sheets(client, review):
    first, second = review["assignments"]
    stranger = api(first.expert.user)
    assert stranger.get(f"{BASE}/expert/assignments/{second.pk}/").status_code == 403
    assert stranger.get(sheet_url(second)).status_code == 403
    assert put_sheet(stranger, second, complete(0)).status_code == 403
    assert submit_sheet(stranger, second, complete(0)).status_code == 403
    assert post(stranger, f"{BASE}/expert/assignments/{second.pk}/recuse/", {"reason": "Знакомы"}).status_code == 403
    assert stranger.get(f"{BASE}/expert/assignments/999999/").status_code == 404
    assert not ScoreSheet.objects.filter(assignment=second).exists()
    assert ExpertAssignment.objects.get(pk=second.pk).is_active
    applicant = api(review["application"].applicant)
    response = applicant.get(f"{BASE}/expert/assignments/")
    assert response.status_code == 403 and "профиля эксперта" in response.json()["detail"]
    assert client.get(f"{BASE}/expert/assignments/{first.pk}/").status_code == 401


def test_an_expert_never_sees_another_experts_scores_or_comments(review):
    first, second = review["assignments"]
    score(first, {"relevance": "9", "budget": "2"}, comments={"budget": SECRET_COMMENT}, submit=False)
    other = api(second.expert.user)
    seen = [
        other.get(f"{BASE}/expert/assignments/").content,
        other.get(f"{BASE}/expert/assignments/{second.pk}/").content,
        other.get(sheet_url(second)).content,
    ]
    for content in seen:
        assert SECRET_COMMENT not in content.decode()
    assert other.get(sheet_url(second)).json()["scores"] == {}


# --- The expert: the sheet -----------------------------------------------------------------------------------------


def test_sheet_is_started_on_first_open_then_saved_as_a_draft_and_submitted(review):
    assignment = review["assignments"][0]
    client = api(assignment.expert.user)
    opened = client.get(sheet_url(assignment))
    assert opened.status_code == 200
    assert opened.json()["sheet_status"] == "draft" and opened.json()["revision"] == 0
    assert opened.json()["can_edit"] is True and opened.json()["version"] == 1
    saved = put_sheet(
        client,
        assignment,
        {"revision": 0, "scores": {"relevance": "7"}, "answers": {"recommendation": "Поддержать с доработкой сметы"}},
    )
    assert saved.status_code == 200
    assert saved.json()["revision"] == 1 and saved.json()["scores"] == {"relevance": "7"}
    assert saved.json()["expert_total"] == "14.00"  # 7 × weight 2
    assert saved.json()["answers"] == {"recommendation": "Поддержать с доработкой сметы"}
    sent = submit_sheet(client, assignment, complete(1, comments={"budget": "Смета подробная"}))
    assert sent.status_code == 200
    body = sent.json()
    assert body["sheet_status"] == "submitted" and body["can_edit"] is False
    assert body["expert_total"] == "22.00" and body["comments"] == {"budget": "Смета подробная"}
    assert body["edit_message"] == "Лист оценки отправлен и заблокирован."
    listed = client.get(f"{BASE}/expert/assignments/").json()["results"][0]
    assert listed["sheet_status"] == "submitted" and listed["my_total"] == "22.00"


def test_a_score_typed_with_a_comma_is_accepted_on_a_half_point_scale(competition, secretary):
    set_sheet(competition, [criterion("Польза для жителей", id="benefit", step="0.5")])
    admitted_application(competition, secretary)
    two_experts(competition)
    run_assignment(competition, secretary)
    assignment = ExpertAssignment.objects.first()
    response = put_sheet(api(assignment.expert.user), assignment, {"revision": 0, "scores": {"benefit": "7,5"}})
    assert response.status_code == 200 and response.json()["scores"] == {"benefit": "7.5"}


@pytest.mark.parametrize(
    ("body", "field", "fragment"),
    [
        ({"revision": 0, "scores": {"relevance": "11"}}, "scores.relevance", "от 0 до 10"),
        ({"revision": 0, "scores": {"relevance": "7,5"}}, "scores.relevance", "с шагом 1"),
        ({"revision": 0, "scores": {"relevance": "семь"}}, "scores.relevance", "балл — число"),
        ({"revision": 0, "scores": {"beauty": "5"}}, "scores.beauty", "нет критерия «beauty»"),
        ({"revision": 0, "scores": {"relevance": True}}, "scores.relevance", "число или строка"),
        ({"revision": 0, "scores": ["7"]}, "scores", "Передайте объект"),
        ({"scores": {"relevance": "7"}}, "revision", "Передайте ревизию листа"),
        ({"revision": 0, "grade": "5"}, "grade", "Поля «grade» в листе нет"),
        ({"revision": 0, "answers": {"unknown": "текст"}}, "answers.unknown", "нет вопроса «unknown»"),
        ({"revision": 0, "answers": {"recommendation": 5}}, "answers.recommendation", "строкой текста"),
        ({"revision": 0, "comments": {"relevance": 5}}, "comments.relevance", "комментарий — строка"),
    ],
)
def test_a_bad_sheet_is_refused_naming_the_field_and_nothing_is_saved(review, body, field, fragment):
    assignment = review["assignments"][0]
    client = api(assignment.expert.user)
    client.get(sheet_url(assignment))
    response = put_sheet(client, assignment, body)
    assert response.status_code == 400
    assert fragment in messages(response)[field]
    sheet = ScoreSheet.objects.get(assignment=assignment)
    assert sheet.revision == 0 and sheet.answers == {} and sheet.expert_total is None


def test_submit_without_the_required_comment_is_refused_and_the_draft_stays(review):
    assignment = review["assignments"][0]
    client = api(assignment.expert.user)
    client.get(sheet_url(assignment))
    response = submit_sheet(client, assignment, {"revision": 0, "scores": {"relevance": "3", "budget": "5"}})
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "comments.relevance" and error["label"] == "Актуальность проблемы"
    assert "напишите комментарий" in error["message"]
    sheet = ScoreSheet.objects.get(assignment=assignment)
    assert sheet.status == "draft" and sheet.revision == 0 and sheet.answers == {}


def test_a_stale_revision_and_a_locked_sheet_are_409_and_change_nothing(review):
    assignment = review["assignments"][0]
    client = api(assignment.expert.user)
    client.get(sheet_url(assignment))
    assert put_sheet(client, assignment, {"revision": 0, "scores": {"relevance": "7"}}).status_code == 200
    stale = put_sheet(client, assignment, {"revision": 0, "scores": {"relevance": "2"}})
    assert stale.status_code == 409 and "другой вкладке" in stale.json()["detail"]
    assert ScoreSheet.objects.get(assignment=assignment).answers["relevance"]["score"] == "7"
    assert submit_sheet(client, assignment, complete(1)).status_code == 200
    again = submit_sheet(client, assignment, complete(2))
    assert again.status_code == 409 and "уже отправлен" in again.json()["detail"]
    locked = put_sheet(client, assignment, {"revision": 2, "scores": {"relevance": "1"}})
    assert locked.status_code == 409
    sheet = ScoreSheet.objects.get(assignment=assignment)
    assert sheet.revision == 2 and sheet.answers["relevance"]["score"] == "8"


def test_recusal_ends_the_assignment_and_closes_the_application_to_the_expert(review):
    third = make_expert(review["competition"], name="Пётр")
    assignment = review["assignments"][0]
    client = api(assignment.expert.user)
    refused = post(client, f"{BASE}/expert/assignments/{assignment.pk}/recuse/", {"reason": "  "})
    assert refused.status_code == 400 and messages(refused)["reason"].startswith("Напишите причину самоотвода")
    response = post(client, f"{BASE}/expert/assignments/{assignment.pk}/recuse/", {"reason": "Сосед заявителя"})
    assert response.status_code == 200
    assert response.json()["assignment_status"] == "recused"
    assert ExpertAssignment.objects.get(expert=third).origin == "replacement"
    assert "Пётр" not in response.content.decode()
    assert client.get(f"{BASE}/expert/assignments/{assignment.pk}/").status_code == 403
    assert client.get(f"{BASE}/expert/assignments/").json()["count"] == 0


def test_expert_signs_the_declaration_once_with_their_ties(competition):
    expert = make_expert(
        name="Ольга", declare=False, ties=[(ExpertTie.Kind.ORGANISATION, {"organisation": "ООО «Двор»"})]
    )
    client = api(expert.user)
    refused = post(client, f"{BASE}/expert/declarations/", {"competition": competition.pk})
    assert refused.status_code == 400 and "confirm: true" in messages(refused)["confirm"]
    unknown = post(client, f"{BASE}/expert/declarations/", {"competition": 999999, "confirm": True})
    assert unknown.status_code == 400 and "competition" in messages(unknown)
    assert not ConflictDeclaration.objects.exists()
    signed = post(client, f"{BASE}/expert/declarations/", {"competition": competition.pk, "confirm": True})
    assert signed.status_code == 201
    body = signed.json()
    assert competition.title in body["statement"] and expert.full_name in body["statement"]
    assert body["ties_declared"][0]["organisation"] == "ООО «Двор»"
    again = post(client, f"{BASE}/expert/declarations/", {"competition": competition.pk, "confirm": True})
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert ConflictDeclaration.objects.count() == 1
    not_an_expert = post(api(UserFactory()), f"{BASE}/expert/declarations/", {"competition": competition.pk})
    assert not_an_expert.status_code == 403


# --- The secretary ---------------------------------------------------------------------------------------------------


def test_secretary_assigns_watches_progress_then_closes_and_publishes(competition, secretary):
    set_sheet(competition)
    application = admitted_application(competition, secretary, title="Сквер у школы № 3")
    experts = two_experts(competition)
    client = api(secretary)
    overview_url = f"{BASE}/review/competitions/{competition.pk}/scoring/"
    before = client.get(overview_url).json()
    assert before["round_status"] == "not_started" and before["applications"][0]["assignments"] == []
    assigned = post(client, f"{overview_url}assign/")
    assert assigned.status_code == 200
    assert {item["expert"]["name"] for item in assigned.json()["created"]} == {e.full_name for e in experts}
    assert assigned.json()["seed"] == ScoringRound.objects.get().seed
    first = ExpertAssignment.objects.get(expert=experts[0])
    score(first, {"relevance": "8", "budget": "6"})
    overview = client.get(overview_url).json()
    assert overview["round_status"] == "open"
    assert overview["progress"]["submitted"] == 1 and overview["progress"]["not_started"] == 1
    rows = {row["expert"]["name"]: row for row in overview["applications"][0]["assignments"]}
    assert rows[experts[0].full_name]["sheet_status"] == "submitted"
    assert rows[experts[0].full_name]["total"] == "22.00"  # the secretary watches sent totals for divergences
    assert rows[experts[1].full_name]["sheet_status"] == "not_started"
    assert client.get(f"{overview_url}results/").status_code == 404
    pending = post(client, f"{overview_url}close/")
    assert pending.status_code == 409 and application.number in pending.json()["detail"]
    score(ExpertAssignment.objects.get(expert=experts[1]), {"relevance": "6", "budget": "6"})
    closed = post(client, f"{overview_url}close/")
    assert closed.status_code == 200
    assert closed.json()["round_status"] == "closed"
    assert closed.json()["rows"][0]["expert_totals"] == ["22", "18"]
    after = client.get(overview_url).json()
    assert sorted(row["total"] for row in after["applications"][0]["assignments"]) == ["18.00", "22.00"]
    assert client.get(f"{overview_url}results/").json()["rows"][0]["number"] == application.number
    published = post(client, f"{overview_url}publish/")
    assert published.status_code == 200 and published.json()["round_status"] == "published"
    assert post(client, f"{overview_url}publish/").status_code == 409
    application.refresh_from_db()
    assert application.status == "awarded"


def test_manual_assignment_needs_a_reason_and_removal_brings_a_replacement(review, secretary):
    competition, application = review["competition"], review["application"]
    third = make_expert(competition, name="Пётр")
    client = api(secretary)
    url = f"{BASE}/review/competitions/{competition.pk}/scoring/assignments/"
    body = {"application": application.pk, "expert": third.pk, "reason": ""}
    refused = post(client, url, body)
    assert refused.status_code == 400 and messages(refused)["reason"] == "Напишите причину ручного назначения."
    assert not ExpertAssignment.objects.filter(expert=third).exists()
    unknown = post(client, url, {**body, "expert": 999999, "reason": "Профильный эксперт"})
    assert unknown.status_code == 400 and "expert" in messages(unknown)
    created = post(client, url, {**body, "reason": "Профильный эксперт по озеленению"})
    assert created.status_code == 201 and created.json()["origin"] == "manual"
    first = review["assignments"][0]
    no_reason = post(client, f"{BASE}/review/assignments/{first.pk}/remove/", {"reason": ""})
    assert no_reason.status_code == 400 and ExpertAssignment.objects.get(pk=first.pk).is_active
    removed = post(client, f"{BASE}/review/assignments/{first.pk}/remove/", {"reason": "Не выходит на связь"})
    assert removed.status_code == 200
    assert removed.json()["removed"]["assignment_status"] == "removed"
    assert removed.json()["replacement"] is None  # every expert of the pool is on this application already
    assert post(client, f"{BASE}/review/assignments/{first.pk}/remove/", {"reason": "Ещё раз"}).status_code == 409


def test_only_the_secretary_runs_the_round(review):
    competition = review["competition"]
    expert = api(review["experts"][0].user)
    base = f"{BASE}/review/competitions/{competition.pk}/scoring/"
    assert expert.get(base).status_code == 403
    assert post(expert, f"{base}assign/").status_code == 403
    assert post(expert, f"{base}close/").status_code == 403
    assert post(expert, f"{base}publish/").status_code == 403
    assert expert.get(f"{base}results/").status_code == 403
    first = review["assignments"][0]
    assert post(expert, f"{BASE}/review/assignments/{first.pk}/remove/", {"reason": "Сам"}).status_code == 403
    assert ExpertAssignment.objects.get(pk=first.pk).is_active
    assert ScoringRound.objects.get().status == "open"


# --- Published results and the applicant's feedback ------------------------------------------------------------------


def test_results_and_feedback_appear_only_after_publication_and_never_name_experts(client, review, secretary):
    competition, application = review["competition"], review["application"]
    competition.show_comments_to_applicants = True
    competition.save_revision().publish()
    applicant = api(application.applicant)
    feedback_url = f"{BASE}/applications/{application.pk}/feedback/"
    results_url = f"{BASE}/{competition.pk}/results/"
    score_all(competition)
    assert client.get(results_url).status_code == 404
    early = applicant.get(feedback_url)
    assert early.status_code == 404 and "ещё не опубликованы" in early.json()["detail"]
    scoring.close(competition, secretary)
    assert client.get(results_url).json()["detail"] == "Итоги конкурса ещё не опубликованы."
    assert applicant.get(feedback_url).status_code == 404
    scoring.publish(competition, secretary)
    public = client.get(results_url)
    assert public.status_code == 200
    assert public.json()["rows"][0]["standing"] == "funded"
    assert public.json()["rows"][0]["standing_display"] == "поддержана"
    assert public.json()["rows"][0]["final_score_shown"] == "23.00"
    feedback = applicant.get(feedback_url)
    assert feedback.status_code == 200
    body = feedback.json()
    assert body["row"]["number"] == application.number
    assert {item["id"]: item["mean"] for item in body["criteria"] if item["kind"] == "expert"} == {
        "relevance": "8.00",
        "budget": "6.00",
    }
    assert [item["expert"] for item in body["comments"]] == ["Эксперт 1", "Эксперт 2"]
    assert body["comments"][0]["remarks"] == [{"criterion": "Реалистичность сметы", "comment": SECRET_COMMENT}]
    for content in (public.content.decode(), feedback.content.decode()):
        for expert in review["experts"]:
            assert expert.full_name not in content and expert.user.email not in content
    assert api(UserFactory()).get(feedback_url).status_code == 403
    assert client.get(feedback_url).status_code == 401


# --- The schema ------------------------------------------------------------------------------------------------------


def test_openapi_schema_documents_the_expert_review_without_warnings(client, tmp_path):
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    validate_schema(schema)
    paths = schema["paths"]
    for path, method, summary in [
        ("/api/v1/competitions/expert/assignments/", "get", "Мои назначения"),
        ("/api/v1/competitions/expert/assignments/{id}/", "get", "Назначение эксперта"),
        ("/api/v1/competitions/expert/assignments/{id}/sheet/", "put", "Сохранить черновик листа"),
        ("/api/v1/competitions/expert/assignments/{id}/sheet/submit/", "post", "Отправить лист оценки"),
        ("/api/v1/competitions/expert/assignments/{id}/recuse/", "post", "Самоотвод"),
        ("/api/v1/competitions/expert/declarations/", "post", "Подписать декларацию"),
        ("/api/v1/competitions/review/competitions/{id}/scoring/", "get", "Ход экспертизы"),
        ("/api/v1/competitions/review/competitions/{id}/scoring/assign/", "post", "Назначить экспертов автоматически"),
        ("/api/v1/competitions/review/competitions/{id}/scoring/assignments/", "post", "Назначить эксперта вручную"),
        ("/api/v1/competitions/review/assignments/{id}/remove/", "post", "Снять эксперта"),
        ("/api/v1/competitions/review/competitions/{id}/scoring/close/", "post", "Закрыть оценку"),
        ("/api/v1/competitions/review/competitions/{id}/scoring/publish/", "post", "Опубликовать итоги"),
        ("/api/v1/competitions/review/competitions/{id}/scoring/results/", "get", "Итоги экспертизы (для секретаря)"),
        ("/api/v1/competitions/{id}/results/", "get", "Итоги конкурса"),
        ("/api/v1/competitions/applications/{id}/feedback/", "get", "Отзыв экспертов по своей заявке"),
    ]:
        assert paths[path][method]["summary"] == summary, path
    sheet_put = paths["/api/v1/competitions/expert/assignments/{id}/sheet/"]["put"]
    assert {"200", "400", "401", "403", "404", "409"} <= set(sheet_put["responses"])
    # Fails on any warning of the generator (enum names, unknown serializers), for these endpoints as for the rest.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
