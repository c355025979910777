"""One side of one job, in its own process: ``python -m tests.benchmarks.side JOB SIDE DB COUNTIES``.

Prints one line of JSON (the median, every run's time, the peak memory, the job's notes) last.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from tests.benchmarks.harness import Context, dumps, measure, runs_at
from tests.benchmarks.jobs import job_by_key


def main(argv: list[str]) -> int:
    key, side, db, counties = argv
    job = job_by_key(key)
    folder = Path(tempfile.mkdtemp(prefix=f"bench-{key}-"))
    try:
        ctx = Context(Path(db), int(counties), folder)
        result = measure(job.project if side == "project" else job.baseline, ctx, runs_at(job, int(counties)))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
