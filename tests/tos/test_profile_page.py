"""The public profile of a TOS: facts, territory, people who agreed to be named, projects, news, documents, contacts."""

import re
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import override_settings
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from tests.tos.factories import leader_of, publish_profile
from tos.models import LegalForm, TOSCouncilMember, TOSDocument, TOSNewsItem, TOSProject
from tos.moderation import save_draft, working_copy
from website.models import Municipality


def png_upload(name="photo.png"):
    buffer = BytesIO()
    PILImage.new("RGB", (40, 30), "green").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def photo(caption):
    image = get_image_model().objects.create(title="IMG_0042", file=png_upload())
    image.contextual_alt_text, image.decorative = caption, False
    return ("photo", image)


@pytest.fixture
def charter():
    return get_document_model().objects.create(
        title="Устав", file=SimpleUploadedFile("ustav.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    )


@pytest.fixture
def profile(tos_index, charter):
    now = timezone.now()
    return publish_profile(
        tos_index,
        title="ТОС «Окская набережная» (демо)",
        municipality=Municipality.objects.get(short_name="Калуга"),
        settlement="микрорайон Правобережье",
        about="Следим за набережной.\n\nПроводим субботники каждую весну.",
        boundaries_text="ул. Набережная, д. 1–15",
        boundaries_act="решение Городской Думы г. Калуги от 20.02.2019 № 45",
        geometry={"type": "Point", "coordinates": [36.2612, 54.5138]},
        founded_at=date(2018, 5, 12),
        charter_registered_at=date(2018, 6, 1),
        charter_number="12-Т",
        legal_form=LegalForm.NO_LEGAL_ENTITY,
        residents_count=1800,
        households_count=700,
        apartment_buildings_count=12,
        area_ha=Decimal("14.50"),
        chair_name="Иванова Анна Петровна",
        phone="+7 4842 00-00-00",
        email="tos@example.org",
        reception_hours="вторник, 18:00–20:00",
        council_members=[
            TOSCouncilMember(
                name="Петров Сергей Николаевич", position="заместитель председателя", consent_to_publish=True
            ),
            TOSCouncilMember(name="Сидорова Мария Ивановна", consent_to_publish=False),
        ],
        projects=[
            TOSProject(
                title="Сквер у реки",
                year=2024,
                funding_source="tos_competition",
                amount=Decimal("1200000.00"),
                residents_share=Decimal("10.00"),
                status="completed",
                description="Скамейки, фонари и дорожки.",
                photos=[photo("Новый сквер: скамейки вдоль дорожки")],
            )
        ],
        news_items=[
            TOSNewsItem(title="Весенний субботник", kind="news", published_on=date(2024, 4, 20), text="Убрали берег."),
            TOSNewsItem(title="Отчёт за год", kind="news", published_on=date(2025, 1, 15), text="Подвели итоги."),
            TOSNewsItem(
                title="Праздник двора",
                kind="event",
                event_starts_at=now + timedelta(days=10),
                place="двор дома 5",
                text="Приходите всей семьёй.",
            ),
        ],
        documents=[TOSDocument(kind="charter", title="Устав ТОС", dated=date(2018, 6, 1), document=charter)],
    )


def test_the_profile_shows_what_a_resident_looks_for(client, profile):
    response = client.get(profile.url)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>ТОС «Окская набережная» (демо)</h1>" in html
    assert "Калуга, микрорайон Правобережье" in html
    assert "<p>Следим за набережной.</p>" in html and "<p>Проводим субботники каждую весну.</p>" in html
    assert "12 мая 2018" in html and "№&nbsp;12-Т" in html
    assert "Без образования юридического лица" in html and "ИНН" not in html
    assert "1\xa0800" in html and "14,5&nbsp;га" in html
    assert "решение Городской Думы г. Калуги от 20.02.2019 № 45" in html
    assert 'href="tel:+7484200-00-00"' in html and "вторник, 18:00–20:00" in html
    assert f'href="{profile.get_parent().url}">Все ТОС</a>' in html


def test_projects_show_funding_amount_in_roubles_and_photos_with_alt_text(client, profile):
    html = client.get(profile.url).content.decode()

    project = html[html.index('id="tos-projects"') :]
    assert "<h3" in project and "Сквер у реки</h3>" in project
    assert "2024" in project and "реализован" in project
    assert "Региональный конкурс ТОС" in project
    assert "1\xa0200\xa0000\xa0₽" in project
    assert "10\xa0%" in project
    assert "<p>Скамейки, фонари и дорожки.</p>" in project
    image = re.search(r"<img [^>]*>", project).group(0)
    assert 'alt="Новый сквер: скамейки вдоль дорожки"' in image
    assert "srcset=" in image and "sizes=" in image


def test_upcoming_events_come_first_then_news_newest_first(client, profile):
    html = client.get(profile.url).content.decode()

    news = html[html.index('id="tos-news"') :]
    order = [news.index(title) for title in ("Праздник двора", "Отчёт за год", "Весенний субботник")]
    assert order == sorted(order)
    assert "двор дома 5" in news and "скоро" in news


def test_documents_link_to_their_files_with_kind_and_date(client, profile, charter):
    html = client.get(profile.url).content.decode()

    documents = html[html.index('id="tos-documents"') :]
    assert f'<a href="{charter.url}">Устав ТОС</a>' in documents
    assert "устав, <time" in documents and "1 июня 2018" in documents


def test_council_members_are_named_only_with_their_consent(client, profile):
    html = client.get(profile.url).content.decode()

    assert "Петров Сергей Николаевич — заместитель председателя" in html
    assert "Иванова Анна Петровна" in html
    assert "Сидорова" not in html


def test_legal_entity_shows_its_inn_and_ogrn(client, tos_index):
    page = publish_profile(tos_index, legal_form=LegalForm.LEGAL_ENTITY, inn="7707083893", ogrn="1027700132195")

    html = client.get(page.url).content.decode()

    assert "Юридическое лицо (некоммерческая организация)" in html
    assert "7707083893" in html and "1027700132195" in html


def test_the_territory_map_draws_the_geometry_without_tiles_by_default(client, profile):
    html = client.get(profile.url).content.decode()

    config = re.search(r'<script id="tos-profile-map-config" type="application/json">(.*?)</script>', html, re.S)
    assert '"tiles": null' in config.group(1)
    assert '"coordinates": [36.2612, 54.5138]' in config.group(1)
    assert "Подложка карты не подключена — ТОС показаны точками и границами" in html
    assert "leaflet/leaflet.js" in html


@override_settings(MAP_TILE_URL="https://tiles.example.org/{z}/{x}/{y}.png")
def test_the_territory_map_uses_configured_tiles(client, profile):
    html = client.get(profile.url).content.decode()

    assert '"url": "https://tiles.example.org/{z}/{x}/{y}.png"' in html
    assert "Подложка карты не подключена" not in html


def test_without_a_geometry_there_is_no_map(client, tos_index):
    page = publish_profile(tos_index)

    html = client.get(page.url).content.decode()

    assert "tos-profile-map" not in html and "leaflet/leaflet.js" not in html
    assert "ул. Примерная, д. 1–15" in html


def test_an_unapproved_edit_is_not_on_the_public_page(client, profile):
    leader = leader_of(profile)
    copy = working_copy(profile)
    copy.projects.add(TOSProject(title="Фонтан во дворе", year=2025, funding_source="own_funds"))
    copy.council_members.add(TOSCouncilMember(name="Кузнецов Олег", consent_to_publish=True))
    save_draft(profile, copy, leader)

    html = client.get(profile.url).content.decode()

    assert "Сквер у реки" in html
    assert "Фонтан во дворе" not in html and "Кузнецов Олег" not in html


def test_the_template_renders_a_draft_from_the_page_alone(profile):
    """The cabinet's preview renders a working copy: its new rows have no primary key yet."""
    leader = leader_of(profile)
    copy = working_copy(profile)
    copy.projects.add(
        TOSProject(title="Фонтан во дворе", year=2025, funding_source="own_funds", amount=Decimal("350000.50"))
    )
    copy.council_members.add(TOSCouncilMember(name="Кузнецов Олег", consent_to_publish=False))
    save_draft(profile, copy, leader)
    request = RequestFactory().get("/")
    request.user = leader

    html = render_to_string("tos/tos_profile_page.html", {"page": working_copy(profile), "request": request})

    assert "Фонтан во дворе" in html and "350\xa0000,50\xa0₽" in html
    assert "Кузнецов Олег" not in html
