"""Every row lock of cnum says which rows it takes (`select_for_update(of=…)`).

Without `of=`, PostgreSQL also locks every row joined by select_related (an enrolment locked the
whole training organisation and queued the enrolments of all its sessions).
"""

import ast

from django.conf import settings

SOURCE = settings.BASE_DIR / "cnum"


def unscoped_locks(tree):
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "attr", "") == "select_for_update"
        and "of" not in {keyword.arg for keyword in node.keywords}
    ]


def test_every_select_for_update_names_its_rows():
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        if {"migrations", "tests"} & set(path.relative_to(SOURCE).parts):
            continue
        lines = unscoped_locks(ast.parse(path.read_text(), filename=str(path)))
        found += [f"{path.relative_to(SOURCE)}:{line}" for line in lines]
    assert found == []


def test_the_scan_sees_a_lock_without_of():
    source = "A.objects.select_for_update().get()\nB.objects.select_for_update(of=('self',))"
    assert unscoped_locks(ast.parse(source)) == [1]
