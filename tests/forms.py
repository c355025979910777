"""Which record forms a test or a benchmark opens and saves, and what it changes in each: one list for the
statement counts (tests/ui/test_round_trips.py) and the server benchmark (tests/benchmarks/bench_server.py)."""

from __future__ import annotations

# Opened from their person's form, which gives the person: never on their own.
NEEDS_AN_OPENER = frozenset({"training", "loan"})

# A text field of each record a clerk saves from its form (a population has none; progress notes are added, not
# edited, so their forms are only opened).
SAVED = {
    "facility": "name",
    "staff": "name",
    "project": "contact",
    "task": "content",
    "division": "name",
    "special_fund": "note",
    "plan": "source",
    "indicator": "source",
}
