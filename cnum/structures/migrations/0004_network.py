"""The managed list of national networks replaces the free-text « grand réseau » of structures.

Each distinct declared name becomes one Network (names equal but for case, spaces or accents
share one: the slug decides), and each structure points to it; then the text field goes.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.utils.text import slugify


def networks_from_free_text(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # Checked now: deferred foreign-key checks left pending would forbid dropping the
        # column in the same transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    Network = apps.get_model("structures", "Network")
    Structure = apps.get_model("structures", "Structure")
    by_slug = {network.slug: network for network in Network.objects.all()}
    declared = (
        Structure.objects.exclude(grand_reseau="").order_by("pk").values_list("pk", "grand_reseau")
    )
    members = {}
    for pk, text in declared:
        name = " ".join(text.split())
        slug = slugify(name)
        if not slug:
            continue
        if slug not in by_slug:
            by_slug[slug] = Network.objects.create(
                kind="reseau", name=name[:100], slug=slug[:120], active=True
            )
        members.setdefault(by_slug[slug].pk, []).append(pk)
    for network_pk, pks in members.items():
        Structure.objects.filter(pk__in=pks).update(network_id=network_pk)


def free_text_from_networks(apps, schema_editor):
    Structure = apps.get_model("structures", "Structure")
    for pk, name in Structure.objects.filter(network__isnull=False).values_list(
        "pk", "network__name"
    ):
        Structure.objects.filter(pk=pk).update(grand_reseau=name[:100])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_hub_grand_reseau_roles"),
        ("structures", "0003_alter_committeedecision_opinion_decisioncorrection"),
    ]

    operations = [
        migrations.CreateModel(
            name="Network",
            fields=[
                (
                    "organisation_ptr",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        related_name="as_network",
                        serialize=False,
                        to="accounts.organisation",
                    ),
                ),
                ("slug", models.SlugField(max_length=120, unique=True, verbose_name="identifiant")),
                ("active", models.BooleanField(default=True, verbose_name="actif")),
            ],
            options={
                "verbose_name": "grand réseau",
                "verbose_name_plural": "grands réseaux",
                "ordering": ["organisation_ptr__name"],
            },
            bases=("accounts.organisation",),
        ),
        migrations.AddField(
            model_name="structure",
            name="network",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="structures",
                to="structures.network",
                verbose_name="grand réseau",
            ),
        ),
        migrations.RunPython(networks_from_free_text, free_text_from_networks),
        migrations.RemoveField(model_name="structure", name="grand_reseau"),
    ]
