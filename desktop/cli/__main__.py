"""``python -m desktop.cli``: the ``countyhealth`` command without its script (tests run it where PATH is bare)."""

import sys

from desktop.cli import main

sys.exit(main())
