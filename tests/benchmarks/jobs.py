"""Every job of every ``bench_*`` module in this folder, in the order the table shows them."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

import tests.benchmarks as package
from tests.benchmarks.harness import Job

ORDER = ("bench_window", "bench_checks", "bench_excel", "bench_report", "bench_demo_write", "bench_bundle")


@cache
def all_jobs() -> tuple[Job, ...]:
    names = [m.name for m in pkgutil.iter_modules(package.__path__) if m.name.startswith("bench_")]
    names.sort(key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))
    jobs: list[Job] = []
    for name in names:
        jobs.extend(importlib.import_module(f"{package.__name__}.{name}").JOBS)
    return tuple(jobs)


def job_by_key(key: str) -> Job:
    for job in all_jobs():
        if job.key == key:
            return job
    raise KeyError(key)
