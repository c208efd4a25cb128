import pytest
from wagtail.models import Page

from tests.factories import ContentPageFactory

pytestmark = pytest.mark.django_db


def test_root_redirects_to_russian_home(client, site_tree):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 302
    assert response["Location"] == "/ru/"


def test_russian_home_page_is_in_russian(client, site_tree):
    response = client.get("/ru/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ru"' in html
    assert "Главная платформы" in html
    assert "Перейти к содержанию" in html  # skip link
    assert 'role="search"' in html and 'name="q"' in html  # search box in the header


def test_english_home_page_is_in_english(client, site_tree):
    response = client.get("/en/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en"' in html
    assert "Platform home" in html
    assert "Skip to content" in html  # interface strings come from the compiled English catalog
    assert "Version for the visually impaired" in html


def test_language_switch_links_to_translation_of_same_page(client, site_tree):
    page = ContentPageFactory(parent=site_tree["home"], slug="o-nas", title="О нас")
    english = page.copy_for_translation(site_tree["en"])
    english.title = "About us"
    english.slug = "about-us"
    english.save_revision().publish()

    html = client.get("/ru/o-nas/").content.decode()
    assert 'href="/en/about-us/"' in html


def test_content_page_renders_every_body_block(client, site_tree):
    page = ContentPageFactory(
        parent=site_tree["home"],
        slug="poryadok",
        title="Порядок отбора",
        body=[
            ("heading", {"text": "Этапы отбора", "level": "h2"}),
            ("paragraph", "<p>Отбор ведёт общественная комиссия.</p>"),
            ("markdown", "1. Инвентаризация\n2. **Обсуждение**"),
            ("callout", {"kind": "warning", "title": "Внимание", "text": "<p>Срок — 30 дней.</p>"}),
            (
                "accordion",
                {"title": "Вопросы", "items": [{"heading": "Кто подаёт?", "content": "<p>Председатель ТОС.</p>"}]},
            ),
            (
                "table",
                {
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": "Сроки",
                    "data": [["Этап", "Срок"], ["Приём заявок", "30 дней"]],
                },
            ),
        ],
    )
    response = client.get(page.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h2>Этапы отбора</h2>" in html
    assert "Отбор ведёт общественная комиссия." in html
    assert "<li>Инвентаризация</li>" in html and "<strong>Обсуждение</strong>" in html
    assert 'class="callout callout--warning"' in html and "Срок — 30 дней." in html
    assert "<summary>Кто подаёт?</summary>" in html
    assert '<th scope="col">Этап</th>' in html and "<td>Приём заявок</td>" in html
    # breadcrumbs lead back home
    assert 'aria-label="Вы здесь"' in html


def test_markdown_block_does_not_execute_raw_html(client, site_tree):
    page = ContentPageFactory(
        parent=site_tree["home"], slug="md", body=[("markdown", "Текст <script>alert(1)</script> **жирный**")]
    )
    html = client.get(page.url).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "<strong>жирный</strong>" in html


def test_draft_page_is_not_served(client, site_tree):
    page = ContentPageFactory(parent=site_tree["home"], slug="chernovik", live=False)
    assert client.get("/ru/chernovik/").status_code == 404
    assert Page.objects.filter(pk=page.pk, live=False).exists()


def test_unknown_address_gives_russian_404_page(client, site_tree):
    response = client.get("/ru/net-takoy-stranitsy/")
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


def test_sitemap_lists_both_languages_and_no_drafts(client, site_tree):
    ContentPageFactory(parent=site_tree["home"], slug="opublikovana")
    ContentPageFactory(parent=site_tree["home"], slug="chernovik", live=False)
    xml = client.get("/sitemap.xml").content.decode()
    assert "/ru/opublikovana/" in xml
    assert "/en/" in xml
    assert "chernovik" not in xml


def test_robots_txt_points_to_sitemap_and_closes_admin(client, site_tree):
    response = client.get("/robots.txt")
    text = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_search_page_without_query_shows_form_only(client, site_tree):
    response = client.get("/ru/search/")
    assert response.status_code == 200
    assert "Найдено" not in response.content.decode()
