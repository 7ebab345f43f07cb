"""Steering indicators against a hand-built programme, and who may see which territory."""

import datetime
import html

import pytest
from django.utils import timezone

from cnum.accounts.roles import Role
from cnum.accounts.testing import login, make_organisation, make_user
from cnum.candidates.testing import make_profile
from cnum.funding import ledger
from cnum.funding.enums import EnvelopePurpose
from cnum.matching.enums import MatchStatus as S
from cnum.recruitment.enums import RuptureMotif, RuptureState
from cnum.recruitment.models import Rupture
from cnum.recruitment.testing import employed, make_match, make_validated_structure, recruited
from cnum.stats import steering
from cnum.stats.steering import NATIONAL, Territory
from cnum.structures.enums import Status
from cnum.structures.testing import make_structure
from cnum.training.enums import EnrolmentStatus
from cnum.training.state import conseiller_state
from cnum.training.testing import make_conseiller, make_enrolment

pytestmark = pytest.mark.django_db

RHONE = Territory("departement", "69", "Rhône")
PARIS = Territory("departement", "75", "Paris")
AURA = Territory("region", "84", "Auvergne-Rhône-Alpes")


def days_ago(n):
    return timezone.now() - datetime.timedelta(days=n)


@pytest.fixture
def programme():
    """Rhône (69): structures A (3 posts), D (1 post, over-filled by imported matches) and B
    (not yet examined); Paris (75): structure C (1 post). Figures are counted by hand below."""
    admin = make_user(Role.ADMINISTRATEUR)
    a = make_validated_structure(posts=3, departement="69", manager=make_user())
    make_structure(departement="69")  # B, status CREEE
    make_structure(departement="69", confirmed=False)  # never confirmed: nobody sees it
    c = make_validated_structure(posts=1, departement="75", manager=make_user())
    d = make_validated_structure(posts=1, departement="69")

    a1 = employed(a, admin=admin)  # conseiller of A
    recruited(a)  # recruitment requested: holds a post, not yet a conseiller
    make_match(a, S.INTERESSEE)
    c1 = employed(c, admin=admin)
    d1 = make_match(d, S.FINALISEE)
    make_match(d, S.FINALISEE)
    make_profile(commune="75056")
    make_profile(active=False)  # e-mail never confirmed
    make_profile(is_available=False)

    # The committee decided 40 days (A) and 10 days (C) before the validated recruitments.
    a.decisions.update(decided_at=days_ago(40))
    c.decisions.update(decided_at=days_ago(10))

    conseiller_a = a1.candidate.user
    make_enrolment(
        conseiller=conseiller_a,
        status=EnrolmentStatus.TERMINEE,
        started_on=datetime.date(2025, 1, 6),
        ended_on=datetime.date(2025, 5, 6),
    )
    make_enrolment(
        conseiller=conseiller_a,
        status=EnrolmentStatus.EN_COURS,
        started_on=datetime.date(2026, 1, 5),
    )
    conseiller_d = make_conseiller(structure=d)
    make_enrolment(
        conseiller=conseiller_d,
        status=EnrolmentStatus.TERMINEE,
        started_on=datetime.date(2025, 1, 6),
        ended_on=datetime.date(2025, 5, 6),
    )

    Rupture.objects.create(
        match=d1,
        motif=RuptureMotif.DEMISSION,
        date=datetime.date(2026, 1, 31),
        notified_by=admin,
        state=RuptureState.VALIDATED,
        decided_by=admin,
        decided_at=timezone.now(),
    )
    Rupture.objects.create(
        match=a1, motif=RuptureMotif.LICENCIEMENT, date=datetime.date(2026, 2, 1), notified_by=admin
    )

    conseillers = ledger.open_envelope(EnvelopePurpose.CONSEILLERS)
    kits = ledger.open_envelope(EnvelopePurpose.KITS)
    ledger.commit(conseillers, a, 100_000, author=admin, reason="Postes")
    ledger.pay(a, 40_000, author=admin, reason="Premier versement")
    ledger.commit(conseillers, c, 50_000, author=admin, reason="Postes")
    ledger.commit(kits, d, 15_000, author=admin, reason="Kit")
    return {
        "conseillers": conseillers,
        "kits": kits,
        "conseiller_a": conseiller_a,
        "conseiller_c": c1.candidate.user,
        "conseiller_d": conseiller_d,
    }


def test_counts_by_departement(programme):
    data = steering.by_departement()
    assert dict(data["69"].counts) == {
        # a1, the pending recruit, the pre-selected candidate, c1 (lives in Lyon), D's two
        # imported matches and the unavailable candidate; the unconfirmed one is left out.
        "candidats_inscrits": 7,
        "candidats_disponibles": 4,  # the pending recruit, the pre-selected one, D's two
        "postes_attribues": 4,
        "postes_pourvus": 4,  # A: a1 and the pending recruit; D: two
        "postes_vacants": 1,  # A's third post; D's excess hides nothing
        "conseillers_recrutes": 3,
        "structures_accueil": 2,
        "conseillers_a_programmer": 0,
        "conseillers_en_formation": 1,  # an open enrolment wins over a finished one
        "conseillers_en_activite": 1,
        "ruptures_validees": 1,
        "ruptures_en_attente": 1,
    }
    paris = data["75"].counts
    assert paris["candidats_inscrits"] == 1
    assert paris["postes_attribues"] == paris["postes_pourvus"] == 1
    assert paris["postes_vacants"] == 0
    assert paris["conseillers_a_programmer"] == 1
    assert dict(data["69"].structures_by_status) == {
        Status.VALIDATION_COSELEC: 2,
        Status.CREEE: 1,
    }


def test_training_states_follow_the_training_rule(programme):
    """The grouped count and the training app's own rule agree conseiller by conseiller."""
    states = {
        "conseiller_a": "en_formation",
        "conseiller_c": "a_programmer",
        "conseiller_d": "en_activite",
    }
    for name, expected in states.items():
        assert conseiller_state(programme[name])[0] == expected


def test_delay_from_decision_to_recruitment(programme):
    data = steering.by_departement()
    assert dict(data["69"].delays) == {40: 1}
    assert dict(data["75"].delays) == {10: 1}
    national = steering.summarise(data, None)
    assert national.median_delay == 25
    assert national.delay_distribution() == [
        ("Moins de 30 jours", 1),
        ("30 à 59 jours", 1),
        ("60 à 89 jours", 0),
        ("90 à 179 jours", 0),
        ("180 jours et plus", 0),
    ]


@pytest.mark.parametrize(
    ("histogram", "expected"),
    [({}, None), ({7: 1}, 7), ({1: 1, 3: 1}, 2), ({1: 2, 9: 1}, 1), ({2: 1, 4: 2, 30: 1}, 4)],
)
def test_median_of_a_histogram(histogram, expected):
    assert steering.median(histogram) == expected


def test_money_per_envelope_and_territory(programme):
    conseillers, kits = programme["conseillers"], programme["kits"]
    rhone = steering.report(RHONE, steering.Scope(None, NATIONAL))
    money = dict((e.pk, b) for e, b in rhone.envelopes)
    assert money[conseillers.pk] == ledger.Balance(100_000, 40_000)
    assert money[conseillers.pk].unpaid == 60_000
    assert money[kits.pk] == ledger.Balance(15_000, 0)
    national = steering.report(NATIONAL, steering.Scope(None, NATIONAL))
    money = dict((e.pk, b) for e, b in national.envelopes)
    assert money[conseillers.pk] == ledger.Balance(150_000, 40_000)


def test_region_adds_up_its_departements_and_lists_them(programme):
    scope = steering.Scope(None, NATIONAL)
    region = steering.report(AURA, scope)
    assert region.indicators.counts["postes_attribues"] == 4
    listed = [child.code for child, _ in region.rows]
    assert "69" in listed and "75" not in listed
    rhone_row = next(values for child, values in region.rows if child.code == "69")
    assert rhone_row.counts["conseillers_recrutes"] == 3
    national = steering.report(NATIONAL, scope)
    assert national.indicators.counts["postes_attribues"] == 5
    assert national.indicators.counts["conseillers_recrutes"] == 4
    assert {child.niveau for child, _ in national.rows} >= {"region"}


def test_one_query_per_indicator(programme, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        steering.by_departement()


# Who sees what


def prefet(departement=None, region=None):
    organisation = make_organisation("prefecture", departement=departement, region=region)
    return make_user(Role.PREFET, organisation=organisation)


def test_scope_of_each_viewer():
    admin = steering.viewer_scope(make_user(Role.ADMINISTRATEUR))
    assert admin.departements is None and admin.home == NATIONAL

    dep = steering.viewer_scope(prefet(departement="69"))
    assert dep.home == RHONE
    assert dep.allows(RHONE) and not dep.allows(PARIS)
    assert not dep.allows(AURA, steering.departement_codes(AURA))
    assert not dep.allows(NATIONAL)

    region = steering.viewer_scope(prefet(departement=None, region="84"))
    assert region.home.code == "84"
    assert region.allows(RHONE) and region.allows(AURA, steering.departement_codes(AURA))
    assert not region.allows(PARIS) and not region.allows(NATIONAL)

    for role in (Role.GESTIONNAIRE_STRUCTURE, Role.CONSEILLER, Role.OPERATEUR_FINANCIER):
        with pytest.raises(steering.PermissionDenied):
            steering.viewer_scope(make_user(role))


URL = "/statistiques/pilotage/"


def test_departement_prefet_sees_their_departement_only(client, programme):
    login(client, prefet(departement="69"))
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Rhône" in page and "Postes vacants" in page
    assert client.get(URL, {"departement": "69"}).status_code == 200

    for query in ({"departement": "75"}, {"region": "84"}, {"region": "11"}):
        refused = client.get(URL, query)
        assert refused.status_code == 403
        text = html.unescape(refused.content.decode())
        assert "hors de votre territoire" in text
        assert "Postes vacants" not in text and "Paris" not in text


def test_region_prefet_drills_down_to_their_departements(client, programme):
    login(client, prefet(departement=None, region="84"))
    page = client.get(URL).content.decode()
    assert "Auvergne-Rhône-Alpes" in page
    assert f'href="{URL}?departement=69"' in page
    # The map of vacant posts holds their région's départements only.
    assert [row[0] for row in client.get(URL).context["map"].rows] == ["69"]
    assert client.get(URL, {"departement": "69"}).status_code == 200
    assert client.get(URL, {"departement": "75"}).status_code == 403
    assert client.get(URL, {"region": "11"}).status_code == 403


def test_admin_drills_down_from_the_nation(client, programme):
    login(client, make_user(Role.ADMINISTRATEUR))
    page = client.get(URL).content.decode()
    assert "France entière" in page
    assert f'href="{URL}?region=84"' in page
    region = client.get(URL, {"region": "84"}).content.decode()
    assert f'href="{URL}?departement=69"' in region
    paris = client.get(URL, {"departement": "75"})
    assert paris.status_code == 200
    assert paris.context["report"].indicators.counts["postes_attribues"] == 1
    assert client.get(URL, {"departement": "999"}).status_code == 404


@pytest.mark.parametrize(
    "role",
    [
        Role.CANDIDAT,
        Role.GESTIONNAIRE_STRUCTURE,
        Role.COORDINATEUR,
        Role.ORGANISME_FORMATION,
        Role.OPERATEUR_FINANCIER,
        Role.CONSEILLER,
        Role.AIDANT,
    ],
)
def test_every_other_role_is_refused(client, role):
    login(client, make_user(role))
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"departement": "69"}).status_code == 403
