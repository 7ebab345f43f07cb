from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.mandates.forms import RetentionForm
from cnum.mandates.models import RetentionPolicy


@require_http_methods(["GET", "POST"])
@require_role(Role.ADMINISTRATEUR)
def retention(request):
    policy = RetentionPolicy.current()
    form = RetentionForm(request.POST if request.method == "POST" else None, instance=policy)
    if request.method == "POST" and form.is_valid():
        policy = form.save(commit=False)
        policy.updated_by = request.user
        policy.save()
        messages.success(request, "La durée de conservation est enregistrée.")
        return redirect("mandates:retention")
    return render(
        request,
        "mandates/retention.html",
        {
            "form": form,
            "policy": policy,
            "title": "Conservation des mandats",
        },
    )
