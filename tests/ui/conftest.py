"""Fixtures for the desktop client's tests: real widgets on real databases, offscreen.

- ``dialog_log``: every ``ui.dialogs`` function replaced by a plain recording function
  (never a Mock), so nothing modal blocks a test and the test can read what the user
  was told.
- ``demo_url``: a SQLite database made by the app's own demo start-up path
  (``ui.app.make_demo_database``), built once per run and copied for each test.
- ``window_as(username)``: the real ``MainWindow`` opened through ``ui.app.open_session``
  (the start-up path ``plo-tracker --user NAME`` takes), shown and handed to qtbot.
"""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import URL

from db.engine import sqlite_url
from ui import dialogs
from ui.app import Started, make_demo_database, open_session
from ui.main_window import MainWindow

MANAGER = "ann.wright"  # team manager, Case Management 1
SOCIAL_WORKER = "megan.hughes"  # social worker, Case Management 2
LEGAL = "sara.khan"  # legal liaison
DEMO_FILE = "plo-tracker-demo.db"


@dataclass
class DialogLog:
    """What the window asked or told the user, and the answers the test gives."""

    errors: list[tuple[str, str]] = field(default_factory=list)
    infos: list[tuple[str, str]] = field(default_factory=list)
    confirms: list[tuple[str, str]] = field(default_factory=list)
    opened: list[Path] = field(default_factory=list)
    user_choices: list[Sequence[tuple[str, str]]] = field(default_factory=list)
    confirm_answer: bool = True
    save_path: Path | None = None
    open_path_value: Path | None = None
    chosen_user: str | None = None
    unsaved: list[str] = field(default_factory=list)
    unsaved_answer: str = "discard"
    warnings: list[list[str]] = field(default_factory=list)
    warnings_answer: bool = True

    def error_text(self) -> str:
        return "\n".join(message for _title, message in self.errors)

    def info_text(self) -> str:
        return "\n".join(message for _title, message in self.infos)


@pytest.fixture(autouse=True)
def collect_garbage_between_tests(qapp: Any) -> Iterator[None]:
    """Python's cycle collector frees a test's widgets here, at a quiet moment.

    A test's windows become unreachable when the test function returns, while Qt still
    has events to deliver to them; if the collector ran then (inside a Python
    ``paintEvent``, say) it would free a window in the middle of painting it.  The
    window itself never does this: its windows and forms are always held or parented.
    """
    import gc

    gc.disable()
    try:
        yield
    finally:
        qapp.processEvents()
        gc.collect()
        gc.enable()


@pytest.fixture(autouse=True)
def window_settings(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Each test remembers window layouts in a settings file of its own."""
    from ui import settings

    path = tmp_path_factory.mktemp("settings") / "window.ini"
    monkeypatch.setattr(settings, "SETTINGS_FILE", path)
    return path


@pytest.fixture(autouse=True)
def dialog_log(monkeypatch: pytest.MonkeyPatch) -> DialogLog:
    """Autouse: no test can ever block on a modal dialog (a form closed with changes
    asks Save / Discard / Cancel, for example)."""
    log = DialogLog()

    def show_error(_parent: Any, title: str, message: str) -> None:
        log.errors.append((title, message))

    def show_info(_parent: Any, title: str, message: str) -> None:
        log.infos.append((title, message))

    def confirm(_parent: Any, title: str, message: str, _action: str = "OK") -> bool:
        log.confirms.append((title, message))
        return log.confirm_answer

    def save_file_name(_parent: Any, _caption: str, _suggested: Any, _filters: str) -> Path | None:
        return log.save_path

    def open_file_name(_parent: Any, _caption: str, _filters: str) -> Path | None:
        return log.open_path_value

    def open_path(path: Path) -> bool:
        log.opened.append(path)
        return True

    def choose_user(_parent: Any, people: Sequence[tuple[str, str]]) -> str | None:
        log.user_choices.append(list(people))
        return log.chosen_user

    def ask_unsaved(_parent: Any, what: str) -> str:
        log.unsaved.append(what)
        return log.unsaved_answer

    def confirm_warnings(_parent: Any, _what: str, warnings: Sequence[str]) -> bool:
        log.warnings.append(list(warnings))
        return log.warnings_answer

    monkeypatch.setattr(dialogs, "ask_unsaved", ask_unsaved)
    monkeypatch.setattr(dialogs, "confirm_warnings", confirm_warnings)
    monkeypatch.setattr(dialogs, "show_error", show_error)
    monkeypatch.setattr(dialogs, "show_info", show_info)
    monkeypatch.setattr(dialogs, "confirm", confirm)
    monkeypatch.setattr(dialogs, "save_file_name", save_file_name)
    monkeypatch.setattr(dialogs, "open_file_name", open_file_name)
    monkeypatch.setattr(dialogs, "open_path", open_path)
    monkeypatch.setattr(dialogs, "choose_user", choose_user)
    return log


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("demo-template")
    ctx = make_demo_database(directory)
    ctx.close()
    return directory / DEMO_FILE


def copy_database(source: Path, target: Path) -> Path:
    shutil.copy2(source, target)
    for suffix in ("-wal", "-shm"):
        extra = source.with_name(source.name + suffix)
        if extra.exists():
            shutil.copy2(extra, target.with_name(target.name + suffix))
    return target


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    return copy_database(demo_template, tmp_path / DEMO_FILE)


@pytest.fixture
def demo_url(demo_path: Path) -> URL:
    return sqlite_url(demo_path)


def start_args(db: str | None = None, user: str | None = None, demo: bool = False) -> Any:
    return argparse.Namespace(db=db, user=user, demo=demo, command=None)


def close_windows(windows: list[Any]) -> None:
    """Close the test's windows and let Qt delete them, at a quiet moment.

    The fixture holds the windows until then: a window whose last Python reference went
    away would otherwise be freed by Python's cycle collector whenever it next runs,
    which can be in the middle of painting that very window.
    """
    for window in windows:
        window.close()
        window.deleteLater()
    QApplication.processEvents()
    windows.clear()


def show_active(qtbot: Any, window: QWidget) -> None:
    """Show a top-level window and make it the active one, so shortcuts reach it."""
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)


@pytest.fixture
def window_as(
    qtbot: Any, demo_path: Path, dialog_log: DialogLog
) -> Iterator[Callable[..., MainWindow]]:
    """``window_as("megan.hughes")``: the real window, started as that demo user."""
    started: list[Started] = []
    windows: list[MainWindow] = []

    def make(username: str, db: str | None = None) -> MainWindow:
        session = open_session(start_args(db=db or str(demo_path), user=username))
        assert session is not None, dialog_log.error_text()
        started.append(session)
        window = MainWindow(session.ctx, title=session.title)
        windows.append(window)
        show_active(qtbot, window)
        return window

    yield make
    close_windows(windows)
    for session in started:
        session.close()


@pytest.fixture
def db_window(qtbot: Any, app: Any, dialog_log: DialogLog) -> Iterator[Callable[[str], MainWindow]]:
    """``db_window("megan.hughes")`` on SQLite and on PostgreSQL: demo cases and staff."""
    from plo_tracker.app import AppContext
    from plo_tracker.services.demo_setup import DemoSetupService
    from plo_tracker.services.users import find_actor

    DemoSetupService(app.db, app.actor).fill(24)
    windows: list[MainWindow] = []

    def make(username: str) -> MainWindow:
        ctx = AppContext(db=app.db, actor=find_actor(app.db, username))
        window = MainWindow(ctx, title="PLO Tracker – test")
        windows.append(window)
        show_active(qtbot, window)
        return window

    yield make
    close_windows(windows)
