"""The ``plo-tracker`` entry point: a command runs the command line; no command opens the
desktop window.  Qt is only imported when the window is wanted.

``--check-screens REPORT.json`` opens the window, shows each of its screens in turn, writes
what each showed (and a screenshot of each beside the report) and closes: council IT and
the bundle's smoke test use it to check that an installation can show every screen.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import Any

CHECK_TIMEOUT_S = 90.0
SETTLE_MS = 400


def _stopped_while_starting(_signal: int, _frame: FrameType | None) -> None:
    """Ctrl-C while the program is still loading: one line, no traceback.  Nothing has
    been saved yet; a command (and the window) install their own handling once running."""
    os.write(2, b"\nStopped (Ctrl-C) while starting: nothing was saved.\n")
    os._exit(130)


def main(argv: Sequence[str] | None = None) -> int:
    # First of all: loading the core (and Qt) takes a moment, and Ctrl-C then must not
    # print a traceback.
    previous = signal.signal(signal.SIGINT, _stopped_while_starting)
    try:
        return _main(argv)
    finally:
        signal.signal(signal.SIGINT, previous)


def _main(argv: Sequence[str] | None) -> int:
    from plo_tracker.cli import parse
    from plo_tracker.cli.common import run_handler

    _parser, args = parse(list(sys.argv[1:] if argv is None else argv))
    if args.command is not None:
        return run_handler(args)
    if not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 1
    try:
        _frozen_qt_conf()
        from ui.app import run
    except ImportError as error:
        print(
            f"Error: the desktop window cannot start because part of it could not be loaded "
            f"({error}). The command line still works: try 'plo-tracker --help'.",
            file=sys.stderr,
        )
        logging.getLogger("plo_tracker.ui").error("the window could not be loaded")
        return 1
    if args.check_screens:
        return check_screens(args, Path(args.check_screens), run)
    return run(args)


NO_DISPLAY = (
    "Error: PLO Tracker's window needs a desktop, and none was found on this computer (no "
    "display). The command line works without one: try 'plo-tracker --help'."
)


def has_display() -> bool:
    """Whether a window can be shown: on Linux and other X11/Wayland systems, a display
    (or a Qt platform chosen on purpose, such as offscreen); Windows and macOS always."""
    if sys.platform in ("win32", "darwin"):
        return True
    platform = os.environ.get("QT_QPA_PLATFORM", "").split(":", 1)[0]
    if platform and platform not in ("xcb", "wayland", "wayland-egl"):
        return True  # offscreen, vnc, eglfs, linuxfb...: chosen on purpose
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _frozen_qt_conf() -> None:
    """In the standalone bundle, point Qt at its own folder (packaging/hooks/rthooks)."""
    if not getattr(sys, "frozen", False):
        return
    import os

    from _pyi_rth_utils import qt  # PyInstaller's run-time helpers, inside the bundle

    base = getattr(sys, "_MEIPASS", "")
    folder = (
        os.path.join(base, "PySide6") if os.name == "nt" else os.path.join(base, "PySide6", "Qt")
    )
    qt.create_embedded_qt_conf("PySide6", folder)


# -- checking every screen -------------------------------------------------------------------


class _ErrorRecords(logging.Handler):
    """Keeps the errors logged while the screens are checked (names only, no messages)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.found: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.found.append(f"{record.name}: {record.msg}")


def _ui_classes(widget: Any) -> list[str]:
    """The names of PLO Tracker's own widget classes in a page (the page and its children)."""
    from PySide6.QtWidgets import QWidget

    found: list[str] = []
    for item in [widget, *widget.findChildren(QWidget)]:
        kind = type(item)
        if kind.__module__.startswith("ui.") and kind.__name__ not in found:
            found.append(kind.__name__)
    return found


def check_screens(args: Any, report_path: Path, run: Any) -> int:
    """Run the window, visit every tab once it is shown, report, and close it."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QTabWidget

    from ui.app import make_application

    app = make_application()
    errors = _ErrorRecords()
    logging.getLogger("plo_tracker").addHandler(errors)
    report_path.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    result: dict[str, Any] = {"screens": [], "errors": errors.found, "finished": False}
    state: dict[str, Any] = {"window": None, "index": 0}

    def write() -> None:
        report_path.write_text(json.dumps(result, indent=2), encoding="utf-8")

    def find_window() -> QMainWindow | None:
        for widget in QApplication.topLevelWidgets():
            # The window is shown before its database is open: wait until it has it.
            if (
                isinstance(widget, QMainWindow)
                and widget.isVisible()
                and getattr(widget, "ctx", None)
            ):
                return widget
        return None

    def step() -> None:
        if time.monotonic() - started > CHECK_TIMEOUT_S:
            result["timed_out"] = True
            finish()
            return
        window = state["window"] or find_window()
        if window is None:
            QTimer.singleShot(100, step)
            return
        state["window"] = window
        result.setdefault("title", window.windowTitle())
        tabs = window.findChild(QTabWidget)
        if tabs is None:
            QTimer.singleShot(100, step)
            return
        index = state["index"]
        if index > 0:  # the previous tab has had time to build and fill: record it
            page = tabs.widget(index - 1)
            shot = report_path.with_name(f"{report_path.stem}-{index}.png")
            window.grab().save(str(shot))
            result["screens"].append(
                {
                    "tab": tabs.tabText(index - 1).replace("&", ""),
                    "classes": _ui_classes(page),
                    "screenshot": shot.name,
                }
            )
        if index >= tabs.count():
            result["finished"] = True
            finish()
            return
        tabs.setCurrentIndex(index)
        state["index"] = index + 1
        QTimer.singleShot(SETTLE_MS, step)

    def finish() -> None:
        write()
        window = state["window"]
        if window is not None:
            window.close()
        app.quit()

    QTimer.singleShot(0, step)
    try:
        code = run(args)
    finally:
        logging.getLogger("plo_tracker").removeHandler(errors)
        write()
    ok = result["finished"] and not errors.found and code == 0
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
