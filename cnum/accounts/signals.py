"""Journal every start and end of an impersonation (django-hijack's signals, and a logout or an
idle timeout that closes the session while it lasts)."""

from cnum.accounts import grants
from cnum.accounts.models import AccountEvent, User


def impersonation_started(sender, hijacker, hijacked, request, **kwargs):
    grants.log(hijacked, AccountEvent.IMPERSONATION_STARTED, actor=hijacker)


def impersonation_ended(sender, hijacker, hijacked, request, **kwargs):
    grants.log(hijacked, AccountEvent.IMPERSONATION_ENDED, actor=hijacker)


def impersonation_ended_by_logout(sender, request, user, **kwargs):
    """Signing out (or being signed out after the idle time) while acting as someone ends the
    impersonation without django-hijack's release: journaled here, before the session goes."""
    history = request.session.get("hijack_history") if request is not None else None
    if not history or user is None:
        return
    hijacker = User.objects.filter(pk=history[-1]).first()
    grants.log(
        user,
        AccountEvent.IMPERSONATION_ENDED,
        actor=hijacker,
        reason="Déconnexion pendant la connexion en tant que",
    )
