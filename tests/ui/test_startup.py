"""Starting the window: which database, who the user is, and clear dialogs for problems."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

import db.engine
from db.engine import sqlite_url
from plo_tracker.app import open_app, open_database
from plo_tracker.permissions import Role
from tests.conftest import log_file
from tests.ui.conftest import LEGAL, MANAGER, SOCIAL_WORKER, DialogLog, start_args
from ui import app as ui_app
from ui import errors
from ui.app import open_session
from ui.main_window import MainWindow

WINDOW_PROCESS = Path(__file__).parent / "window_process.py"


def window_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["PLO_TRACKER_DATA_DIR"] = str(tmp_path / "data")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def test_demo_lets_a_newcomer_choose_who_to_be(qtbot, dialog_log: DialogLog) -> None:
    dialog_log.chosen_user = SOCIAL_WORKER
    started = open_session(start_args(demo=True))
    assert started is not None
    try:
        labels = [label for _user, label in dialog_log.user_choices[0]]
        assert any("team manager" in label for label in labels)
        assert any("social worker" in label for label in labels)
        assert any("legal liaison" in label for label in labels)
        assert started.ctx.actor.username == SOCIAL_WORKER
        assert "demo" in started.title
        window = MainWindow(started.ctx, title=started.title, demo=True)
        qtbot.addWidget(window)
        window.show()
        assert window.windowTitle() == started.title
        assert window.case_list.model.rowCount() == ui_app.DEMO_CASES
        demo_dir = started.demo_dir
        assert demo_dir is not None and demo_dir.exists()
    finally:
        started.close()
    assert not demo_dir.exists(), "the throw-away demo database is deleted on close"


def test_cancelling_the_demo_user_choice_opens_nothing(dialog_log: DialogLog) -> None:
    dialog_log.chosen_user = None
    assert open_session(start_args(demo=True)) is None
    assert dialog_log.errors == []


def test_first_run_creates_the_default_database_and_names_it_in_the_title(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dialog_log: DialogLog
) -> None:
    monkeypatch.setenv("PLO_TRACKER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PLO_TRACKER_USER", "first.person")
    started = open_session(start_args())
    assert started is not None, dialog_log.error_text()
    try:
        expected = tmp_path / "data" / "plo-tracker.db"
        assert expected.exists()
        assert str(expected) in started.title
        assert started.ctx.actor.role == Role.ADMINISTRATOR  # the first user of a new database
        window = MainWindow(started.ctx, title=started.title)
        qtbot.addWidget(window)
        assert str(expected) in window.windowTitle()
        assert window.case_list.model.rowCount() == 0
    finally:
        started.close()


def test_db_option_opens_that_file(tmp_path: Path, dialog_log: DialogLog) -> None:
    path = tmp_path / "team.db"
    open_app(sqlite_url(path), username="someone", create=True).close()
    started = open_session(start_args(db=str(path), user="someone"))
    assert started is not None, dialog_log.error_text()
    started.close()
    assert str(path) in started.title
    assert dialog_log.confirms == []  # an existing database opens without a question


def test_a_db_option_naming_no_database_asks_before_creating_one(
    tmp_path: Path, dialog_log: DialogLog
) -> None:
    path = tmp_path / "mistyped.db"
    dialog_log.confirm_answer = False
    assert open_session(start_args(db=str(path), user="someone")) is None
    assert not path.exists() and list(tmp_path.iterdir()) == []
    title, question = dialog_log.confirms[0]
    assert title == ui_app.CREATE_TITLE and str(path) in question
    assert dialog_log.errors == []  # saying no is not an error
    dialog_log.confirm_answer = True
    started = open_session(start_args(db=str(path), user="someone"))
    assert started is not None, dialog_log.error_text()
    try:
        assert started.ctx.actor.role == Role.ADMINISTRATOR
        assert str(path) in started.title
    finally:
        started.close()
    assert len(dialog_log.confirms) == 2


def test_an_unknown_database_kind_is_a_clear_dialog(dialog_log: DialogLog) -> None:
    assert open_session(start_args(db="mysql://user@host/plo")) is None
    title, message = dialog_log.errors[0]
    assert title == ui_app.START_TITLE
    assert "SQLite and PostgreSQL" in message
    assert "Traceback" not in message


def test_an_unreachable_server_is_a_clear_dialog(dialog_log: DialogLog) -> None:
    assert open_session(start_args(db="postgresql://nobody@127.0.0.1:9/nowhere")) is None
    assert "127.0.0.1:9 (connection refused)" in dialog_log.error_text()


def test_a_locked_database_is_a_clear_dialog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dialog_log: DialogLog
) -> None:
    path = tmp_path / "locked.db"
    database, _backup = open_database(sqlite_url(path), create=True)  # no users yet
    database.dispose()
    monkeypatch.setattr(db.engine, "SQLITE_BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another program writing to the file
    try:
        # Registering the first user has to write, and cannot while the file is held.
        assert open_session(start_args(db=str(path), user="admin")) is None
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "The database is busy" in dialog_log.error_text()


def test_a_database_from_a_newer_version_is_a_clear_dialog(
    tmp_path: Path, dialog_log: DialogLog
) -> None:
    path = tmp_path / "newer.db"
    open_app(sqlite_url(path), username="admin", create=True).close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    assert open_session(start_args(db=str(path), user="admin")) is None
    assert "newer version of PLO Tracker" in dialog_log.error_text()


def test_an_unregistered_user_is_told_how_to_get_access(
    tmp_path: Path, dialog_log: DialogLog
) -> None:
    path = tmp_path / "council.db"
    open_app(sqlite_url(path), username="admin", create=True).close()
    assert open_session(start_args(db=str(path), user="stranger")) is None
    title, message = dialog_log.errors[-1]
    assert title == "Not registered in this PLO Tracker database yet"
    assert "'stranger' is not registered" in message
    # The window's way (File → Users…), not a command, and a request ready to send.
    assert "File → Users…" in message and "plo-tracker" not in message
    request = f"Please add me to PLO Tracker (database {path}). My user name is stranger"
    assert request in message
    assert QApplication.clipboard().text().startswith(request)


def test_user_option_picks_a_registered_user(window_as) -> None:
    window = window_as(LEGAL)
    assert window.actor.username == LEGAL
    assert window.actor.role == Role.LEGAL_LIAISON


def test_run_returns_an_error_code_without_a_traceback(tmp_path: Path) -> None:
    # run() shows the window first and runs the event loop, so it runs in a process of
    # its own (an event loop told to exit cannot be run again in this one).
    done = subprocess.run(
        [sys.executable, str(WINDOW_PROCESS), "run", "--db", "oracle://x/y"],
        capture_output=True,
        text=True,
        timeout=120,
        env=window_env(tmp_path),
        check=False,
    )
    assert "EXIT 1" in done.stdout, done.stdout + done.stderr
    assert "DIALOG error PLO Tracker cannot start: " in done.stdout
    assert "SQLite and PostgreSQL" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_an_unexpected_error_shows_a_reference_and_logs_no_personal_data(
    monkeypatch: pytest.MonkeyPatch, dialog_log: DialogLog
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    errors.install_excepthook()
    try:
        raise ValueError("Kelly Jones lives at 12 Mill Lane")
    except ValueError as error:
        sys.excepthook(type(error), error, error.__traceback__)
    title, message = dialog_log.errors[-1]
    assert title == "Something went wrong"
    assert "did not expect" in message and "Kelly" not in message
    reference = message.split("under reference ")[1].split(";")[0]
    logged = log_file().read_text()
    assert reference in logged
    assert "Kelly Jones" not in logged


def test_a_manager_window_offers_review_and_a_social_worker_window_does_not(window_as) -> None:
    manager = window_as(MANAGER)
    worker = window_as(SOCIAL_WORKER)
    assert manager.drift_review is not None
    assert worker.drift_review is None
    assert worker.letters is None
    tab_names = [worker.tabs.tabText(i).replace("&", "") for i in range(worker.tabs.count())]
    assert "Drift review" not in tab_names
