"""The frozen app's entry point: the same main() as the ``countyhealth-desk`` script of a venv."""

import sys

# The install folder is read-only for the user (and must stay as installed for the uninstaller): Alembic's
# migration scripts, read from disk, must not leave bytecode beside them.
sys.dont_write_bytecode = True

from desktop.ui.app import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
