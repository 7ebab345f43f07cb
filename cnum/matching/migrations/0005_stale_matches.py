# Matches closed past a delay ("expiree") and postponed by the structure (postponed_until):
# docs/domaine.md#mises-en-relation-perimees.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0004_contact_requests_and_reveals"),
    ]

    operations = [
        migrations.AddField(
            model_name="match",
            name="postponed_until",
            field=models.DateField(blank=True, null=True, verbose_name="reportée jusqu'au"),
        ),
        migrations.AlterField(
            model_name="match",
            name="status",
            field=models.CharField(
                choices=[
                    ("nouvelle", "Nouvelle"),
                    ("interessee", "Présélectionnée"),
                    ("nonInteressee", "Non retenue"),
                    ("recrutee", "Recrutement demandé"),
                    ("finalisee", "Recrutement validé"),
                    ("nouvelle_rupture", "Rupture de contrat signalée"),
                    ("finalisee_rupture", "Rupture de contrat validée"),
                    ("renouvellement_initie", "Renouvellement en cours"),
                    ("terminee", "Contrat terminé"),
                    ("non_disponible", "Candidat non disponible"),
                    ("finalisee_non_disponible", "Candidat recruté ailleurs"),
                    ("expiree", "Sans suite (délai dépassé)"),
                ],
                default="nouvelle",
                max_length=30,
                verbose_name="statut",
            ),
        ),
    ]
