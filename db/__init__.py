"""Persistence for CountyHealth Desk: models, open_database() and the migrations."""

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

__all__ = [
    "AccessDenied",
    "Actor",
    "DamagedDatabaseError",
    "Database",
    "DatabaseInUseError",
    "DatabaseOpenError",
    "MigrationError",
    "NotADatabaseError",
    "SchemaTooNewError",
    "open_database",
]
