from django.middleware.locale import LocaleMiddleware


class SiteLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, minus its redirect of a missing address to the same one under /ru/.

    Wagtail's catch-all route matches every /ru/… path, so for the API, the admin and files Django would
    answer a 404 with a redirect to a page that does not exist either. Those parts live outside the
    language prefix and keep their own 404.
    """

    UNPREFIXED = ("/api/", "/admin/", "/documents/", "/static/", "/media/")

    def process_response(self, request, response):
        if response.status_code == 404 and request.path_info.startswith(self.UNPREFIXED):
            return response
        return super().process_response(request, response)
