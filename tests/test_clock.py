"""One clock for the app: nothing else asks the computer for today's date, and tests run on
a fixed day."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

from plo_tracker import clock
from plo_tracker.services import base
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parents[1]


def _calls_to_today(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name = node.func.attr
            owner = ast.unparse(node.func.value)
            if (name == "today" and owner.endswith(("date", "datetime"))) or (
                name == "currentDate" and owner.endswith("QDate")
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_nothing_but_the_clock_asks_for_todays_date() -> None:
    found = []
    for folder in ("plo_tracker", "ui", "db"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path != ROOT / "plo_tracker" / "clock.py":
                found.extend(_calls_to_today(path))
    assert found == [], "use plo_tracker.clock.today():\n" + "\n".join(found)


def test_every_test_runs_on_the_fixed_day(clock_on) -> None:
    assert clock.today() == base.today() == TODAY
    assert clock.now().date() == TODAY and clock.utc_now().tzinfo is dt.UTC
    clock_on(dt.date(2027, 3, 31))
    assert base.today() == dt.date(2027, 3, 31)


def test_the_day_is_back_after_a_test_moved_it() -> None:
    assert clock.today() == TODAY
