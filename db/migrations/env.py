"""Alembic environment: run from code by db.engine, sharing the caller's connection."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

import db.models  # noqa: F401  (registers every table on the metadata)
from db.models.base import Base

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    # Used only when a developer runs Alembic by hand with -x url=... to write a revision.
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("alembic -x url=DATABASE_URL revision ...: the database to compare the models with")
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)
