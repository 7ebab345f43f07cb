from django.urls import path

from cnum.documents import views

app_name = "documents"

urlpatterns = [
    path("verifier/", views.check, name="check"),
    path("verifier/<str:code>/", views.check_code, name="check_code"),
    path("verifier/<str:code>/revoquer/", views.revoke, name="revoke"),
]
