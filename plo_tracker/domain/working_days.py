"""Working days in England: Monday to Friday, less bank holidays and closure days.

Bank holidays come from the maintained ``holidays`` package (England subdivision of
GB, which includes one-off days such as 8 May 2023 and substitute days); closure
days are the council's own, kept in the database and passed in.

Convention (domain reference, section 2): "D + n working days" is the n-th
working day after D; D itself never counts, whether or not it is a working day.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable

_ONE_DAY = dt.timedelta(days=1)
_bank_holiday_years: dict[int, frozenset[dt.date]] = {}
_lock = threading.Lock()


def bank_holidays(year: int) -> frozenset[dt.date]:
    """England and Wales bank holidays of ``year`` (cached; thread-safe)."""
    found = _bank_holiday_years.get(year)
    if found is None:
        with _lock:
            found = _bank_holiday_years.get(year)
            if found is None:
                # Imported on first use, and the UK class directly rather than through
                # the package's registry: it keeps start-up fast.
                from holidays.countries.united_kingdom import UnitedKingdom

                table = UnitedKingdom(subdiv="ENG", years=year)
                found = frozenset(day for day in table if day.year == year)
                _bank_holiday_years[year] = found
    return found


def preload_bank_holidays(years: dict[int, frozenset[dt.date]]) -> None:
    """Use bank holidays computed earlier (a cache kept by the app) for these years."""
    with _lock:
        for year, days in years.items():
            _bank_holiday_years.setdefault(year, frozenset(days))


def computed_years() -> dict[int, frozenset[dt.date]]:
    return dict(_bank_holiday_years)


class WorkingCalendar:
    """Working-day arithmetic over bank holidays plus the council's closure days."""

    def __init__(self, closure_days: Iterable[dt.date] = ()) -> None:
        self.closure_days: frozenset[dt.date] = frozenset(closure_days)
        self._cache: dict[tuple[dt.date, int], dt.date] = {}

    def is_bank_holiday(self, day: dt.date) -> bool:
        return day in bank_holidays(day.year)

    def is_working_day(self, day: dt.date) -> bool:
        return (
            day.weekday() < 5
            and day not in self.closure_days
            and day not in bank_holidays(day.year)
        )

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after ``day`` (before it for negative n); n=0 gives ``day``."""
        key = (day, n)
        found = self._cache.get(key)
        if found is not None:
            return found
        step = _ONE_DAY if n >= 0 else -_ONE_DAY
        current = day
        remaining = abs(n)
        while remaining:
            current += step
            if self.is_working_day(current):
                remaining -= 1
        self._cache[key] = current
        return current

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
        if end == start:
            return 0
        sign = 1 if end > start else -1
        low, high = (start, end) if sign > 0 else (end, start)
        count = 0
        current = low + _ONE_DAY
        while current <= high:
            if self.is_working_day(current):
                count += 1
            current += _ONE_DAY
        return sign * count
