"""The competitions API under /api/v1/competitions/."""

from django.urls import path

from competitions import api

app_name = "competitions_api"

urlpatterns = [
    path("", api.CompetitionListView.as_view(), name="competition-list"),
    path("<int:pk>/", api.CompetitionDetailView.as_view(), name="competition-detail"),
    path("applications/", api.ApplicationListView.as_view(), name="application-list"),
    path("applications/<int:pk>/", api.ApplicationDetailView.as_view(), name="application-detail"),
    path("applications/<int:pk>/submit/", api.ApplicationSubmitView.as_view(), name="application-submit"),
    path("applications/<int:pk>/withdraw/", api.ApplicationWithdrawView.as_view(), name="application-withdraw"),
    path(
        "applications/<int:pk>/versions/<int:number>/",
        api.ApplicationVersionView.as_view(),
        name="application-version",
    ),
    path("review/applications/", api.ReviewListView.as_view(), name="review-list"),
    path("review/applications/<int:pk>/", api.ReviewDetailView.as_view(), name="review-detail"),
    path("review/applications/<int:pk>/decision/", api.ReviewDecisionView.as_view(), name="review-decision"),
]
