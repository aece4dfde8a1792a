"""The bank holiday cache gives the same dates as the holidays package."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import holidays

from plo_tracker.domain import working_days
from plo_tracker.services import holiday_cache


def test_cache_is_built_then_read_and_matches_the_package(tmp_path: Path) -> None:
    today = dt.date(2026, 11, 23)
    assert holiday_cache.warm(tmp_path, today) is False  # built
    path = holiday_cache.cache_file(tmp_path)
    assert path.exists() and holidays.__version__ in path.name
    data = json.loads(path.read_text())
    for year in (2003, 2022, 2023, 2026, 2031):
        expected = {
            d for d in holidays.country_holidays("GB", subdiv="ENG", years=year) if d.year == year
        }
        assert {dt.date.fromisoformat(d) for d in data["years"][str(year)]} == expected
    assert "2023-05-08" in data["years"]["2023"]  # the coronation
    assert holiday_cache.warm(tmp_path, today) is True  # read back


def test_a_damaged_cache_is_rebuilt(tmp_path: Path) -> None:
    path = holiday_cache.cache_file(tmp_path)
    path.write_text("{not json")
    assert holiday_cache.warm(tmp_path, dt.date(2026, 1, 1)) is False
    assert json.loads(path.read_text())["years"]["2026"]
    assert working_days.bank_holidays(2026) == frozenset(
        dt.date.fromisoformat(d) for d in json.loads(path.read_text())["years"]["2026"]
    )
