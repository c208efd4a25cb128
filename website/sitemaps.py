from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class MultilingualSitemap(Sitemap):
    """Wagtail's sitemap lists one language tree; this one lists every translation of the site."""

    def items(self):
        site = self.get_wagtail_site()
        pages = Page.objects.none()
        for root in site.root_page.get_translations(inclusive=True):
            pages |= Page.objects.descendant_of(root, inclusive=True)
        return pages.live().public().order_by("path").defer_streamfields().specific()
