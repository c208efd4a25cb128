"""A resident asks to register a new TOS; moderators are told; only the applicant follows the request."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tos.models import RegistrationRequest
from tos.registration_views import MAX_OPEN_REQUESTS
from website.models import Municipality

REQUEST_URL = "tos_registration:request"


@pytest.fixture
def kaluga(db):
    return Municipality.objects.get(short_name="Калуга")


@pytest.fixture
def resident(client, db):
    user = UserFactory(email="resident@example.org")
    client.force_login(user)
    return user


def valid_data(place, **changes):
    data = {
        "name": "ТОС «Солнечный квартал»",
        "municipality": place.pk,
        "settlement": "",
        "boundaries_text": "ул. Солнечная, д. 1–9",
        "founded_at": "2024-03-01",
        "charter_registered_at": "2024-04-15",
        "residents_count": "850",
        "leader_name": "Сидорова Мария Ивановна",
        "leader_email": "leader@example.org",
        "leader_phone": "+7 900 000-00-00",
        "comment": "",
        "consent": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def file_request(applicant, municipality, **fields):
    values = {
        "name": "ТОС «Берёзка»",
        "boundaries_text": "ул. Берёзовая",
        "leader_name": "Иванов Иван",
        "leader_email": "ivanov@example.org",
    }
    values.update(fields)
    return RegistrationRequest.objects.create(applicant=applicant, municipality=municipality, **values)


def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(reverse(REQUEST_URL))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert client.post(reverse(REQUEST_URL), {}).status_code == 302
    assert not RegistrationRequest.objects.exists()


def test_form_offers_the_residents_own_address_for_the_leader(client, resident):
    response = client.get(reverse(REQUEST_URL))
    assert response.status_code == 200
    assert 'value="resident@example.org"' in response.content.decode()


def test_request_is_saved_moderators_are_told_and_the_applicant_sees_its_status(client, resident, kaluga):
    moderator = UserFactory(roles=["Модератор"], email="moderator@example.org")
    UserFactory(roles=["Модератор"], email="")  # a moderator without an address is skipped
    UserFactory(roles=["Эксперт"], email="expert@example.org")

    response = client.post(reverse(REQUEST_URL), valid_data(kaluga))

    registration_request = RegistrationRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tos_registration:detail", args=[registration_request.pk])
    assert registration_request.applicant == resident
    assert registration_request.status == RegistrationRequest.Status.NEW
    assert registration_request.residents_count == 850
    assert registration_request.founded_at == datetime.date(2024, 3, 1)

    assert [message.to for message in mail.outbox] == [[moderator.email]]
    assert "ТОС «Солнечный квартал»" in mail.outbox[0].subject
    assert f"/admin/tos/requests/inspect/{registration_request.pk}/" in mail.outbox[0].body

    page = client.get(response["Location"]).content.decode()
    assert "Заявка принята" in page
    assert "на рассмотрении" in page
    assert "ул. Солнечная, д. 1–9" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"founded_at": "2999-01-01", "charter_registered_at": ""}, "founded_at", "не может быть в будущем"),
        ({"residents_count": "-5"}, "residents_count", "не может быть отрицательным"),
        ({"consent": None}, "consent", "Без согласия на обработку персональных данных"),
        ({"municipality": ""}, "municipality", "Заполните поле «Муниципальное образование»"),
        ({"charter_registered_at": "2024-01-01"}, "charter_registered_at", "раньше даты учреждения"),
        ({"leader_email": "не адрес"}, "leader_email", "адрес электронной почты"),
    ],
)
def test_bad_input_is_refused_with_a_message_by_the_field(client, resident, kaluga, changes, field, message):
    UserFactory(roles=["Модератор"])
    response = client.post(reverse(REQUEST_URL), valid_data(kaluga, **changes))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page  # the message sits by its field, linked through aria-describedby
    assert not RegistrationRequest.objects.exists()
    assert not mail.outbox


def test_the_same_tos_cannot_be_requested_twice_while_the_first_is_open(client, resident, kaluga):
    file_request(resident, kaluga, name="ТОС «Солнечный квартал»")

    response = client.post(reverse(REQUEST_URL), valid_data(kaluga, name="  тос «солнечный   квартал» "))

    assert response.status_code == 400
    assert "уже подана" in " ".join(response.context["form"].errors["name"])
    assert RegistrationRequest.objects.count() == 1


def test_a_decided_request_does_not_block_a_new_one(client, resident, kaluga):
    file_request(resident, kaluga, name="ТОС «Солнечный квартал»", status=RegistrationRequest.Status.REJECTED)

    response = client.post(reverse(REQUEST_URL), valid_data(kaluga))

    assert response.status_code == 302
    assert RegistrationRequest.objects.count() == 2


def test_at_most_five_open_requests_per_person(client, resident, kaluga):
    for number in range(MAX_OPEN_REQUESTS):
        file_request(resident, kaluga, name=f"ТОС № {number}")

    response = client.post(reverse(REQUEST_URL), valid_data(kaluga))

    assert response.status_code == 400
    assert "предел" in " ".join(response.context["form"].non_field_errors())
    assert RegistrationRequest.objects.count() == MAX_OPEN_REQUESTS


def test_nobody_but_the_applicant_sees_a_request(client, resident, kaluga):
    registration_request = file_request(UserFactory(), kaluga)
    url = reverse("tos_registration:detail", args=[registration_request.pk])

    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_applicant_sees_the_moderators_decision_and_comment(client, resident, kaluga):
    registration_request = file_request(
        resident,
        kaluga,
        status=RegistrationRequest.Status.REJECTED,
        decision_comment="Приложите протокол учредительного собрания.",
        decided_at=timezone.now(),
    )

    page = client.get(reverse("tos_registration:detail", args=[registration_request.pk])).content.decode()

    assert "отклонена" in page
    assert "Приложите протокол учредительного собрания." in page
