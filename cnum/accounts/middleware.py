from django.conf import settings
from django.shortcuts import redirect

from cnum.accounts.policies import second_factor_pending, second_factor_url

# Pages a user whose second factor is pending may still open.
TWO_FACTOR_EXEMPT_VIEWS = frozenset(
    {
        "accounts:two_factor_setup",
        "accounts:two_factor_verify",
        "accounts:logout",
    }
)


class TwoFactorRequiredMiddleware:
    """Hold a logged-in user who needs a second factor on the 2FA pages until they pass it.

    Runs after LoginRequiredMiddleware; public views (login_not_required) stay reachable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        if not getattr(view_func, "login_required", True):
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        match = request.resolver_match
        if match and match.view_name in TWO_FACTOR_EXEMPT_VIEWS:
            return None
        if not second_factor_pending(request.user):
            return None
        return redirect(second_factor_url(request.user, request.get_full_path()))
