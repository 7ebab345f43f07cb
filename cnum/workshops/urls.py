from django.urls import path

from cnum.workshops import views

app_name = "workshops"

urlpatterns = [
    path("", views.public_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("inscription/<str:token>/", views.registration, name="registration"),
    path("mes-ateliers/", views.mine, name="mine"),
    path("structure/", views.structure_list, name="structure"),
    path("mes-ateliers/nouveau/", views.create, name="create"),
    path("mes-ateliers/<int:pk>/", views.manage, name="manage"),
    path("mes-ateliers/<int:pk>/modifier/", views.edit, name="edit"),
    path("mes-ateliers/<int:pk>/annulation/", views.cancel, name="cancel"),
]
