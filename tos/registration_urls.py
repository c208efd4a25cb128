"""URL routes (filled by the helper that owns this module)."""

app_name = "tos_registration"
urlpatterns = []
