"""Starting the desktop window: the window first, then the database, then the cases.

``run(args)`` is what ``plo-tracker`` (no command) calls; ``args`` has ``.db``,
``.user`` and ``.demo``.  It shows the main window at once (title, menus, a case
list saying it is loading) before the database code, SQLAlchemy, letters or
reports are imported; once the window has been painted, ``SessionOpener`` opens
and migrates the database and identifies the user on a worker thread, asks any
question on the window's thread (which demo user to be), and hands the session to
the window, whose case list then loads off the window's thread too.

``open_session`` does the same opening synchronously, showing any start-up problem
as a dialog (tests and the screenshot script use it without an event loop).  Both
paths share ``open_database_for`` and ``make_demo_database``, which ask nothing.
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
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QThreadPool, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from ui import dialogs
from ui.demo_switch import demo_people_choices
from ui.errors import describe, install_excepthook
from ui.workers import CancelCheck, Progress, Worker

if TYPE_CHECKING:
    from plo_tracker.app import AppContext
    from ui.main_window import MainWindow

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


def opening_title(args: argparse.Namespace) -> str:
    """The title while the database opens (its full name is known once it is open)."""
    if getattr(args, "demo", False):
        return f"{APP_NAME} – preparing the demo database…"
    db = getattr(args, "db", None)
    return f"{APP_NAME} – opening {db}…" if db else f"{APP_NAME} – opening your database…"


def make_demo_database(directory: Path, count: int = DEMO_CASES) -> AppContext:
    """A new SQLite database in ``directory`` filled with demo cases and demo staff."""
    from plo_tracker import config
    from plo_tracker.app import open_app
    from plo_tracker.services.demo_setup import DemoSetupService

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


def demo_as(admin_ctx: AppContext, username: str, directory: Path) -> Started:
    """The demo database, opened as the person chosen."""
    from plo_tracker.app import AppContext
    from plo_tracker.services.users import find_actor

    ctx = AppContext(db=admin_ctx.db, actor=find_actor(admin_ctx.db, username))
    log.info("demo database opened")
    return Started(ctx=ctx, title=window_title(ctx, demo=True), demo_dir=directory)


CREATE_TITLE = "Create a new database here?"


@dataclass
class Missing:
    """There is no database where ``args`` points: the user is asked before one is made."""

    url: Any
    location: str


def create_question(location: str) -> str:
    return (
        f"There is no PLO Tracker database at:\n{location}\n\n"
        "If you meant an existing database, choose Cancel and check the path. "
        "Otherwise PLO Tracker can create a new, empty database there, with you as "
        "its administrator."
    )


def open_database_for(args: argparse.Namespace, *, create: bool = False) -> Started | Missing:
    """Open (and migrate) the database ``args`` names and identify the user; asks nothing.

    Only the default location is made without asking (the first start of the app);
    anywhere else a database that is not there comes back as ``Missing``, so a mistyped
    path never turns into an empty database that shows "nothing is drifting".
    """
    from plo_tracker import config
    from plo_tracker.app import DatabaseMissingError, default_url, open_app

    url = config.resolve_database_url(getattr(args, "db", None))
    try:
        ctx = open_app(
            url, username=getattr(args, "user", None), create=create or url == default_url()
        )
    except DatabaseMissingError as missing:
        return Missing(url, str(missing.location))
    return Started(ctx=ctx, title=window_title(ctx, demo=False))


def ask_to_create(missing: Missing, parent: QWidget | None) -> bool:
    if dialogs.confirm(parent, CREATE_TITLE, create_question(missing.location), "Create database"):
        return True
    log.info("new database not created: the user cancelled")
    return False


def _open_demo(args: argparse.Namespace, parent: QWidget | None) -> Started | None:
    directory = Path(tempfile.mkdtemp(prefix="plo-tracker-demo-"))
    try:
        admin_ctx = make_demo_database(directory)
        username = args.user or dialogs.choose_user(parent, demo_people_choices(admin_ctx))
        if username is None:
            admin_ctx.close()
            shutil.rmtree(directory, ignore_errors=True)
            return None
        return demo_as(admin_ctx, username, directory)
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise


NOT_REGISTERED_TITLE = "Not registered in this PLO Tracker database yet"


def show_start_problem(
    parent: QWidget | None, error: BaseException, args: argparse.Namespace
) -> None:
    """A start-up problem as a dialog; someone not registered is told, in the window's
    own words, how to get in (and a request to send is put on the clipboard)."""
    from plo_tracker.errors import NotRegistered

    if not isinstance(error, NotRegistered):
        dialogs.show_error(parent, START_TITLE, describe(error, where="start-up"))
        return
    where = getattr(args, "db", None)
    database = f" (database {where})" if where else ""
    request = (
        f"Please add me to PLO Tracker{database}. My user name is {error.username}; my role "
        "is: [social worker / team manager / legal liaison]."
    )
    with contextlib.suppress(Exception):
        QGuiApplication.clipboard().setText(request)
    dialogs.show_error(
        parent,
        NOT_REGISTERED_TITLE,
        f"Your user name '{error.username}' is not registered in this PLO Tracker database, "
        "so it cannot open it for you yet. Nothing was changed.\n\n"
        "What to do: ask your PLO Tracker administrator (or your manager) to add you. In "
        "PLO Tracker they choose File → Users…, then Add a person, with your user name "
        f"'{error.username}', your full name and your role. Then start PLO Tracker again.\n\n"
        "This request is copied, ready to paste into an email to them:\n"
        f"{request}",
    )


def open_session(args: argparse.Namespace, parent: QWidget | None = None) -> Started | None:
    """Open the database and identify the user; a problem becomes a dialog and None."""
    try:
        if getattr(args, "demo", False):
            return _open_demo(args, parent)
        opened = open_database_for(args)
        if isinstance(opened, Missing):
            if not ask_to_create(opened, parent):
                return None
            opened = open_database_for(args, create=True)
        return opened if isinstance(opened, Started) else None
    except Exception as error:
        show_start_problem(parent, error, args)
        return None


class SessionOpener(QObject):
    """Opens the session for a window that is already on screen.

    The slow part (importing the database code, opening and migrating, making a demo
    database) runs on a worker thread and touches no widget; questions and the
    hand-over to the window happen on the window's thread.  ``started`` is the
    session once open (the caller closes it); ``failed`` says whether it could not be.
    """

    def __init__(self, args: argparse.Namespace, window: MainWindow) -> None:
        super().__init__(window)
        self.args = args
        self.window = window
        window.db_option = getattr(args, "db", None)  # Help → About says where it came from
        self.started: Started | None = None
        self.failed = False
        self.worker: Worker | None = None

    def start(self, create: bool = False) -> None:
        if self.worker is not None or self.started is not None:
            return
        args = self.args

        def job(_progress: Progress, _cancelled: CancelCheck) -> Any:
            setup_logging()
            if getattr(args, "demo", False):
                directory = Path(tempfile.mkdtemp(prefix="plo-tracker-demo-"))
                try:
                    return make_demo_database(directory), directory
                except BaseException:
                    shutil.rmtree(directory, ignore_errors=True)
                    raise
            return open_database_for(args, create=create)

        self.worker = Worker(job)
        self.worker.signals.finished.connect(self._opened)
        self.worker.signals.failed.connect(self._failed)
        self.worker.start()

    def _opened(self, result: Any) -> None:
        self.worker = None
        try:
            if isinstance(result, Missing):  # asked here, on the window's thread
                if ask_to_create(result, self.window):
                    self.start(create=True)
                else:
                    self._give_up()
                return
            if isinstance(result, Started):
                started = result
            else:
                admin_ctx, directory = result
                username = self.args.user or dialogs.choose_user(
                    self.window, demo_people_choices(admin_ctx)
                )
                if username is None:
                    admin_ctx.close()
                    shutil.rmtree(directory, ignore_errors=True)
                    self._give_up()
                    return
                started = demo_as(admin_ctx, username, directory)
        except Exception as error:
            self._failed(error)
            return
        self.started = started
        self.window.attach(
            started.ctx,
            title=started.title,
            demo=started.demo_dir is not None,
            background=True,
        )

    def _failed(self, error: BaseException) -> None:
        self.worker = None
        show_start_problem(self.window, error, self.args)
        self._give_up()

    def _give_up(self) -> None:
        self.failed = True
        self.window.close()
        app = QApplication.instance()
        if app is not None:
            app.exit(1)


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
    from plo_tracker import config, logs

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


def start(args: argparse.Namespace) -> tuple[QApplication, MainWindow, SessionOpener]:
    """The window on screen, and the opener that will give it its session."""
    app = make_application()
    install_excepthook()
    from ui.main_window import MainWindow

    window = MainWindow(title=opening_title(args), demo=bool(getattr(args, "demo", False)))
    opener = SessionOpener(args, window)
    window.first_painted.connect(opener.start)
    window.show()
    quit_on_signals(app, window)
    return app, window, opener


def run(args: argparse.Namespace) -> int:
    """Open the window and run until it is closed; the exit code for the shell."""
    app, _window, opener = start(args)
    try:
        code = app.exec()
        QThreadPool.globalInstance().waitForDone()
    finally:
        if opener.started is not None:
            opener.started.close()
    return 1 if opener.failed else int(code)
