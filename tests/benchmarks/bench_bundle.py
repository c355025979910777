"""The frozen app against the same app from the venv: cold start to the main window's first paint.

Both are started the same way (a fresh process, ``--benchmark-start T0``, offscreen) on the same
database; the bundle is the one ``make package`` left in dist/. Skipped, and said so, when there is none.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.benchmarks.bench_window import VENV_APP, first_paint
from tests.benchmarks.harness import Context, Job

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "countyhealth-desk" / "countyhealth-desk"


def _start(command: Path):
    def factory(ctx: Context):
        if command == BUNDLE:  # a bundle older than the code it is compared with would say little
            ctx.notes["built"] = f"{dt.datetime.fromtimestamp(BUNDLE.stat().st_mtime):%Y-%m-%d %H:%M}"
        return lambda: first_paint([str(command), "--db", str(ctx.db), "--benchmark-start"])

    return factory


JOBS = [
    Job(
        "bundle_start",
        "cold start of the frozen app",
        "the bundle (dist/countyhealth-desk)",
        "the same app from the venv",
        _start(BUNDLE),
        _start(VENV_APP),
        runs=5,
        skip=lambda: None if BUNDLE.exists() else "no bundle in dist/ (run `make package` first)",
    )
]
