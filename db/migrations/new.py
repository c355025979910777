"""``python -m db.migrations.new "what changes"``: write the next migration.

Alembic's autogenerate compares the models with a new database migrated to the present head and writes what
differs as the next numbered revision (``NNNN_what_changes.py`` in versions/), then HEAD in this package is
moved to it. Read what it wrote before committing: autogenerate sees tables, columns, types, indexes and
constraints, not data (a new rule's defaults, a renamed code) nor a column renamed (it sees one dropped and one
added). CONTRIBUTING.md has the whole recipe.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

HEAD_LINE = re.compile(r'^HEAD = "(\d{4})"$', re.MULTILINE)


def main(argv: list[str]) -> int:
    from alembic import command
    from sqlalchemy import create_engine

    from db.engine import MIGRATIONS_DIR, alembic_config, head_revision, open_database

    message = " ".join(argv).strip()
    if not message:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    rev_id = f"{int(head_revision()) + 1:04d}"
    with tempfile.TemporaryDirectory(prefix="countyhealth-migration-") as folder:
        path = Path(folder) / "head.db"
        open_database(path).close()
        cfg = alembic_config()
        cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
        engine = create_engine(f"sqlite:///{path}")
        try:
            with engine.connect() as connection:
                cfg.attributes["connection"] = connection
                script = command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)
        finally:
            engine.dispose()
    init = MIGRATIONS_DIR / "__init__.py"
    init.write_text(HEAD_LINE.sub(f'HEAD = "{rev_id}"', init.read_text(encoding="utf-8")), encoding="utf-8")
    written = script.path if script is not None and not isinstance(script, list) else "(none)"
    print(f"wrote {written}; HEAD is now {rev_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
