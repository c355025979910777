"""One side of one job in its own process: ``python -m tests.benchmarks.side JOB SIDE DB COUNTIES [SERVER_URL]``.

It prepares, says ``ready``, then runs once for each ``run`` line it reads and finishes on ``end``, so that the
parent can alternate the project and its baseline while each keeps its own memory. Its answers are the lines
of stdout that start with ``@bench``; anything else the job prints is not for the parent.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from tests.benchmarks.harness import Context, Side, dumps
from tests.benchmarks.jobs import job_by_key

MARK = "@bench "


def answer(value: object) -> None:
    print(MARK + dumps(value), flush=True)


def main(argv: list[str]) -> int:
    key, side_name, db, counties, *server = argv
    job = job_by_key(key)
    folder = Path(tempfile.mkdtemp(prefix=f"bench-{key}-"))
    try:
        ctx = Context(Path(db), int(counties), folder, server=server[0] if server else None)
        side = Side(job.project if side_name == "project" else job.baseline, ctx)
        answer("ready")
        for line in sys.stdin:
            if line.strip() == "run":
                answer(side.once())
            else:
                answer(side.finish())
                break
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
