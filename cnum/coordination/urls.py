from django.urls import path

from cnum.coordination import views, views_administration

app_name = "coordination"

urlpatterns = [
    path("mon-equipe/", views.team_view, name="team"),
    path("mon-equipe/export/", views.team_export, name="team_export"),
    path("mon-equipe/composer/", views.team_edit, name="team_edit"),
    path("mon-equipe/<int:pk>/", views.member, name="member"),
    path("mes-activites/", views.activity_list, name="activities"),
    path("mes-activites/export/", views.activity_export, name="activities_export"),
    path("mes-activites/nouvelle/", views.activity_create, name="activity_create"),
    path("mes-activites/<int:pk>/modifier/", views.activity_edit, name="activity_edit"),
    path("mes-activites/<int:pk>/suppression/", views.activity_delete, name="activity_delete"),
    path("coordinateurs/", views_administration.admin_list, name="admin_list"),
    path("coordinateurs/<int:pk>/equipe/", views_administration.admin_team, name="admin_team"),
]
