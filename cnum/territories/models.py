from django.db import models


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    nom = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = "région"

    def __str__(self):
        return self.nom


class Departement(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    nom = models.CharField(max_length=100)
    # Null for the collectivités d'outre-mer (975, 977, 978), which belong to no région.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "département"

    def __str__(self):
        return f"{self.nom} ({self.code})"


class CoordinatePrecision(models.TextChoices):
    EXACTE = "exacte", "Centre de la commune"
    CODE_POSTAL = "code_postal", "Commune voisine de même code postal"
    CHEF_LIEU_ARRONDISSEMENT = "chef_lieu_arrondissement", "Chef-lieu d'arrondissement"
    CHEF_LIEU_DEPARTEMENT = "chef_lieu_departement", "Chef-lieu de département"


class Commune(models.Model):
    class Type(models.TextChoices):
        COMMUNE = "COM", "Commune"
        ARRONDISSEMENT = "ARM", "Arrondissement municipal"

    code_insee = models.CharField(max_length=5, primary_key=True)
    nom = models.CharField(max_length=100)
    type = models.CharField(max_length=3, choices=Type.choices, default=Type.COMMUNE)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="arrondissements"
    )
    codes_postaux = models.JSONField(default=list)
    population = models.PositiveIntegerField(default=0)
    latitude = models.FloatField()
    longitude = models.FloatField()
    precision = models.CharField(max_length=30, choices=CoordinatePrecision.choices)
    # Normalised name (no accents, lower case, "saint" spelled out) used for searching.
    nom_recherche = models.CharField(max_length=100, db_index=True)

    class Meta:
        ordering = ["nom", "code_insee"]
        verbose_name = "commune"
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="commune_lat_lon"),
            models.Index(fields=["-population"], name="commune_population"),
        ]

    def __str__(self):
        return f"{self.nom} ({self.departement_id})"


class CodePostal(models.Model):
    """One row per (postal code, commune): a postal code may span several communes and départements."""

    code = models.CharField(max_length=5, db_index=True)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="postal_codes")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "commune"], name="code_postal_commune_unique")
        ]
        verbose_name = "code postal"

    def __str__(self):
        return self.code
