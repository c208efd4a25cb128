"""The TOS leader's self-service under /<language>/cabinet/tos/."""

from django.urls import path

from tos import views

app_name = "tos"

urlpatterns = [
    path("<int:page_id>/", views.profile, name="profile"),
    path("<int:page_id>/projects/add/", views.project_add, name="project_add"),
    path("<int:page_id>/projects/<uuid:uid>/", views.project_edit, name="project_edit"),
    path("<int:page_id>/projects/<uuid:uid>/delete/", views.project_delete, name="project_delete"),
    path("<int:page_id>/news/add/", views.news_add, name="news_add"),
    path("<int:page_id>/news/<uuid:uid>/", views.news_edit, name="news_edit"),
    path("<int:page_id>/news/<uuid:uid>/delete/", views.news_delete, name="news_delete"),
    path("<int:page_id>/documents/add/", views.document_add, name="document_add"),
    path("<int:page_id>/documents/<uuid:uid>/", views.document_edit, name="document_edit"),
    path("<int:page_id>/documents/<uuid:uid>/delete/", views.document_delete, name="document_delete"),
    path("<int:page_id>/submit/", views.submit, name="submit"),
    path("<int:page_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:page_id>/preview/", views.preview, name="preview"),
]
