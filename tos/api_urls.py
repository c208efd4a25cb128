"""API routes of the TOS app under /api/v1/tos/."""

from django.urls import path

from tos import api

urlpatterns = [
    path("", api.TOSListView.as_view(), name="api-tos-list"),
    path("map/", api.TOSMapView.as_view(), name="api-tos-map"),
    path("coverage/", api.TOSCoverageView.as_view(), name="api-tos-coverage"),
    path("<int:pk>/", api.TOSDetailView.as_view(), name="api-tos-detail"),
    path("<int:pk>/draft/", api.TOSDraftView.as_view(), name="api-tos-draft"),
    path("<int:pk>/submit/", api.TOSSubmitView.as_view(), name="api-tos-submit"),
]
