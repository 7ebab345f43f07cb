from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers

from cnum.accounts.policies import second_factor_pending, second_factor_url
from cnum.accounts.sessions import LAST_SEEN_KEY, idle_expired, stamp

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
        # An administrator acting as someone (support) passed their own second factor.
        if getattr(request.user, "is_hijacked", False):
            return None
        if not second_factor_pending(request.user):
            return None
        return redirect(second_factor_url(request.user, request.get_full_path()))


class SecurityHeadersMiddleware:
    """Permissions-Policy on every page; nothing kept in any cache for a signed-in user or a
    token-authenticated client, unless the view chose its own policy (public data).

    Sits after the authentication middlewares: it needs `request.user`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if _is_personal(request) and "Cache-Control" not in response.headers:
            add_never_cache_headers(response)
        return response


def _is_personal(request):
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated) or "Authorization" in request.headers


class IdleTimeoutMiddleware:
    """Sign out, after IDLE_TIMEOUT_MINUTES without a request, users whose roles require the
    second factor (and an administrator acting as anyone), and send them to the login page with
    a message.

    Sits after MessageMiddleware (it leaves a message) and the authentication middlewares.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        # The session is read first: the roles are looked up only once it has been idle.
        if user.is_authenticated and idle_expired(request):
            # An administrator acting as someone keeps their own rule, whoever that person is.
            if user.requires_2fa or getattr(user, "is_hijacked", False):
                logout(request)
                messages.warning(
                    request,
                    f"Vous avez été déconnecté après {settings.IDLE_TIMEOUT_MINUTES} minutes "
                    "d'inactivité. Reconnectez-vous pour continuer.",
                )
                return redirect_to_login(request.get_full_path())
            stamp(request, LAST_SEEN_KEY)
        return self.get_response(request)
