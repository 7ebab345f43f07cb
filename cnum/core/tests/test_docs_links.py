"""The project docs cited by the code exist: every `docs/<page>.md#<anchor>` named in cnum/,
templates/, bench/, README.md or docs/ itself points to a page and an explicit anchor
(`<a id="…">`) that exist, and the links between docs pages resolve. A renamed anchor fails
here until its citations follow (docs/README.md)."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SCANNED = ("cnum", "templates", "bench", "docs", "README.md")
SUFFIXES = {".py", ".html", ".txt", ".md"}
SKIPPED_DIRS = {"node_modules", "static", "__pycache__"}
CITATION = re.compile(r"\bdocs/([\w./-]+?\.md)(?:#([\w-]+))?")
MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")
ANCHOR = re.compile(r"<a id=\"([\w-]+)\"></a>")
SELF = Path(__file__).resolve()  # its own examples are not citations


def text_files(root, scanned=SCANNED):
    for name in scanned:
        path = root / name
        if path.is_file():
            yield path
            continue
        for found in sorted(path.rglob("*")):
            skipped = SKIPPED_DIRS.intersection(found.relative_to(root).parts)
            if found.is_file() and found.suffix in SUFFIXES and not skipped and found != SELF:
                yield found


def anchors(page):
    return set(ANCHOR.findall(page.read_text(encoding="utf-8")))


def check_target(root, page, anchor, where):
    """A problem (French sentence) with `page`#`anchor` cited at `where`, or None."""
    if not page.is_file():
        return f"{where} : la page {page.relative_to(root)} n'existe pas"
    if anchor and anchor not in anchors(page):
        return f"{where} : l'ancre #{anchor} n'existe pas dans {page.relative_to(root)}"
    return None


def citation_problems(root, scanned=SCANNED):
    """`docs/x.md#y` written anywhere (code, templates, README, benchmarks, docs)."""
    problems = []
    for path in text_files(root, scanned):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for page, anchor in CITATION.findall(line):
                where = f"{path.relative_to(root)}:{number}"
                problem = check_target(root, root / "docs" / page, anchor, where)
                if problem:
                    problems.append(problem)
    return problems


def link_problems(root):
    """Relative Markdown links between the docs pages (`glossaire.md#acteurs`, `../README.md`)."""
    problems = []
    for path in text_files(root, ("docs",)):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for target in MARKDOWN_LINK.findall(line):
                if re.match(r"[a-z]+:", target) or target.startswith("#"):
                    continue
                file_part, _, anchor = target.partition("#")
                resolved = (path.parent / file_part).resolve()
                where = f"{path.relative_to(root)}:{number}"
                if not resolved.exists():
                    problems.append(f"{where} : le lien {target} ne mène à rien")
                elif resolved.suffix == ".md" and resolved.parent.is_relative_to(root / "docs"):
                    problem = check_target(root, resolved, anchor, where)
                    if problem:
                        problems.append(problem)
    return problems


def test_every_docs_page_and_anchor_cited_exists():
    problems = citation_problems(ROOT)
    assert not problems, "\n".join(problems)


def test_links_between_docs_pages_resolve():
    problems = link_problems(ROOT)
    assert not problems, "\n".join(problems)


def test_the_code_cites_the_docs_of_the_repository():
    outside = "domain " + "\u00a7"  # the numbered sections of a reference kept elsewhere
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in text_files(ROOT, ("cnum", "templates", "bench", "README.md"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if outside in line
    ]
    assert not found, "Citer docs/<page>.md#<ancre> : " + ", ".join(found)


def test_a_renamed_anchor_is_reported(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "domaine.md").write_text('## <a id="quota-postes"></a>Quota\n')
    (tmp_path / "cnum").mkdir()
    (tmp_path / "cnum" / "rules.py").write_text(
        '"""Quota (docs/domaine.md#quota-postes); contracts (docs/domaine.md#contrats)."""\n'
        "# Grid: docs/financement.md#grille\n"
    )
    problems = citation_problems(tmp_path, ("cnum", "docs"))
    assert problems == [
        "cnum/rules.py:1 : l'ancre #contrats n'existe pas dans docs/domaine.md",
        "cnum/rules.py:2 : la page docs/financement.md n'existe pas",
    ]
