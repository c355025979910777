"""Alembic migrations, run from code by db.engine.open_database()."""

# The newest revision. Opening a database already at it needs no Alembic at all (a quicker start);
# tests/test_database.py checks that this agrees with the revision scripts.
HEAD = "0024"
