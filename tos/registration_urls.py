"""A resident's request to register a new TOS (under /<lang>/cabinet/new-tos/)."""

from django.urls import path

from tos import registration_views

app_name = "tos_registration"
urlpatterns = [
    path("request/", registration_views.request_tos, name="request"),
    path("request/<int:pk>/", registration_views.request_detail, name="detail"),
]
