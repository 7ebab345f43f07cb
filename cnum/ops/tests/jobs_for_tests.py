"""Jobs declared by the tests only (cnum.ops.tests.conftest puts them in the schedule)."""

import datetime
import time

from cnum.ops.schedule import Job

calls = []


def count():
    calls.append("ok")
    return "compté"


def slow():
    time.sleep(1)
    calls.append("lent")
    return "fini"


def broken():
    calls.append("échec")
    raise RuntimeError("serveur de fichiers injoignable")


COUNTING = Job("essai_compte", "Tâche d'essai", "0 4 * * *", call=f"{__name__}.count")
SLOW = Job("essai_lent", "Tâche d'essai lente", "0 4 * * *", call=f"{__name__}.slow")
BROKEN = Job(
    "essai_en_echec",
    "Tâche d'essai en échec",
    "0 4 * * *",
    call=f"{__name__}.broken",
    retries=2,
    retry_delay=datetime.timedelta(0),
)
