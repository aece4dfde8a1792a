"""The three working-day journeys of issue 13, from each person's start page, by keyboard.

Every step is a key press (or a few typed characters) on the real window: no mouse
and no coordinates.  Each journey records its steps; the count is printed (run with
``-s``) and checked against a ceiling, so the journeys cannot quietly get longer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from plo_tracker.services.base import today
from tests.ui.conftest import LEGAL, MANAGER, SOCIAL_WORKER, DialogLog
from ui.main_window import MainWindow
from ui.models.case_items import ChronologyModel
from ui.widgets.forms import BookingForm, EventForm
from ui.widgets.review_dialog import ReviewDialog

ALT = Qt.KeyboardModifier.AltModifier
BUTTON_PRESS_MS = 250
CTRL = Qt.KeyboardModifier.ControlModifier


class Journey:
    """A user's key presses, each counted as one step."""

    def __init__(self, qtbot: Any, window: QWidget, name: str) -> None:
        self.qtbot = qtbot
        self.window = window
        self.name = name
        self.steps: list[str] = []

    def _target(self) -> QWidget:
        if QApplication.activeWindow() is None:
            # A closed dialog hands the keyboard back to the main window (as a window
            # manager does; the offscreen platform has none).
            self.window.activateWindow()
            self.qtbot.waitUntil(lambda: QApplication.activeWindow() is not None)
        widget = QApplication.focusWidget() or QApplication.activeWindow()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def key(
        self, what: str, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        self.steps.append(what)
        self.qtbot.keyClick(self._target(), key, modifier)
        if modifier == ALT:
            self.qtbot.wait(BUTTON_PRESS_MS)  # a button's Alt+letter press is animated

    def type(self, what: str, text: str) -> None:
        self.steps.append(what)
        self.qtbot.keyClicks(self._target(), text)

    def focus(self, what: str, widget: QWidget) -> None:
        """A Tab or Shift+Tab to a list: one step (where it lands is not the point)."""
        self.steps.append(what)
        widget.setFocus(Qt.FocusReason.TabFocusReason)

    def wait_for(self, condition: Callable[[], bool], timeout: int = 5000) -> None:
        self.qtbot.waitUntil(condition, timeout=timeout)

    def report(self) -> int:
        print(f"\n{self.name}: {len(self.steps)} steps")
        for number, step in enumerate(self.steps, start=1):
            print(f"  {number:2}. {step}")
        return len(self.steps)


def active_is(widget: QWidget) -> Callable[[], bool]:
    return lambda: QApplication.activeWindow() is widget


def dmy(day: dt.date) -> str:
    return f"{day.day}/{day.month}/{day.year}"


def test_social_worker_records_yesterdays_meeting_and_books_a_review(
    qtbot: Any, window_as: Any, dialog_log: DialogLog
) -> None:
    window: MainWindow = window_as(SOCIAL_WORKER)
    journey = Journey(qtbot, window, "Social worker: record yesterday's meeting, book a review")
    # The start page: her own cases, with the search box ready.
    assert window.tabs.currentWidget() is window.case_list
    assert window.case_list.scope.currentText() == "My cases"
    mine = [r for r in window.case_list.proxy.visible_rows()]
    assert mine and {r.social_worker for r in mine} == {"Megan Hughes"}
    # One of her open cases where the letter has gone: yesterday's meeting is the first
    # pre-proceedings meeting, or a review once that has been held.
    case = None
    for row in mine:
        if row.is_open:
            history = window.ctx.cases.get(row.reference)
            kinds = {e.type for e in history.events}
            if "letter_before_proceedings" in kinds:
                case = history
                break
    assert case is not None, "Megan Hughes has an open case where the letter has gone"
    reference = case.reference
    first = "pre_proceedings_meeting" not in {e.type for e in case.events}
    meeting, typed = ("Pre-proceedings meeting", "Pre") if first else ("Review meeting", "Rev")
    yesterday = today() - dt.timedelta(days=1)
    review_day = today() + dt.timedelta(weeks=4)

    journey.key("Ctrl+F: to the search box", Qt.Key.Key_F, CTRL)
    journey.type("type the case reference", reference)
    journey.key("Enter: open the only match", Qt.Key.Key_Return)
    view = window.current_case_view()
    assert view is not None and view.reference == reference

    journey.key("Alt+A: Record an event…", Qt.Key.Key_A, ALT)
    form = view.form
    assert isinstance(form, EventForm)
    journey.wait_for(active_is(form))
    journey.type(f"type '{typed}' to choose {meeting}", typed)
    assert form.event_type() in ("pre_proceedings_meeting", "review_meeting")
    assert form.type_combo.currentText() == meeting
    assert "Date" in form.message.text() and not form.save_button.isEnabled()
    journey.key("Alt+D: to the date", Qt.Key.Key_D, ALT)
    journey.type("type yesterday's date", dmy(yesterday))
    assert form.save_button.isEnabled(), form.message.text()
    journey.key("Ctrl+S: save", Qt.Key.Key_S, CTRL)
    assert view.form is None

    journey.key("Alt+B: Book a meeting…", Qt.Key.Key_B, ALT)
    booking = view.form
    assert isinstance(booking, BookingForm)
    journey.wait_for(active_is(booking))
    journey.type("type 'Rev' to choose Review meeting", "Rev")
    assert booking.kind.currentData() == "review_meeting"
    journey.key("Alt+D: to the date", Qt.Key.Key_D, ALT)
    journey.type("type the review's date", dmy(review_day))
    journey.key("Ctrl+Enter: save", Qt.Key.Key_Return, CTRL)
    assert view.form is None

    rows = view.chronology.model.rows()
    assert any(
        r.what == meeting and r.day == yesterday and r.recorded_by == "Megan Hughes" for r in rows
    )
    assert any(r.what == "Booked: Review meeting" and r.day == review_day for r in rows)
    if first:
        assert "first_meeting_due" not in {f.rule for f in view.flags}
    whats = [
        view.chronology.table.model().index(i, ChronologyModel.WHAT).data()
        for i in range(view.chronology.table.model().rowCount())
    ]
    assert "Booked: Review meeting" in whats
    assert dialog_log.errors == []
    assert journey.report() <= 13


def test_manager_reviews_the_most_overdue_flag_and_agrees_an_extension(
    qtbot: Any, window_as: Any, dialog_log: DialogLog
) -> None:
    window: MainWindow = window_as(MANAGER)
    journey = Journey(
        qtbot, window, "Team manager: review the most overdue flag, agree an extension"
    )
    # The start page: her team's drift, the most overdue flag selected and focused.
    review = window.drift_review
    assert window.tabs.currentWidget() is review
    journey.wait_for(lambda: review.table.hasFocus())
    target = review.selected_row()
    rows = review.visible_rows()
    assert target is not None and target == rows[0]
    assert target.urgency == max(r.urgency for r in rows)
    until = today() + dt.timedelta(weeks=3)

    journey.key("Enter: open the case on that flag", Qt.Key.Key_Return)
    view = window.current_case_view()
    assert view is not None and view.reference == target.case
    assert view.tabs.currentWidget() is view.flags_page
    flag = view.flags_page.selected_flag()
    assert flag is not None and (flag.rule, flag.item) == (target.rule, target.item)
    assert view.flags_page.extend_button.isEnabled()
    # Only the pre-proceedings period is extended; any other flag's delay is accepted.
    extend = target.rule == "duration_exceeded"
    if extend:
        journey.key("Alt+X: Extend…", Qt.Key.Key_X, ALT)
    else:
        journey.key("Alt+A: Accept the delay until…", Qt.Key.Key_A, ALT)
    dialog = view.form
    assert isinstance(dialog, ReviewDialog)
    journey.wait_for(active_is(dialog))
    assert dialog.extend_choice.isChecked() == extend and dialog.until.check.isChecked()
    assert dialog.extend_choice.isVisible() == extend
    journey.key("select the suggested date", Qt.Key.Key_A, CTRL)
    journey.type("type the new date", dmy(until))
    journey.key("Alt+R: to the rationale", Qt.Key.Key_R, ALT)
    journey.type("type the rationale", "The parenting assessment was delayed by the provider.")
    journey.key("Ctrl+Enter: save the review", Qt.Key.Key_Return, CTRL)
    journey.wait_for(lambda: not dialog.isVisible())

    records = window.ctx.flags.reviews(target.case)
    assert any(
        r.rule == target.rule
        and r.decision == ("extend" if extend else "accept")
        and r.until == until
        and r.reviewed_by == MANAGER
        for r in records
    )
    # The case shows the review where the manager is.
    assert view.tabs.currentWidget() is view.flags_page
    assert "Ann Wright" in view.flags_page.detail.text() or target.rule == "duration_exceeded"
    assert dialog_log.errors == []
    assert journey.report() <= 8


def test_legal_liaison_makes_and_records_the_letters_for_one_case(
    qtbot: Any, window_as: Any, dialog_log: DialogLog, tmp_path: Path
) -> None:
    window: MainWindow = window_as(LEGAL)
    journey = Journey(qtbot, window, "Legal liaison: make and record the letters for one case")
    todo = window.letters_todo
    assert window.tabs.currentWidget() is todo
    journey.wait_for(lambda: todo.table.hasFocus())
    first = todo.selected()
    assert first is not None and first.due is not None, "a letter is due on the first case"
    reference = first.reference
    folder = tmp_path / "letters"

    journey.key("Enter: make this case's letters", Qt.Key.Key_Return)
    letters = window.letters
    assert window.tabs.currentWidget() is letters
    assert letters.case is not None and letters.case.reference == reference
    journey.key("Alt+I: to 'Save in'", Qt.Key.Key_I, ALT)
    journey.key("select the folder", Qt.Key.Key_A, CTRL)
    journey.type("type the folder", str(folder))
    letters.preview_now()
    assert letters.generate_button.isEnabled(), letters.problem.text()
    journey.key("Alt+G: Generate letters", Qt.Key.Key_G, ALT)
    journey.wait_for(lambda: letters.worker is None, timeout=60_000)
    made = window.ctx.letters.history(reference)
    assert made and all(r.sent_on is None for r in made)
    assert len(list(folder.glob("*.docx"))) == len(made)

    journey.focus("Tab to the list of this case's letters", letters.history)
    for _letter in made:
        proxy = letters.history.model()
        unsent = [
            r for r in range(proxy.rowCount()) if letters.history_model.row_at(r).sent_on is None
        ]
        if not unsent:
            break
        current = letters.history.currentIndex().row()
        key = Qt.Key.Key_Down if current < unsent[0] else Qt.Key.Key_Up
        for _move in range(abs(unsent[0] - current) if current >= 0 else 1):
            journey.key("Down or Up: to the letter not yet sent", key)
        record = letters.selected_letter()
        assert record is not None and record.sent_on is None
        journey.key(
            f"Alt+S: record the letter to {record.recipient_name} as sent today", Qt.Key.Key_S, ALT
        )
        if any(r.sent_on is None for r in window.ctx.letters.history(reference)):
            journey.focus("Shift+Tab back to the list", letters.history)
    sent = window.ctx.letters.history(reference)
    assert all(r.sent_on == today() for r in sent), [(r.recipient_name, r.sent_on) for r in sent]
    events = window.ctx.cases.get(reference).events
    assert any(e.type == "letter_before_proceedings" and e.date == today() for e in events)
    assert dialog_log.errors == []
    # The case has left Letters to do (nothing due, nothing waiting to be recorded).
    window.tabs.setCurrentWidget(todo)
    todo.refresh()
    assert reference not in {r.reference for r in todo.rows()}
    assert journey.report() <= 6 + 3 * len(made)
