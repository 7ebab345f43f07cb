"""Benchmark of the CRA entry screen as a conseiller uses it: keyboard only, in a real browser.

    uv run python bench/activity_entry.py                   # SQLite
    uv run python bench/activity_entry.py --bouton          # submit from « Enregistrer »
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cnum_dev uv run python bench/activity_entry.py

Uses its own database (var/cnum_bench_activity_entry.sqlite3, or cnum_bench_activity_entry next
to DATABASE_URL's PostgreSQL), migrated and loaded with the territories if needed; a bench
conseillère with a main place is created once, her records are deleted before each run. The site
runs in process (Django's threaded live server with the test settings: local HTTP, static files
from the apps) and Debian's Chromium (Playwright) drives it with JavaScript on.

After logging in, for each of 20 typical individual records: open /activite/saisie/, then from
the loaded screen use the keyboard only: Tab to the « Contenu » skip link and Enter, Tab to each
field that differs from the defaults (today, main place, last duration) in the screen's order,
Space to tick, letters to pick in a select; then Enter from the last input (the form's implicit
submission), or with --bouton Tab to « Enregistrer » and Enter; until the confirmation shows.
Prints:
- keystrokes per record (p50, p95, max; the Tabs among them; the keys of a median record);
- machine time from the loaded screen to the confirmation (p50, p95): the keystrokes sent at
  machine speed (each followed by a look at the focused element), the POST, the redirect and the
  re-rendered screen; no human think time;
- server time (request sent → first byte of the response) of the POST and of the screen's GET;
- fields needing a decision for a typical record, against the fields shown and in the form;
- the human estimate: median keystrokes × 0.3 to 1 s, plus the machine time.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import scale  # noqa: E402 — bench databases
from territories import percentile  # noqa: E402

DATABASE = "cnum_bench_activity_entry"
EMAIL = "conseillere@banc-saisie.exemple.fr"
PASSWORD = "Banc-de-saisie-2026-solide"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CONFIRMATION = "Le compte rendu d'activité est enregistré."
MAX_TABS = 300

# Typical individual records: what differs from the defaults. Checkboxes by label, selects by
# label with the letters typed to pick the option (Chromium's type-ahead on a closed select).
THEMATIQUE = "Aide aux démarches administratives"
RECORDS = [
    {"thematiques": ["E-mail"]},
    {"thematiques": [THEMATIQUE], "demarches": ["Social, santé"]},
    {"thematiques": ["Prendre en main du matériel"], "materiel": ["Téléphone"]},
    {"thematiques": ["Navigation sur internet", "E-mail"]},
    {"thematiques": [THEMATIQUE], "demarches": ["Argent, impôts"], "selects": {"Genre": "F"}},
    {"thematiques": ["Banque et achats en ligne"], "materiel": ["Ordinateur"]},
    {"thematiques": [THEMATIQUE], "demarches": ["Travail, formation"]},
    {"thematiques": ["Santé"], "selects": {"Tranche d'âge": "6", "Statut": "R"}},
    {"thematiques": ["E-mail"], "materiel": ["Téléphone"]},
    {"thematiques": ["Diagnostic numérique"]},
    {"thematiques": [THEMATIQUE], "demarches": ["Papiers, élections, citoyenneté"]},
    {"thematiques": ["Sécurité numérique"]},
    {"thematiques": ["Gérer ses contenus numériques"], "materiel": ["Tablette"]},
    {"thematiques": ["Insertion professionnelle"], "selects": {"Statut": "Sa"}},
    {"thematiques": [THEMATIQUE], "demarches": ["Logement"]},
    {"thematiques": ["Bureautique"], "materiel": ["Ordinateur"]},
    {"thematiques": ["Navigation sur internet"]},
    {"thematiques": ["Prendre en main du matériel"], "selects": {"Genre": "F"}},
    {"thematiques": [THEMATIQUE], "demarches": ["Famille, scolarité"]},
    {"thematiques": ["Réseaux sociaux communication"]},
]

# The form's fields, and those the screen shows now (radio and checkbox groups count once).
FIELDS = """() => {
  const form = document.querySelector('main form[method=post]');
  const all = new Set(), shown = new Set();
  for (const el of form.elements) {
    if (!el.name || ['hidden', 'submit', 'button'].includes(el.type)) continue;
    all.add(el.name);
    if (el.getClientRects().length) shown.add(el.name);
  }
  return [all.size, shown.size];
}"""


def setup_django():
    """Its own database: a SQLite file in var/, or cnum_bench_activity_entry on PostgreSQL."""
    url = scale.database_url(DATABASE)
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "0"  # no query log
    # Local HTTP without a collectstatic: the settings the browser tests use.
    os.environ["DJANGO_SETTINGS_MODULE"] = "cnum.settings_test"
    import django

    django.setup()
    return url


def prepare():
    """The bench conseillère (a Lyon structure, a main place), without any record."""
    from django.core.management import call_command

    from cnum.accounts.models import User
    from cnum.accounts.roles import Role
    from cnum.accounts.testing import make_user
    from cnum.activity.models import Cra
    from cnum.places.models import PlaceConseiller
    from cnum.places.testing import make_place
    from cnum.structures.testing import make_structure
    from cnum.territories.loading import load_territories

    call_command("migrate", verbosity=0)
    load_territories()
    user = User.objects.filter(email=EMAIL).first()
    if user is None:
        structure = make_structure(name="Structure du banc de saisie")
        user = make_user(Role.CONSEILLER, organisation=structure, email=EMAIL, password=PASSWORD)
        place = make_place(structure=structure, nom="Médiathèque du banc de saisie")
        PlaceConseiller.objects.create(conseiller=user, place=place, is_main=True)
    Cra.objects.filter(conseiller=user).delete()
    return user


def start_server():
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    server = LiveServerThread("localhost", StaticFilesHandler)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    return server, f"http://localhost:{server.port}"


class Keyboard:
    """Sends keys and counts them; moves focus with Tab only, as a keyboard user does."""

    def __init__(self, page):
        self.page = page
        self.keys = []

    def press(self, key):
        self.page.keyboard.press(key)
        self.keys.append(key)

    def type(self, text):
        for char in text:
            self.press(char)

    def active(self):
        """The focused element: its id, else its tag (and a link's text)."""
        return self.page.evaluate(
            "() => { const el = document.activeElement; if (!el) return '';"
            " if (el.id) return el.id;"
            " return el.tagName === 'A' ? 'A:' + el.textContent.trim() : el.tagName; }"
        )

    def skip_to_content(self):
        """From a freshly loaded page: the first Tab reaches DSFR's « Contenu » skip link."""
        if self.active() not in ("BODY", ""):
            return  # something already has the focus (autofocus): start from there
        self.press("Tab")
        if self.active() == "A:Contenu":
            self.press("Enter")

    def focus_matching(self, predicate):
        for _ in range(MAX_TABS):
            if self.page.evaluate(f"() => ({predicate})(document.activeElement)"):
                return
            self.press("Tab")
        raise RuntimeError(f"Aucun élément ne vérifie {predicate} au clavier.")

    def focus(self, element_id):
        for _ in range(MAX_TABS):
            if self.active() == element_id:
                return
            self.press("Tab")
        raise RuntimeError(f"{element_id} n'est pas atteint au clavier en {MAX_TABS} tabulations.")


def element_ids(page, records):
    """The ids behind the labels the records use (looked up once, outside the timing)."""
    ids = {}
    for record in records:
        for group in ("thematiques", "demarches", "materiel"):
            for label in record.get(group, []):
                box = page.get_by_role("checkbox", name=label, exact=True)
                ids[label] = box.get_attribute("id")
        for label in record.get("selects", {}):
            ids[label] = page.get_by_role("combobox", name=label, exact=True).get_attribute("id")
    individual = page.get_by_role("radio", name="Individuel", exact=True)
    if not individual.is_checked():
        ids["type"] = individual.get_attribute("id")  # no default type: one more decision
    return ids


def fill(keyboard, record, ids, tab_to_button):
    """Tab to each field in the screen's order, tick or type; Enter from the last one, or from
    « Enregistrer » reached with Tab (`tab_to_button`)."""
    page = keyboard.page
    targets = [
        (ids[label], "check", None)
        for group in ("thematiques", "demarches", "materiel")
        for label in record.get(group, [])
    ]
    targets += [(ids[label], "type", text) for label, text in record.get("selects", {}).items()]
    if "type" in ids:
        targets.append((ids["type"], "check", None))
    order = page.evaluate(
        "(ids) => { const all = [...document.querySelectorAll('[id]')].map(e => e.id);"
        " return ids.map(id => all.indexOf(id)); }",
        [target for target, *_ in targets],
    )
    for _, (element_id, action, text) in sorted(zip(order, targets, strict=True)):
        keyboard.focus(element_id)
        if action == "check":
            keyboard.press("Space")
        else:
            keyboard.type(text)
            chosen = page.evaluate(
                "(id) => document.getElementById(id).selectedOptions[0].text", element_id
            )
            if not chosen.lower().startswith(text.lower()):
                raise RuntimeError(f"« {text} » tapé dans {element_id} a choisi « {chosen} ».")
    if tab_to_button:
        keyboard.focus_matching(
            "el => el.type === 'submit' && el.textContent.trim() === 'Enregistrer'"
        )
    else:
        # Enter in a field of the form submits it with its first button (« Enregistrer »), but
        # not from a select (Chromium opens it): Tab to the next input first.
        keyboard.focus_matching("el => el.tagName === 'INPUT' && el.type !== 'submit'")
    keyboard.press("Enter")


def server_ms(request):
    timing = request.timing
    return timing["responseStart"] - timing["requestStart"]


def run(base_url, records, tab_to_button):
    from playwright.sync_api import expect, sync_playwright

    args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        page = browser.new_context(locale="fr-FR").new_page()
        page.goto(f"{base_url}/compte/connexion/")
        page.get_by_label("Adresse électronique").fill(EMAIL)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")

        entry_url = f"{base_url}/activite/saisie/"
        page.goto(entry_url)
        ids = element_ids(page, records)
        fields = page.evaluate(FIELDS)
        posts = []
        page.on("requestfinished", lambda r: r.method == "POST" and posts.append(server_ms(r)))
        for record in records:
            response = page.goto(entry_url)
            started = time.perf_counter()
            keyboard = Keyboard(page)
            keyboard.skip_to_content()
            fill(keyboard, record, ids, tab_to_button)
            expect(page.get_by_text(CONFIRMATION)).to_be_visible()
            elapsed = (time.perf_counter() - started) * 1000
            decisions = sum(1 for k in ("thematiques", "demarches", "materiel") if k in record)
            decisions += len(record.get("selects", {})) + ("type" in ids)
            results.append(
                {
                    "keys": keyboard.keys,
                    "ms": elapsed,
                    "get_ms": server_ms(response.request),
                    "decisions": decisions,
                }
            )
        browser.close()
    for result, post in zip(results, posts, strict=True):
        result["post_ms"] = post
    return results, fields


def summary(name, values, unit):
    p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
    return f"{name} : p50 {p50:.0f} {unit}, p95 {p95:.0f} {unit}, max {max(values):.0f} {unit}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--bouton",
        action="store_true",
        help="valider avec Entrée sur « Enregistrer » atteint par tabulations (sinon Entrée "
        "depuis le dernier champ rempli)",
    )
    args = parser.parse_args()
    url = setup_django()
    from django.db import connection

    from cnum.activity.models import Cra

    user = prepare()
    server, base_url = start_server()
    try:
        results, fields = run(base_url, RECORDS, args.bouton)
    finally:
        server.terminate()
    saved = Cra.objects.filter(conseiller=user).count()
    assert saved == len(RECORDS), f"{saved} comptes rendus enregistrés sur {len(RECORDS)}"

    print(f"base : {url.split('@')[-1]} ({connection.vendor})")
    how = "Entrée sur « Enregistrer »" if args.bouton else "Entrée depuis le dernier champ"
    print(f"{len(results)} comptes rendus individuels saisis au clavier seul ({how}), enregistrés")
    keys = [len(r["keys"]) for r in results]
    tabs = [r["keys"].count("Tab") for r in results]
    print(summary("frappes par compte rendu", keys, "touches"))
    print(summary("  dont tabulations", tabs, "touches"))
    median = sorted(results, key=lambda r: len(r["keys"]))[len(results) // 2]
    counted = {key: median["keys"].count(key) for key in dict.fromkeys(median["keys"])}
    print("  compte rendu médian : " + ", ".join(f"{k} × {n}" for k, n in counted.items()))
    machine = [r["ms"] for r in results]
    print(summary("temps machine, écran chargé → confirmation", machine, "ms"))
    print(summary("serveur, POST de l'enregistrement", [r["post_ms"] for r in results], "ms"))
    print(summary("serveur, GET de l'écran de saisie", [r["get_ms"] for r in results], "ms"))
    decisions = [r["decisions"] for r in results]
    print(
        f"champs à décider : p50 {percentile(decisions, 0.5)}, max {max(decisions)} ; "
        f"champs affichés {fields[1]}, champs du formulaire {fields[0]}"
    )
    median_s = percentile(keys, 0.5), percentile(machine, 0.5) / 1000
    low, high = 0.3 * median_s[0] + median_s[1], 1.0 * median_s[0] + median_s[1]
    print(
        f"estimation humaine (médiane : frappes × 0,3 à 1 s + temps machine) : "
        f"{low:.0f} à {high:.0f} s"
    )


if __name__ == "__main__":
    main()
