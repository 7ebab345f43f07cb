from django.urls import path

from cnum.candidates.views import admin, public, space, survey

app_name = "candidates"

urlpatterns = [
    path("candidater/", public.apply, name="apply"),
    path("candidater/envoyee/", public.apply_done, name="apply_done"),
    path("candidater/confirmation/<str:uidb64>/<str:token>/", public.confirm, name="confirm"),
    path("toujours-disponible/<str:answer>/<str:token>/", survey.answer, name="survey"),
    path("mon-espace/", space.space, name="space"),
    path("mon-espace/profil/", space.edit, name="edit"),
    path("mon-espace/disponibilite/", space.availability, name="availability"),
    path("mon-espace/cv/", space.cv_upload, name="cv_upload"),
    path("mon-espace/cv/supprimer/", space.cv_delete, name="cv_delete"),
    path("mon-espace/pix/", space.pix, name="pix"),
    path("mon-espace/mes-donnees/", space.export, name="export"),
    path("mon-espace/supprimer/", space.delete, name="delete"),
    path("<int:pk>/cv/", space.cv_download, name="cv_download"),
    path("", admin.candidate_list, name="admin_list"),
    path("<int:pk>/", admin.candidate_detail, name="admin_detail"),
]
