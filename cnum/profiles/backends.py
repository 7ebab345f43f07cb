"""Password login that also reactivates an account deactivated for inactivity."""

from django.contrib.auth.backends import ModelBackend

from cnum.accounts.models import User
from cnum.profiles import dormancy


class DormantAccountBackend(ModelBackend):
    """An account put to sleep by cnum.profiles.dormancy wakes with its right password, before
    the anonymisation deadline; one deactivated by the administration stays closed."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None or username is None or password is None:
            return user
        asleep = User.objects.filter(email__iexact=username, is_active=False).first()
        if asleep and dormancy.is_asleep(asleep) and asleep.check_password(password):
            dormancy.wake(asleep)
            return asleep
        return None
