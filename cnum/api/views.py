"""API tokens for machine clients, managed by national administrators."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from cnum.accounts.policies import require_role
from cnum.accounts.roles import Role
from cnum.api import forms, services
from cnum.api.models import ApiToken
from cnum.core.confirm import confirmation_page, confirmed


@require_role(Role.ADMINISTRATEUR)
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    form = forms.ApiTokenForm(request.POST if request.method == "POST" else None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        token, new_key = services.issue_api_token(
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
            created_by=request.user,
            expires_on=form.cleaned_data["expires_on"],
        )
        # Shown in this response only: the key is not stored, not even in the session.
        form = forms.ApiTokenForm()
    context = {
        "form": form,
        "new_key": new_key,
        "tokens": ApiToken.objects.select_related("created_by"),
        "title": "Jetons d'API",
    }
    return render(request, "api/api_tokens.html", context)


@require_role(Role.ADMINISTRATEUR)
@require_http_methods(["GET", "POST"])
def api_token_revoke(request, pk):
    """Revoking is final (a new token must be issued): asked once more, without JavaScript."""
    token = get_object_or_404(ApiToken, pk=pk)
    if token.revoked_at is None and not confirmed(request):
        return confirmation_page(
            request,
            title=f"Révoquer le jeton « {token.name} »",
            consequences=[
                "Le client qui utilise ce jeton ne pourra plus appeler l'API.",
                "La révocation est définitive : pour rétablir l'accès, il faudra créer un "
                "nouveau jeton et le transmettre au client.",
            ],
            details=[
                ("Début de clé", f"{token.prefix}…"),
                ("Portées", ", ".join(token.scope_labels)),
            ],
            confirm_label="Révoquer le jeton",
            cancel_url=reverse("api_tokens:list"),
        )
    token.revoke()
    messages.success(request, f"Le jeton « {token.name} » est révoqué.")
    return redirect("api_tokens:list")
