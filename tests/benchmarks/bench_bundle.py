"""The frozen app against the venv: cold start to the main window's first paint, city scale.

Both are started the same way (a fresh process, ``--benchmark-start T0``, offscreen) on the same city
database; the bundle is the one ``make package`` left in dist/. Skipped, and said so, when there is none.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from tests.benchmarks.common import city_database, report

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "countyhealth-desk" / "countyhealth-desk"
VENV_APP = Path(sys.executable).parent / "countyhealth-desk"


def first_paint(command: Path, db: Path) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [str(command), "--db", str(db), "--benchmark-start", repr(time.time())],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return float(done.stdout.split()[-1])


def main() -> None:
    if not BUNDLE.exists():
        print(f"\nthe frozen app against the venv: skipped, no bundle at {BUNDLE} (run `make package` first)")
        return
    path = city_database()
    bundle, venv = [], []
    for _ in range(5):  # alternately, so that both see the same machine
        bundle.append(first_paint(BUNDLE, path))
        venv.append(first_paint(VENV_APP, path))
    report(
        "cold start of the frozen app, city scale, median of 5 (fresh processes, launch to first paint):",
        ("the bundle (dist/countyhealth-desk)", statistics.median(bundle)),
        ("the same app from the venv", statistics.median(venv)),
        note="goal: at most 1.5x",
    )


if __name__ == "__main__":
    main()
