"""Today's date (and the time now) for the whole app: the one clock every part asks.

Drift flags, "not in the future" checks, default dates in forms, letter dates and demo
data all take their day from ``today()``.  Nothing else in the app reads the computer's
date, so a test can fix the day once for everything it drives, window included:

    from plo_tracker import clock
    clock.fix(dt.date(2026, 11, 25))   # tests/conftest.py does this for every test

``fix`` is for tests only: no setting, option or environment variable reaches it, so a
user can never move the app's date by accident.  ``.ci/run`` also moves the computer's
clock itself (libfaketime) to show that no test depends on the real date.
"""

from __future__ import annotations

import datetime as dt

_fixed: dt.date | None = None


def today() -> dt.date:
    """The date today (the fixed day, in a test that fixed it)."""
    return _fixed if _fixed is not None else dt.date.today()


def now() -> dt.datetime:
    """The local date and time now (on the fixed day, in a test that fixed it)."""
    moment = dt.datetime.now()
    return moment if _fixed is None else dt.datetime.combine(_fixed, moment.time())


def utc_now() -> dt.datetime:
    """``now()`` as an aware UTC time (for records kept in UTC, such as a letter's making)."""
    return now().astimezone(dt.UTC)


def fix(day: dt.date | None) -> None:
    """Tests only: make ``today()`` return ``day`` (None: the computer's date again)."""
    global _fixed
    if day is not None and not isinstance(day, dt.date):
        raise TypeError("clock.fix takes a date")
    _fixed = day.date() if isinstance(day, dt.datetime) else day


def fixed() -> dt.date | None:
    """The day a test fixed, if any."""
    return _fixed
