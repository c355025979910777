"""Persistence for CountyHealth Desk: models, open_database() and the migrations.

The names below are loaded when first used: ``from db.errors import UserError`` (which the window's first paint
needs) must not import SQLAlchemy through this package."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "Actor": "db.access",
    "Database": "db.engine",
    "open_database": "db.engine",
    "AccessDenied": "db.errors",
    "DamagedDatabaseError": "db.errors",
    "DatabaseInUseError": "db.errors",
    "DatabaseOpenError": "db.errors",
    "MigrationError": "db.errors",
    "NotADatabaseError": "db.errors",
    "SchemaTooNewError": "db.errors",
}

if TYPE_CHECKING:
    from db.access import Actor
    from db.engine import Database, open_database
    from db.errors import (
        AccessDenied,
        DamagedDatabaseError,
        DatabaseInUseError,
        DatabaseOpenError,
        MigrationError,
        NotADatabaseError,
        SchemaTooNewError,
    )


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'db' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [  # noqa: RUF022 (as _WHERE)
    "Actor",
    "Database",
    "open_database",
    "AccessDenied",
    "DamagedDatabaseError",
    "DatabaseInUseError",
    "DatabaseOpenError",
    "MigrationError",
    "NotADatabaseError",
    "SchemaTooNewError",
]
