"""How a benchmark job is described, and how one side of it (the project or its baseline) is measured.

Each side of each job runs in a fresh process (``python -m tests.benchmarks.side``) so that its peak
memory is its own: the process prepares (untimed), its high-water mark of resident memory is reset,
then the job runs several times; the median time and the peak resident memory while it ran are
reported. The peak includes what the process already held (interpreter, libraries, an open window),
since that is what a user's machine has to give it.
"""

from __future__ import annotations

import gc
import json
import math
import random
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Context:
    """What a side's factory gets: the demo database of this size, a scratch folder, and a place for notes; for the
    project side of a server job, also the URL of its own copy of the demo on the benchmark's PostgreSQL, reached
    through the latency proxy (bench_server)."""

    db: Path
    counties: int
    folder: Path
    server: str | None = None
    notes: dict[str, object] = field(default_factory=dict)
    after: Callable[[], None] | None = None  # a last step whose memory counts but whose time does not


@dataclass(frozen=True)
class Measured:
    """Returned by a run that timed itself (a process it started, or one step among untimed ones)."""

    seconds: float
    peak_mb: float | None = None  # a process it started: that process's own peak, as it reported it


Factory = Callable[[Context], Callable[[], object]]


@dataclass(frozen=True)
class Job:
    key: str
    title: str
    project_label: str
    baseline_label: str
    project: Factory
    baseline: Factory
    runs: int = 5
    skip: Callable[[], str | None] = lambda: None  # a reason to skip, or None
    server: bool = False  # the project side runs on a copy of the demo on the benchmark's PostgreSQL (bench_server)


# -- resident memory ---------------------------------------------------------------------------------


def _status_kb(key: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def peak_mb() -> float:
    """This process's high-water mark of resident memory since the last reset (or since it started)."""
    kb = _status_kb("VmHWM")
    if kb is None:  # not Linux: the lifetime peak
        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024


def reset_peak() -> None:
    """Start the high-water mark again from the present resident size (Linux 4.0+; elsewhere a no-op)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


# -- one side, in its own process ------------------------------------------------------------------


class Side:
    """A side of a job, prepared: run it once at a time (the parent alternates the two sides), then finish."""

    def __init__(self, factory: Factory, ctx: Context) -> None:
        self.ctx = ctx
        self._run = factory(ctx)
        self.times: list[float] = []
        self._started_peaks: list[float] = []
        gc.collect()
        reset_peak()

    def once(self) -> float:
        started = time.perf_counter()
        result = self._run()
        elapsed = time.perf_counter() - started
        if isinstance(result, Measured):
            elapsed = result.seconds
            if result.peak_mb is not None:
                self._started_peaks.append(result.peak_mb)
        self.times.append(elapsed)
        return elapsed

    def finish(self) -> dict:
        # A process this one started reports its own peak: the kernel's figure for children would also
        # count this process's memory at the moment it forked.
        peak = max(self._started_peaks) if self._started_peaks else peak_mb()
        if self.ctx.after is not None:
            self.ctx.after()
            peak = max(peak, peak_mb())
        return {"median": statistics.median(self.times), "times": self.times, "peak_mb": peak, "notes": self.ctx.notes}


def runs_at(job: Job, counties: int) -> int:
    """More runs for the smaller cities: they cost little, and their short times are the noisiest, while
    the growth exponent leans on them as much as on the city."""
    return job.runs * (3 if counties <= 1 else 2 if counties <= 3 else 1)


def counties(n: int) -> str:
    return f"{n} county" if n == 1 else f"{n} counties"


# -- growth ------------------------------------------------------------------------------------------


def growth_exponent(sizes: list[int], seconds: list[float]) -> float | None:
    """k in seconds ~ c * counties**k, least squares on the logarithms; None with fewer than two sizes."""
    points = [(math.log(n), math.log(t)) for n, t in zip(sizes, seconds, strict=True) if t > 0]
    if len({x for x, _ in points}) < 2:
        return None
    mx = statistics.fmean(x for x, _ in points)
    my = statistics.fmean(y for _, y in points)
    return sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)


def growth_interval(
    sizes: list[int], runs: list[list[float]], *, rounds: int = 2000, level: float = 0.90
) -> tuple[float, float] | None:
    """The ``level`` bootstrap interval of the growth exponent on medians: every size's runs resampled with
    replacement ``rounds`` times (seeded, so a run's verdict does not depend on the draw)."""
    if len(set(sizes)) < 2:
        return None
    rng = random.Random(2026)
    ks = sorted(
        growth_exponent(sizes, [statistics.median(rng.choices(times, k=len(times))) for times in runs])
        for _ in range(rounds)
    )
    tail = int(rounds * (1 - level) / 2)
    return ks[tail], ks[-1 - tail]


def dumps(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, default=str)
