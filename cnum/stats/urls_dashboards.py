"""Dashboards of signed-in audiences (cnum.stats.views), under /statistiques/."""

from django.urls import path

from cnum.stats import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("impression/", views.dashboard_print, name="dashboard_print"),
    path("rapport.pdf", views.dashboard_pdf, name="dashboard_pdf"),
    path("export/indicateurs.<str:fmt>", views.export_figures, name="export_figures"),
    path("export/activites.<str:fmt>", views.export_records, name="export_records"),
]
