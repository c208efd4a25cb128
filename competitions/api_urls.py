"""The competitions API under /api/v1/competitions/."""

from django.urls import path

from competitions import api, api_scoring

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
    path("<int:pk>/results/", api_scoring.PublishedResultsView.as_view(), name="competition-results"),
    path("applications/<int:pk>/feedback/", api_scoring.ApplicationFeedbackView.as_view(), name="application-feedback"),
    path("expert/assignments/", api_scoring.ExpertAssignmentListView.as_view(), name="expert-assignment-list"),
    path(
        "expert/assignments/<int:pk>/",
        api_scoring.ExpertAssignmentDetailView.as_view(),
        name="expert-assignment-detail",
    ),
    path("expert/assignments/<int:pk>/sheet/", api_scoring.ExpertSheetView.as_view(), name="expert-sheet"),
    path(
        "expert/assignments/<int:pk>/sheet/submit/",
        api_scoring.ExpertSheetSubmitView.as_view(),
        name="expert-sheet-submit",
    ),
    path("expert/assignments/<int:pk>/recuse/", api_scoring.ExpertRecuseView.as_view(), name="expert-recuse"),
    path("expert/declarations/", api_scoring.ExpertDeclarationView.as_view(), name="expert-declaration"),
    path("review/competitions/<int:pk>/scoring/", api_scoring.ScoringOverviewView.as_view(), name="scoring-overview"),
    path(
        "review/competitions/<int:pk>/scoring/assign/",
        api_scoring.AutomaticAssignmentView.as_view(),
        name="scoring-assign",
    ),
    path(
        "review/competitions/<int:pk>/scoring/assignments/",
        api_scoring.ManualAssignmentView.as_view(),
        name="scoring-assign-manually",
    ),
    path("review/assignments/<int:pk>/remove/", api_scoring.RemoveAssignmentView.as_view(), name="scoring-remove"),
    path("review/competitions/<int:pk>/scoring/close/", api_scoring.CloseScoringView.as_view(), name="scoring-close"),
    path(
        "review/competitions/<int:pk>/scoring/publish/",
        api_scoring.PublishScoringView.as_view(),
        name="scoring-publish",
    ),
    path(
        "review/competitions/<int:pk>/scoring/results/",
        api_scoring.ScoringResultsView.as_view(),
        name="scoring-results",
    ),
]
