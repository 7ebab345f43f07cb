from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class PlacesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cnum.places"
    verbose_name = "Lieux de médiation numérique"

    def ready(self):
        from cnum.places.models import Place
        from cnum.structures.models import Structure

        post_save.connect(_place_changed, sender=Place, dispatch_uid="places-nearby-save")
        post_delete.connect(_place_changed, sender=Place, dispatch_uid="places-nearby-delete")
        post_save.connect(_structure_saved, sender=Structure, dispatch_uid="places-nearby-status")


def _place_changed(sender, **kwargs):
    from cnum.places import nearby

    nearby.bump()


def _structure_saved(sender, update_fields=None, **kwargs):
    """A structure's status decides whether its places are public (places.moderation)."""
    if update_fields is None or "status" in update_fields:
        from cnum.places import nearby

        nearby.bump()
