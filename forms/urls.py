from django.urls import path

from forms import views

app_name = "forms"

urlpatterns = [
    path("my/<int:pk>/", views.my_submission, name="my_submission"),
    path("files/<int:pk>/", views.download_file, name="download_file"),
]
