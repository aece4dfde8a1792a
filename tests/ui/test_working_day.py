"""Issue 13, item by item: the desktop client for a working day, on the real window."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from db.engine import sqlite_url
from plo_tracker import clock
from plo_tracker.app import open_app
from plo_tracker.domain import drift
from plo_tracker.permissions import Role
from plo_tracker.services.base import today
from tests.ui.conftest import LEGAL, MANAGER, SOCIAL_WORKER, DialogLog, show_active, start_args
from ui import app as ui_app
from ui import demo_process, formats
from ui.main_window import MainWindow
from ui.models.cases import CaseListModel
from ui.models.drift import DriftReviewModel
from ui.widgets.bar_chart import BarChart
from ui.widgets.forms import CaseDetailsForm, EventForm
from ui.widgets.review_dialog import ReviewDialog

TODAY = clock.today()


def texts(table: Any, column: int) -> list[str]:
    model = table.model()
    return [str(model.index(r, column).data()) for r in range(model.rowCount())]


# -- 1. my work first -------------------------------------------------------------------------


def test_each_person_starts_on_their_own_work(window_as: Any) -> None:
    worker = window_as(SOCIAL_WORKER)
    assert worker.tabs.currentWidget() is worker.case_list
    assert worker.case_list.scope.currentText() == "My cases"
    rows = worker.case_list.proxy.visible_rows()
    assert rows and {r.social_worker for r in rows} == {"Megan Hughes"}
    assert "(my cases)" in worker.case_list.count.text()

    manager = window_as(MANAGER)
    assert manager.tabs.currentWidget() is manager.drift_review
    assert "My team's drift" in [
        w.text() for w in manager.drift_review.findChildren(type(manager.who))
    ]
    assert {r.team for r in manager.drift_review.visible_rows()} == {"Case Management 1"}

    legal = window_as(LEGAL)
    todo = legal.letters_todo
    assert legal.tabs.currentWidget() is todo
    rows = todo.rows()
    assert rows, "the demo has letters due"
    assert all(r.due is not None or r.unsent for r in rows)
    assert rows == sorted(rows, key=lambda r: r.sort_key())
    assert "Letter before proceedings" in rows[0].what


def test_an_empty_start_page_says_whose_work_it_looked_for(window_as: Any, demo_path: Path) -> None:
    """A name spelt differently on the cases must not look like "no work today"."""
    admin = open_app(sqlite_url(demo_path), username=ui_app.DEMO_ADMIN)
    try:
        admin.users.add("megan.typo", "Megan Hughs", "social_worker", "Case Management 1")
    finally:
        admin.close()
    window = window_as("megan.typo")
    widget = window.case_list
    assert widget.scope.currentText() == "My cases"
    assert widget.proxy.rowCount() == 0
    total = widget.model.rowCount()
    assert widget.count.text() == (
        f"0 of {total} cases (my cases): no case names Megan Hughs as its social worker"
    )
    widget.scope.setCurrentIndex(widget.scope.findData("team"))
    assert widget.proxy.rowCount() > 0
    assert widget.count.text().startswith(f"{widget.proxy.rowCount()} of {total} cases")


def test_filters_sort_widths_and_size_are_kept_between_starts(qtbot: Any, window_as: Any) -> None:
    window = window_as(SOCIAL_WORKER)
    widget = window.case_list
    widget.scope.setCurrentIndex(widget.scope.findData("all"))
    widget.team.setCurrentIndex(widget.team.findText("Case Management 2"))
    widget.drifting.setChecked(True)
    qtbot.keyClicks(widget.search, "Case")
    widget.table.sortByColumn(CaseListModel.WEEKS, Qt.SortOrder.DescendingOrder)
    widget.table.horizontalHeader().resizeSection(CaseListModel.CHILDREN, 333)
    window.resize(701, 503)
    shown = widget.visible_references()
    window.close()

    again = window_as(SOCIAL_WORKER)
    widget = again.case_list
    assert widget.scope.currentData() == "all"
    assert widget.team.currentText() == "Case Management 2"
    assert widget.drifting.isChecked()
    assert widget.search.text() == "Case"
    header = widget.table.horizontalHeader()
    assert header.sortIndicatorSection() == CaseListModel.WEEKS
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert header.sectionSize(CaseListModel.CHILDREN) == 333
    assert (again.width(), again.height()) == (701, 503)
    assert widget.visible_references() == shown
    # ... and they are this person's: a colleague starts on her own defaults.
    manager = window_as(MANAGER)
    assert manager.case_list.search.text() == ""
    assert manager.case_list.scope.currentData() == "team"


def test_enter_in_the_search_box_opens_the_single_match(qtbot: Any, window_as: Any) -> None:
    window = window_as(SOCIAL_WORKER)
    reference = window.case_list.visible_references()[0]
    window.case_list.focus_search()
    qtbot.keyClicks(window.case_list.search, reference)
    qtbot.keyClick(window.case_list.search, Qt.Key.Key_Return)
    view = window.current_case_view()
    assert view is not None and view.reference == reference


# -- 2. never lose typing -----------------------------------------------------------------------


def test_a_form_with_changes_asks_before_closing(
    qtbot: Any, window_as: Any, dialog_log: DialogLog
) -> None:
    window = window_as(SOCIAL_WORKER)
    reference = window.case_list.visible_references()[0]
    view = window.open_case(reference)
    before = window.ctx.cases.get(reference)

    form = view.edit_details()
    assert isinstance(form, CaseDetailsForm)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    qtbot.keyClick(form, Qt.Key.Key_Escape)  # nothing typed: closes without asking
    assert not form.isVisible() and dialog_log.unsaved == []

    form = view.edit_details()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    qtbot.keyClicks(form.court, "ZW26C00123")
    dialog_log.unsaved_answer = "cancel"
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert form.isVisible(), "Cancel keeps the form and what was typed"
    assert form.court.text() == "ZW26C00123"
    assert dialog_log.unsaved == [f"Change case details – {reference}"]
    form.close()  # the window's close button asks too
    assert form.isVisible() and len(dialog_log.unsaved) == 2
    dialog_log.unsaved_answer = "discard"
    qtbot.mouseClick(form.cancel_button, Qt.MouseButton.LeftButton)
    assert not form.isVisible()
    assert window.ctx.cases.get(reference).court_reference == before.court_reference

    form = view.edit_details()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    qtbot.keyClicks(form.court, "ZW26C00123")
    dialog_log.unsaved_answer = "save"
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    assert not form.isVisible()
    assert window.ctx.cases.get(reference).court_reference == "ZW26C00123"


def test_closing_the_case_or_the_window_with_a_changed_form_asks(
    qtbot: Any, window_as: Any, dialog_log: DialogLog
) -> None:
    window = window_as(SOCIAL_WORKER)
    reference = window.case_list.visible_references()[0]
    view = window.open_case(reference)
    form = view.add_booking()
    qtbot.keyClicks(form.place, "Shirehall, room 2")
    dialog_log.unsaved_answer = "cancel"
    assert not window.close_case(reference)
    assert reference in window.case_views and form.isVisible()
    window.close()
    assert window.isVisible(), "the window stays open with the form"
    dialog_log.unsaved_answer = "discard"
    assert window.close_case(reference)
    assert reference not in window.case_views
    assert dialog_log.unsaved == [f"Book a meeting – {reference}"] * 3


def test_problems_show_once_a_field_is_touched_or_on_save(qtbot: Any, window_as: Any) -> None:
    window = window_as(SOCIAL_WORKER)
    view = window.open_case(window.case_list.visible_references()[0])
    form = view.add_event("fgc_declined")
    assert isinstance(form, EventForm)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    # Untouched: a grey note of what is still needed, never an error, at the field or above.
    assert form.message.text() == "Still needed before saving: Date, Reason."
    assert "8a1c1c" not in form.message.styleSheet()
    assert form.date.problem_label.isHidden()
    # Touch the date with something that is not a date: the error is at the field.
    form.date.edit.setFocus()
    qtbot.keyClicks(form.date.edit, "next week")
    form.reason.setFocus()  # leaving the field
    assert not form.date.problem_label.isHidden()
    assert "not a date PLO Tracker understands" in form.date.problem_label.text()
    assert form.message.text().startswith("Not ready to save. Date:")
    assert "Still needed: Reason." in form.message.text()
    # Save with Ctrl+S: everything still wrong is shown as an error.
    form.date.set_value(TODAY)
    qtbot.keyClick(form, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert form.isVisible()
    assert form.message.text().startswith("Not ready to save. Reason: must not be empty")
    form.discard()


# -- 3. one flow for a flag --------------------------------------------------------------------


def test_the_drift_review_opens_the_case_on_the_flag_and_it_is_reviewed_there(
    qtbot: Any, window_as: Any, dialog_log: DialogLog
) -> None:
    window = window_as(MANAGER)
    review = window.drift_review
    number = next(
        i for i, r in enumerate(review.visible_rows()) if r.reviewed_on is None and r.overdue
    )
    review.table.selectRow(number)
    target = review.selected_row()
    review.table.setFocus()
    qtbot.keyClick(review.table, Qt.Key.Key_Return)
    view = window.current_case_view()
    assert view is not None and view.reference == target.case
    assert view.tabs.currentWidget() is view.flags_page
    flag = view.flags_page.selected_flag()
    assert (flag.rule, flag.item) == (target.rule, target.item)
    # The whole explanation, word-wrapped, not a cut-off cell.
    detail = view.flags_page.detail
    assert detail.wordWrap() and target.message in detail.text()
    assert "Not reviewed by a manager yet." in detail.text()

    qtbot.keyClick(view.flags_table, Qt.Key.Key_Return)  # Enter: Review…
    dialog = view.form
    assert isinstance(dialog, ReviewDialog) and not dialog.extend_choice.isChecked()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClicks(dialog.rationale, "Agreed in supervision: the assessor is booked.")
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible()
    assert view.tabs.currentWidget() is view.flags_page
    assert "Delay accepted by Ann Wright on" in view.flags_page.detail.text()
    reviews = texts(view.reviews_table, 1)
    assert "Ann Wright" in reviews
    # Back on the drift review, it shows the review too.
    window.tabs.setCurrentWidget(review)
    row = review.model.find(target.case, target.rule, target.item)
    assert review.model.row_at(row).reviewed_by == "Ann Wright"


def test_review_buttons_say_why_they_are_off(window_as: Any) -> None:
    window = window_as(SOCIAL_WORKER)
    flagged = [r for r in window.case_list.model.rows() if r.overdue]
    view = window.open_case(flagged[0].reference)
    view.show_flag(flagged[0].overdue_rules[0])
    page = view.flags_page
    assert not page.review_button.isEnabled() and not page.extend_button.isEnabled()
    assert "may not review drift flags" in page.review_button.toolTip()
    assert page.reason.isVisible() and "may not review drift flags" in page.reason.text()
    # ... and a Change button with nothing selected says so.
    view.tabs.setCurrentWidget(view.children)
    view.children.table.clearSelection()
    assert view.children.edit_button.toolTip() == "Select an entry first."


# -- 4. nothing important cut off --------------------------------------------------------------


def test_chart_labels_are_whole_and_never_read_the_same(qtbot: Any) -> None:
    chart = BarChart("Flags by rule")
    qtbot.addWidget(chart)
    chart.resize(420, 300)
    chart.set_data(
        [
            (drift.RULES["fgc_referral_due"], 3),
            (drift.RULES["fgc_held_due"], 2),
            (drift.RULES["assessment_overdue"], 5),
        ]
    )
    drawn = [" ".join(lines) for lines in chart.label_lines(420)]
    assert drawn == [
        drift.RULES["fgc_referral_due"],
        drift.RULES["fgc_held_due"],
        drift.RULES["assessment_overdue"],
    ]
    assert len(set(drawn)) == 3 and not any("…" in text for text in drawn)
    assert max(len(lines) for lines in chart.label_lines(420)) >= 2, "long labels wrap"
    assert chart.heightForWidth(420) > chart.heightForWidth(2000)


def test_columns_fit_their_headings_and_long_cells_carry_their_text(window_as: Any) -> None:
    window = window_as(MANAGER)
    review = window.drift_review
    header = review.table.horizontalHeader()
    metrics = review.table.fontMetrics()
    until = DriftReviewModel.UNTIL
    assert header.sectionSize(until) >= metrics.horizontalAdvance("Accepted until")
    for column in range(DriftReviewModel.UNTIL):
        if review.table.isColumnHidden(column):
            continue
        title = DriftReviewModel.COLUMNS[column].title
        assert header.sectionSize(column) >= metrics.horizontalAdvance(title), title
    reports = window.reports
    window.tabs.setCurrentWidget(reports)
    table = reports.table
    rheader = table.horizontalHeader()
    for column in range(table.model().columnCount() - 1):
        title = str(table.model().headerData(column, Qt.Orientation.Horizontal))
        assert rheader.sectionSize(column) >= table.fontMetrics().horizontalAdvance(title), title
    # A long flag description is in the cell's tooltip, whole.
    row = review.model.row_at(0)
    index = review.model.index(0, DriftReviewModel.FLAG)
    assert review.model.data(index, Qt.ItemDataRole.ToolTipRole) == row.message


# -- 5. people's words --------------------------------------------------------------------------


def test_status_says_what_is_late_and_past_dates_say_late_since(window_as: Any) -> None:
    window = window_as(MANAGER)
    widget = window.case_list
    widget.scope.setCurrentIndex(widget.scope.findData("all"))
    rows = widget.model.rows()
    red = next(r for r in rows if r.status == "red")
    number = widget.model.find(red.reference)
    status = widget.model.index(number, CaseListModel.STATUS).data()
    assert re.fullmatch(r"\d+ overdue: [\w ,()-]+(; \d+ due soon)?", status), status
    assert status.startswith(f"{red.overdue} overdue: ")
    late = next(r for r in rows if r.is_late)
    number = widget.model.find(late.reference)
    assert widget.model.index(number, CaseListModel.NEXT_DUE).data() == (
        f"late since {formats.short_date(late.next_due)}"
    )
    assert "overdue" in widget.model.index(number, CaseListModel.STATUS).data()
    # The legend explains every colour the status column uses.
    assert set(widget.legend.texts()) >= {"Overdue", "Due soon", "On time", "Closed"}
    assert {formats.RAG_COLOURS[r.status].name() for r in rows} <= widget.legend.colours()


def test_a_new_case_is_not_started_not_closed(qtbot: Any, window_as: Any) -> None:
    window = window_as(SOCIAL_WORKER)
    form = window.new_case()
    qtbot.keyClicks(form.reference, "PLO-NEW-0001")
    qtbot.keyClicks(form.child_name, "Ruby Lane")
    form.child_date.set_value(dt.date(2021, 4, 5))
    assert form.save()
    view = window.current_case_view()
    assert view is not None and view.reference == "PLO-NEW-0001"
    # "Not started" (not yet in pre-proceedings), never the "Open" that also meant "in it".
    assert view.status_label.accessibleDescription().endswith("status Not started")
    text = view.status_label.text()
    assert ">Not started</span>" in text and "Closed" not in text
    number = window.case_list.model.find("PLO-NEW-0001")
    assert window.case_list.model.index(number, CaseListModel.STATUS).data() == "Not started"


# -- 6. a first start that explains itself -----------------------------------------------------


def test_an_empty_database_welcomes_its_first_user_as_administrator(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dialog_log: DialogLog
) -> None:
    started = ui_app.open_session(start_args(db=str(tmp_path / "new.db"), user="jo.bloggs"))
    assert started is not None
    try:
        window = MainWindow(started.ctx, title=started.title)
        show_active(qtbot, window)
        widget = window.case_list
        assert widget.stack.currentWidget() is widget.welcome
        assert widget.filters.isHidden(), "no empty table and '0 cases'"
        note = widget.welcome.admin_note
        assert note.isVisible() and "administrator" in note.text()
        assert "File → Users" in note.text()
        # The ways forward.
        qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: window.form is not None)
        assert isinstance(window.form, CaseDetailsForm)
        window.form.discard()
        dialog_log.open_path_value = None
        widget.welcome.import_button.click()  # asks for the file (the test answers: none)
        launched: list[bool] = []
        monkeypatch.setattr(demo_process, "launch_demo", lambda: launched.append(True) or True)
        widget.welcome.demo_button.click()
        assert launched == [True]
        assert demo_process.demo_command()[-1] == "--demo"
    finally:
        started.close()


def test_an_administrator_adds_users_and_changes_roles_in_the_window(
    qtbot: Any, tmp_path: Path, dialog_log: DialogLog
) -> None:
    ctx = open_app(sqlite_url(tmp_path / "team.db"), username="jo.bloggs", create=True)
    try:
        window = MainWindow(ctx, title="test")
        show_active(qtbot, window)
        assert window.users_action.isVisible()
        dialog = window.show_users()
        # Teams are records: the administrator adds the team first (Teams tab).
        dialog.tabs.setCurrentWidget(dialog.teams)
        team_form = dialog.teams.add_team()
        qtbot.keyClicks(team_form.name, "Case Management 3")
        assert team_form.save(), team_form.message.text()
        dialog.tabs.setCurrentIndex(0)
        form = dialog.add_user()
        assert not form.save_button.isEnabled()
        qtbot.keyClicks(form.username, "sam.patel")
        qtbot.keyClicks(form.name, "Sam Patel")
        form.role.setCurrentIndex(form.role.findData(Role.TEAM_MANAGER))
        form.team.setCurrentIndex(form.team.findData("Case Management 3"))
        assert form.save(), form.message.text()
        added = ctx.users.get("sam.patel")
        assert (added.display_name, added.role, added.team) == (
            "Sam Patel",
            Role.TEAM_MANAGER,
            "Case Management 3",
        )
        assert dialog.select("sam.patel")
        dialog_log.confirm_answer = True
        dialog.switch_user()
        assert not ctx.users.get("sam.patel").active
        assert "switched off" in dialog.status.text()
        # Nobody can switch themselves off.
        dialog.select("jo.bloggs")
        assert not dialog.switch_button.isEnabled()
        assert dialog.switch_button.toolTip() == "You cannot switch yourself off."
        dialog.reject()
    finally:
        ctx.close()


def test_users_is_only_for_administrators(window_as: Any) -> None:
    window = window_as(MANAGER)
    assert not window.users_action.isVisible()


# -- the flow on both databases -----------------------------------------------------------------


def test_start_page_status_and_a_flag_review_on_both_databases(
    qtbot: Any, db_window: Any, dialog_log: DialogLog
) -> None:
    window = db_window(MANAGER)
    review = window.drift_review
    assert window.tabs.currentWidget() is review
    target = review.selected_row()
    assert target is not None
    window.open_flag(target.case, target.rule, target.item)
    view = window.current_case_view()
    dialog = view.review_flag(view.flags_page.selected_flag(), extend=True)
    until = today() + dt.timedelta(weeks=2)
    dialog.until.date.set_text(until.strftime("%d/%m/%Y"))
    qtbot.keyClicks(dialog.rationale, "More time for the parenting assessment.")
    assert dialog.save()
    # Only the pre-proceedings period is extended; any other flag's delay is accepted.
    decision = "extend" if target.rule == "duration_exceeded" else "accept"
    assert any(
        r.decision == decision and r.until == until for r in window.ctx.flags.reviews(target.case)
    )
    statuses = [r.status_text() for r in window.case_list.model.rows()]
    assert all(not s.startswith("Overdue (") for s in statuses)
    assert dialog_log.errors == []
