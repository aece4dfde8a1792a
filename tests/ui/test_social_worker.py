"""The social worker's day: find a case, read its chronology and flags, record what happened.

Everything goes through the real widgets of the real window on a real database.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import text

from plo_tracker import clock
from plo_tracker.app import AppContext, open_app
from plo_tracker.domain.model import Event
from plo_tracker.permissions import Role
from plo_tracker.services.demo_setup import DemoSetupService
from tests.conftest import as_role
from tests.ui.conftest import MANAGER, SOCIAL_WORKER, DialogLog, show_active
from ui import formats
from ui.main_window import MainWindow
from ui.models.case_items import ChronologyModel
from ui.models.cases import CaseListModel
from ui.models.family import PartiesModel
from ui.widgets.case_view import CaseView
from ui.widgets.forms import EventForm, PartyForm

TODAY = clock.today()


def cell(table: Any, row: int, column: int) -> str:
    return str(table.model().index(row, column).data())


def column_texts(table: Any, column: int) -> list[str]:
    return [cell(table, r, column) for r in range(table.model().rowCount())]


def case_with_flag(window: MainWindow, rule: str, *, without_party: str | None = None) -> str:
    """A demo case with this flag, the user's own if they have one (``without_party``:
    only a case with no party of that key, so the test does not depend on what the demo
    data happens to hold)."""
    found = [f.flag.case for f in window.ctx.flags.flagged() if f.flag.rule == rule]
    if without_party is not None:
        found = [
            case
            for case in found
            if without_party not in {p.id for p in window.ctx.cases.get(case).parties}
        ]
    if not found:
        raise AssertionError(f"no demo case has a {rule} flag")
    mine = {
        r.reference
        for r in window.case_list.model.rows()
        if r.social_worker == window.actor.display_name
    }
    # A social worker changes only their own team's cases (issue 22).
    ours = {
        r.reference
        for r in window.case_list.model.rows()
        if window.actor.team is None or r.team == window.actor.team
    }
    if not any(case in ours for case in found):
        # None of the worker's team's cases has it in this demo data: the worker joins the
        # team of the first that has (the app reads a person's team as it is now).
        team = next(r.team for r in window.case_list.model.rows() if r.reference == found[0])
        with window.ctx.db.write("test") as session:
            session.execute(
                text("UPDATE users SET team = :team WHERE username = :user"),
                {"team": team, "user": window.actor.username},
            )
        return found[0]
    found = [case for case in found if case in ours]
    return next((case for case in found if case in mine), found[0])


def open_from_list(qtbot: Any, window: MainWindow, reference: str) -> CaseView:
    """Find the case with the search box and open it with Enter, as a user would
    (choosing "All cases" first when it is a colleague's case)."""
    widget = window.case_list
    assert widget.model.find(reference) is not None, f"{reference} is not in the case list"
    window.case_list.search.clear()
    if widget.scope.currentData() != "all" and not any(
        r.reference == reference and widget.proxy.accepts(r) for r in widget.model.rows()
    ):
        widget.scope.setCurrentIndex(widget.scope.findData("all"))
    qtbot.keyClicks(window.case_list.search, reference)
    table = window.case_list.table
    assert column_texts(table, CaseListModel.REFERENCE) == [reference]
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    view = window.current_case_view()
    assert view is not None and view.reference == reference
    return view


def press_save(qtbot: Any, form: QWidget) -> None:
    """Ctrl+S in an open form (once the form is the active window, as for a user)."""
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form, timeout=2000)
    qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def flag_titles(view: CaseView) -> list[str]:
    return column_texts(view.flags_table, 0)


def test_social_worker_records_a_meeting_and_the_flags_update(
    qtbot: Any, window_as: Any, dialog_log: DialogLog
) -> None:
    window = window_as(SOCIAL_WORKER)
    reference = case_with_flag(window, "first_meeting_due")
    view = open_from_list(qtbot, window, reference)
    assert "First pre-proceedings meeting not held" in flag_titles(view)
    assert reference in view.title.text()
    events_before = view.chronology.model.rowCount()
    marks_before = sum(m.shape == "event" for m in view.timeline.marks)

    qtbot.mouseClick(view.chronology.add_buttons[0], Qt.MouseButton.LeftButton)
    form = view.form
    assert isinstance(form, EventForm) and form.isVisible()
    form.type_combo.setCurrentIndex(form.type_combo.findData("pre_proceedings_meeting"))
    form.date.set_value(TODAY)
    assert form.save_button.isEnabled(), form.message.text()
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)

    assert view.form is None
    assert view.chronology.model.rowCount() == events_before + 1
    whats = column_texts(view.chronology.table, ChronologyModel.WHAT)
    assert "Pre-proceedings meeting" in whats
    row = whats.index("Pre-proceedings meeting")
    # Names, not logins (issue 13): "recorded by Megan Hughes", not "megan.hughes".
    assert cell(view.chronology.table, row, ChronologyModel.RECORDED_BY) == "Megan Hughes"
    assert "First pre-proceedings meeting not held" not in flag_titles(view)
    assert sum(m.shape == "event" for m in view.timeline.marks) == marks_before + 1
    assert view.status_label.text().startswith("Stage: Plan agreed")
    # The case list was refreshed with the new stage.
    list_row = window.case_list.model.find(reference)
    assert list_row is not None
    assert window.case_list.model.row_at(list_row).stage == "Plan agreed"
    # ... and the audit trail says who did it.
    trail = column_texts(view.audit_table, 1)
    assert "Megan Hughes" in trail and SOCIAL_WORKER not in trail
    sentences = column_texts(view.audit_table, 2)
    assert f"Megan Hughes recorded a pre-proceedings meeting on {formats.short_date(TODAY)}" in (
        sentences
    )
    assert dialog_log.errors == []


def test_a_future_date_is_refused_as_the_user_types(
    qtbot: Any, window_as: Any, dialog_log: DialogLog
) -> None:
    window = window_as(SOCIAL_WORKER)
    reference = case_with_flag(window, "first_meeting_due")
    view = window.open_case(reference)
    before = window.ctx.cases.get(reference)
    form = view.add_event("pre_proceedings_meeting")
    assert isinstance(form, EventForm)
    form.date.set_value(TODAY + dt.timedelta(days=3))
    assert not form.save_button.isEnabled()
    assert "in the future" in form.message.text()
    assert "in the future" in form.save_button.toolTip()
    press_save(qtbot, form)  # Ctrl+S does nothing
    assert form.isVisible()
    form.date.set_value(TODAY)
    assert form.save_button.isEnabled()
    assert form.message.text() == "Ready to save."
    form.reject()
    assert window.ctx.cases.get(reference) == before


def test_required_fields_are_explained_before_saving(qtbot: Any, window_as: Any) -> None:
    window = window_as(SOCIAL_WORKER)
    reference = case_with_flag(window, "first_meeting_due")
    view = window.open_case(reference)
    form = view.add_event("fgc_declined")
    assert not form.save_button.isEnabled()
    assert "Date" in form.message.text()  # an event's date is never assumed to be today
    qtbot.keyClicks(form.date.edit, TODAY.strftime("%d/%m/%Y"))
    assert not form.save_button.isEnabled()
    assert "Reason" in form.message.text()
    qtbot.keyClicks(form.reason, "The family did not want one")
    assert form.save_button.isEnabled()
    form.reject()


def test_a_conflicting_change_is_detected_on_save_and_nothing_is_overwritten(
    qtbot: Any, window_as: Any, demo_url: Any, dialog_log: DialogLog
) -> None:
    window = window_as(SOCIAL_WORKER)
    reference = case_with_flag(window, "first_meeting_due")
    view = window.open_case(reference)
    view.tabs.setCurrentWidget(view.chronology)
    whats = column_texts(view.chronology.table, ChronologyModel.WHAT)
    view.chronology.table.selectRow(whats.index("Legal planning meeting"))
    qtbot.mouseClick(view.chronology.edit_button, Qt.MouseButton.LeftButton)
    form = view.form
    assert isinstance(form, EventForm)
    original: Event = form.original
    # Meanwhile the team manager corrects the same meeting's date from another computer.
    other = open_app(demo_url, username=MANAGER)
    try:
        theirs = original.date - dt.timedelta(days=1)
        other.cases.save_event(reference, _replace(original, date=theirs))
    finally:
        other.close()
    form.date.set_value(original.date - dt.timedelta(days=2))
    press_save(qtbot, form)
    assert form.isVisible(), "the form stays open and says what happened"
    assert "changed by someone else" in form.message.text()
    assert "nothing was overwritten" in form.message.text()
    assert not form.save_button.isEnabled()
    stored = next(e for e in window.ctx.cases.get(reference).events if e.id == original.id)
    assert stored.date == theirs, "the other person's change is kept"
    qtbot.mouseClick(form.cancel_button, Qt.MouseButton.LeftButton)
    assert view.form is None
    dates = column_texts(view.chronology.table, ChronologyModel.DATE)
    assert f"{theirs.day} " in " ".join(dates)  # the view reloaded the latest version


def _replace(event: Event, **changes: Any) -> Event:
    from dataclasses import replace

    return replace(event, **changes)


def test_adding_a_parent_with_a_solicitor_and_other_parts(qtbot: Any, window_as: Any) -> None:
    window = window_as(SOCIAL_WORKER)
    reference = case_with_flag(window, "solicitor_missing", without_party="grandmother")
    view = window.open_case(reference)
    view.tabs.setCurrentWidget(view.parties)
    count = view.parties.model.rowCount()
    qtbot.mouseClick(view.parties.add_buttons[0], Qt.MouseButton.LeftButton)
    form = view.form
    assert isinstance(form, PartyForm)
    qtbot.keyClicks(form.name, "Dana Fletcher")
    form.relationship.setCurrentText("grandmother")
    assert form.key.text() == "grandmother"  # suggested from the relationship
    form.pr.setChecked(True)
    qtbot.keyClicks(form.address, "4 Mill Lane")
    qtbot.keyClick(form.address, Qt.Key.Key_Return)
    qtbot.keyClicks(form.address, "Ludlow")
    assert not form.save_button.isEnabled() or form.problem is None
    qtbot.keyClicks(form.solicitor_firm, "Price & Co")
    assert not form.save_button.isEnabled()
    assert "name" in form.message.text().lower()  # a firm without the solicitor's name
    qtbot.keyClicks(form.solicitor_name, "Ruth Price")
    assert form.save_button.isEnabled(), form.message.text()
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert view.parties.model.rowCount() == count + 1
    names = column_texts(view.parties.table, PartiesModel.NAME)
    row = names.index("Dana Fletcher")
    assert cell(view.parties.table, row, PartiesModel.SOLICITOR) == "Ruth Price"
    assert cell(view.parties.table, row, PartiesModel.FIRM) == "Price & Co"
    assert cell(view.parties.table, row, PartiesModel.ADDRESS) == "4 Mill Lane, Ludlow"
    # A second grandmother is offered a key of her own.
    qtbot.mouseClick(view.parties.add_buttons[0], Qt.MouseButton.LeftButton)
    view.form.relationship.setCurrentText("grandmother")
    assert view.form.key.text() == "grandmother2"
    view.form.close()

    # An assessment, a plan action and a booked meeting, each through its form.
    view.tabs.setCurrentWidget(view.assessments)
    view.assessments.add_buttons[0].click()
    qtbot.keyClicks(view.form.title, "Viability assessment of the grandmother")
    view.form.commissioned.set_value(TODAY - dt.timedelta(days=3))
    view.form.due.set_value(view.form.commissioned.value() - dt.timedelta(days=1))
    assert "before it was commissioned" in view.form.message.text()
    view.form.due.set_value(TODAY + dt.timedelta(weeks=6))
    view.form.save_button.click()
    assert "Viability assessment of the grandmother" in column_texts(view.assessments.table, 0)

    view.tabs.setCurrentWidget(view.actions)
    view.actions.add_buttons[0].click()
    qtbot.keyClicks(view.form.action, "Attend the parenting course")
    view.form.who.setCurrentIndex(view.form.who.findData("grandmother"))
    view.form.save_button.click()
    who = column_texts(view.actions.table, 1)
    assert "Dana Fletcher (grandmother)" in who

    view.tabs.setCurrentWidget(view.chronology)
    view.chronology.add_buttons[1].click()
    view.form.kind.setCurrentIndex(view.form.kind.findData("review_meeting"))
    view.form.date.set_value(TODAY + dt.timedelta(days=14))
    qtbot.keyClicks(view.form.place, "Shirehall")
    view.form.save_button.click()
    assert "Booked: Review meeting" in column_texts(view.chronology.table, ChronologyModel.WHAT)


def test_deleting_an_entry_asks_first(qtbot: Any, window_as: Any, dialog_log: DialogLog) -> None:
    window = window_as(SOCIAL_WORKER)
    reference = case_with_flag(window, "action_overdue")
    view = window.open_case(reference)
    view.tabs.setCurrentWidget(view.actions)
    count = view.actions.model.rowCount()
    view.actions.table.selectRow(0)
    dialog_log.confirm_answer = False
    view.actions.delete_button.click()
    assert view.actions.model.rowCount() == count
    dialog_log.confirm_answer = True
    view.actions.delete_button.click()
    assert view.actions.model.rowCount() == count - 1
    assert "Delete" in dialog_log.confirms[-1][1]


def test_case_list_filters_and_sorts(qtbot: Any, window_as: Any) -> None:
    window = window_as(SOCIAL_WORKER)
    widget = window.case_list
    total = widget.model.rowCount()
    # A social worker starts on her own cases (test_working_day.py); here, every case.
    widget.scope.setCurrentIndex(widget.scope.findData("all"))
    assert widget.count.text() == f"{total} cases"
    # Sorting by every column, both ways, puts the values in order.
    table = widget.table
    for column in range(widget.model.columnCount()):
        table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
        keys = [
            widget.proxy.index(r, column).data(widget.proxy.sortRole())
            for r in range(widget.proxy.rowCount())
        ]
        present = [k for k in keys if k not in (None, "")]
        normalised = [k.casefold() if isinstance(k, str) else k for k in present]
        assert normalised == sorted(normalised), widget.model.COLUMNS[column].title
        assert keys[len(present) :] == [k for k in keys if k in (None, "")]  # blanks last
    # Status sorts overdue first.
    table.sortByColumn(CaseListModel.STATUS, Qt.SortOrder.AscendingOrder)
    # The status says what is late ("2 overdue: letter, review"), most overdue first.
    assert re.match(r"^\d+ overdue: \w", cell(table, 0, CaseListModel.STATUS))

    widget.drifting.setChecked(True)
    statuses = column_texts(table, CaseListModel.STATUS)
    # (an overdue flag a manager accepted says so: "1 overdue, delay accepted: review")
    pattern = r"^\d+ (overdue|due soon|overdue, delay accepted): "
    assert statuses and all(re.match(pattern, s) for s in statuses)
    assert widget.count.text() == f"{len(statuses)} of {total} cases"
    widget.drifting.setChecked(False)

    widget.team.setCurrentIndex(widget.team.findText("Case Management 2"))
    assert set(column_texts(table, CaseListModel.TEAM)) == {"Case Management 2"}
    widget.worker.setCurrentIndex(widget.worker.findText("Megan Hughes"))
    assert set(column_texts(table, CaseListModel.WORKER)) == {"Megan Hughes"}
    widget.team.setCurrentIndex(0)
    widget.worker.setCurrentIndex(0)

    qtbot.keyClicks(widget.search, "baby")
    children = column_texts(table, CaseListModel.CHILDREN)
    assert children and all("baby" in c.lower() for c in children)
    widget.search.clear()
    widget.open_only.setChecked(True)
    assert "Closed" not in column_texts(table, CaseListModel.STATUS)
    assert widget.proxy.rowCount() < total


def test_keyboard_new_case_search_and_save(qtbot: Any, window_as: Any) -> None:
    window = window_as(SOCIAL_WORKER)
    window.tabs.setCurrentIndex(0)
    window.case_list.table.setFocus()
    qtbot.keyClick(window.case_list.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.case_list.search

    qtbot.keyClick(window.case_list.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = window.form
    assert form is not None and form.isVisible()
    assert form.worker.text() == "Megan Hughes"  # a social worker's new case is theirs
    assert "Case reference" in form.message.text()
    qtbot.keyClicks(form.reference, "PLO-TEST-0001")
    assert "name" in form.message.text().lower()
    qtbot.keyClicks(form.child_name, "Ava Morgan")
    form.child_date.set_value(dt.date(2020, 5, 4))
    assert form.save_button.isEnabled(), form.message.text()
    press_save(qtbot, form)
    view = window.current_case_view()
    assert view is not None and view.reference == "PLO-TEST-0001"
    assert "Ava Morgan" in view.children_label.text()
    assert window.case_list.model.find("PLO-TEST-0001") is not None
    # A second case with the same reference is refused in the form, with the reason.
    form = window.new_case()
    qtbot.keyClicks(form.reference, "PLO-TEST-0001")
    qtbot.keyClicks(form.child_name, "Ava Morgan")
    form.child_date.set_value(dt.date(2020, 5, 4))
    form.save_button.click()
    assert form.isVisible()
    assert "already used" in form.message.text()
    form.reject()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    qtbot.keyClick(view, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert "PLO-TEST-0001" not in window.case_views


@pytest.fixture
def postgres_window(qtbot: Any, app: AppContext, dialog_log: DialogLog) -> MainWindow:
    """The same journey on any database: a social worker's window over demo cases."""
    DemoSetupService(app.db, app.actor).fill(24)
    ctx = as_role(app, Role.SOCIAL_WORKER, username="sw_journey", team="Case Management 2")
    window = MainWindow(ctx, title="PLO Tracker – test")
    show_active(qtbot, window)
    return window


def test_social_worker_journey_on_sqlite_and_postgresql(
    qtbot: Any, postgres_window: MainWindow, dialog_log: DialogLog
) -> None:
    window = postgres_window
    reference = case_with_flag(window, "first_meeting_due")
    view = open_from_list(qtbot, window, reference)
    form = view.add_event("pre_proceedings_meeting")
    form.date.set_value(TODAY)
    press_save(qtbot, form)
    assert "Pre-proceedings meeting" in column_texts(view.chronology.table, ChronologyModel.WHAT)
    assert "First pre-proceedings meeting not held" not in flag_titles(view)
    # A stale edit is refused on this database too.
    row = column_texts(view.chronology.table, ChronologyModel.WHAT).index("Pre-proceedings meeting")
    view.chronology.table.selectRow(row)
    form = view.edit_chronology()
    original = form.original
    window.ctx.cases.save_event(reference, _replace(original, date=TODAY - dt.timedelta(days=1)))
    form.date.set_value(TODAY - dt.timedelta(days=2))
    form.save_button.click()
    assert "changed by someone else" in form.message.text()
    form.reject()
    assert dialog_log.errors == []


def test_f5_shows_what_others_changed(qtbot: Any, window_as: Any, demo_url: Any) -> None:
    window = window_as(SOCIAL_WORKER)
    reference = case_with_flag(window, "review_due")
    view = window.open_case(reference)
    rows = view.chronology.model.rowCount()
    other = open_app(demo_url, username=MANAGER)
    try:
        other.cases.save_event(reference, Event("review_meeting", TODAY))
        created = other.cases.create(
            _header("PLO-ELSEWHERE-1"), [_child("Leo Marsh", dt.date(2019, 2, 3))]
        )
    finally:
        other.close()
    qtbot.keyClick(view.chronology.table, Qt.Key.Key_F5)
    assert view.chronology.model.rowCount() == rows + 1
    window.show_cases()
    assert window.case_list.model.find(created.reference) is None
    qtbot.keyClick(window.case_list.table, Qt.Key.Key_F5)
    assert window.case_list.model.find(created.reference) is not None


def _header(reference: str) -> Any:
    from plo_tracker.services.cases import CaseHeader

    return CaseHeader(reference=reference, team="Case Management 2", social_worker="Megan Hughes")


def _child(name: str, born: dt.date) -> Any:
    from plo_tracker.domain.model import Child

    return Child(name=name, date_of_birth=born)


def test_forms_start_in_the_first_field_and_tab_reaches_save_last(
    qtbot: Any, window_as: Any
) -> None:
    window = window_as(SOCIAL_WORKER)
    view = window.open_case(case_with_flag(window, "first_meeting_due"))
    form = view.add_child()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form, timeout=2000)
    assert QApplication.focusWidget() is form.name
    order = form.fields_in_tab_order()
    assert order[0] is form.name
    assert form.la_id in order
    assert form.name.nextInFocusChain() is not form.save_button
    widget = order[-1]
    assert widget.nextInFocusChain() is form.save_button
    assert form.save_button.nextInFocusChain() is form.cancel_button
    form.reject()
