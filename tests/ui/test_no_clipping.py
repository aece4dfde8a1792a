"""No text cut short, on any screen, at 1280×720 and at 150% scaling (issue 25, item 8).

Every screen each role reaches (the main window's tabs, a case and each of its tabs,
Reports with its census view, Letters, the drift review, Heading for PLO) and the
dialogs (Change event with an error showing, the review dialog, letter settings,
census settings, the Users window with its tabs) are walked by ``tests/ui/clipping.py``:
every visible label, button, tab and column heading whose text is wider than its room
is named, with the screen it is on.

150% scaling is run for real, not imitated: ``QT_SCALE_FACTOR`` must be set before the
QApplication exists, so ``test_no_clipped_text_at_150_percent`` runs this file again in
a fresh process with ``QT_SCALE_FACTOR=1.5``.  There a 1280×720 screen is 853×480
logical pixels, so the window is that size; fonts are the same logical size, so what
fits at 1280×720 may not fit at 853×480.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QTabWidget, QWidget

from plo_tracker.letters.readability import Finding
from tests.ui.clipping import clipped
from tests.ui.conftest import LEGAL, MANAGER, SOCIAL_WORKER
from ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
SCALED = os.environ.get("QT_SCALE_FACTOR") == "1.5"
SIZE = (853, 480) if SCALED else (1280, 720)
WHERE = "at 150% (853×480 logical)" if SCALED else "at 1280×720"
ADMIN = "demo.admin"


class Walk:
    """Visits screens and collects what is cut short on each (each problem once)."""

    def __init__(self, qtbot: Any) -> None:
        self.qtbot = qtbot
        self.problems: dict[str, str] = {}

    def settle(self) -> None:
        QApplication.processEvents()
        self.qtbot.wait(60)

    def look(self, top: QWidget, screen: str) -> None:
        self.settle()
        width, height = SIZE
        if isinstance(top, MainWindow) and (top.width() > width or top.height() > height):
            minimum = top.minimumSizeHint()
            self.problems.setdefault(
                f"the window cannot be {width}×{height}: it is {top.width()}×{top.height()} "
                f"(its least size {minimum.width()}×{minimum.height()})",
                screen,
            )
        if isinstance(top, MainWindow):  # scrolling down is fine; sideways means cut off
            room = top.scroller.viewport().width()
            if top.tabs.width() > room + 1:
                self.problems.setdefault(
                    f"the screen is {top.tabs.width()} px wide in a window with {room} px "
                    "(its right-hand part is cut off until scrolled to)",
                    screen,
                )
        for problem in clipped(top):
            self.problems.setdefault(problem, screen)

    def explore(self, top: QWidget, screen: str, seen: set[int] | None = None) -> None:
        """``top`` as it is, then with each tab of each visible tab widget shown in turn."""
        seen = set() if seen is None else seen
        self.look(top, screen)
        for tabs in top.findChildren(QTabWidget):
            if id(tabs) in seen or not tabs.isVisible():
                continue
            seen.add(id(tabs))
            original = tabs.currentIndex()
            for index in range(tabs.count()):
                if not tabs.isTabEnabled(index) or index == original:
                    continue
                tabs.setCurrentIndex(index)
                name = tabs.tabText(index).replace("&", "")
                self.explore(top, f"{screen} › {name}", seen)
            tabs.setCurrentIndex(original)

    def dialog(self, dialog: QDialog | None, screen: str) -> None:
        assert dialog is not None, f"{screen} did not open"
        self.settle()
        width, height = SIZE
        size = dialog.frameGeometry().size()
        if size.width() > width or size.height() > height:
            self.problems.setdefault(
                f"{type(dialog).__name__} is {size.width()}×{size.height()}, larger than the "
                f"screen ({width}×{height})",
                screen,
            )
        self.explore(dialog, screen)

    def report(self) -> str:
        lines = [f"{screen}: {problem}" for problem, screen in self.problems.items()]
        return f"Text cut short {WHERE}:\n" + "\n".join(sorted(lines))


def busiest_case(window: MainWindow) -> str:
    ctx = window.ctx
    assert ctx is not None
    best, most = "", -1
    for summary in ctx.cases.summaries():
        if not summary.is_open:
            continue
        case = ctx.cases.get(summary.reference)
        size = len(case.events) + len(case.scheduled) + len(case.parties)
        if size > most:
            best, most = summary.reference, size
    return best


def sized(window: MainWindow) -> MainWindow:
    window.resize(*SIZE)
    QApplication.processEvents()
    return window


def walk_window(walk: Walk, window: MainWindow, role: str) -> None:
    reference = busiest_case(window)
    view = window.open_case(reference)
    walk.explore(window, f"{role}: main window")
    # A form with an error under a field: Change event, as small as it opens.
    view.tabs.setCurrentWidget(view.chronology)
    view.chronology.table.selectRow(0)
    form = view.edit_chronology()
    if form is not None and hasattr(form, "date"):
        form.date.edit.setFocus()
        form.date.set_text("31 Feb 2026")
        form.date.show_problem()
        form.save_tried = True
        form.revalidate()
        walk.dialog(form, f"{role}: Change event (a date that does not exist)")
        form.discard()
    form = view.add_event("review_meeting")
    walk.dialog(form, f"{role}: Record an event")
    if form is not None:
        form.discard()


@pytest.mark.parametrize("role", [SOCIAL_WORKER, LEGAL])
def test_no_clipped_text(role: str, window_as: Callable[..., MainWindow], qtbot: Any) -> None:
    walk = Walk(qtbot)
    window = sized(window_as(role))
    walk_window(walk, window, role)
    if role == LEGAL:  # the Letters screen with a case's letter checked, its advice listed
        letters = window.letters
        window.show_letters_for(busiest_case(window))
        letters.preview_now()
        qtbot.waitUntil(lambda: letters.worker is None, timeout=20_000)
        letters.findings_model.set_findings(
            [Finding("jargon", "warning", "'PLO' is jargon.", "The PLO starts now.")]
        )
        walk.explore(window, f"{role}: Letters with a letter checked")
    if walk.problems:
        pytest.fail(walk.report(), pytrace=False)


def test_no_clipped_text_manager(window_as: Callable[..., MainWindow], qtbot: Any) -> None:
    walk = Walk(qtbot)
    window = sized(window_as(MANAGER))
    walk_window(walk, window, "team manager")
    view = window.current_case_view()
    assert view is not None
    flags = view.flags
    if flags:
        dialog = view.review_flag(flags[0], extend=False)
        walk.dialog(dialog, "team manager: review dialog")
        dialog.reject()
    reports = window.reports
    window.tabs.setCurrentWidget(reports)
    reports.census_view.check()
    qtbot.waitUntil(lambda: reports.census_view.census is not None, timeout=20_000)
    walk.explore(window, "team manager: Reports after checking the census")
    walk.dialog(reports.census_view.edit_settings(), "team manager: census settings")
    reports.census_view.settings_dialog.reject()
    if walk.problems:
        pytest.fail(walk.report(), pytrace=False)


def test_no_clipped_text_administrator(window_as: Callable[..., MainWindow], qtbot: Any) -> None:
    walk = Walk(qtbot)
    window = sized(window_as(ADMIN))
    walk.explore(window, "administrator: main window")
    users = window.show_users()
    walk.dialog(users, "administrator: Users window")
    users.reject()
    settings = window.show_letter_settings()
    walk.dialog(settings, "administrator: letter settings")
    settings.reject()
    if walk.problems:
        pytest.fail(walk.report(), pytrace=False)


@pytest.mark.skipif(SCALED, reason="this is the 150% run itself")
def test_no_clipped_text_at_150_percent() -> None:
    """The tests above again, in a process of their own with QT_SCALE_FACTOR=1.5."""
    env = dict(os.environ, QT_SCALE_FACTOR="1.5", QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", __file__],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def test_the_walk_names_text_cut_short(qtbot: Any) -> None:
    """The check itself: a cut label, button, check box and heading are named; a label
    that wraps, and one that fits, are not."""
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton, QTableView, QVBoxLayout

    top = QWidget()
    layout = QVBoxLayout(top)
    cut = QLabel("A label far too long for the room it is given")
    cut.setFixedWidth(60)
    wraps = QLabel("A label far too long for one line, which wraps onto several")
    wraps.setWordWrap(True)
    wraps.setFixedWidth(60)
    fits = QLabel("Fits")
    button = QPushButton("A button with a long name")
    button.setFixedWidth(50)
    box = QCheckBox("A check box with a long name")
    box.setFixedWidth(50)
    model = QStandardItemModel(1, 2)
    model.setHorizontalHeaderLabels(["A", "Language and needs"])
    table = QTableView()
    table.setModel(model)
    table.horizontalHeader().resizeSection(1, 30)
    for widget in (cut, wraps, fits, button, box, table):
        layout.addWidget(widget)
    qtbot.addWidget(top)
    top.resize(400, 300)
    top.show()
    qtbot.waitExposed(top)
    found = "\n".join(clipped(top))
    assert "A label far too long for the room" in found
    assert "A button with a long name" in found
    assert "A check box with a long name" in found
    assert "Language and needs" in found
    assert "which wraps" not in found and "Fits" not in found
