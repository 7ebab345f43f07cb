from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from cnum.profiles import dormancy


@receiver(user_logged_in, dispatch_uid="profiles_wake_on_login")
def wake_on_login(sender, user, **kwargs):
    """A login, whatever its way in, proves the account is used: the inactivity count restarts."""
    dormancy.wake(user)
