from django.urls import path

from cnum.referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("nouvelle/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/clore/", views.close, name="close"),
    path("<int:pk>/renvoyer/", views.resend, name="resend"),
    path("<int:pk>/pieces/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("recues/", views.received, name="received"),
    path("recues/<int:pk>/", views.received_detail, name="received_detail"),
    path("reponse/<str:token>/", views.answer, name="answer"),
    path(
        "reponse/<str:token>/pieces/<int:attachment_pk>/",
        views.answer_attachment,
        name="answer_attachment",
    ),
]
