from django.shortcuts import render
from django.views.decorators.http import require_GET

from cnum.accounts import services
from cnum.accounts.policies import has_confirmed_totp


@require_GET
def dashboard(request):
    user = request.user
    memberships = (
        user.memberships.filter(is_active=True)
        .select_related("organisation__departement", "organisation__region")
        .order_by("role", "organisation__name")
    )
    two_factor = has_confirmed_totp(user)
    context = {
        "title": "Mon espace",
        "memberships": memberships,
        "two_factor_enabled": two_factor,
        "two_factor_required": user.requires_2fa,
        "recovery_codes_left": services.remaining_recovery_codes(user) if two_factor else None,
    }
    return render(request, "accounts/dashboard.html", context)
