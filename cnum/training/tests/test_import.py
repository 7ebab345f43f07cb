"""CSV import against the database: dry run, all-or-nothing, partial, idempotent, command."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from cnum.accounts.roles import Role
from cnum.accounts.testing import make_user
from cnum.training.enums import EnrolmentStatus as E
from cnum.training.importer import run_import
from cnum.training.models import Enrolment
from cnum.training.testing import make_conseiller, make_enrolment, make_organisation, make_session
from cnum.workflow.engine import PLATFORM
from cnum.workflow.models import TransitionLog

pytestmark = pytest.mark.django_db
HEADER = "email;siret;date_debut;date_fin;certification;resultat;date_certification"


@pytest.fixture
def organisation():
    return make_organisation()


@pytest.fixture
def people():
    return [make_conseiller(email=f"conseiller{n}@exemple.fr") for n in range(3)]


def csv(organisation, *rows):
    return "\n".join([HEADER, *(row.format(siret=organisation.siret) for row in rows)]) + "\n"


def good_file(organisation):
    return csv(
        organisation,
        "conseiller0@exemple.fr;{siret};04/01/2021;07/05/2021;CCP1;admis;30/04/2021",
        "conseiller1@exemple.fr;{siret};2021-01-04;;;;",
        "conseiller2@exemple.fr;{siret};04/01/2021;07/05/2021;PIX;en_attente;",
    )


def test_dry_run_reports_and_writes_nothing(organisation, people):
    report = run_import(good_file(organisation), PLATFORM)
    assert not report.applied
    assert report.lines() == [(2, "créée", ""), (3, "créée", ""), (4, "créée", "")]
    assert not Enrolment.objects.exists() and not TransitionLog.objects.exists()


def test_apply_imports_everything_and_is_idempotent(organisation, people, send_emails, mailoutbox):
    admin = make_user(Role.ADMINISTRATEUR)
    with send_emails():
        report = run_import(good_file(organisation), admin, apply=True)
    assert report.applied and report.count("créée") == 3
    done = Enrolment.objects.get(conseiller=people[0])
    assert (done.status, done.ended_on, done.certification_result, done.certified_on) == (
        E.TERMINEE,
        datetime.date(2021, 5, 7),
        "admis",
        datetime.date(2021, 4, 30),
    )
    assert Enrolment.objects.get(conseiller=people[1]).status == E.EN_COURS
    assert mailoutbox == []  # historical data: nobody is e-mailed
    before = list(Enrolment.objects.order_by("pk").values())
    again = run_import(good_file(organisation), admin, apply=True)
    assert again.count("inchangée") == 3
    assert list(Enrolment.objects.order_by("pk").values()) == before


def test_one_wrong_line_imports_nothing_unless_partial(organisation, people):
    text = csv(
        organisation,
        "conseiller0@exemple.fr;{siret};04/01/2021;07/05/2021;;;",
        "inconnu@exemple.fr;{siret};04/01/2021;;;;",
        "conseiller1@exemple.fr;{siret};04/01/2021;01/01/2021;;;",
        "conseiller2@exemple.fr;12345678901234;04/01/2021;;;;",
        "conseiller2@exemple.fr;73282932000074;04/01/2021;;;;",
    )
    report = run_import(text, PLATFORM, apply=True)
    assert not report.applied and not Enrolment.objects.exists()
    assert report.errors == [
        (3, "Aucun conseiller numérique en poste n'a l'adresse inconnu@exemple.fr."),
        (4, "date_fin précède date_debut."),
        (5, "siret « 12345678901234 » invalide."),
        (6, "Aucun organisme de formation n'a le SIRET 73282932000074."),
    ]
    report = run_import(text, PLATFORM, apply=True, partial=True)
    assert report.applied and len(report.errors) == 4
    assert list(Enrolment.objects.values_list("conseiller", flat=True)) == [people[0].pk]


def test_updates_move_existing_enrolments_forward(organisation, people):
    session = make_session(organisation)
    enrolment = make_enrolment(session, people[0])
    text = csv(
        organisation, "conseiller0@exemple.fr;{siret};04/01/2021;07/05/2021;PIX;admis;07/05/2021"
    )
    report = run_import(text, PLATFORM, apply=True)
    assert report.lines() == [(2, "mise à jour", "")]
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.session, enrolment.certification_type) == (
        E.TERMINEE,
        session,
        "PIX",
    )
    moves = TransitionLog.objects.for_object(enrolment).values_list("from_status", "to_status")
    assert list(moves) == [("inscrite", "en_cours"), ("en_cours", "terminee")]


def test_a_conseiller_training_elsewhere_is_refused(organisation, people):
    make_enrolment(make_session(make_organisation(name="Ailleurs")), people[0])
    text = csv(organisation, "conseiller0@exemple.fr;{siret};04/01/2021;;;;")
    report = run_import(text, PLATFORM, apply=True)
    assert report.errors == [(2, "Déjà en formation chez Ailleurs.")]


def test_only_the_administration_imports(organisation, people):
    with pytest.raises(PermissionDenied):
        run_import(good_file(organisation), make_user(Role.ORGANISME_FORMATION), apply=True)


def test_command_dry_run_then_apply(organisation, people, tmp_path, capsys):
    path = tmp_path / "formations.csv"
    path.write_bytes(good_file(organisation).encode("cp1252"))
    call_command("import_training", str(path))
    out = capsys.readouterr().out
    assert "ligne 2 : créée" in out and "Essai à blanc" in out
    assert not Enrolment.objects.exists()
    call_command("import_training", str(path), "--apply")
    assert Enrolment.objects.count() == 3
    path.write_text(csv(organisation, "x@y.fr;{siret};;;;;"))
    with pytest.raises(CommandError, match="Rien n'a été importé"):
        call_command("import_training", str(path), "--apply")
    with pytest.raises(CommandError, match="--partial"):
        call_command("import_training", str(path), "--partial")
    with pytest.raises(CommandError, match="illisible"):
        call_command("import_training", str(tmp_path / "absent.csv"))
