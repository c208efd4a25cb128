from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

from website.blocks import LinkBlock, SocialLinkBlock


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    organisation = models.CharField(
        _("организация"), max_length=255, blank=True, help_text=_("Кто ведёт платформу; показывается в подвале.")
    )
    address = models.CharField(_("адрес"), max_length=255, blank=True)
    phone = models.CharField(_("телефон"), max_length=64, blank=True)
    email = models.EmailField(_("электронная почта"), blank=True)
    footer_links = StreamField([("link", LinkBlock())], verbose_name=_("ссылки в подвале"), blank=True)
    social_links = StreamField([("social", SocialLinkBlock())], verbose_name=_("социальные сети"), blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("organisation"), FieldPanel("address"), FieldPanel("phone"), FieldPanel("email")],
            heading=_("Контакты"),
        ),
        FieldPanel("footer_links"),
        FieldPanel("social_links"),
    ]

    class Meta:
        verbose_name = _("настройки сайта")


@register_setting(icon="list-ul")
class NavigationSettings(BaseSiteSetting):
    main_menu = StreamField(
        [("link", LinkBlock())],
        verbose_name=_("главное меню"),
        blank=True,
        help_text=_("Пункты меню в шапке сайта. Ссылки на страницы сами ведут на версию страницы на языке читателя."),
    )

    panels = [FieldPanel("main_menu")]

    class Meta:
        verbose_name = _("навигация")
