"""No status field of a workflow-driven model is written outside the engine.

Every model with a `workflow` declares the field its machine owns; a move goes through
`cnum.workflow.engine.apply_transition` (checked right, logged, effects). This test reads the
source of cnum/ and refuses any other write of such a field in a module of the app that owns
the model or of an app importing it: `obj.<field> = …`, `.update(<field>=…)`,
`setattr(obj, "<field>", …)`, `bulk_update(…, ["<field>"])`, `save(update_fields=["<field>"])`.
Creating a row in its first state is not a move. Left out: migrations, tests, and the demo
seeders (`demo.py`, refused without DEBUG), which write the demo's rows in bulk in the states
they show.
"""

import ast
from collections import defaultdict

from django.apps import apps
from django.conf import settings

from cnum.workflow.engine import Workflow

SOURCE = settings.BASE_DIR / "cnum"
ENGINE = SOURCE / "workflow" / "engine.py"


def managed_fields():
    """{app name: the status fields of its workflow-driven models}."""
    fields = defaultdict(set)
    for model in apps.get_models():
        workflow = getattr(model, "workflow", None)
        if isinstance(workflow, Workflow):
            fields[model._meta.app_config.name].add(workflow.field)
    return fields


def _app(module):
    return ".".join(module.split(".")[:2])


def _reach(path, tree):
    """The apps whose models a module may hold: its own and those it imports."""
    reached = {f"cnum.{path.relative_to(SOURCE).parts[0]}"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("cnum."):
            reached.add(_app(node.module))
        elif isinstance(node, ast.Import):
            reached |= {_app(alias.name) for alias in node.names if alias.name.startswith("cnum.")}
    return reached


def _strings(node):
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return {elt.value for elt in node.elts if isinstance(elt, ast.Constant)}
    return set()


def _writes(tree, fields):
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for leaf in ast.walk(target):
                    if isinstance(leaf, ast.Attribute) and leaf.attr in fields:
                        yield node.lineno, f".{leaf.attr} = …"
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            keywords = {kw.arg: kw.value for kw in node.keywords}
            if name == "update" and fields & set(keywords):
                yield node.lineno, "update(" + ", ".join(sorted(fields & set(keywords))) + "=…)"
            named = _strings(ast.Tuple([node.args[1]])) if len(node.args) > 1 else set()
            if name == "setattr" and fields & named:
                yield node.lineno, f"setattr(…, {sorted(named)}, …)"
            listed = set()
            if name == "bulk_update" and len(node.args) > 1:
                listed = _strings(node.args[1])
            if "update_fields" in keywords:
                listed |= _strings(keywords["update_fields"])
            if fields & listed:
                yield node.lineno, f"{name}(…{sorted(fields & listed)}…)"


def direct_writes(by_app):
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        parts = set(path.relative_to(SOURCE).parts)
        if path == ENGINE or {"migrations", "tests"} & parts or path.name == "demo.py":
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        fields = set().union(*(by_app.get(app, set()) for app in _reach(path, tree)))
        where = path.relative_to(SOURCE)
        found += [f"{where}:{line} {what}" for line, what in _writes(tree, fields)]
    return found


def test_every_lifecycle_is_on_the_engine():
    by_app = managed_fields()
    assert by_app["cnum.recruitment"] == {"state"}  # contracts and ruptures
    assert "status" in by_app["cnum.workshops"] and "status" in by_app["cnum.mandates"]
    assert by_app["cnum.places"] == {"moderation"}


def test_no_status_field_is_written_outside_the_engine():
    assert direct_writes(managed_fields()) == []


def test_the_scan_sees_a_direct_write():
    source = "match.status = 'x'\nQ.objects.update(state='y')\nobj.save(update_fields=['status'])"
    assert len(list(_writes(ast.parse(source), {"status", "state"}))) == 3
