from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

from cnum.candidates.models import CandidateProfile


@receiver(user_logged_in)
def activate_confirmed_profile(sender, request, user, **kwargs):
    """A candidate who confirmed through the generic account link (e.g. a resent one) still
    gets an active profile: logging in requires a confirmed address."""
    from cnum.candidates import services

    if user.email_confirmed_at is None:
        return
    profiles = CandidateProfile.objects.filter(user=user)
    profiles.update(last_activity_at=timezone.now())
    pending = profiles.filter(activated_at__isnull=True).first()
    if pending is not None:
        services.activate(pending)
        user.__dict__.pop("_roles_cache", None)
