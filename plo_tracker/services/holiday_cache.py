"""A file cache of England and Wales bank holidays, so most starts need not load the
``holidays`` package (about 0.15 s).

The dates still come from that maintained package: the cache file is named after its
installed version, so upgrading the package (for a newly announced bank holiday)
rebuilds the cache.  It covers 2000 to five years ahead; other years are computed by
the package when asked for.  A missing or damaged cache file is simply rebuilt.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from importlib import metadata
from pathlib import Path

from plo_tracker import clock
from plo_tracker.domain.working_days import bank_holidays, preload_bank_holidays

log = logging.getLogger("plo_tracker.calendar")
FIRST_YEAR = 2000
YEARS_AHEAD = 5


def cache_file(directory: Path) -> Path:
    try:
        version = metadata.version("holidays")
    except metadata.PackageNotFoundError:  # pragma: no cover - it is a dependency
        version = "unknown"
    return directory / f"bank-holidays-{version}.json"


def warm(directory: Path, today: dt.date | None = None) -> bool:
    """Load the cached bank holidays (building the cache if needed); True if it was read."""
    today = today or clock.today()
    last = today.year + YEARS_AHEAD
    path = cache_file(directory)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        years = {
            int(year): frozenset(dt.date.fromisoformat(d) for d in days)
            for year, days in data["years"].items()
        }
        if all(year in years for year in range(FIRST_YEAR, last + 1)):
            preload_bank_holidays(years)
            return True
    except (OSError, ValueError, KeyError, TypeError):
        pass  # missing, old or damaged: rebuild below
    years = {year: bank_holidays(year) for year in range(FIRST_YEAR, last + 1)}
    try:
        directory.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + f".{os.getpid()}")
        partial.write_text(
            json.dumps(
                {
                    "years": {
                        str(y): sorted(d.isoformat() for d in days) for y, days in years.items()
                    }
                }
            ),
            encoding="utf-8",
        )
        os.replace(partial, path)
    except OSError:
        log.info("bank holiday cache not written")
    return False
