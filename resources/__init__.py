"""Data files shipped with the app: default norms, demo material, icons, styles."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any


def read_json(name: str) -> Any:
    """Load a JSON resource by its path inside this package, e.g. ``demo/indicators.json``."""
    return json.loads(files(__name__).joinpath(name).read_text(encoding="utf-8"))
