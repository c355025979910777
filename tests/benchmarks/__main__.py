"""Run every benchmark module in this folder: ``python -m tests.benchmarks``."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import tests.benchmarks as package


def main() -> int:
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("bench_"):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            module.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
