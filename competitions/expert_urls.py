"""The expert's pages in the personal cabinet: /<lang>/cabinet/expert/…"""

from django.urls import path

from competitions import expert_views

app_name = "experts"

urlpatterns = [
    path("", expert_views.queue, name="queue"),
    path("declaration/<int:competition_id>/", expert_views.declaration, name="declaration"),
    path("declaration/<int:competition_id>/ties/", expert_views.add_tie, name="add_tie"),
    path("declaration/<int:competition_id>/sign/", expert_views.sign, name="sign"),
    path("sheets/<int:assignment_id>/", expert_views.sheet_page, name="sheet"),
    path("sheets/<int:assignment_id>/recuse/", expert_views.recuse, name="recuse"),
    path("sheets/<int:assignment_id>/files/<int:file_id>/", expert_views.application_file, name="file"),
]
