"""The shape of the code: Qt only under desktop/ui, data flowing ui -> core -> db."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def python_files(*parts: str) -> list[Path]:
    return sorted((ROOT.joinpath(*parts)).rglob("*.py"))


def test_only_desktop_ui_imports_qt():
    offenders = [
        p
        for p in python_files("desktop") + python_files("db")
        if "ui" not in p.relative_to(ROOT).parts
        and any(n.split(".")[0] in ("PySide6", "shiboken6") for n in imports_of(p))
    ]
    assert offenders == []


def test_db_never_imports_the_app():
    offenders = [p for p in python_files("db") if any(n.split(".")[0] == "desktop" for n in imports_of(p))]
    assert offenders == []


def test_the_core_never_imports_the_ui():
    offenders = [
        p
        for p in python_files("desktop")
        if "ui" not in p.relative_to(ROOT).parts and any(n.startswith("desktop.ui") for n in imports_of(p))
    ]
    assert offenders == []
