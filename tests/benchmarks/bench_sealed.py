"""Sign-in on against sign-in off: the staff page opened, its roster exported and imported back, on the same
database with its numbers sealed (signed in, db.vault) and in clear. Each job's baseline is the same job with
sign-in off, run beside it."""

from __future__ import annotations

import shutil

from db import open_database
from tests.benchmarks.bench_excel import PERIOD, TODAY
from tests.benchmarks.harness import Context, Job

NAME, PASSWORD = "管理员", "bench-password-2026"


def _opened(ctx: Context, sealed: bool):
    """The database of this size, as it is (sign-in off), or a copy with sign-in turned on and signed in."""
    from desktop.accounts import add_account, sign_in_to

    if not sealed:
        return open_database(ctx.db)
    path = ctx.folder / "sealed.db"
    shutil.copyfile(ctx.db, path)
    db = open_database(path)
    with db.session() as session:
        add_account(session, NAME, "admin", PASSWORD)  # the first account: everything is sealed
        session.commit()
    sign_in_to(db, NAME, PASSWORD)
    return db


def _staff_open(sealed: bool):
    def factory(ctx: Context):
        from tests.benchmarks.bench_window import project_staff_open

        return project_staff_open(ctx, _opened(ctx, sealed))

    return factory


def _export(sealed: bool):
    def factory(ctx: Context):
        from desktop.excel.export import export_workbook

        db = _opened(ctx, sealed)
        out = ctx.folder / "roster.xlsx"
        return lambda: export_workbook(db, ["staff"], PERIOD, out, user=NAME, today=TODAY)

    return factory


def _import_back(sealed: bool):
    def factory(ctx: Context):
        from desktop.excel.importer import run_import
        from desktop.excel.templates import fill_template

        db = _opened(ctx, sealed)
        path = ctx.folder / "staff-template.xlsx"
        with db.session() as session:
            fill_template(session, "staff", path)

        def run() -> None:
            report = run_import(db, "staff", path, user=NAME)
            assert not report.problems, report.problems[:3]
            ctx.notes["rows"] = len(report.plans)

        return run

    return factory


JOBS = [
    Job(
        f"sealed_{key}",
        f"{title}, sign-in on",
        f"{title}: numbers sealed, signed in",
        f"{title}: sign-in off",
        make(True),
        make(False),
        runs=runs,
    )
    for key, title, make, runs in (
        ("staff_open", "open the staff page", _staff_open, 7),
        ("export", "export the staff roster", _export, 5),
        ("import", "import the roster back", _import_back, 5),
    )
]
