from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from website.models import Municipality


class MunicipalityViewSet(SnippetViewSet):
    model = Municipality
    icon = "site"
    menu_label = _("Муниципалитеты")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["short_name", "official_name", "kind", "centre", "oktmo"]
    list_filter = ["kind"]
    list_export = ["short_name", "official_name", "kind", "centre", "oktmo", "kind_changed_at"]
    export_filename = "municipalities"
    search_fields = ["short_name", "official_name"]
    ordering = ["short_name"]


register_snippet(MunicipalityViewSet)
