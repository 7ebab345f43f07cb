# The "toujours disponible ?" survey: when it was last sent, when last answered "oui".

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0002_candidateprofile_candidate_eligible"),
    ]

    operations = [
        migrations.AddField(
            model_name="candidateprofile",
            name="availability_asked_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="disponibilité demandée le"
            ),
        ),
        migrations.AddField(
            model_name="candidateprofile",
            name="availability_confirmed_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="disponibilité confirmée le"
            ),
        ),
    ]
