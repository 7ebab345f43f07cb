"""Re-verification of the second factor before mandate actions after 15 idle minutes."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice

from cnum.accounts.policies import safe_next_url
from cnum.accounts.sessions import second_factor_passed
from cnum.mandates.forms import OtpCodeForm
from cnum.mandates.policies import require_aidant, touch_activity


@require_http_methods(["GET", "POST"])
@require_aidant
def reverify(request):
    form = OtpCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        devices = TOTPDevice.objects.filter(user=request.user, confirmed=True)
        device = next((d for d in devices if d.verify_token(form.cleaned_data["code"])), None)
        if device is not None:
            second_factor_passed(request, device)
            touch_activity(request)
            return redirect(safe_next_url(request, default="mandates:home"))
        form.add_error("code", "Ce code n'est pas valide ou a déjà été utilisé.")
    return render(
        request,
        "mandates/reverify.html",
        {
            "form": form,
            "next_url": safe_next_url(request, default="mandates:home"),
            "title": "Confirmez votre identité",
        },
    )
