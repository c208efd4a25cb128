"""The expert's pages in the personal cabinet: the queue, the declaration, the scoring sheet and recusal, as an expert
meets them — and what another expert, a non-expert or a visitor must never see or change."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from competitions import scoring
from competitions.models import ConflictDeclaration, ExpertAssignment, ExpertTie, ScoreSheet
from forms.models import SubmissionFile
from tests.competitions.scoring_factories import admitted_application, make_expert, run_assignment, score, set_sheet
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GROUP = "Жители ул. Лесной, 12"


def url(name, *args):
    return reverse(f"experts:{name}", args=args)


def text(response):
    return response.content.decode()


def assigned(competition, secretary, *, experts=2, applications=1, per_application=2, **settings):
    """A competition in expert review: ``applications`` admitted, ``experts`` declared, the assignment run."""
    set_sheet(competition, experts_per_application=per_application, **settings)
    made = [
        admitted_application(competition, secretary, title=f"Сквер у школы № {n + 1}", group_name=f"{GROUP}, {n + 1}")
        for n in range(applications)
    ]
    pool = [make_expert(competition, name=f"Эксперт{n}") for n in range(experts)]
    run_assignment(competition, secretary)
    return made, pool


def assignment_of(expert):
    return ExpertAssignment.objects.get(expert=expert, status=ExpertAssignment.Status.ACTIVE)


def apart(pool):
    """Two experts of the pool who score different applications (four experts, two applications, two each)."""
    mine = pool[0]
    own = assignment_of(mine).application
    return mine, next(expert for expert in pool if assignment_of(expert).application != own)


def sheet_data(assignment, **values):
    """What the sheet's form posts: the page's revision, the scores, the comments and the action."""
    sheet = ScoreSheet.objects.filter(assignment=assignment).first()
    data = {"revision": str(sheet.revision if sheet else 0), "action": "save"}
    data.update(values)
    return data


def open_sheet(client, assignment):
    response = client.get(url("sheet", assignment.pk))
    assert response.status_code == 200
    return response


# --- Who may come in --------------------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in(client, competition, secretary):
    (_application,), (expert, _colleague) = assigned(competition, secretary)
    for address in (url("queue"), url("sheet", assignment_of(expert).pk), url("declaration", competition.pk)):
        response = client.get(address)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_person_who_is_not_an_expert_gets_an_explanation(client, competition, secretary):
    (application,), (expert, _colleague) = assigned(competition, secretary)
    client.force_login(UserFactory())
    response = client.get(url("queue"))
    assert response.status_code == 403
    assert "вас нет в пуле экспертов" in text(response)
    assert client.get(url("declaration", competition.pk)).status_code == 403
    response = client.get(url("sheet", assignment_of(expert).pk))
    assert response.status_code == 403 and application.title not in text(response)


# --- The queue --------------------------------------------------------------------------------------------------


def test_queue_shows_only_own_assignments_with_counters(client, competition, secretary):
    _applications, pool = assigned(competition, secretary, experts=4, applications=2)
    mine, other = apart(pool)
    own = assignment_of(mine).application
    foreign = assignment_of(other).application
    score(assignment_of(mine), {"relevance": "8", "budget": "6"})
    client.force_login(mine.user)

    page = text(client.get(url("queue")))

    assert own.number in page and own.title in page
    assert foreign.number not in page and foreign.title not in page
    assert "Назначено: 1" in page and "Отправлено: 1" in page and "Осталось оценить: 0" in page
    assert "отправлен, итог 22" in page  # 8 × 2 + 6 × 1
    assert "подписана" in page
    assert own.applicant_name in page


def test_queue_shows_deadline_unsigned_declarations_and_ended_assignments(client, competition, secretary):
    now = timezone.now()
    competition.stages.add(
        competition.stages.model(kind="expert_review", starts_at=now, ends_at=now + timedelta(days=5, hours=2))
    )
    assigned(competition, secretary, experts=3)
    ending = ExpertAssignment.objects.first()
    client.force_login(ending.expert.user)
    client.post(url("recuse", ending.pk), {"reason": "Знаком с председателем группы"})
    newcomer = make_expert(name="Новичок", declare=False)

    page = text(client.get(url("queue")))

    assert "осталось 5 дней" in page
    assert "Выбывшие назначения" in page and "самоотвод" in page and "Знаком с председателем группы" in page
    client.force_login(newcomer.user)
    page = text(client.get(url("queue")))
    assert "не подписана" in page and "Подписать декларацию" in page
    assert url("declaration", competition.pk) in page


def test_cabinet_has_an_expert_section_for_experts_only(client, competition, secretary):
    (_application,), (expert, _colleague) = assigned(competition, secretary)
    client.force_login(expert.user)
    page = text(client.get(reverse("cabinet")))
    assert "Экспертиза: мои заявки" in page and "осталось оценить: 1" in page and url("queue") in page
    client.force_login(UserFactory())
    assert "Экспертиза: мои заявки" not in text(client.get(reverse("cabinet")))


# --- The sheet: what the expert sees ----------------------------------------------------------------------------


def test_sheet_page_reads_well(client, competition, secretary):
    (application,), (expert, _colleague) = assigned(competition, secretary)
    client.force_login(expert.user)

    page = text(open_sheet(client, assignment_of(expert)))

    assert f"<h1>Оценка заявки {application.number}</h1>" in page
    assert "Заявка</h2>" in page and "Лист оценки</h2>" in page
    assert "Версия 1, подана" in page and "Во дворе нет детской площадки." in page  # the frozen answers
    assert '<label class="criterion__name" for="score-relevance">Актуальность проблемы</label>' in page
    assert 'name="relevance"' in page and 'name="relevance-comment"' in page and 'name="budget"' in page
    assert "Шкала: 0–10, шаг 1. Вес критерия: 2." in page
    assert "Проблема подтверждена данными и жителями" in page
    assert "Комментарий обязателен при балле 3 и ниже." in page
    assert "Софинансирование жителей" in page and "Считается автоматически по данным заявки" in page
    assert "Рекомендация" in page and 'name="recommendation"' in page
    for button in ("Сохранить черновик", "Отправить оценку", "Взять самоотвод"):
        assert f">{button}</button>" in page
    assert "После отправки лист оценки блокируется" in page
    assert "Предварительный итог по сохранённому черновику" in page


def test_another_experts_sheet_is_refused_and_shows_none_of_its_data(client, competition, secretary):
    _applications, pool = assigned(competition, secretary, experts=4, applications=2)
    mine, other = apart(pool)
    foreign = assignment_of(other)
    score(foreign, {"relevance": "3"}, comments={"relevance": "Секретное замечание второго эксперта"}, submit=False)
    client.force_login(mine.user)

    response = client.get(url("sheet", foreign.pk))
    assert response.status_code == 403
    page = text(response)
    assert "другого эксперта" in page
    assert "Секретное замечание" not in page and foreign.application.title not in page

    response = client.post(url("sheet", foreign.pk), sheet_data(foreign, relevance="10"))
    assert response.status_code == 403
    assert ScoreSheet.objects.get(assignment=foreign).answers["relevance"]["score"] == "3"
    assert client.post(url("recuse", foreign.pk), {"reason": "хочу"}).status_code == 403
    assert ExpertAssignment.objects.get(pk=foreign.pk).is_active
    assert client.get(url("sheet", 999999)).status_code == 404


def test_a_fellow_experts_scores_on_the_same_application_never_show(client, competition, secretary):
    (_application,), (mine, other) = assigned(competition, secretary)
    score(assignment_of(other), {"relevance": "3", "budget": "9"}, comments={"relevance": "Замечание коллеги"})
    client.force_login(mine.user)

    page = text(open_sheet(client, assignment_of(mine)))

    assert "Замечание коллеги" not in page and 'value="9"' not in page
    assert "баллов ещё нет" in page


def test_hidden_applicant_is_not_in_the_pages(client, competition, secretary):
    (application,), (expert, _colleague) = assigned(competition, secretary, hide_applicant_from_experts=True)
    client.force_login(expert.user)
    for response in (client.get(url("queue")), open_sheet(client, assignment_of(expert))):
        page = text(response)
        assert GROUP not in page
        assert "скрыт по правилам конкурса" in page
    assert application.title in page


def test_applicant_is_shown_when_the_rules_do_not_hide_it(client, competition, secretary):
    (application,), (expert, _colleague) = assigned(competition, secretary)
    client.force_login(expert.user)
    assert application.group_name in text(open_sheet(client, assignment_of(expert)))


def test_expert_downloads_files_of_the_scored_version_only(client, competition, secretary):
    _applications, pool = assigned(competition, secretary, experts=4, applications=2)
    mine, other = apart(pool)
    own, foreign = assignment_of(mine), assignment_of(other)

    def attach(assignment):
        version = assignment.application.versions.get()
        return SubmissionFile.objects.create(
            submission=version.submission,
            field_id="protocol",
            file=ContentFile(b"%PDF-1.4 test", name="protocol.pdf"),
            original_name="протокол.pdf",
            size=13,
            sha256="0" * 64,
        )

    own_file, foreign_file = attach(own), attach(foreign)
    client.force_login(mine.user)
    response = client.get(url("file", own.pk, own_file.pk))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert client.get(url("file", own.pk, foreign_file.pk)).status_code == 404
    assert client.get(url("file", foreign.pk, foreign_file.pk)).status_code == 403


# --- The sheet: saving and sending ------------------------------------------------------------------------------


def test_draft_save_keeps_values_and_shows_the_live_total(client, competition, secretary):
    (_application,), (expert, _colleague) = assigned(competition, secretary)
    assignment = assignment_of(expert)
    client.force_login(expert.user)
    open_sheet(client, assignment)

    response = client.post(
        url("sheet", assignment.pk),
        sheet_data(assignment, relevance="8", budget="6", **{"relevance-comment": "Есть опрос жителей"}),
    )

    assert response.status_code == 302
    sheet = ScoreSheet.objects.get(assignment=assignment)
    assert sheet.status == ScoreSheet.Status.DRAFT and sheet.revision == 1
    assert sheet.answers["relevance"] == {"score": "8", "comment": "Есть опрос жителей"}
    page = text(client.get(response["Location"]))
    assert "Черновик сохранён" in page
    assert 'value="8"' in page and 'value="6"' in page and "Есть опрос жителей</textarea>" in page
    assert "Предварительный итог по сохранённому черновику: 22" in page


def test_submit_locks_the_sheet(client, competition, secretary):
    (_application,), (expert, _colleague) = assigned(competition, secretary)
    assignment = assignment_of(expert)
    client.force_login(expert.user)
    open_sheet(client, assignment)

    response = client.post(
        url("sheet", assignment.pk),
        sheet_data(assignment, relevance="9", budget="7", recommendation="Поддержать", action="submit"),
    )

    assert response.status_code == 302
    sheet = ScoreSheet.objects.get(assignment=assignment)
    assert sheet.status == ScoreSheet.Status.SUBMITTED and sheet.answers["recommendation"] == "Поддержать"
    page = text(client.get(response["Location"]))
    assert "Оценка отправлена" in page and "Ваш итог" in page and "25" in page  # 9 × 2 + 7
    assert "Сохранить черновик" not in page and "Взять самоотвод" not in page

    response = client.post(url("sheet", assignment.pk), sheet_data(assignment, relevance="1", budget="1"))
    assert response.status_code == 409
    assert "уже отправлен и заблокирован" in text(response)
    again = ScoreSheet.objects.get(assignment=assignment)
    assert again.answers == sheet.answers and again.revision == sheet.revision


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"relevance": "11", "budget": "5"}, "«Актуальность проблемы»: Балл должен быть от 0 до 10."),
        ({"relevance": "7,5", "budget": "5"}, "«Актуальность проблемы»: Балл ставится с шагом 1 от 0"),
        ({"relevance": "семь", "budget": "5"}, "«Актуальность проблемы»: балл — число"),
        ({"relevance": "2", "budget": "5", "action": "submit"}, "«Актуальность проблемы»: напишите комментарий"),
        ({"relevance": "8", "action": "submit"}, "«Реалистичность сметы»: поставьте балл."),
    ],
)
def test_bad_scores_are_refused_with_the_criterion_named_and_nothing_saved(
    client, competition, secretary, values, message
):
    (_application,), (expert, _colleague) = assigned(competition, secretary)
    assignment = assignment_of(expert)
    client.force_login(expert.user)
    open_sheet(client, assignment)

    response = client.post(url("sheet", assignment.pk), sheet_data(assignment, **values))

    assert response.status_code == 400
    page = text(response)
    assert "Не сохранено: исправьте ошибки" in page
    assert page.count(message) == 2  # in the summary at the top and next to the field
    assert f'value="{values["relevance"]}"' in page  # what was typed comes back
    sheet = ScoreSheet.objects.get(assignment=assignment)
    assert sheet.answers == {} and sheet.revision == 0 and sheet.status == ScoreSheet.Status.DRAFT


def test_a_save_from_a_stale_tab_is_refused(client, competition, secretary):
    (_application,), (expert, _colleague) = assigned(competition, secretary)
    assignment = assignment_of(expert)
    client.force_login(expert.user)
    open_sheet(client, assignment)
    stale = sheet_data(assignment, relevance="4", budget="4")
    client.post(url("sheet", assignment.pk), sheet_data(assignment, relevance="8", budget="6"))

    response = client.post(url("sheet", assignment.pk), stale)

    assert response.status_code == 409
    page = text(response)
    assert "изменён в другой вкладке" in page and 'value="4"' in page
    assert ScoreSheet.objects.get(assignment=assignment).answers["relevance"]["score"] == "8"


def test_closed_round_leaves_the_sheet_read_only(client, competition, secretary):
    (_application,), (expert, colleague) = assigned(competition, secretary)
    assignment = assignment_of(expert)
    score(assignment, {"relevance": "8", "budget": "6"})
    score(assignment_of(colleague), {"relevance": "7", "budget": "6"})
    scoring.close(competition, secretary)
    client.force_login(expert.user)

    page = text(open_sheet(client, assignment))
    assert "Оценка закрыта секретарём" in page and "Отправить оценку" not in page
    assert "балл 8, вес 2" in page

    response = client.post(url("sheet", assignment.pk), sheet_data(assignment, relevance="1", budget="1"))
    assert response.status_code == 409
    assert ScoreSheet.objects.get(assignment=assignment).answers["relevance"]["score"] == "8"

    latecomer = make_expert(name="Поздний", declare=False)
    client.force_login(latecomer.user)
    response = client.post(url("sign", competition.pk), {"confirm": "on"})
    assert response.status_code == 409 and "Экспертиза этого конкурса завершена" in text(response)
    assert not ConflictDeclaration.objects.filter(expert=latecomer).exists()


# --- Recusal ----------------------------------------------------------------------------------------------------


def test_recusal_hands_the_application_to_another_expert(client, competition, secretary):
    (application,), pool = assigned(competition, secretary, experts=3)
    leaving = ExpertAssignment.objects.first()
    spare = next(expert for expert in pool if not expert.assignments.exists())
    client.force_login(leaving.expert.user)

    response = client.post(url("recuse", leaving.pk), {"reason": "Работаю с заявителем"}, follow=True)

    assert "заявка передана другому эксперту" in text(response)
    leaving.refresh_from_db()
    assert leaving.status == ExpertAssignment.Status.RECUSED and leaving.reason == "Работаю с заявителем"
    assert assignment_of(spare).application == application
    assert leaving.history.first().history_user == leaving.expert.user
    page = text(client.get(url("sheet", leaving.pk)))
    assert "Вы больше не назначены" in page and "Во дворе нет детской площадки." not in page


def test_recusal_without_a_spare_expert_says_the_secretary_will_assign(client, competition, secretary):
    (_application,), (expert, _colleague) = assigned(competition, secretary)
    assignment = assignment_of(expert)
    client.force_login(expert.user)

    response = client.post(url("recuse", assignment.pk), {"reason": "Родственник в группе"}, follow=True)

    assert "заменить вас пока некем, секретарь назначит" in text(response)
    assert ExpertAssignment.objects.get(pk=assignment.pk).status == ExpertAssignment.Status.RECUSED
    assert ExpertAssignment.objects.filter(status=ExpertAssignment.Status.ACTIVE).count() == 1


def test_recusal_needs_a_reason(client, competition, secretary):
    (_application,), (expert, _colleague) = assigned(competition, secretary)
    assignment = assignment_of(expert)
    client.force_login(expert.user)

    response = client.post(url("recuse", assignment.pk), {"reason": "  "})

    assert response.status_code == 400
    assert text(response).count("Напишите причину самоотвода") == 2
    assert ExpertAssignment.objects.get(pk=assignment.pk).is_active


# --- The declaration --------------------------------------------------------------------------------------------


@pytest.fixture
def newcomer(competition, client):
    set_sheet(competition)
    expert = make_expert(name="Ольга", declare=False, full_name="Ольга Смирнова")
    client.force_login(expert.user)
    return expert


def test_declaration_is_signed_once_with_its_text_and_ties(client, competition, newcomer):
    ExpertTie.objects.create(expert=newcomer, kind=ExpertTie.Kind.ORGANISATION, organisation="МБУ «Благоустройство»")
    page = text(client.get(url("declaration", competition.pk)))
    assert "Я, Ольга Смирнова, заявляю" in page and "Подписать декларацию" in page
    assert "только после того, как вы подпишете декларацию" in page

    response = client.post(url("sign", competition.pk), {"confirm": "on"})

    assert response.status_code == 302
    declaration = ConflictDeclaration.objects.get(expert=newcomer, competition=competition)
    assert competition.title in declaration.statement
    assert [tie["organisation"] for tie in declaration.ties_declared] == ["МБУ «Благоустройство»"]
    assert declaration.history.first().history_user == newcomer.user
    page = text(client.get(response["Location"]))
    assert "Декларация подписана" in page and "Связи, указанные при подписи" in page

    response = client.post(url("sign", competition.pk), {"confirm": "on"}, follow=True)
    assert "уже подписана" in text(response)
    assert ConflictDeclaration.objects.filter(expert=newcomer).count() == 1


def test_declaration_needs_the_confirmation(client, competition, newcomer):
    response = client.post(url("sign", competition.pk), {})
    assert response.status_code == 400
    assert "Поставьте отметку «Подтверждаю…»" in text(response)
    assert not ConflictDeclaration.objects.exists()


def test_tie_is_added_and_checked_by_the_model(client, competition, newcomer):
    response = client.post(url("add_tie", competition.pk), {"kind": "tos"})
    assert response.status_code == 400
    assert "ТОС: Выберите ТОС." in text(response)
    response = client.post(url("add_tie", competition.pk), {"kind": ""})
    assert response.status_code == 400 and "Выберите вид связи." in text(response)
    assert not ExpertTie.objects.exists()

    response = client.post(url("add_tie", competition.pk), {"kind": "other", "description": "Сосед председателя"})

    assert response.status_code == 302
    tie = ExpertTie.objects.get(expert=newcomer)
    assert tie.description == "Сосед председателя" and tie.history.first().history_user == newcomer.user
    assert "Сосед председателя" in text(client.get(response["Location"]))
