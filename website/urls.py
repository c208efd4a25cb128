from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts import views as account_views
from forms import api as forms_api
from forms.results_api import SurveyResultsView
from search import api as search_api
from search import views as search_views
from website import views
from website.accessibility import toggle_accessible_mode
from website.api import CurrentUserView, MunicipalityViewSet, ObtainTokenView, wagtail_api_router
from website.sitemaps import MultilingualSitemap

api_router = DefaultRouter()
api_router.register("municipalities", MunicipalityViewSet, basename="municipality")

api_v1_patterns = [
    path("", include(api_router.urls)),
    path("me/", CurrentUserView.as_view(), name="api-me"),
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("tos/", include("tos.api_urls")),
    path("competitions/", include("competitions.api_urls")),
    path("search/", search_api.SearchView.as_view(), name="api-search"),
    path("search/suggest/", search_api.SuggestView.as_view(), name="api-search-suggest"),
    path("forms/<int:page_id>/results/", SurveyResultsView.as_view(), name="api-survey-results"),
    path("forms/<int:page_id>/", forms_api.FormDefinitionView.as_view(), name="api-form"),
    path("forms/<int:page_id>/submissions/", forms_api.SubmissionCreateView.as_view(), name="api-form-submissions"),
    path("submissions/<int:pk>/", forms_api.SubmissionView.as_view(), name="api-submission"),
    path("submissions/<int:pk>/submit/", forms_api.SubmitView.as_view(), name="api-submission-submit"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("schema/swagger/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-swagger"),
    path("schema/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", include(api_v1_patterns)),
    path("api/v2/", wagtail_api_router.urls),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": MultilingualSitemap}}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("accessibility/", toggle_accessible_mode, name="accessible_mode"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("cabinet/", account_views.cabinet, name="cabinet"),
    path("cabinet/tos/", include("tos.urls")),
    path("cabinet/new-tos/", include("tos.registration_urls")),
    path("cabinet/competitions/", include("competitions.urls")),
    path("cabinet/expert/", include("competitions.expert_urls")),
    path("search/", search_views.search, name="search"),
    path("forms/", include("forms.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
