"""Journal every start and end of an impersonation (django-hijack's signals)."""

from cnum.accounts import grants
from cnum.accounts.models import AccountEvent


def impersonation_started(sender, hijacker, hijacked, request, **kwargs):
    grants.log(hijacked, AccountEvent.IMPERSONATION_STARTED, actor=hijacker)


def impersonation_ended(sender, hijacker, hijacked, request, **kwargs):
    grants.log(hijacked, AccountEvent.IMPERSONATION_ENDED, actor=hijacker)
