"""The nightly backup keeps the BACKUP_KEEP newest complete backups and nothing else goes."""

from cnum.backups import services
from cnum.backups.manifest import FILENAME


def test_only_the_oldest_complete_backups_are_deleted(tmp_path):
    for name in ("cnum-20270101-020000", "cnum-20270102-020000", "cnum-20270103-020000"):
        (tmp_path / name).mkdir()
        (tmp_path / name / FILENAME).write_text("{}")
    (tmp_path / "cnum-20261231-020000").mkdir()  # interrupted: no manifest, left for a human
    (tmp_path / "notes").mkdir()

    removed = services.prune(tmp_path, keep=2)

    assert [path.name for path in removed] == ["cnum-20270101-020000"]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "cnum-20261231-020000",
        "cnum-20270102-020000",
        "cnum-20270103-020000",
        "notes",
    ]
