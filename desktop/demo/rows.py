"""The rows a demo database is made of, table by table, with ids assigned up front."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

# Parents before children, so the rows can be inserted in this order with foreign keys on.
TABLE_ORDER = (
    "divisions",
    "division_populations",
    "county_profile",
    "facilities",
    "facility_equipment",
    "special_funds",
    "service_areas",
    "staff",
    "trainings",
    "staff_loans",
    "projects",
    "project_funding",
    "project_updates",
    "key_tasks",
    "task_cooperating_units",
    "task_updates",
    "indicators",
    "indicator_values",
)


class Rows:
    """Rows per table as plain dicts; ``add`` gives each row the next id of its table."""

    def __init__(self) -> None:
        self.tables: dict[str, list[dict]] = defaultdict(list)
        self._next_id: dict[str, int] = defaultdict(lambda: 1)

    def add(self, table: str, **values: object) -> int:
        row_id = self._next_id[table]
        self._next_id[table] = row_id + 1
        values["id"] = row_id
        self.tables[table].append(values)
        return row_id

    def get(self, table: str, row_id: int) -> dict:
        """The row with this id: ids are assigned in order from 1, so it is at index id - 1."""
        return self.tables[table][row_id - 1]

    def count(self, table: str) -> int:
        return len(self.tables.get(table, ()))

    def __iter__(self) -> Iterator[tuple[str, list[dict]]]:
        for name in TABLE_ORDER:
            rows = self.tables.get(name)
            if rows:
                yield name, rows

    @property
    def total(self) -> int:
        return sum(len(rows) for rows in self.tables.values())
