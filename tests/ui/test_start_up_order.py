"""Issue 15, item 1: the window first, the data after.

The window (title, menus, a case list saying it is loading) is painted before the
database code, SQLAlchemy, letters and reports are imported (checked in a fresh
process at its first paint); the database then opens off the window's thread and the
list fills a chunk at a time while the search box can be typed in.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from plo_tracker.app import AppContext
from plo_tracker.services.users import find_actor
from tests.ui.conftest import MANAGER, SOCIAL_WORKER, show_active
from ui.main_window import MainWindow
from ui.widgets import case_list as case_list_module

WINDOW_PROCESS = Path(__file__).parent / "window_process.py"


def run_window(tmp_path: Path, *args: str, confirm: str = "no", code: int = 0) -> list[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PLO_TEST_CONFIRM=confirm)
    env["PLO_TRACKER_DATA_DIR"] = str(tmp_path / "data")
    done = subprocess.run(
        [sys.executable, str(WINDOW_PROCESS), *args],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
        check=False,
    )
    assert done.returncode == code, done.stdout + done.stderr
    return done.stdout.splitlines()


def test_the_window_is_painted_before_the_database_code_is_imported(
    tmp_path: Path, demo_path: Path
) -> None:
    lines = run_window(tmp_path, "first-paint", "--db", str(demo_path), "--user", SOCIAL_WORKER)
    modules = json.loads(next(line for line in lines if line.startswith("MODULES "))[8:])
    assert modules == [], f"imported before the first paint: {modules}"
    # Then the session arrives and the list fills.
    assert lines.index("ATTACHED") > 0
    assert "LOADED 60" in lines
    assert not any(line.startswith("DIALOG") for line in lines), lines


def test_a_mistyped_database_is_asked_about_not_made(tmp_path: Path) -> None:
    path = tmp_path / "mistyped.db"
    lines = run_window(tmp_path, "first-paint", "--db", str(path), "--user", "jo", code=1)
    asked = [line for line in lines if line.startswith("DIALOG confirm")]
    assert asked and "Create a new database here?" in asked[0] and str(path) in asked[0]
    assert not path.exists() and "ATTACHED" not in lines
    assert not any(line.startswith("DIALOG error") for line in lines), "no is not an error"
    lines = run_window(tmp_path, "first-paint", "--db", str(path), "--user", "jo", confirm="yes")
    assert "ATTACHED" in lines and "LOADED 0" in lines and path.exists()


def test_the_demo_opens_the_same_way(tmp_path: Path) -> None:
    lines = run_window(tmp_path, "first-paint", "--demo")
    assert json.loads(next(line for line in lines if line.startswith("MODULES "))[8:]) == []
    assert "ATTACHED" in lines and "LOADED 60" in lines


def test_the_shell_has_a_title_menus_and_a_loading_list(qtbot: Any) -> None:
    window = MainWindow(title="PLO Tracker – opening team.db…")
    show_active(qtbot, window)
    assert window.windowTitle() == "PLO Tracker – opening team.db…"
    assert [a.text() for a in window.menuBar().actions()] == ["&File", "&View", "&Help"]
    assert not window.new_case_action.isEnabled()
    assert window.new_case_action.toolTip() == "The database is still opening."
    assert window.case_list.status.text() == "Opening the database…"
    assert window.case_list.search.isEnabled()
    window.show_about()  # works before the database is open


def test_the_search_box_works_while_rows_arrive(
    qtbot: Any, demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from db.engine import sqlite_url
    from plo_tracker.app import open_app

    monkeypatch.setattr(case_list_module, "CHUNK", 7)
    ctx = open_app(sqlite_url(demo_path), username=MANAGER)
    try:
        window = MainWindow(title="opening…")
        show_active(qtbot, window)
        widget = window.case_list
        # Typed while the database was still opening: kept, and the start page is not
        # switched away from under the person typing.
        widget.search.setFocus()
        qtbot.keyClicks(widget.search, "Megan")
        seen: list[tuple[int, str, int]] = []

        def rows_arrived(*_args: object) -> None:
            # Typing while rows arrive: after the first chunk, before the last.
            if widget.loading and not seen and 0 < widget.model.rowCount() < 60:
                qtbot.keyClicks(widget.search, " ")
                seen.append((widget.model.rowCount(), widget.status.text(), len(partial())))

        def partial() -> list[str]:
            return widget.visible_references()

        widget.model.rowsInserted.connect(rows_arrived)
        window.attach(ctx, title="PLO Tracker – demo", background=True)
        assert window.tabs.currentWidget() is widget
        assert widget.loading
        widget.scope.setCurrentIndex(widget.scope.findData("all"))
        with qtbot.waitSignal(widget.loaded, timeout=20_000):
            pass
        assert seen, "rows arrived in chunks, and the search box took typing between them"
        count, status, _shown = seen[0]
        assert count < 60 and status.startswith("Loading the cases…")
        assert not widget.loading and widget.model.rowCount() == 60
        shown = widget.proxy.visible_rows()
        assert shown and all("Megan" in r.social_worker + r.children for r in shown)
        assert len(shown) < 60
        assert widget.search.text() == "Megan "
        assert widget.status.isHidden()
    finally:
        window.close()
        ctx.close()


def test_a_load_that_fails_says_so(qtbot: Any, demo_path: Path, dialog_log: Any) -> None:
    from db.engine import sqlite_url
    from plo_tracker.app import open_app

    ctx = open_app(sqlite_url(demo_path), username=SOCIAL_WORKER)
    window = MainWindow(title="opening…")
    show_active(qtbot, window)
    ctx.db.dispose()
    demo_path.unlink()
    demo_path.mkdir()  # the database file has gone (a directory is in its place)
    try:
        window.attach(ctx, background=True)
        qtbot.waitUntil(lambda: not window.case_list.loading, timeout=10_000)
        assert "could not be loaded" in window.case_list.status.text()
        assert dialog_log.errors and dialog_log.errors[0][0] == "Cannot load the cases"
        assert "Traceback" not in dialog_log.error_text()
    finally:
        window.close()


def test_a_session_given_at_once_is_loaded_at_once(qtbot: Any, demo_path: Path) -> None:
    from db.engine import sqlite_url
    from plo_tracker.app import open_app

    admin = open_app(sqlite_url(demo_path), username=SOCIAL_WORKER)
    try:
        ctx = AppContext(db=admin.db, actor=find_actor(admin.db, SOCIAL_WORKER))
        window = MainWindow(ctx, title="t")
        qtbot.addWidget(window)
        assert window.case_list.model.rowCount() == 60  # tests and scripts need no waiting
        assert window.case_list.table.isSortingEnabled()
        assert window.case_list.table.horizontalHeader().sortIndicatorSection() >= 0
        qtbot.keyClick(window.case_list.search, Qt.Key.Key_A)
    finally:
        admin.close()
