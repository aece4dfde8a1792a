"""Issue 16 items 3 and 5 in the window: a screen that cannot be loaded says so (and is
logged, naming its module); Help → About gives the version and the database schema."""

from __future__ import annotations

from typing import Any

import pytest

from plo_tracker import __version__
from tests.conftest import log_file
from tests.ui.conftest import LEGAL, MANAGER, DialogLog
from ui import main_window
from ui.main_window import SCREENS, ScreenUnavailable


def test_a_screen_that_cannot_be_loaded_says_which_and_why(
    window_as: Any, dialog_log: DialogLog, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    label, _module, class_name = SCREENS["reports"]
    monkeypatch.setitem(SCREENS, "reports", (label, "ui.widgets.no_such_reports", class_name))
    window = window_as(MANAGER)
    index = next(i for i in range(window.tabs.count()) if window.tabs.tabText(i) == "R&eports")
    window.tabs.setCurrentIndex(index)
    page = window.tabs.currentWidget()
    assert isinstance(page, ScreenUnavailable), "the tab stays, saying what is wrong"
    text = page.message.text()
    assert "The Reports screen could not be loaded" in text
    assert "ui.widgets.no_such_reports" in text and "ModuleNotFoundError" in text
    assert "The rest of PLO Tracker works" in text
    assert window.reports is None
    qtbot.waitUntil(lambda: bool(dialog_log.errors))
    title, message = dialog_log.errors[-1]
    assert title == "Reports is not available" and "ui.widgets.no_such_reports" in message
    logged = log_file().read_text()
    assert "screen Reports could not be loaded from module ui.widgets.no_such_reports" in logged


def test_a_screen_whose_code_fails_on_import_is_reported_too(
    window_as: Any, dialog_log: DialogLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_module: str, _name: str) -> Any:
        raise ImportError("cannot import name 'LettersWidget' (a damaged file)")

    monkeypatch.setattr(main_window, "load_screen", broken)
    window = window_as(LEGAL)
    page = window.tabs.currentWidget()  # legal liaison's start page: Letters to do
    assert isinstance(page, ScreenUnavailable)
    assert "ui.widgets.letters_todo" in page.message.text()


def test_about_gives_the_version_and_the_database_schema(
    window_as: Any, dialog_log: DialogLog
) -> None:
    from db.migrate import head_revision

    window = window_as(MANAGER)
    window.about_action.trigger()
    title, message = dialog_log.infos[-1]
    assert title == "About PLO Tracker"
    assert f"PLO Tracker version {__version__}" in message
    assert f"Database schema revision: {head_revision()} (up to date)" in message
    assert "Database: " in message


def test_about_says_which_settings_are_in_force_and_where_from(
    window_as: Any, dialog_log: DialogLog, demo_path: Any
) -> None:
    """Issue 16: the window, like 'plo-tracker config', names each setting's source."""
    window = window_as(MANAGER)
    window.db_option = str(demo_path)  # as a window started with --db has it
    window.about_action.trigger()
    _title, message = dialog_log.infos[-1]
    assert "Settings in force:" in message
    lines = message.splitlines()
    database = next(
        line for line in lines if line.strip().startswith("Database:") and "from" in line
    )
    assert database.endswith("(from the --db option)"), database
    assert any(line.strip().startswith("Council's letter templates folder") for line in lines)
    assert any(line.strip().startswith("Log folder") for line in lines)
