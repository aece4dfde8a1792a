"""One notice after every committed write (``plo_tracker.changes``), the signal the window's
lists refresh on; a kept cache or an export's audit row tells nobody."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest

from plo_tracker.app import AppContext
from plo_tracker.errors import ValidationError
from plo_tracker.services.demo_setup import DemoSetupService


def test_a_committed_write_is_told_and_a_refused_one_is_not(
    sqlite_app: AppContext, tmp_path: Path
) -> None:
    DemoSetupService(sqlite_app.db, sqlite_app.actor).fill(4)
    told: list[str] = []
    stop = sqlite_app.changes.subscribe(lambda: told.append(threading.current_thread().name))
    assert sqlite_app.changes is sqlite_app.changes, "one notifier per database"

    sqlite_app.cases.summaries()  # works out and keeps the list's rows: a cache
    assert told == []
    sqlite_app.exchange.export_file(tmp_path / "cases.json")  # audited, nothing shown changes
    assert told == []

    with pytest.raises(ValidationError):
        sqlite_app.settings.add_closure(None, "x")  # type: ignore[arg-type]
    assert told == []

    sqlite_app.settings.add_closure(dt.date(2027, 8, 2), "Staff day")
    assert told == ["MainThread"]
    count = len(told)

    # Told on the thread that wrote (the window passes it on to its own thread).
    thread = threading.Thread(
        target=sqlite_app.settings.add_closure,
        args=(dt.date(2027, 8, 3), "Staff day"),
        name="writer",
    )
    thread.start()
    thread.join()
    assert told[count:] == ["writer"]

    stop()
    sqlite_app.settings.add_closure(dt.date(2027, 8, 4), "Staff day")
    assert told[count + 1 :] == []


def test_a_listener_that_fails_does_not_undo_the_write(sqlite_app: AppContext) -> None:
    def broken() -> None:
        raise RuntimeError("a closed window")

    sqlite_app.changes.subscribe(broken)
    sqlite_app.settings.add_closure(dt.date(2027, 8, 2), "Staff day")
    assert dt.date(2027, 8, 2) in {c.day for c in sqlite_app.settings.closures()}
