"""The arrows go one way: ui -> plo_tracker -> db; the drift rules are pure."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imports_of(package: str) -> dict[Path, set[str]]:
    found: dict[Path, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
        found[path] = names
    return found


def offenders(package: str, forbidden: tuple[str, ...]) -> list[str]:
    bad = []
    for path, names in imports_of(package).items():
        for name in names:
            if name.split(".")[0] in forbidden:
                bad.append(f"{path.relative_to(ROOT)} imports {name}")
    return sorted(bad)


def test_core_imports_no_qt_and_no_ui() -> None:
    assert offenders("plo_tracker", ("PySide6", "PyQt6", "PyQt5", "ui", "shiboken6")) == []


def test_db_imports_neither_core_nor_ui() -> None:
    assert offenders("db", ("plo_tracker", "ui", "PySide6")) == []


def test_domain_rules_touch_no_database() -> None:
    assert offenders("plo_tracker/domain", ("sqlalchemy", "db", "alembic", "psycopg")) == []


def test_ui_does_not_reach_into_the_database_directly() -> None:
    assert offenders("ui", ("db", "sqlalchemy")) == []
