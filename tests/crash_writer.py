"""The app's core writing records until it is killed; run by tests/test_crash_safety.py in a subprocess.

``edits DB``: in each transaction, one more bed at two facilities (ids 1 and 2) through the ORM; prints
the number of committed transactions after each commit. ``import DB XLSX``: one import of a filled staff
template (with its before-import backup), then prints "imported". ``migrate DB``: opens a database of an
older schema, which backs it up and upgrades it, then prints "migrated".
"""

from __future__ import annotations

import sys

from sqlalchemy import update

from db import open_database
from db.models import Facility


def edits(path: str) -> None:
    db = open_database(path)
    n = 0
    while True:
        with db.session() as s:
            s.execute(update(Facility).where(Facility.id.in_((1, 2))).values(open_beds=Facility.open_beds + 1))
            s.commit()
        n += 1
        print(n, flush=True)


def import_staff(path: str, workbook: str) -> None:
    from desktop.excel.importer import run_import

    db = open_database(path)
    report = run_import(db, "staff", workbook, user="崩溃测试")
    print("imported", report.written, flush=True)


def migrate(path: str) -> None:
    db = open_database(path)
    print("migrated", db.revision_before, flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "edits":
        edits(sys.argv[2])
    elif sys.argv[1] == "migrate":
        migrate(sys.argv[2])
    else:
        import_staff(sys.argv[2], sys.argv[3])
