"""Issue 25, items 1 to 3: the window on day two; nothing stale, nothing hidden.

Every list reads itself again when something is saved anywhere in the window (one change
signal from the core, ``plo_tracker.changes``, passed on by ``ui.changes``), never
only after F5; a refreshed list keeps its selection, or selects the first row, so Enter
works.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from plo_tracker.services.base import today
from tests.ui.conftest import LEGAL, SOCIAL_WORKER, DialogLog
from ui.main_window import MainWindow

WAIT_MS = 60_000


def test_a_letter_recorded_as_sent_leaves_letters_to_do_at_once(
    qtbot: Any, window_as: Any, dialog_log: DialogLog, tmp_path: Path
) -> None:
    window: MainWindow = window_as(LEGAL)
    todo = window.letters_todo
    assert window.tabs.currentWidget() is todo
    first = todo.selected()
    assert first is not None and len(todo.rows()) > 1
    reference = first.reference
    qtbot.keyClick(todo.table, Qt.Key.Key_Return)
    letters = window.letters
    assert window.tabs.currentWidget() is letters
    letters.folder.setText(str(tmp_path / "letters"))
    letters.preview_now()
    assert letters.generate_button.isEnabled(), letters.problem.text()
    qtbot.mouseClick(letters.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: letters.worker is None, timeout=WAIT_MS)
    made = window.ctx.letters.history(reference)
    assert made
    for record in made:
        number = letters.history_model.find(record.id)
        letters.history.selectRow(number)
        letters.sent_date.set_value(today())
        qtbot.mouseClick(letters.sent_button, Qt.MouseButton.LeftButton)
    assert all(r.sent_on == today() for r in window.ctx.letters.history(reference))

    # Back to Letters to do, no F5: the case has gone, and a case is selected for Enter.
    window.tabs.setCurrentWidget(todo)
    qtbot.waitUntil(lambda: reference not in {r.reference for r in todo.rows()})
    now = todo.selected()
    assert now is not None and now.reference != reference
    assert todo.letters_button.isEnabled()
    count = len(todo.rows())
    assert todo.summary.text().startswith(f"{count} {'case' if count == 1 else 'cases'} with")
    todo.table.setFocus()
    qtbot.keyClick(todo.table, Qt.Key.Key_Return)
    assert window.tabs.currentWidget() is letters
    assert letters.case is not None and letters.case.reference == now.reference
    assert dialog_log.errors == []


def test_f5_after_the_selected_case_left_selects_the_first(qtbot: Any, window_as: Any) -> None:
    window: MainWindow = window_as(LEGAL)
    todo = window.letters_todo
    last = _sendable(window, reversed(todo.rows()))
    todo.select(last.reference)
    # The case's letter goes, saved by someone else on this database.
    _send_everything(window, last.reference)
    qtbot.keyClick(todo.table, Qt.Key.Key_F5)
    assert last.reference not in {r.reference for r in todo.rows()}
    selected = todo.selected()
    assert selected is not None and selected.reference == todo.rows()[0].reference
    qtbot.keyClick(todo.table, Qt.Key.Key_Return)
    assert window.tabs.currentWidget() is window.letters


def test_a_save_anywhere_refreshes_every_list_on_show(qtbot: Any, window_as: Any) -> None:
    """A change saved through the core (here, by the window's own session with no screen
    told) reaches the list on show and the ones shown later, with no F5."""
    window: MainWindow = window_as(LEGAL)
    todo = window.letters_todo
    window.tabs.setCurrentWidget(window.case_list)
    QApplication.processEvents()
    reference = _sendable(window, todo.rows()).reference
    _send_everything(window, reference)
    window.tabs.setCurrentWidget(todo)
    qtbot.waitUntil(lambda: reference not in {r.reference for r in todo.rows()})
    assert todo.selected() is not None


def _template(window: MainWindow, reference: str) -> str:
    assert window.ctx is not None
    case = window.ctx.cases.get(reference)
    if "letter_before_proceedings" in {e.type for e in case.events}:
        return "letter_of_issue"
    return "letter_before_proceedings"


def _sendable(window: MainWindow, rows: Any) -> Any:
    """A case on Letters to do whose letters are all ready to send."""
    assert window.ctx is not None
    for row in rows:
        readiness = window.ctx.letters.readiness(row.reference, _template(window, row.reference))
        if readiness and all(r.ready for r in readiness):
            return row
    raise AssertionError("the demo has a case on Letters to do whose letters are ready")


def _send_everything(window: MainWindow, reference: str) -> None:
    """The case's letters before proceedings made and recorded as sent, through the core."""
    import tempfile

    ctx = window.ctx
    assert ctx is not None
    folder = Path(tempfile.mkdtemp())
    case = ctx.cases.get(reference)
    template = _template(window, reference)
    for record in ctx.letters.history(reference):
        if record.sent_on is None and not record.draft:
            ctx.letters.record_sent(record.id, today(), record.version)
    for party in [p.id for p in case.parties if p.parental_responsibility]:
        result = ctx.letters.generate(reference, template, folder, party=party, draft=False)
        for letter in result.letters:
            ctx.letters.record_sent(letter.record.id, today(), letter.record.version)


def test_a_save_on_another_thread_reaches_the_window(qtbot: Any, window_as: Any) -> None:
    """Background work (an import, a batch of letters) saves off the window's thread: the
    notice is passed to the window's thread and the list on show reads itself again."""
    import threading

    window: MainWindow = window_as(LEGAL)
    todo = window.letters_todo
    reference = _sendable(window, todo.rows()).reference
    thread = threading.Thread(target=_send_everything, args=(window, reference))
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: reference not in {r.reference for r in todo.rows()})


def test_an_open_case_reads_itself_again_when_shown(qtbot: Any, window_as: Any) -> None:
    window: MainWindow = window_as(LEGAL)
    reference = _sendable(window, window.letters_todo.rows()).reference
    view = window.open_case(reference)
    events = len(view.case.events)
    window.tabs.setCurrentWidget(window.letters_todo)
    _send_everything(window, reference)
    qtbot.wait(50)
    window.tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: len(view.case.events) > events)


# -- item 2: a remembered search that hides every case ------------------------------------------


def test_a_remembered_search_that_hides_every_case_says_so_and_esc_clears_it(
    qtbot: Any, window_as: Any
) -> None:
    from ui.settings import PersonSettings

    PersonSettings(SOCIAL_WORKER).put_many(
        {"case_list/search": "no such family", "case_list/drifting": True}
    )
    window: MainWindow = window_as(SOCIAL_WORKER)
    cases = window.case_list
    qtbot.waitUntil(lambda: not cases.loading)
    assert cases.proxy.rowCount() == 0
    assert cases.hidden_note.isVisible()
    mine = sum(r.social_worker == "Megan Hughes" for r in cases.model.rows())
    assert cases.hidden_text.text() == (
        "The search \u201cno such family\u201d and \u201conly drifting\u201d hide all "
        f"{mine} cases (my cases). Press Esc to clear them."
    )
    assert cases.search.hasFocus()
    qtbot.keyClick(cases.search, Qt.Key.Key_Escape)
    assert cases.search.text() == "" and not cases.drifting.isChecked()
    assert cases.proxy.rowCount() == mine
    assert not cases.hidden_note.isVisible()
    assert cases.count.text() == f"{mine} of {cases.model.rowCount()} cases (my cases)"


def test_a_search_hiding_all_cases_counts_them_in_words(qtbot: Any, window_as: Any) -> None:
    from ui import formats

    window: MainWindow = window_as(SOCIAL_WORKER)
    cases = window.case_list
    cases.scope.setCurrentIndex(cases.scope.findText("All cases"))
    cases.search.setFocus()
    qtbot.keyClicks(cases.search, "nothing like it")
    total = cases.model.rowCount()
    assert cases.hidden_text.text() == (
        f"The search \u201cnothing like it\u201d hides all {total} cases. Press Esc to clear it."
    )
    assert cases.count.text() == f"0 of {total} cases"
    qtbot.keyClick(cases.search, Qt.Key.Key_Escape)
    assert cases.count.text() == f"{total} cases"
    assert [formats.count(n, "case") for n in (0, 1, 2)] == ["0 cases", "1 case", "2 cases"]


# -- item 3: the Letters screen's readiness, a refused word typed for a letter --------------------


def _case_with_a_hidden_address(window: MainWindow) -> tuple[Any, Any, Any]:
    """An open case with a review booked, a parent whose address is confidential and one
    whose is not (so the other parent's review invitation needs a meeting of its own)."""
    ctx = window.ctx
    assert ctx is not None
    for summary in ctx.cases.summaries():
        case = ctx.cases.get(summary.reference)
        hidden = [p for p in case.parties if p.address_confidential and p.address]
        others = [
            p for p in case.parties if p.parental_responsibility and not p.address_confidential
        ]
        booked = any(b.type == "review_meeting" and b.date > today() for b in case.scheduled)
        if summary.is_open and hidden and others and booked:
            return case, others[0], hidden[0]
    raise AssertionError("the demo has a case with a confidential address")


def test_a_ready_letter_beside_one_not_ready_says_which_is_not(
    qtbot: Any, window_as: Any, tmp_path: Path
) -> None:
    from tests.ui.test_letters import letters_screen

    window: MainWindow = window_as(LEGAL)
    widget = letters_screen(qtbot, window, tmp_path)
    case, parent, hidden = _case_with_a_hidden_address(window)
    widget.show_case(case.reference)
    widget.template.setCurrentIndex(widget.template.findData("review_invitation"))
    widget.set_recipients([parent.id, hidden.id])
    widget.preview_now()
    widget.preview_choice.setCurrentIndex(widget.preview_choice.findData(hidden.id))
    text = widget.readiness.text()
    assert text.startswith(f"The letter to {hidden.name} is ready to send: nothing is missing.")
    assert "The other letter of this case is not ready to send:" in text
    assert f"• to {parent.name}: their own review meeting" in text
    assert "#b00020" not in widget.readiness.styleSheet(), "a ready letter is not shown in red"
    assert not widget.generate_button.isEnabled()
    assert widget.problem.text().startswith(f"The letter to {parent.name} is not ready to send")
    # The other reader's letter: red, with what it needs.
    widget.preview_choice.setCurrentIndex(widget.preview_choice.findData(parent.id))
    assert widget.readiness.text().startswith(f"The letter to {parent.name} is not ready")
    assert "#b00020" in widget.readiness.styleSheet()


def test_a_refused_word_in_a_meeting_place_is_named_and_the_letter_stays_on_show(
    qtbot: Any, window_as: Any, tmp_path: Path
) -> None:
    import datetime as dt

    from PySide6.QtCore import QTime

    from tests.ui.test_letters import letters_screen

    window: MainWindow = window_as(LEGAL)
    widget = letters_screen(qtbot, window, tmp_path)
    case, parent, hidden = _case_with_a_hidden_address(window)
    widget.show_case(case.reference)
    widget.template.setCurrentIndex(widget.template.findData("review_invitation"))
    widget.set_recipients([parent.id])
    widget.meeting_date.set_value(today() + dt.timedelta(days=9))
    widget.meeting_time.check.setChecked(True)
    widget.meeting_time.time.setTime(QTime(15, 30))
    widget.meeting_place.setText("Council offices, Room 7")
    widget.preview_now()
    assert widget.generate_button.isEnabled(), widget.problem.text()
    letter = widget.text.toPlainText()
    assert "Council offices, Room 7" in letter

    town = hidden.address[1]
    widget.meeting_place.setText(f"{town} library")
    widget.preview_now()
    assert not widget.generate_button.isEnabled()
    named = f"\u201c{town}\u201d"
    assert named in widget.problem.text()
    assert "the meeting\u2019s place" in widget.problem.text()
    assert widget.readiness.text().startswith("Not made: ") and named in widget.readiness.text()
    assert named in widget.meeting_place.toolTip()
    assert "border" in widget.meeting_place.styleSheet()
    assert widget.text.toPlainText() == letter, "the letter stays on show, not a blank page"
    assert "as it was before the last change" in widget.summary.text()

    widget.meeting_place.setText("Council offices, Room 8")
    widget.preview_now()
    assert "Council offices, Room 8" in widget.text.toPlainText()
    assert widget.meeting_place.styleSheet() == "" and widget.meeting_place.toolTip() == ""
    assert widget.generate_button.isEnabled()
