"""Followed beneficiaries: edit, delete (personal data erased, still counted anonymously) and
the 24-month retention purge."""

import datetime
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cnum.accounts.testing import login
from cnum.activity import retention, services
from cnum.activity.models import Beneficiary, Cra
from cnum.activity.signals import records_changed, records_changing
from cnum.activity.testing import make_beneficiary, make_conseiller, make_cra

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(datetime.datetime(2026, 11, 26, 3, 0))


@pytest.fixture
def conseiller(client):
    user = make_conseiller()
    login(client, user)
    return user


@contextmanager
def signals_sent():
    """The (signal name, sorted record pks) pairs sent inside the block."""
    sent = []

    def changing(sender, queryset, **kwargs):
        sent.append(("changing", sorted(queryset.values_list("pk", flat=True))))

    def changed(sender, queryset, **kwargs):
        sent.append(("changed", sorted(queryset.values_list("pk", flat=True))))

    records_changing.connect(changing, weak=False)
    records_changed.connect(changed, weak=False)
    try:
        yield sent
    finally:
        records_changing.disconnect(changing)
        records_changed.disconnect(changed)


def followed_individual(conseiller, beneficiary, **fields):
    return make_cra(
        conseiller,
        beneficiary=beneficiary,
        participants_anonymes=0,
        genre_non_communique=0,
        age_non_communique=0,
        statut_non_communique=0,
        **fields,
    )


def collective(conseiller, *beneficiaries, **fields):
    cra = make_cra(
        conseiller,
        type="collectif",
        titre="Découvrir internet",
        participants_anonymes=2,
        genre_non_communique=0,
        genre_feminin=2,
        age_non_communique=2,
        statut_non_communique=2,
        **fields,
    )
    cra.beneficiaries.set(beneficiaries)
    return cra


BENEFICIARY_POST = {
    "prenom": "Léa",
    "nom": "Petit",
    "telephone": "0600000000",
    "email": "lea@exemple.fr",
    "genre": "feminin",
    "annee_naissance": "1950",
    "statut": "retraite",
    "commune": "75056",
    "consentement": "on",
}


def test_edit_every_field(client, conseiller):
    beneficiary = make_beneficiary(conseiller)
    url = reverse("activity:beneficiary_edit", kwargs={"pk": beneficiary.pk})
    page = client.get(url).content.decode()
    assert 'value="Bernard"' in page
    response = client.post(url, BENEFICIARY_POST)
    assert response.status_code == 302
    beneficiary.refresh_from_db()
    assert (beneficiary.prenom, beneficiary.nom, beneficiary.email) == (
        "Léa",
        "Petit",
        "lea@exemple.fr",
    )
    assert (beneficiary.annee_naissance, beneficiary.commune_id) == (1950, "75056")
    assert (beneficiary.genre, beneficiary.statut) == ("feminin", "retraite")


def test_edit_keeps_consent_mandatory_and_loses_nothing(client, conseiller):
    beneficiary = make_beneficiary(conseiller)
    url = reverse("activity:beneficiary_edit", kwargs={"pk": beneficiary.pk})
    data = {**BENEFICIARY_POST}
    del data["consentement"]
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ce champ est obligatoire" in page
    assert 'value="lea@exemple.fr"' in page
    beneficiary.refresh_from_db()
    assert beneficiary.nom == "Bernard"


def test_edit_of_a_counted_field_announces_the_records(client, conseiller):
    beneficiary = make_beneficiary(conseiller)
    cra = followed_individual(conseiller, beneficiary)
    workshop = collective(conseiller, beneficiary)
    url = reverse("activity:beneficiary_edit", kwargs={"pk": beneficiary.pk})
    with signals_sent() as sent:
        client.post(url, {**BENEFICIARY_POST, "prenom": "Alix", "nom": "Bernard"})
    assert sent == [("changing", sorted([cra.pk, workshop.pk])),
                    ("changed", sorted([cra.pk, workshop.pk]))]  # fmt: skip
    with signals_sent() as sent:
        client.post(url, {**BENEFICIARY_POST, "telephone": "0700000000"})
    assert sent == []  # the telephone is counted nowhere


def test_someone_elses_beneficiary_is_a_404_and_unchanged(client, conseiller):
    other = make_beneficiary(make_conseiller())
    for name in ("activity:beneficiary_edit", "activity:beneficiary_delete"):
        url = reverse(name, kwargs={"pk": other.pk})
        assert client.post(url, BENEFICIARY_POST).status_code == 404
    other.refresh_from_db()
    assert other.nom == "Bernard" and other.deleted_at is None


def test_delete_erases_personal_data_and_keeps_the_counts(client, conseiller):
    beneficiary = make_beneficiary(
        conseiller,
        telephone="0600000000",
        email="alix@exemple.fr",
        genre="feminin",
        annee_naissance=1990,
        statut="en_emploi",
        commune_id="75056",
    )
    # Born in 1990: 30 on this record's date, 35 on the other's.
    alone = followed_individual(conseiller, beneficiary, date=datetime.date(2020, 6, 1))
    workshop = collective(conseiller, beneficiary, make_beneficiary(conseiller))
    url = reverse("activity:beneficiary_delete", kwargs={"pk": beneficiary.pk})
    assert "resteront comptés" in client.get(url).content.decode()
    with signals_sent() as sent:
        assert client.post(url).status_code == 302
    assert sent == [("changing", sorted([alone.pk, workshop.pk])),
                    ("changed", sorted([alone.pk, workshop.pk]))]  # fmt: skip

    beneficiary.refresh_from_db()
    assert beneficiary.deleted_at is not None
    assert "Bernard" not in str(beneficiary) and "Alix" not in str(beneficiary)
    assert (beneficiary.telephone, beneficiary.email) == ("", "")
    assert beneficiary.annee_naissance is None and beneficiary.commune_id is None

    alone.refresh_from_db()
    assert alone.beneficiary_id is None and alone.participants_anonymes == 1
    assert (alone.genre_feminin, alone.age_vingt_cinq_trente_neuf, alone.statut_en_emploi) == (
        1,
        1,
        1,
    )
    workshop.refresh_from_db()
    assert workshop.participants_anonymes == 3
    assert workshop.participants_total == 4  # the other followed person is still there
    assert (workshop.genre_feminin, workshop.age_non_communique) == (3, 2)
    expected_age = services.tranche_at(
        Beneficiary(annee_naissance=1990), workshop.date
    )  # computed on the record's date
    assert getattr(workshop, f"age_{expected_age}") == 1
    assert workshop.statut_en_emploi == 1

    listing = client.get(reverse("activity:beneficiaries")).content.decode()
    assert "Bernard" in listing  # the other one
    assert reverse("activity:beneficiary_detail", kwargs={"pk": beneficiary.pk}) not in listing
    detail = reverse("activity:beneficiary_detail", kwargs={"pk": beneficiary.pk})
    assert client.get(detail).status_code == 404


def test_age_bracket_on_the_records_date():
    born_2000 = Beneficiary(annee_naissance=2000)
    assert services.tranche_at(born_2000, datetime.date(2011, 1, 1)) == "moins_de_douze"
    assert services.tranche_at(born_2000, datetime.date(2025, 1, 1)) == "vingt_cinq_trente_neuf"
    assert services.tranche_at(Beneficiary(), datetime.date(2025, 1, 1)) == "non_communique"


def aged(beneficiary, days):
    Beneficiary.objects.filter(pk=beneficiary.pk).update(
        created_at=NOW - datetime.timedelta(days=days)
    )


def test_purge_deletes_who_had_no_record_for_24_months():
    conseiller = make_conseiller()
    never_seen = make_beneficiary(conseiller, nom="Ancien")
    aged(never_seen, 800)
    seen_long_ago = make_beneficiary(conseiller, nom="Lointain", genre="masculin")
    aged(seen_long_ago, 900)
    old_record = followed_individual(conseiller, seen_long_ago, date=datetime.date(2024, 11, 1))
    seen_lately = make_beneficiary(conseiller, nom="Récent")
    aged(seen_lately, 900)
    followed_individual(conseiller, seen_lately, date=datetime.date(2024, 12, 1))
    in_a_workshop = make_beneficiary(conseiller, nom="Atelier")
    aged(in_a_workshop, 900)
    collective(conseiller, in_a_workshop, date=datetime.date(2025, 6, 1))
    new = make_beneficiary(conseiller, nom="Nouveau")  # created today, no record yet

    assert retention.purge_expired(NOW) == 2
    alive = Beneficiary.objects.filter(deleted_at__isnull=True)
    assert set(alive.values_list("nom", flat=True)) == {"Récent", "Atelier", "Nouveau"}
    assert new in alive
    old_record.refresh_from_db()
    assert old_record.beneficiary_id is None and old_record.genre_masculin == 1
    assert retention.purge_expired(NOW) == 0  # the deleted ones are not deleted again


def test_a_deleted_record_does_not_keep_a_beneficiary():
    conseiller = make_conseiller()
    beneficiary = make_beneficiary(conseiller)
    aged(beneficiary, 900)
    recent = followed_individual(conseiller, beneficiary, date=datetime.date(2026, 1, 5))
    services.soft_delete(recent)
    assert list(retention.expired(NOW)) == [beneficiary]


def test_purge_command_and_task(run_tasks):
    conseiller = make_conseiller()
    first, second = make_beneficiary(conseiller), make_beneficiary(conseiller)
    for beneficiary in (first, second):
        aged(beneficiary, 25 * 31)
    out = StringIO()
    call_command("purge_beneficiaries", stdout=out)
    assert "2 bénéficiaire(s) suivi(s) supprimé(s)" in out.getvalue()
    assert not Beneficiary.objects.filter(deleted_at__isnull=True).exists()

    third = make_beneficiary(conseiller)
    aged(third, 25 * 31)
    call_command("purge_beneficiaries", "--enqueue", stdout=StringIO())
    run_tasks()
    third.refresh_from_db()
    assert third.deleted_at is not None and third.email == ""


def test_records_stay_consistent_in_the_database_after_a_delete():
    conseiller = make_conseiller()
    beneficiary = make_beneficiary(conseiller, genre="masculin", statut="sans_emploi")
    followed_individual(conseiller, beneficiary)
    collective(conseiller, beneficiary)
    services.delete_beneficiary(beneficiary)
    for cra in Cra.objects.all():
        assert cra.genre_masculin + cra.genre_feminin + cra.genre_non_communique == (
            cra.participants_anonymes
        )
        assert cra.statut_sans_emploi >= 1
