"""Public statistics: the rules of statistical secrecy (primary and secondary), the published
figures of each territory, the page and the open-data files."""

import csv
import datetime
import html
import io
import pickle
from decimal import Decimal
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cnum.activity.enums import GENRE_FIELDS
from cnum.activity.testing import make_conseiller as make_active_conseiller
from cnum.activity.testing import make_cra
from cnum.stats import public, public_aidants, public_referrals
from cnum.stats.models import PublicSnapshot
from cnum.stats.public import DEPARTEMENT, FRANCE, NATIONAL, REGION, Cell, primary_secret, protect
from cnum.stats.rebuild import rebuild
from cnum.stats.tasks import refresh_public_statistics
from cnum.structures.enums import Status
from cnum.structures.testing import make_structure
from cnum.territories.models import Departement


@pytest.fixture(autouse=True)
def fresh_figures(settings):
    """Every test reads the figures of its own data, never a cached publication."""
    settings.STATS_PUBLIC_CACHE_SECONDS = 0


# The rules on hand-built cells


@pytest.mark.parametrize(
    ("cell", "secret"),
    [
        (Cell(4, beneficiaires=4, conseillers=10), True),
        (Cell(5, beneficiaires=5, conseillers=3), False),
        (Cell(40, beneficiaires=40, conseillers=2), True),
        (Cell(2, conseillers=2), True),  # a count of conseillers
        (Cell(3, conseillers=3), False),
        (Cell(0, beneficiaires=0, conseillers=0), False),  # nobody to protect
        (Cell(1), False),  # not about people (places)
    ],
)
def test_primary_secret(cell, secret):
    assert primary_secret(cell) is secret


def cells(**values):
    """Cells by name; names ending in _s are already secret (primary)."""
    return {name: Cell(value, secret=name.endswith("_s")) for name, value in values.items()}


def test_a_lone_hidden_part_hides_the_smallest_other_part():
    found = cells(total=20, a_s=3, b=0, c=7, d=10)
    hidden = protect(found, [("total", ["a_s", "b", "c", "d"])])
    assert hidden == ["c"]  # the smallest non-zero: hiding a zero would protect nothing
    assert [k for k, c in found.items() if c.secret] == ["a_s", "c"]


def test_two_hidden_parts_need_nothing_more():
    found = cells(total=20, a_s=3, b_s=2, c=15)
    assert protect(found, [("total", ["a_s", "b_s", "c"])]) == []


def test_a_hidden_total_hides_a_part():
    found = cells(total_s=9, a=5, b=4)
    assert protect(found, [("total_s", ["a", "b"])]) == ["b"]


def test_secondary_suppression_cascades_through_shared_cells():
    # Individual accompaniments belong to two sums: hiding it in one opens the other.
    found = cells(activites=15, individuels=12, ateliers_s=3, accompagnements=21, participants=9)
    hidden = protect(
        found,
        [
            ("activites", ["individuels", "ateliers_s"]),
            ("accompagnements", ["individuels", "participants"]),
        ],
    )
    assert hidden == ["individuels", "participants"]


def test_zeros_and_the_total_are_the_last_resort():
    found = cells(total=9, a_s=9, b=0)
    assert protect(found, [("total", ["a_s", "b"])]) == ["b"]
    assert protect(found, [("total", ["a_s", "b"])]) == []  # settled: two hidden
    alone = cells(total=9, a_s=9)
    assert protect(alone, [("total", ["a_s"])]) == ["total"]


# Figures from activity records


def records(conseiller, n, **fields):
    for _ in range(n):
        make_cra(conseiller, **fields)


def genre(value):
    return {GENRE_FIELDS["non_communique"]: 0, GENRE_FIELDS[value]: 1}


@pytest.fixture
def rhone(db):
    """Three conseillers in the Rhône, 12 individual records at a distance, 30 minutes each,
    on e-mail: genre masculin 6 (2 each), féminin 5 (2, 2, 1), non communiqué 1 (k3 only)."""
    # Validated by the committee, as a structure with conseillers is: its places are public.
    structure = make_structure(departement="69", status=Status.VALIDATION_COSELEC)
    k1, k2, k3 = (make_active_conseiller(structure=structure) for _ in range(3))
    for k in (k1, k2, k3):
        records(k, 2, **genre("masculin"))
    records(k1, 2, **genre("feminin"))
    records(k2, 2, **genre("feminin"))
    records(k3, 1, **genre("feminin"))
    records(k3, 1)  # genre non communiqué
    rebuild()
    return structure


def territory(data, niveau, code):
    return data.of(niveau, code)


def test_departement_figures_and_their_secrecy(rhone):
    data = public.publication()
    rhone_ = territory(data, DEPARTEMENT, "69")
    cells_ = rhone_.cells
    assert (cells_["activites"].shown, cells_["accompagnements"].shown) == (12, 12)
    assert cells_["accompagnements_individuels"].shown == 12
    assert cells_["ateliers_collectifs"].shown == 0
    assert cells_["conseillers_actifs"].shown == 3
    assert cells_["lieux"].shown == 3  # each conseiller's main place
    assert cells_["thematique_email"].shown == 12
    assert cells_["lieu_a_distance"].shown == 12
    assert cells_["duree_30_60"].shown == 12
    # Genre: « non communiqué » (1 person, 1 conseiller) is secret; féminin is hidden with it,
    # else it would be 12 − 6 = 6 − 5.
    assert cells_["genre_masculin"].shown == 6
    assert cells_["genre_feminin"].secret and cells_["genre_non_communique"].secret
    assert cells_["genre_masculin"].share == Decimal("50.0")
    assert cells_["genre_feminin"].share is None
    # A département without activity publishes zeros.
    assert territory(data, DEPARTEMENT, "13").cells["accompagnements"].shown == 0


def test_shares_of_a_partition_add_up_to_100(rhone):
    data = public.publication()
    genre_ = next(items for b, items in territory(data, DEPARTEMENT, "69").breakdowns()
                  if b.prefix == "genre")  # fmt: skip
    assert [cell.value for _, _, cell in genre_] == [6, 5, 1]
    computed = public.largest_remainder([6, 5, 1], decimals=1)
    assert sum(computed) == 100
    assert computed == [Decimal("50.0"), Decimal("41.7"), Decimal("8.3")]


def test_region_and_nation_add_up_their_departements(rhone):
    data = public.publication()
    region = territory(data, REGION, "84")
    france = territory(data, NATIONAL, FRANCE)
    for column in ("accompagnements", "genre_masculin", "conseillers_actifs"):
        assert region.cells[column].shown == france.cells[column].shown
    assert region.cells["accompagnements"].shown == 12
    assert [t.place.code for t in data.children(region)] == list(
        Departement.objects.filter(region_id="84").order_by("code").values_list("code", flat=True)
    )


def sums_of(data):
    """Every published sum: (total cell, part cells), as `public` declares them."""
    relations = []
    for territory_ in data.territories.values():
        for total, parts in public.SUMS:
            relations.append((territory_.cells[total], [territory_.cells[p] for p in parts]))
        children = data.children(territory_)
        for column in public.PROTECTED_COLUMNS:
            relations.append(
                (territory_.cells[column], [child.cells[column] for child in children])
            )
    return relations


def test_a_secret_departement_cannot_be_recomputed_from_its_region_or_the_nation(rhone):
    paris = make_active_conseiller(structure=make_structure(departement="75"))
    records(paris, 6)
    rebuild()
    data = public.publication()
    paris_ = territory(data, DEPARTEMENT, "75")
    assert paris_.cells["accompagnements"].secret  # one conseiller
    assert territory(data, REGION, "11").cells["accompagnements"].secret
    france = territory(data, NATIONAL, FRANCE)
    assert france.cells["accompagnements"].shown == 18
    # France − Auvergne-Rhône-Alpes would give Île-de-France: the Rhône's région is hidden too,
    # and with it the Rhône (its only département with activity).
    assert territory(data, REGION, "84").cells["accompagnements"].secret
    assert territory(data, DEPARTEMENT, "69").cells["accompagnements"].secret
    for total, parts in sums_of(data):
        if parts:
            assert sum(c.secret for c in (total, *parts)) != 1


# The page and the files


def test_public_page_needs_no_login_and_marks_secret_cells(client, rhone):
    response = client.get("/statistiques/publiques/", {"territoire": "departement-69"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Statistiques publiques — Rhône" in page
    assert page.count("secret statistique") >= 2
    assert "moins de 5 bénéficiaires ou moins de 3 conseillers" in page
    assert "<script" not in page.split("</main>")[0]  # the content needs no JavaScript


def test_public_page_lists_regions_then_departements(client, rhone):
    page = client.get("/statistiques/publiques/").content.decode()
    assert '<a href="?territoire=region-84">Auvergne-Rhône-Alpes</a>' in page
    region = client.get("/statistiques/publiques/", {"territoire": "region-84"}).content.decode()
    assert '<a href="?territoire=departement-69">Rhône</a>' in region


def test_unknown_territory_is_a_french_error(client, db):
    response = client.get("/statistiques/publiques/", {"territoire": "departement-00"})
    assert response.status_code == 400
    assert "Ce territoire n'existe pas" in html.unescape(response.content.decode())


def read_csv(response):
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text)))


def test_open_data_per_departement(client, rhone):
    response = client.get("/statistiques/publiques/departements.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, *rows = read_csv(response)
    assert header == [
        "niveau",
        "code_territoire",
        "nom_territoire",
        "indicateur",
        "modalite",
        "libelle",
        "valeur",
        "part_pourcent",
        "secret_statistique",
    ]
    by_key = {(r[1], r[3], r[4]): r for r in rows}
    assert by_key[("69", "accompagnements", "")] == [
        "departement", "69", "Rhône", "accompagnements", "",
        "Accompagnements (une personne accompagnée compte pour un)", "12", "", "false",
    ]  # fmt: skip
    assert by_key[("69", "genre", "masculin")][6:] == ["6", "50.0", "false"]
    assert by_key[("69", "genre", "feminin")][6:] == ["", "", "true"]
    assert by_key[("69", "genre", "non_communique")][6:] == ["", "", "true"]
    assert by_key[("13", "accompagnements", "")][6:] == ["0", "", "false"]
    per_territory = (
        len(public.HEADLINE)
        + len(public.BREAKDOWN_COLUMNS)
        + len(public_referrals.CODES)
        + len(public_aidants.CODES)
    )
    assert len(rows) == Departement.objects.count() * per_territory
    assert {r[0] for r in rows} == {"departement"}


def test_open_data_national_and_regions(client, rhone):
    _, *national = read_csv(client.get("/statistiques/publiques/national.csv"))
    assert {(r[0], r[1]) for r in national} == {("national", "FR")}
    _, *regions = read_csv(client.get("/statistiques/publiques/regions.csv"))
    assert ("84", "accompagnements", "") in {(r[1], r[3], r[4]) for r in regions}
    assert client.get("/statistiques/publiques/communes.csv").status_code == 404


def test_every_territory_in_a_fixed_number_of_queries(rhone, django_assert_max_num_queries):
    # Territories (2), activity sums (1), conseillers per level (3), posts held (1), places (1),
    # referrals (1), Aidants Connect (4: structures, aidants, authorisations, uses).
    with django_assert_max_num_queries(13):
        public.publication()


# The stored snapshot shared by the web processes


@pytest.fixture
def new_process(settings, monkeypatch):
    """Stored snapshots in use, and a way to read them as a freshly started web process would
    (nothing unpickled yet, an empty local-memory cache)."""
    settings.STATS_PUBLIC_CACHE_SECONDS = 600

    def forget():
        monkeypatch.setattr(public, "_loaded", None)
        cache.clear()

    forget()
    yield forget
    cache.clear()


def rhone_accompagnements(client):
    _, *rows = read_csv(client.get("/statistiques/publiques/departements.csv"))
    return {(r[1], r[3], r[4]): r[6] for r in rows}[("69", "accompagnements", "")]


def more_records(structure, n=5):
    records(make_active_conseiller(structure=structure), n)
    rebuild()


def refresh_tasks():
    return DBTaskResult.objects.filter(task_path=refresh_public_statistics.module_path)


def test_public_figures_are_computed_once_for_a_while(
    rhone, new_process, django_assert_max_num_queries
):
    first = public.cached_publication()
    with django_assert_max_num_queries(1):
        again = public.cached_publication()
    assert again.of(DEPARTEMENT, "69").cells["accompagnements"].value == 12
    assert again.computed_at == first.computed_at
    assert PublicSnapshot.objects.count() == 1


def test_every_process_reads_the_stored_snapshot_until_publish_stats(client, rhone, new_process):
    assert rhone_accompagnements(client) == "12"  # none stored yet: computed and stored
    more_records(rhone)
    new_process()
    assert rhone_accompagnements(client) == "12"  # the stored snapshot, not the records
    assert PublicSnapshot.objects.count() == 1

    out = StringIO()
    call_command("publish_stats", stdout=out)
    assert "Statistiques publiques calculées le" in out.getvalue()
    assert rhone_accompagnements(client) == "17"
    new_process()
    assert rhone_accompagnements(client) == "17"


def test_publish_stats_can_leave_the_work_to_the_task_worker(client, rhone, new_process, run_tasks):
    assert rhone_accompagnements(client) == "12"
    more_records(rhone)
    out = StringIO()
    call_command("publish_stats", "--enqueue", stdout=out)
    assert "confié au worker" in out.getvalue()
    assert rhone_accompagnements(client) == "12"
    run_tasks()
    assert rhone_accompagnements(client) == "17"


def test_a_stale_snapshot_is_served_while_the_worker_computes_a_new_one(
    client, rhone, new_process, run_tasks
):
    public.refresh_publication()
    old = datetime.datetime(2026, 1, 5, 9, 30, tzinfo=datetime.UTC)
    PublicSnapshot.objects.update(computed_at=old)
    more_records(rhone)
    new_process()

    page = client.get("/statistiques/publiques/").content.decode()
    assert "Chiffres calculés le 05/01/2026 à 10:30" in page  # the snapshot's date (Paris time)
    assert rhone_accompagnements(client) == "12"
    client.get("/statistiques/publiques/regions.csv")
    assert refresh_tasks().count() == 1  # asked once, however many visitors

    run_tasks()
    assert rhone_accompagnements(client) == "17"
    page = client.get("/statistiques/publiques/").content.decode()
    assert "Chiffres calculés le 05/01/2026" not in page
    assert refresh_tasks().count() == 1  # fresh again: nothing more to ask


def test_a_refresh_asked_by_several_processes_is_computed_once(rhone, new_process, run_tasks):
    public.refresh_publication()
    PublicSnapshot.objects.update(computed_at=timezone.now() - datetime.timedelta(hours=1))
    for _ in range(2):  # two web processes find it stale
        new_process()
        public.cached_publication()
    assert refresh_tasks().count() == 2
    run_tasks()
    assert PublicSnapshot.objects.count() == 2


@pytest.mark.parametrize(
    "stored", [b"not a publication", pickle.dumps({"activites": 12})], ids=["damaged", "other"]
)
def test_an_unreadable_snapshot_is_computed_again(client, rhone, new_process, stored):
    PublicSnapshot.objects.create(computed_at=timezone.now(), data=stored)
    response = client.get("/statistiques/publiques/", {"territoire": "departement-69"})
    assert response.status_code == 200
    assert "Statistiques publiques — Rhône" in response.content.decode()
    assert rhone_accompagnements(client) == "12"
    latest = PublicSnapshot.objects.order_by("-computed_at").first()
    assert pickle.loads(latest.data).of(DEPARTEMENT, "69").cells["accompagnements"].value == 12


def test_only_the_latest_snapshots_are_kept(rhone, new_process):
    for _ in range(public.SNAPSHOTS_KEPT + 2):
        latest = public.refresh_publication()
    assert PublicSnapshot.objects.count() == public.SNAPSHOTS_KEPT
    assert PublicSnapshot.objects.order_by("-computed_at").first().computed_at == latest.computed_at


def test_without_a_period_the_figures_are_computed_every_time(client, rhone):
    assert rhone_accompagnements(client) == "12"
    more_records(rhone)
    assert rhone_accompagnements(client) == "17"
    assert not PublicSnapshot.objects.exists()
