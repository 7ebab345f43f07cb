from django.urls import path

from cnum.recruitment.views import administration, structure

app_name = "recruitment"

urlpatterns = [
    path("structure/<int:pk>/", structure.structure_recruitments, name="structure"),
    path("<int:pk>/", structure.match_detail, name="match"),
    path("<int:pk>/recruter/", structure.recruit, name="recruit"),
    path("<int:pk>/renouveler/", structure.renewal, name="renewal"),
    path("<int:pk>/rupture/", structure.rupture, name="rupture"),
    path("<int:pk>/retirer/", structure.withdraw, name="withdraw"),
    path("<int:pk>/decision/", administration.decide, name="decide"),
    path("a-valider/", administration.queue, name="queue"),
    path("", administration.recruitment_list, name="list"),
]
