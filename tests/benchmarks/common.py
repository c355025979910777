"""What the benchmarks share: the city-scale demo, written once per run, and a timer."""

from __future__ import annotations

import atexit
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

from db import open_database
from desktop.demo import DemoOptions, write_demo


@cache
def city_database() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="countyhealth-bench-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "city.db"
    db = open_database(path)
    write_demo(db, DemoOptions(scale="city"))
    db.close()
    return path


def compare(project: Callable[[], object], baseline: Callable[[], object], runs: int = 7) -> tuple[float, float]:
    """Median times of the two, run alternately so that both see the same machine."""
    p, b = [], []
    for _ in range(runs):
        for fn, times in ((project, p), (baseline, b)):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
    return statistics.median(p), statistics.median(b)


def report(title: str, project: tuple[str, float], baseline: tuple[str, float], note: str = "") -> None:
    (p_label, p), (b_label, b) = project, baseline
    print(f"\n{title}")
    print(f"  project   {p_label:<48} {p:8.3f} s")
    print(f"  baseline  {b_label:<48} {b:8.3f} s")
    print(f"  ratio     {p / b:.2f}x{('    ' + note) if note else ''}")
