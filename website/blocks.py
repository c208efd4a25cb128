"""Content blocks of site-wide pages: one StreamBlock reused by every page with a free body."""

import markdown
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

TABLE_OPTIONS = {
    "startRows": 3,
    "startCols": 3,
    "colHeaders": False,
    "rowHeaders": False,
    "contextMenu": True,
    "editor": "text",
    "stretchH": "all",
    "height": 216,
    "language": "ru-RU",
    "renderer": "text",
    "autoColumnSize": False,
}


def render_markdown(text):
    """Markdown to HTML with raw HTML switched off: editors paste from documents, not markup."""
    converter = markdown.Markdown(extensions=["tables", "sane_lists", "attr_list"], output_format="html")
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    return converter.convert(text)


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Текст заголовка"), max_length=255)
    level = blocks.ChoiceBlock(
        label=_("Уровень"),
        choices=[("h2", _("Раздел (H2)")), ("h3", _("Подраздел (H3)")), ("h4", _("Пункт (H4)"))],
        default="h2",
        search_index=False,
    )

    class Meta:
        icon = "title"
        label = _("Заголовок")
        template = "blocks/heading_block.html"
        description = _("Заголовок раздела страницы.")
        preview_value = {"text": "Порядок отбора дворовых территорий", "level": "h2"}


class MarkdownBlock(blocks.TextBlock):
    class Meta:
        icon = "code"
        label = _("Markdown")
        template = "blocks/markdown_block.html"
        description = _("Текст в разметке Markdown: удобно вставлять из документов. HTML-теги не исполняются.")
        preview_value = "## Этапы\n\n1. Инвентаризация\n2. Общественное обсуждение\n3. Дизайн-проект"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Изображение"))
    alt_text = blocks.CharBlock(
        label=_("Альтернативный текст"),
        max_length=255,
        help_text=_("Что изображено — для незрячих пользователей. Обязательно, если изображение несёт смысл."),
        required=False,
    )
    caption = blocks.CharBlock(label=_("Подпись"), required=False, max_length=500)

    class Meta:
        icon = "image"
        label = _("Изображение")
        template = "blocks/image_block.html"
        description = _("Фотография или схема с подписью.")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Документ"))
    title = blocks.CharBlock(
        label=_("Название ссылки"), required=False, max_length=255, help_text=_("Если пусто — название документа.")
    )

    class Meta:
        icon = "doc-full"
        label = _("Документ")
        template = "blocks/document_block.html"
        description = _("Файл для скачивания: шаблон, положение, форма.")


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Вид"),
        choices=[("info", _("Справка")), ("warning", _("Внимание")), ("success", _("Хорошая практика"))],
        default="info",
        search_index=False,
    )
    title = blocks.CharBlock(label=_("Заголовок"), required=False, max_length=255)
    text = blocks.RichTextBlock(label=_("Текст"), features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        icon = "warning"
        label = _("Выноска")
        template = "blocks/callout_block.html"
        description = _("Выделенный блок: важное предупреждение, справка или пример.")
        preview_value = {
            "kind": "warning",
            "title": "Внимание",
            "text": "<p>Дизайн-проект согласуется с жителями до начала закупки.</p>",
        }


class AccordionItemBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Вопрос или заголовок"), max_length=255)
    content = blocks.RichTextBlock(label=_("Ответ или содержание"))


class AccordionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Заголовок группы"), required=False, max_length=255)
    items = blocks.ListBlock(AccordionItemBlock(), label=_("Пункты"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Аккордеон")
        template = "blocks/accordion_block.html"
        description = _("Раскрывающиеся пункты: вопросы и ответы, длинные перечни.")
        preview_value = {
            "title": "Частые вопросы",
            "items": [{"heading": "Кто подаёт заявку?", "content": "<p>Председатель ТОС или инициативная группа.</p>"}],
        }


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Текст"),
        icon="pilcrow",
        template="blocks/paragraph_block.html",
        description=_("Форматированный текст со ссылками и списками."),
        preview_value="<p>Благоустройство дворовых территорий ведётся по утверждённому адресному перечню.</p>",
    )
    markdown = MarkdownBlock()
    image = ImageBlock()
    document = DocumentBlock()
    table = TableBlock(
        label=_("Таблица"),
        table_options=TABLE_OPTIONS,
        template="blocks/table_block.html",
        description=_("Таблица: первая строка может быть заголовком."),
        icon="table",
    )
    callout = CalloutBlock()
    accordion = AccordionBlock()

    class Meta:
        label = _("Содержание")


class LinkValue(blocks.StructValue):
    """Resolves a link to the reader's language: a chosen page is followed to its translation."""

    def target_page(self):
        page = self.get("page")
        return page.specific.localized if page else None

    def href(self):
        page = self.target_page()
        return page.url if page else self.get("url")

    def text(self):
        page = self.target_page()
        return self.get("label") or (page.title if page else self.get("url"))


class LinkBlock(blocks.StructBlock):
    """A link to a page of the site (followed to the reader's language) or to an external address."""

    page = blocks.PageChooserBlock(label=_("Страница сайта"), required=False)
    url = blocks.URLBlock(label=_("Внешний адрес"), required=False)
    label = blocks.CharBlock(
        label=_("Подпись"), required=False, max_length=100, help_text=_("Если пусто — заголовок выбранной страницы.")
    )

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if not value.get("page") and not value.get("url"):
            errors["page"] = ValidationError(_("Выберите страницу сайта или укажите внешний адрес."))
        if value.get("page") and value.get("url"):
            errors["url"] = ValidationError(_("Укажите что-то одно: страницу сайта или внешний адрес."))
        if value.get("url") and not value.get("label"):
            errors["label"] = ValidationError(_("Для внешнего адреса нужна подпись."))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    class Meta:
        icon = "link"
        label = _("Ссылка")
        value_class = LinkValue


SOCIAL_NETWORKS = [
    ("vk", "ВКонтакте"),
    ("telegram", "Telegram"),
    ("ok", "Одноклассники"),
    ("max", "MAX"),
    ("rutube", "RUTUBE"),
]


class SocialLinkValue(blocks.StructValue):
    def network_label(self):
        return dict(SOCIAL_NETWORKS).get(self.get("network"), self.get("network"))


class SocialLinkBlock(blocks.StructBlock):
    network = blocks.ChoiceBlock(label=_("Сеть"), choices=SOCIAL_NETWORKS)
    url = blocks.URLBlock(label=_("Адрес"))

    class Meta:
        icon = "site"
        label = _("Соцсеть")
        value_class = SocialLinkValue
