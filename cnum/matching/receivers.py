"""The platform follows each candidate: availability moves their matches at once.

Zone and distance changes need nothing here: eligibility is computed live.
"""

from django.dispatch import receiver

from cnum.candidates.signals import profile_changed, profile_deleted


@receiver(profile_changed)
def follow_availability(sender, profile, changed_fields, **kwargs):
    from cnum.matching import services

    if "is_available" not in changed_fields:
        return
    if profile.is_available:
        services.candidate_available(profile)
    else:
        services.candidate_unavailable(profile)


@receiver(profile_deleted)
def forget_candidate(sender, profile, **kwargs):
    """Notes, matches and contact requests go with the profile (cascade); their status history
    goes too. The record of reveals keeps only the profile's number."""
    from django.contrib.contenttypes.models import ContentType

    from cnum.matching.models import ContactRequest, Match
    from cnum.workflow.models import TransitionLog

    for model in (Match, ContactRequest):
        TransitionLog.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=list(
                model.objects.filter(candidate=profile).values_list("pk", flat=True)
            ),
        ).delete()
