from django.db import migrations
from django.db.models import F


def keep_validated_aidants_habilitated(apps, schema_editor):
    """Aidants validated before training sessions existed were trained under the former
    procedure (date and Pix checked by the administration): they stay habilitated."""
    AidantProfile = apps.get_model("mandates", "AidantProfile")
    AidantProfile.objects.filter(
        validated_at__isnull=False, attendance_recorded_at__isnull=True
    ).update(attendance_recorded_at=F("validated_at"))


class Migration(migrations.Migration):
    dependencies = [("mandates", "0006_aidant_training_languages")]

    operations = [
        migrations.RunPython(keep_validated_aidants_habilitated, migrations.RunPython.noop),
    ]
