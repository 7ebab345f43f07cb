"""Support impersonation ("se connecter en tant que") with django-hijack.

Who may impersonate whom is cnum.accounts.policies.can_impersonate (HIJACK_PERMISSION_CHECK);
every start and end is journaled by cnum.accounts.signals. The administrator's verified second
factor is kept aside during the impersonation and restored when they come back, so that
"Revenir à mon compte" does not ask for a new code.
"""

from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404
from django_otp.models import Device
from hijack.views import AcquireUserView, ReleaseUserView

from cnum.accounts.sessions import second_factor_passed
from cnum.core.params import int_param

HIJACKER_DEVICE_KEY = "hijacker_otp_device"


def _not_found():
    raise Http404("Compte introuvable.")


class PostOnly:
    """django-hijack answers a GET with 400 or 403: here, as elsewhere, it is a 405."""

    def dispatch(self, request, *args, **kwargs):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return super().dispatch(request, *args, **kwargs)


class StartView(PostOnly, AcquireUserView):
    def get_object(self):
        # A user_pk that is not an id is a 404, like any wrong id (the library would crash).
        pk = int_param(self.request.POST, "user_pk")
        return get_object_or_404(self.model, pk=pk) if pk is not None else _not_found()

    def post(self, request, *args, **kwargs):
        device = getattr(request.user, "otp_device", None)
        response = super().post(request, *args, **kwargs)
        if device is not None:
            request.session[HIJACKER_DEVICE_KEY] = device.persistent_id
        return response


class EndView(PostOnly, ReleaseUserView):
    def post(self, request, *args, **kwargs):
        persistent_id = request.session.get(HIJACKER_DEVICE_KEY)
        response = super().post(request, *args, **kwargs)
        device = Device.from_persistent_id(persistent_id) if persistent_id else None
        if device is not None and device.user_id == request.user.pk:
            second_factor_passed(request, device)
        return response
