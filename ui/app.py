"""Starting the desktop window: the database, the person using it, then the main window.

``run(args)`` is what ``plo-tracker`` (no command) calls; ``args`` has ``.db``,
``.user`` and ``.demo``.  ``open_session`` does everything before the window
(and shows any start-up problem as a dialog), so tests drive it without an
event loop.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import shutil
import signal
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from plo_tracker import config, logs
from plo_tracker.app import (
    AppContext,
    DatabaseMissingError,
    DatabaseURL,
    default_url,
    open_app,
)
from plo_tracker.permissions import ROLE_LABELS
from plo_tracker.services.demo_setup import DemoSetupService
from plo_tracker.services.users import find_actor
from ui import dialogs
from ui.errors import describe, install_excepthook

log = logging.getLogger("plo_tracker.ui")

APP_NAME = "PLO Tracker"
START_TITLE = "PLO Tracker cannot start"
DEMO_ADMIN = "demo.admin"
DEMO_CASES = 60


@dataclass
class Started:
    """An open database, the person using it, and what the window title says."""

    ctx: AppContext
    title: str
    demo_dir: Path | None = None
    closed: bool = field(default=False, init=False)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.ctx.close()
        if self.demo_dir is not None:
            shutil.rmtree(self.demo_dir, ignore_errors=True)


def window_title(ctx: AppContext, demo: bool) -> str:
    if demo:
        return f"{APP_NAME} – demo database (fictional cases, deleted on close)"
    return f"{APP_NAME} – {ctx.db.display_name}"


def demo_people_choices(ctx: AppContext) -> list[tuple[str, str]]:
    """(user name, 'Name – role, team') for everyone in the demo database."""
    choices = []
    users = sorted(ctx.users.list(), key=lambda u: (u.role != "administrator", u.role, u.username))
    for user in users:
        if not user.active:
            continue
        label = f"{user.display_name} – {ROLE_LABELS[user.role]}"
        if user.team:
            label += f", {user.team}"
        choices.append((user.username, label))
    return choices


def make_demo_database(directory: Path, count: int = DEMO_CASES) -> AppContext:
    """A new SQLite database in ``directory`` filled with demo cases and demo staff."""
    url = config.parse_database_url(str(directory / "plo-tracker-demo.db"))
    ctx = open_app(url, username=DEMO_ADMIN, create=True)
    try:
        DemoSetupService(ctx.db, ctx.actor).fill(count)
        admin = ctx.users.get(DEMO_ADMIN)
        ctx.users.update(DEMO_ADMIN, admin.version, display_name="Demo Administrator")
    except BaseException:
        ctx.close()
        raise
    return ctx


def _open_demo(args: argparse.Namespace, parent: QWidget | None) -> Started | None:
    directory = Path(tempfile.mkdtemp(prefix="plo-tracker-demo-"))
    try:
        admin_ctx = make_demo_database(directory)
        username = args.user or dialogs.choose_user(parent, demo_people_choices(admin_ctx))
        if username is None:
            admin_ctx.close()
            shutil.rmtree(directory, ignore_errors=True)
            return None
        ctx = AppContext(db=admin_ctx.db, actor=find_actor(admin_ctx.db, username))
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise
    log.info("demo database opened")
    return Started(ctx=ctx, title=window_title(ctx, demo=True), demo_dir=directory)


CREATE_TITLE = "Create a new database here?"


def open_or_offer_to_create(
    url: DatabaseURL, username: str | None, parent: QWidget | None = None
) -> AppContext | None:
    """Open the database at ``url``; where there is none, ask before making one.

    Only the default location is made without asking (the first start of the app).
    Anywhere else (``--db``, the environment variable) the user is asked, so a mistyped
    path never turns into an empty database that shows "nothing is drifting".  Returns
    None if the user says no.
    """
    try:
        return open_app(url, username=username, create=url == default_url())
    except DatabaseMissingError as missing:
        question = (
            f"There is no PLO Tracker database at:\n{missing.location}\n\n"
            "If you meant an existing database, choose Cancel and check the path. "
            "Otherwise PLO Tracker can create a new, empty database there, with you as "
            "its administrator."
        )
        if not dialogs.confirm(parent, CREATE_TITLE, question, "Create database"):
            log.info("new database not created: the user cancelled")
            return None
    return open_app(url, username=username, create=True)


def open_session(args: argparse.Namespace, parent: QWidget | None = None) -> Started | None:
    """Open the database and identify the user; a problem becomes a dialog and None."""
    try:
        if getattr(args, "demo", False):
            return _open_demo(args, parent)
        url = config.resolve_database_url(getattr(args, "db", None))
        ctx = open_or_offer_to_create(url, getattr(args, "user", None), parent)
        if ctx is None:
            return None
        return Started(ctx=ctx, title=window_title(ctx, demo=False))
    except Exception as error:
        dialogs.show_error(parent, START_TITLE, describe(error, where="start-up"))
        return None


def make_application() -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    # Qt 6 scales for high-DPI screens itself; keep fractional factors (125%, 150%) exact.
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    return app


def setup_logging() -> None:
    with contextlib.suppress(OSError):  # logging is not worth refusing to start over
        logs.configure(config.log_dir())


def quit_on_signals(app: QApplication, window: QWidget) -> None:
    """Ctrl+C or a polite kill closes the window properly (a demo database is deleted)."""

    def close(_signal: int, _frame: object) -> None:
        window.close()
        app.quit()

    for name in ("SIGINT", "SIGTERM"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), close)
    # Python handles signals only when it runs; a light timer lets it run now and then.
    timer = QTimer(window)
    timer.timeout.connect(_noop)
    timer.start(500)


def _noop() -> None:
    pass


def run(args: argparse.Namespace) -> int:
    """Open the window and run until it is closed; the exit code for the shell."""
    setup_logging()
    app = make_application()
    install_excepthook()
    started = open_session(args)
    if started is None:
        return 1
    from ui.main_window import MainWindow

    try:
        window = MainWindow(started.ctx, title=started.title, demo=started.demo_dir is not None)
        window.show()
        quit_on_signals(app, window)
        code = app.exec()
        QThreadPool.globalInstance().waitForDone()
    finally:
        started.close()
    return int(code)
