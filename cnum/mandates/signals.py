"""Journal the logins and second-factor checks of habilitated aidants.

TOTP checks are seen where django-otp records them (the device row): whether the code was typed
at login (accounts) or before a mandate action (mandates:reverify), one journal row each.
"""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice


def _aidant_profile(user_id):
    from cnum.mandates.models import AidantProfile

    return (
        AidantProfile.objects.filter(membership__user_id=user_id, membership__is_active=True)
        .select_related("membership")
        .first()
    )


@receiver(user_logged_in, dispatch_uid="mandates_journal_login")
def journal_aidant_login(sender, request, user, **kwargs):
    from cnum.mandates.models import JournalEntry

    profile = _aidant_profile(user.pk)
    if profile is not None:
        JournalEntry.log_login(user, organisation=profile.membership.organisation_id)


@receiver(pre_save, sender=TOTPDevice, dispatch_uid="mandates_totp_before")
def remember_totp_state(sender, instance, **kwargs):
    if instance.pk:
        instance._mandates_before = (
            TOTPDevice.objects.filter(pk=instance.pk)
            .values_list("last_t", "throttling_failure_count")
            .first()
        )


@receiver(post_save, sender=TOTPDevice, dispatch_uid="mandates_totp_after")
def journal_totp_check(sender, instance, created, **kwargs):
    from cnum.mandates.models import JournalEntry

    before = getattr(instance, "_mandates_before", None)
    if created or before is None:
        return
    last_t, failures = before
    if instance.last_t != last_t:
        success = True
    elif instance.throttling_failure_count > failures:
        success = False
    else:
        return
    if _aidant_profile(instance.user_id) is not None:
        JournalEntry.log_totp_check(instance.user_id, success=success)
