"""Issue 25: the window on day two; nothing stale, nothing hidden.

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
from tests.ui.conftest import LEGAL, MANAGER, SOCIAL_WORKER, DialogLog
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


# -- items 4 and 5: an accepted flag, and an extension only of the pre-proceedings period ---------


def _case_with_one_overdue(window: MainWindow, rule_wanted: bool) -> Any:
    """A case on the list with exactly one overdue flag, which is (or is not) the
    pre-proceedings period's, and nothing accepted yet."""
    for row in window.case_list.model.rows():
        period = bool(row.overdue_rules) and row.overdue_rules[0] == "duration_exceeded"
        if row.is_open and row.overdue == 1 and not row.accepted_rules and period == rule_wanted:
            return row
    raise AssertionError("the demo has such a case")


def test_an_accepted_flag_shows_as_accepted_and_is_not_offered_an_extension(
    qtbot: Any, window_as: Any, dialog_log: DialogLog
) -> None:
    from ui import formats
    from ui.models.case_items import ReviewsModel
    from ui.models.cases import CaseListModel
    from ui.widgets.review_dialog import ReviewDialog

    window: MainWindow = window_as(MANAGER)
    window.case_list.scope.setCurrentIndex(window.case_list.scope.findText("All cases"))
    row = _case_with_one_overdue(window, rule_wanted=False)
    rule = row.overdue_rules[0]
    view = window.open_case(row.reference)
    assert view.show_flag(rule)
    page = view.flags_page
    # Any flag but the pre-proceedings period's: its delay is accepted, not extended.
    assert page.extend_button.text() == "Accept the dela&y until…"
    qtbot.mouseClick(page.extend_button, Qt.MouseButton.LeftButton)
    dialog = view.form
    assert isinstance(dialog, ReviewDialog)
    assert not dialog.extend_choice.isVisible() and dialog.accept_choice.isChecked()
    assert dialog.until.check.isChecked()
    until = dialog.until.value()
    qtbot.keyClicks(dialog.rationale, "Agreed in supervision: the assessor is booked.")
    assert dialog.save(), dialog.problem.text()
    assert [r.decision for r in window.ctx.flags.reviews(row.reference)][-1] == "accept"

    # The case's header, its Flags tab, its reviews and its chronology use the same words.
    assert "1 overdue, delay accepted: " in view.status_label.text()
    assert formats.RAG_COLOURS["accepted"].name() in view.status_label.text()
    assert "Delay accepted by Ann Wright on" in page.detail.text()
    status = page.model.index(0, 1).data()
    assert status.endswith(", accepted")
    reviews = page.review_model.rows()
    assert reviews and page.review_model.index(0, ReviewsModel.DECISION).data() == (
        "Delay accepted"
    )
    whats = [r.what for r in view.chronology.model.rows()]
    assert f"Delay accepted: {formats.rule_label(rule)}" in whats
    reviewed = [
        r.what
        for r in view.chronology.model.rows()
        if getattr(r.record, "type", "") == "management_oversight" and r.record.rule == rule
    ]
    assert reviewed and all(w.startswith("Delay accepted: ") for w in reviewed)

    # My cases: no longer red, and says why.
    window.tabs.setCurrentWidget(window.case_list)
    cases = window.case_list
    qtbot.waitUntil(lambda: cases.model.find(row.reference) is not None)

    def summary() -> Any:
        return cases.model.rows()[cases.model.find(row.reference)]

    qtbot.waitUntil(lambda: summary().status == "accepted")
    number = cases.model.find(row.reference)
    text = cases.model.index(number, CaseListModel.STATUS).data()
    assert text.startswith("1 overdue, delay accepted: ")
    colour = cases.model.index(number, CaseListModel.STATUS).data(Qt.ItemDataRole.ForegroundRole)
    assert colour is None or colour.color() != formats.RAG_COLOURS["red"]
    assert "accepted" in summary().status_explained()
    if summary().is_late:
        assert cases.model.index(number, CaseListModel.NEXT_DUE).data().endswith(", accepted")
    assert until is not None
    assert dialog_log.errors == []


def test_an_extension_is_of_the_pre_proceedings_period_and_counted_in_reports(
    qtbot: Any, window_as: Any
) -> None:
    import datetime as dt

    from ui.models.case_items import ReviewsModel
    from ui.widgets.review_dialog import ReviewDialog

    window: MainWindow = window_as(MANAGER)
    window.case_list.scope.setCurrentIndex(window.case_list.scope.findText("All cases"))
    row = _case_with_one_overdue(window, rule_wanted=True)
    start, end = dt.date(2000, 1, 1), today()
    before = window.ctx.reports.timeliness_case(row.reference, start, end).extensions
    view = window.open_case(row.reference)
    assert view.show_flag("duration_exceeded")
    page = view.flags_page
    assert page.extend_button.text() == "E&xtend…"
    qtbot.mouseClick(page.extend_button, Qt.MouseButton.LeftButton)
    dialog = view.form
    assert isinstance(dialog, ReviewDialog)
    assert dialog.extend_choice.isVisible() and dialog.extend_choice.isChecked()
    assert "pre-proceedings period" in dialog.extend_choice.text()
    qtbot.keyClicks(dialog.rationale, "The parenting assessment needs four more weeks.")
    assert dialog.save(), dialog.problem.text()
    reviews = page.review_model
    assert reviews.index(reviews.rowCount() - 1, ReviewsModel.DECISION).data() in (
        "Extension agreed",
    ) or any(r.decision == "extend" for r in reviews.rows())
    assert "Extension agreed (pre-proceedings period)" in [
        r.what for r in view.chronology.model.rows()
    ]
    after = window.ctx.reports.timeliness_case(row.reference, start, end).extensions
    assert after == before + 1, "the Reports' Extended count includes it"


# -- item 6: what the command line sets, in the window ------------------------------------------


def test_census_settings_are_set_in_the_window_not_by_a_command(
    qtbot: Any, window_as: Any, dialog_log: DialogLog, tmp_path: Path
) -> None:
    import json

    from db.engine import sqlite_url
    from plo_tracker.app import open_app
    from plo_tracker.exchange import document_to_json
    from tests.reports.test_census_merge import CODES, cases
    from tests.ui.test_census_view import census_view
    from ui.widgets.census_settings import CensusSettingsDialog

    path = tmp_path / "census.db"
    ctx = open_app(sqlite_url(path), username="admin", create=True)
    try:
        ctx.exchange.import_text(json.dumps(document_to_json(cases())))
    finally:
        ctx.close()
    window: MainWindow = window_as("admin", db=str(path))
    view = census_view(window)
    assert view.settings_button.isVisible()
    qtbot.mouseClick(view.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.census is not None and not view.busy, timeout=20_000)
    summary = view.summary.text()
    assert "Before a file can be made: set the PPOutcome code for " in summary
    assert "the council's 3-digit LA code (press Census settings… above)." in summary
    assert "plo-tracker" not in summary

    qtbot.mouseClick(view.settings_button, Qt.MouseButton.LeftButton)
    dialog = view.settings_dialog
    assert isinstance(dialog, CensusSettingsDialog) and dialog.isVisible()
    dialog.la_code.setText("89")
    assert not dialog.save()
    assert "LA code" in dialog.problem.text() and dialog.isVisible()
    dialog.la_code.setText("893")
    for outcome, code in CODES.items():
        combo = dialog.outcomes[outcome]
        combo.setCurrentIndex(combo.findData(code))
    assert dialog.save()
    qtbot.waitUntil(lambda: not view.busy, timeout=20_000)
    settings = window.ctx.reports.census_settings()
    assert settings.la_code == "893" and settings.outcomes_set
    assert "Before a file can be made" not in view.summary.text()
    assert view.status.text() == "Census settings saved."


def test_letter_settings_are_in_the_window_and_about_reads_plainly(
    qtbot: Any, window_as: Any, dialog_log: DialogLog, tmp_path: Path
) -> None:
    from ui.widgets.letter_settings import LetterSettingsDialog

    manager: MainWindow = window_as(MANAGER)
    assert not manager.letter_settings_action.isVisible()
    manager.about_action.trigger()
    _title, about = dialog_log.infos[-1]
    line = next(x for x in about.splitlines() if "letter templates folder" in x)
    assert line.strip() == (
        "Council's letter templates folder: none set, so letters use the templates that "
        "come with PLO Tracker"
    )
    assert "if any" not in about and "((" not in about

    window: MainWindow = window_as(LEGAL)
    assert window.letter_settings_action.isVisible()
    window.letter_settings_action.trigger()
    dialog = window.letter_settings_dialog
    assert isinstance(dialog, LetterSettingsDialog) and dialog.isVisible()
    dialog.folder.setText(str(tmp_path / "no such folder"))
    assert not dialog.save()
    assert "is not a folder" in dialog.problem.text()
    folder = tmp_path / "council templates"
    folder.mkdir()
    dialog.folder.setText(str(folder))
    dialog.boxes["lawyer_name"].setText("Priya Shah")
    dialog.address.setPlainText("Shirehall\nAbbey Foregate\nMarchester\nZZ1 6ND")
    assert dialog.save(), dialog.problem.text()
    council = window.ctx.letters.council()
    assert council.lawyer_name == "Priya Shah" and council.address[0] == "Shirehall"
    assert window.ctx.letters.template_folder() == folder.resolve()
    window.about_action.trigger()
    _title, about = dialog_log.infos[-1]
    assert f"{folder.resolve()} (from the letter settings kept in the database)" in about


# -- item 7: the council's template folder out of reach --------------------------------------------


def test_a_template_folder_out_of_reach_is_said_not_nothing_is_missing(
    qtbot: Any, window_as: Any, tmp_path: Path
) -> None:
    from tests.ui.test_letters import letters_screen, open_case_with_two_parents

    window: MainWindow = window_as(LEGAL)
    folder = tmp_path / "council templates"
    folder.mkdir()
    window.ctx.letters.set_template_folder(folder)
    folder.rmdir()  # the network drive is not connected
    widget = letters_screen(qtbot, window, tmp_path)
    reference = open_case_with_two_parents(window.ctx)
    widget.show_case(reference)
    widget.preview_now()
    assert widget.folder_warning.isVisible()
    warning = widget.folder_warning.text()
    assert warning.startswith(f"The council's letter templates folder {folder} cannot be reached")
    assert "templates that come with PLO Tracker" in warning
    readiness = widget.readiness.text()
    assert "nothing is missing" not in readiness
    assert "would be made from PLO Tracker's own template" in readiness
    assert "#1b5e20" not in widget.readiness.styleSheet(), "not shown as all clear"

    # The drive comes back: the warning goes the next time the screen is shown.
    folder.mkdir()
    window.tabs.setCurrentWidget(window.case_list)
    window.tabs.setCurrentWidget(widget)
    assert not widget.folder_warning.isVisible()
    qtbot.waitUntil(lambda: "nothing is missing" in widget.readiness.text())


# -- item 9: smaller things ---------------------------------------------------------------------


def test_the_status_bar_follows_an_administrator_s_rename(
    qtbot: Any, app: Any, dialog_log: DialogLog
) -> None:
    from plo_tracker.app import AppContext
    from tests.ui.conftest import close_windows, show_active

    window = MainWindow(AppContext(db=app.db, actor=app.actor), title="PLO Tracker – test")
    show_active(qtbot, window)
    try:
        assert window.who.text().startswith(f"Signed in as {app.actor.display_name} (")
        me = window.ctx.users.get(app.actor.username)
        window.ctx.users.update(me.username, me.version, display_name="Dana Okafor")
        qtbot.waitUntil(lambda: window.who.text().startswith("Signed in as Dana Okafor ("))
        assert window.ctx.actor.display_name == "Dana Okafor"
        assert window.case_list.proxy.me == "Dana Okafor"
        assert dialog_log.errors == []
    finally:
        close_windows([window])


def test_recorded_by_names_who_booked_and_who_imported(
    qtbot: Any, window_as: Any, dialog_log: DialogLog
) -> None:
    import datetime as dt

    from plo_tracker.domain.model import Booking

    window: MainWindow = window_as(SOCIAL_WORKER)
    mine = [r for r in window.case_list.model.rows() if r.social_worker == "Megan Hughes"]
    reference = next(r.reference for r in mine if r.is_open)
    view = window.open_case(reference)
    rows = view.chronology.model.rows()
    imported = [r for r in rows if not r.is_booking and r.record.recorded_by is None]
    assert imported, "the demo's history came in by an import"
    assert all(r.recorded_by.endswith(" (import)") for r in imported)
    # A meeting booked here: her name, read from the audit trail.
    window.ctx.cases.save_booking(
        reference, Booking("review_meeting", today() + dt.timedelta(days=20))
    )
    qtbot.waitUntil(
        lambda: any(
            r.is_booking and r.recorded_by == "Megan Hughes" for r in view.chronology.model.rows()
        )
    )
    assert all(r.recorded_by for r in view.chronology.model.rows())
    assert dialog_log.errors == []


def test_several_letters_are_recorded_as_sent_at_once_and_a_refusal_keeps_the_selection(
    qtbot: Any, window_as: Any, dialog_log: DialogLog, tmp_path: Path
) -> None:
    import datetime as dt

    from tests.ui.test_letters import letters_screen, open_case_with_two_parents

    window: MainWindow = window_as(LEGAL)
    widget = letters_screen(qtbot, window, tmp_path)
    reference = open_case_with_two_parents(window.ctx)
    widget.show_case(reference)
    qtbot.mouseClick(widget.generate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: widget.worker is None, timeout=WAIT_MS)
    made = window.ctx.letters.history(reference)
    assert len(made) >= 2
    widget.history.selectAll()
    assert len(widget.history_panel.selected_letters()) == len(made)
    assert widget.sent_button.text() == f"Record {len(made)} letters as &sent on"

    # A date in the future is refused; every letter stays selected.
    widget.sent_date.set_value(today() + dt.timedelta(days=3))
    qtbot.mouseClick(widget.sent_button, Qt.MouseButton.LeftButton)
    assert "Not recorded: " in widget.status.text()
    assert "cannot be in the future" in widget.status.text()
    assert len(widget.history_panel.selected_letters()) == len(made)
    assert all(r.sent_on is None for r in window.ctx.letters.history(reference))

    widget.sent_date.set_value(today())
    qtbot.mouseClick(widget.sent_button, Qt.MouseButton.LeftButton)
    assert widget.status.text().startswith(f"Recorded {len(made)} letters as sent on ")
    assert all(r.sent_on == today() for r in window.ctx.letters.history(reference))
    assert not widget.sent_button.isEnabled()
    assert dialog_log.errors == []


def test_without_a_display_one_sentence_says_a_desktop_is_needed(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    env["PLO_TRACKER_DATA_DIR"] = str(tmp_path / "data")
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from ui.launcher import main; sys.exit(main([]))"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "Error: PLO Tracker's window needs a desktop, and none was found on this computer (no "
        "display). The command line works without one: try 'plo-tracker --help'."
    )
    assert "Reinstalling the application" not in done.stderr


def test_alt_u_in_the_review_moves_to_the_date_and_never_unticks_it(
    qtbot: Any, window_as: Any
) -> None:
    from PySide6.QtWidgets import QApplication

    from ui.widgets.review_dialog import ReviewDialog

    window: MainWindow = window_as(MANAGER)
    review = window.drift_review
    target = review.selected_row()
    view = window.open_flag(target.case, target.rule, target.item)
    qtbot.mouseClick(view.flags_page.extend_button, Qt.MouseButton.LeftButton)
    dialog = view.form
    assert isinstance(dialog, ReviewDialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert dialog.until.check.isChecked()
    dialog.rationale.setFocus()
    qtbot.keyClick(dialog.rationale, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.until.date.edit.hasFocus())
    assert dialog.until.check.isChecked(), "Alt+U goes to the date; it does not untick it"
    # Unticked, Alt+U ticks it and goes to the date.
    dialog.until.check.setChecked(False)
    dialog.rationale.setFocus()
    qtbot.keyClick(dialog.rationale, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.until.date.edit.hasFocus())
    assert dialog.until.check.isChecked()
    dialog.reject()


def test_a_long_database_path_leaves_out_its_middle_not_its_end(qtbot: Any, window_as: Any) -> None:
    window: MainWindow = window_as(SOCIAL_WORKER)
    window.resize(853, 480)  # 1280x720 at 150%
    qtbot.wait(50)
    where = window.where
    assert where.text().startswith("Database: ") and where.toolTip() == where.text()
    assert where.width() < where.fontMetrics().horizontalAdvance(where.text())
    shown = where.fontMetrics().elidedText(
        where.text(), Qt.TextElideMode.ElideMiddle, where.contentsRect().width()
    )
    assert "…" in shown and shown.endswith(".db")
    assert not where.grab().isNull()
