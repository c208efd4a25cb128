"""API routes of the TOS app under /api/v1/tos/."""

urlpatterns = []
