"""The frozen app's entry point: the same main() as the ``countyhealth-desk`` script of a venv."""

import sys

from desktop.ui.app import main

if __name__ == "__main__":
    sys.exit(main())
