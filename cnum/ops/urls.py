from django.urls import path

from cnum.ops.views import health, jobs

app_name = "ops"

urlpatterns = [
    path("sante/", health.liveness, name="liveness"),
    path("sante/pret/", health.readiness, name="readiness"),
    path("metrics", health.prometheus, name="metrics"),
    path("exploitation/taches/", jobs.job_list, name="jobs"),
    path("exploitation/taches/<slug:name>/", jobs.job_detail, name="job_detail"),
    path("exploitation/taches/<slug:name>/lancer/", jobs.job_run, name="job_run"),
]
