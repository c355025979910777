"""Persistence for CountyHealth Desk: models, open_database() and the migrations."""

from db.engine import Database, open_database
from db.errors import (
    DamagedDatabaseError,
    DatabaseInUseError,
    DatabaseOpenError,
    MigrationError,
    NotADatabaseError,
    SchemaTooNewError,
)

__all__ = [
    "DamagedDatabaseError",
    "Database",
    "DatabaseInUseError",
    "DatabaseOpenError",
    "MigrationError",
    "NotADatabaseError",
    "SchemaTooNewError",
    "open_database",
]
