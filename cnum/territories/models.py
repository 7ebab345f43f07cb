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

    code_insee = models.CharField("code INSEE", max_length=5, primary_key=True)
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
    # Normalised name (services.normalise) used for searching. On PostgreSQL, db_index on a
    # CharField also creates a varchar_pattern_ops index, so LIKE 'prefix%' is indexed there.
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

    @property
    def libelle(self):
        """The unambiguous label users type and see: « Nom (département) »."""
        return f"{self.nom} ({self.departement_id})"


class CodePostal(models.Model):
    """One row per (postal code, commune): a code may span several communes and départements."""

    code = models.CharField(max_length=5, db_index=True)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="postal_codes")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "commune"], name="code_postal_commune_unique")
        ]
        verbose_name = "code postal"

    def __str__(self):
        return self.code


class ReferenceDataset(models.Model):
    """Which version of a reference data file is loaded: reloading an unchanged file is a no-op."""

    name = models.CharField(max_length=50, primary_key=True)
    checksum = models.CharField("empreinte SHA-256", max_length=64)
    loaded_at = models.DateTimeField("chargé le")
    summary = models.JSONField("résumé", default=dict)

    class Meta:
        verbose_name = "jeu de données de référence"

    def __str__(self):
        return self.name


class FormerCommune(models.Model):
    """A commune déléguée or associée: found by its name, it stands for its current commune."""

    class Kind(models.TextChoices):
        DELEGUEE = "D", "commune déléguée"
        ASSOCIEE = "A", "commune associée"

    code_insee = models.CharField("code INSEE", max_length=5, primary_key=True)
    nom = models.CharField(max_length=100)
    kind = models.CharField(max_length=1, choices=Kind.choices)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="former_communes")

    class Meta:
        ordering = ["nom", "code_insee"]
        verbose_name = "ancienne commune"

    def __str__(self):
        return self.libelle

    @property
    def libelle(self):
        """« Annecy-le-Vieux, commune déléguée d'Annecy »."""
        return f"{self.nom}, {self.get_kind_display()} {of_name(self.commune.nom)}"


def of_name(nom):
    """« de » before a name, with elision and contraction: « d'Annecy », « du Havre »."""
    for article, contracted in (("Le ", "du "), ("Les ", "des ")):
        if nom.startswith(article):
            return contracted + nom[len(article) :]
    if nom[:1].casefold() in "aeiouyàâéèêîïôœ":
        return f"d'{nom}"
    return f"de {nom}"


class CommuneSearchKey(models.Model):
    """Every word-start suffix of a commune's normalised name, so that an indexed prefix query
    finds « etienne » in « saint etienne » as well as the name's own start."""

    key = models.CharField(max_length=100)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="search_keys")
    # Set when the key is the name of a former commune that stands for `commune`.
    former = models.ForeignKey(
        FormerCommune, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # True for the key that is the whole name: an exact name ranks first.
    whole_name = models.BooleanField(default=False)
    # Copied from the commune so the best matches come straight from this table's index.
    population = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            # Covering index: prefix range on key, then ranking columns, no table access.
            # The opclass lets PostgreSQL serve LIKE 'prefix%' whatever the database collation;
            # other engines ignore opclasses.
            models.Index(
                fields=["key", "population", "commune", "whole_name", "former"],
                opclasses=[
                    "varchar_pattern_ops",
                    "int4_ops",
                    "varchar_pattern_ops",
                    "bool_ops",
                    "varchar_pattern_ops",
                ],
                name="commune_search_key",
            )
        ]
        verbose_name = "clé de recherche de commune"

    def __str__(self):
        return self.key
