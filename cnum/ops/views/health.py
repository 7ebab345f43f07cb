"""/sante/ (liveness), /sante/pret/ (readiness) and /metrics: for load balancers and
monitoring. Public and without personal data; /metrics needs a token or an allowed address."""

import asyncio

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET
from health_check.views import HealthCheckView
from prometheus_client import CONTENT_TYPE_LATEST

from cnum.ops import metrics
from cnum.ops.health import READINESS_CHECKS
from cnum.replica.health import ReplicaLagCheck
from cnum.replica.health import configured as replica_configured


@login_not_required
@require_GET
def liveness(request):
    """The process answers: nothing else is checked (a restart would not fix a database)."""
    response = JsonResponse({"statut": "vivant"})
    add_never_cache_headers(response)
    return response


class Readiness(HealthCheckView):
    """Ready to serve: 200, or 503 when the database, the cache or the migrations fail. A task
    backlog is reported (« alerte ») without failing: the web servers can still serve."""

    checks = READINESS_CHECKS
    http_method_names = ["get", "head"]

    def get_checks(self):
        # The replica is checked only where one is configured.
        checks = super().get_checks()
        return (c for c in checks if c.label != ReplicaLagCheck.label or replica_configured())

    async def get(self, request, *args, **kwargs):
        results = await asyncio.gather(*(check.get_result() for check in self.get_checks()))
        failed = any(r.error and not getattr(r.check, "warning_only", False) for r in results)
        body = {
            "statut": "indisponible" if failed else "prêt",
            "controles": {r.check.label: _state(r) for r in results},
        }
        return JsonResponse(body, status=503 if failed else 200)


def _state(result):
    if not result.error:
        return "ok"
    kind = "alerte" if getattr(result.check, "warning_only", False) else "échec"
    return f"{kind} : {result.error.message}"


readiness = login_not_required(Readiness.as_view())


@login_not_required
@require_GET
def prometheus(request):
    if not metrics.enabled():
        raise Http404
    if not metrics.allowed(request):
        return HttpResponse("Accès refusé.", status=403, content_type="text/plain; charset=utf-8")
    return HttpResponse(metrics.exposition(), content_type=CONTENT_TYPE_LATEST)
