"""Screenshots of the real desktop window, under Xvfb, on a throw-away demo database.

    .venv/bin/python scripts/screenshots.py OUTDIR

Starts an X server (Xvfb) on a free display, then runs the app the way
``plo-tracker --demo --user NAME`` does, once per role, and saves what is on the
screen: the welcome page of an empty database (then, after importing the example cases,
the Users and Teams tabs with the names not yet registered, and the New case form's
lists); each person's start page (a social
worker's own cases, a team manager's team's drift, legal liaison's letters to do); a
case, its flags and its worries; a form refusing a date that does not exist; the
unsaved-changes question; a flag reviewed from its case; reports; the letter screen
before and after making letters; and a start page and a case again at 150% scaling
(QT_SCALE_FACTOR=1.5).  Nothing is written outside OUTDIR and the
temporary demo databases, which are deleted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
X_DIR = Path("/tmp")  # noqa: S108 - where X servers keep their lock files, by convention
X_SOCKETS = X_DIR / ".X11-unix"
SOCIAL_WORKER = "megan.hughes"
MANAGER = "ann.wright"
LEGAL = "sara.khan"


# -- the parent: an X server, then one child process per scale -------------------------------


def free_display() -> int:
    for number in range(90, 200):
        lock, socket = X_DIR / f".X{number}-lock", X_SOCKETS / f"X{number}"
        if not lock.exists() and not socket.exists():
            return number
    raise SystemExit("No free X display number found for Xvfb.")


def start_xvfb(width: int, height: int) -> tuple[subprocess.Popen[bytes], str]:
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        raise SystemExit("Xvfb is not installed (Debian/Ubuntu: apt-get install xvfb).")
    number = free_display()
    display = f":{number}"
    server = subprocess.Popen(  # noqa: S603 - a fixed program with fixed arguments
        [xvfb, display, "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not (X_SOCKETS / f"X{number}").exists():
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            raise SystemExit("Xvfb did not start.")
        time.sleep(0.1)
    return server, display


def run_child(outdir: Path, display: str, scale: str) -> int:
    env = dict(os.environ)
    env.update(
        {
            "DISPLAY": display,
            "QT_QPA_PLATFORM": "xcb",
            "QT_SCALE_FACTOR": scale,
            "PLO_TRACKER_DATA_DIR": str(outdir / ".screenshot-data"),
        }
    )
    env.pop("PLO_TRACKER_DATABASE_URL", None)
    env.pop("WAYLAND_DISPLAY", None)
    command = [sys.executable, str(Path(__file__).resolve()), "--child", "--scale", scale]
    return subprocess.call([*command, str(outdir)], cwd=ROOT, env=env)  # noqa: S603


def parent(outdir: Path) -> int:
    outdir.mkdir(parents=True, exist_ok=True)
    server, display = start_xvfb(2200, 1400)
    try:
        code = run_child(outdir, display, "1")
        if code == 0:
            code = run_child(outdir, display, "1.5")
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(outdir / ".screenshot-data", ignore_errors=True)
    if code == 0:
        for path in sorted(outdir.glob("*.png")):
            print(path)
    return code


# -- the child: the real app on the X server ---------------------------------------------------


def child(outdir: Path, scale: str) -> int:
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QTabWidget, QWidget

    from tests.ui.clipping import clipped
    from ui import dialogs
    from ui.app import Started, make_application, open_database_for, open_session, setup_logging
    from ui.main_window import MainWindow

    setup_logging()
    app = make_application()
    suffix = "" if scale == "1" else "-150"
    # A 1280x720 screen: at 150% that is 853x480 logical pixels.
    size = (1280, 720) if scale == "1" else (853, 480)
    saved: list[Path] = []
    cut: list[str] = []

    def settle(ms: int = 400) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def shoot(widget: QWidget, name: str) -> None:
        settle()
        widget.raise_()
        widget.activateWindow()
        settle(300)
        screen = widget.screen()
        frame = widget.frameGeometry()
        pixmap = screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())
        path = outdir / f"{name}{suffix}.png"
        if not pixmap.save(str(path)):
            raise SystemExit(f"Could not save {path}")
        saved.append(path)
        cut.extend(f"{path.name}: {problem}" for problem in clipped(widget))

    def tour(top: QWidget, tabs: QTabWidget, name: str) -> None:
        """Each tab of ``tabs`` in turn (``name-01-chronology``...), then back."""
        original = tabs.currentIndex()
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            words = tabs.tabText(index).replace("&", "").split("(")[0].strip().lower()
            shoot(top, f"{name}-{index:02d}-{'-'.join(words.split())}")
        tabs.setCurrentIndex(original)

    def window_for(username: str) -> tuple[MainWindow, Callable[[], None]]:
        args = argparse.Namespace(db=None, user=username, demo=True, command=None)
        started = open_session(args)
        if started is None:
            raise SystemExit(f"The app did not start as {username}.")
        window = MainWindow(started.ctx, title=started.title, demo=True)
        window.resize(*size)
        window.move(0, 0)
        window.show()

        def close() -> None:
            window.close()
            started.close()

        return window, close

    # A first start: an empty database, its first user (the administrator).
    empty = outdir / ".screenshot-data" / f"empty{suffix}.db"
    empty.parent.mkdir(parents=True, exist_ok=True)
    args = argparse.Namespace(db=str(empty), user="jo.bloggs", demo=False, command=None)
    started = open_database_for(args, create=True)  # as if "Create database" was chosen
    if not isinstance(started, Started):
        raise SystemExit("The app did not start on an empty database.")
    window = MainWindow(started.ctx, title=started.title)
    window.resize(*size)
    window.move(0, 0)
    window.show()
    shoot(window, "00-welcome")
    # The council's first import: its teams and staff wait for the administrator.
    started.ctx.exchange.import_file(ROOT / "tests" / "data" / "example-cases-v3.json")
    window.case_list.refresh()
    users = window.show_users()
    if users is not None:
        shoot(users, "13-users-not-yet-registered")
        users.tabs.setCurrentWidget(users.teams)
        shoot(users, "14-teams")
        users.reject()
    settings = window.show_letter_settings()
    if settings is not None:
        shoot(settings, "16-letter-settings")
        settings.reject()
    form = window.new_case()
    if form is not None:
        form.reference.setText("PLO-2026-0101")
        form.team.setCurrentText("Case Managment 1")
        form.save_tried = True
        form.revalidate()
        shoot(form, "15-new-case-lists")
        form.discard()
    window.close()
    started.close()

    # Social worker: her start page (My cases), then one of her cases, each of its tabs.
    window, close = window_for(SOCIAL_WORKER)
    shoot(window, "01-start-social-worker")
    reference = busiest_case(window, mine=True)
    window.case_list.select(reference)
    view = window.open_case(reference)
    view.tabs.setCurrentWidget(view.chronology)
    shoot(window, "02-case")
    tour(window, view.tabs, "03-case")
    view.tabs.setCurrentWidget(view.chronology)
    view.chronology.table.selectRow(0)
    form = view.edit_chronology()
    if form is not None and hasattr(form, "date"):
        form.date.edit.setFocus()
        form.date.set_text("31 Feb 2026")
        form.date.show_problem()
        form.revalidate()
        shoot(form, "04-change-event-refused")
        form.discard()
    form = view.add_event("review_meeting")
    if form is not None:
        shoot(form, "04b-record-an-event")
        form.discard()
    form = view.add_booking()
    if form is not None:
        form.place.setText("Shirehall, room 2")
        form.date.set_text("14/12/2026")
        settle()
        box = dialogs.unsaved_box(form, form.title)
        box.open()
        shoot(box, "09-unsaved-changes")
        box.done(0)
        form.discard()
    close()

    # Team manager: her start page (My team's drift), a flag reviewed from its case, reports.
    window, close = window_for(MANAGER)
    review = window.drift_review
    if review is not None:
        shoot(window, "05-start-manager-drift-review")
        row = review.selected_row()
        if row is not None:
            view = window.open_flag(row.case, row.rule, row.item)
            flag = view.flags_page.selected_flag()
            dialog = view.review_flag(flag, extend=False)
            dialog.rationale.setPlainText(
                "Agreed in supervision: the assessor is booked for next week."
            )
            shoot(dialog, "10-review-dialog")
            dialog.save()
            settle()
            view.show_flag(row.rule, row.item)
            shoot(window, "11-reviewed-flag")
            if view.audit_model is not None:
                view.tabs.setCurrentWidget(view.audit_table)
                shoot(window, "12-audit-trail")
    else:
        print("No drift review screen in this build.", file=sys.stderr)
    reports = window.reports
    if reports is not None:
        window.tabs.setCurrentWidget(reports)
        shoot(window, "08-reports")
        census = reports.census_view
        reports.tabs.setCurrentIndex(1)  # CIN census
        census.check()
        deadline = time.monotonic() + 60
        while census.census is None and time.monotonic() < deadline:
            settle(200)
        shoot(window, "08b-reports-census")
        dialog = census.edit_settings()
        if dialog is not None:
            shoot(dialog, "08c-census-settings")
            dialog.reject()
    heading = window._screen("heading_for_plo")
    if heading is not None:
        window.tabs.setCurrentWidget(heading)
        shoot(window, "17-heading-for-plo")
    close()

    # Legal liaison: her start page (Letters to do), then the letters for the first case.
    window, close = window_for(LEGAL)
    todo = window.letters_todo
    letters = window.letters
    if todo is not None:
        shoot(window, "06-start-legal-letters-to-do")
    if letters is not None:
        first = todo.selected() if todo is not None else None
        reference = first.reference if first is not None else case_with_two_parents(window)
        window.show_letters_for(reference)
        settle(800)
        shoot(window, "07-letters")
        letters.folder.setText(str(outdir / ".screenshot-data" / "letters"))
        (outdir / ".screenshot-data" / "letters").mkdir(parents=True, exist_ok=True)
        if letters.generate() is not None:
            deadline = time.monotonic() + 60
            while letters.worker is not None and time.monotonic() < deadline:
                settle(200)
            shoot(window, "07b-letters-generated")
    else:
        print("No letters screen in this build.", file=sys.stderr)
    close()
    for line in cut:
        print(f"text cut short: {line}")
    return finish(app, saved)


def busiest_case(window: object, mine: bool = False) -> str:
    """An open case with a long chronology (what a case looks like after some weeks)."""
    ctx = window.ctx  # type: ignore[attr-defined]
    best, most = "", -1
    for summary in ctx.cases.summaries():
        if not summary.is_open or summary.rag != "red":
            continue
        if mine and summary.social_worker != ctx.actor.display_name:
            continue
        case = ctx.cases.get(summary.reference)
        size = len(case.events) + len(case.scheduled)
        if size > most:
            best, most = summary.reference, size
    return best


def case_with_two_parents(window: object) -> str:
    """An open case with two people with parental responsibility (two letters)."""
    ctx = window.ctx  # type: ignore[attr-defined]
    fallback = ""
    for summary in ctx.cases.summaries():
        if not summary.is_open:
            continue
        fallback = fallback or summary.reference
        case = ctx.cases.get(summary.reference)
        if sum(p.parental_responsibility for p in case.parties) >= 2:
            return summary.reference
    return fallback


def finish(app: object, saved: list[Path]) -> int:
    for path in saved:
        print(f"saved {path.name}")
    app.processEvents()  # type: ignore[attr-defined]
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--scale", default="1", help=argparse.SUPPRESS)
    args = parser.parse_args()
    outdir = args.outdir.resolve()
    if args.child:
        return child(outdir, args.scale)
    return parent(outdir)


if __name__ == "__main__":
    raise SystemExit(main())
