"""The applicant's pages in the personal cabinet: /<lang>/cabinet/competitions/…"""

from django.urls import path

from competitions import views

app_name = "competitions"

urlpatterns = [
    path("", views.my_applications, name="my_applications"),
    path("new/<int:competition_id>/", views.start, name="start"),
    path("<int:pk>/", views.application_detail, name="application"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/edit/step/<int:number>/", views.edit_step, name="edit_step"),
    path("<int:pk>/edit/check/", views.check, name="check"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/versions/<int:number>/", views.version_detail, name="version"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
]
