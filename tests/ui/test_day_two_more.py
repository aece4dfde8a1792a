"""Issue 25, items 4 to 9: an accepted flag and an extension only of the pre-proceedings
period; what the command line sets, in the window; the council's template folder out of
reach; and the smaller things (a rename in the status bar, Recorded by, several letters
sent at once, Alt+U, no display, a long database path)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from plo_tracker.services.base import today
from tests.ui.conftest import LEGAL, MANAGER, SOCIAL_WORKER, DialogLog
from ui.main_window import MainWindow

WAIT_MS = 60_000


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
    assert page.extend_button.text() == "&Accept the delay until…"
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


def test_the_users_window_follows_an_import_made_while_it_is_open(
    qtbot: Any, app: Any, dialog_log: DialogLog
) -> None:
    from plo_tracker.app import AppContext
    from tests.ui.conftest import close_windows, show_active
    from tests.ui.test_teams_window import EXAMPLE

    window = MainWindow(AppContext(db=app.db, actor=app.actor), title="PLO Tracker – test")
    show_active(qtbot, window)
    try:
        dialog = window.show_users()
        qtbot.addWidget(dialog)
        before = dialog.model.rowCount()
        assert not dialog.waiting_note.isVisible()
        window.ctx.exchange.import_file(EXAMPLE)  # names its staff, not yet registered
        qtbot.waitUntil(lambda: dialog.model.rowCount() > before)
        assert dialog.waiting_note.isVisible()
        assert "not yet registered" in dialog.waiting_note.text()
        dialog.reject()
    finally:
        close_windows([window])


def test_saved_column_widths_never_cut_a_value_short(qtbot: Any, window_as: Any) -> None:
    from ui.models.cases import CaseListModel

    first: MainWindow = window_as(SOCIAL_WORKER)
    header = first.case_list.table.horizontalHeader()
    for column in range(header.count()):
        header.resizeSection(column, 30)  # as a width kept from an older version might be
    first.save_settings()
    window: MainWindow = window_as(SOCIAL_WORKER)
    table = window.case_list.table
    header = table.horizontalHeader()
    for column in (CaseListModel.NEXT_DUE, CaseListModel.STATUS, CaseListModel.REFERENCE):
        assert header.sectionSize(column) >= table.sizeHintForColumn(column), column
        assert header.sectionSize(column) >= header.sectionSizeHint(column), column


def test_a_long_chart_word_is_broken_at_its_hyphen_never_cut(qtbot: Any) -> None:
    from ui.widgets.bar_chart import BarChart

    chart = BarChart("Open cases by weeks")
    qtbot.addWidget(chart)
    label = "Weeks in pre-proceedings"
    chart.set_data([(label, 3), ("Other", 1)])
    metrics = chart.fontMetrics()
    narrow = metrics.horizontalAdvance("pre-proceedings") * 2  # 1280x720 at 150%: room is short
    chart.resize(narrow, 200)
    space = chart._label_space(narrow)
    lines = chart.label_lines(narrow)[0]
    assert "".join(x if x.endswith("-") else x + " " for x in lines).strip() == label
    drawn_width = max(space, int(narrow * 0.6))  # what the chart gives its labels at most
    assert all(metrics.horizontalAdvance(x) <= drawn_width for x in lines), lines
    if metrics.horizontalAdvance("pre-proceedings") > space:
        assert any(x.endswith("pre-") for x in lines) and "proceedings" in lines
    assert not chart.grab().isNull()


def test_the_worries_beside_the_flags_scroll_rather_than_being_cut(
    qtbot: Any, window_as: Any
) -> None:
    window: MainWindow = window_as(MANAGER)
    window.resize(1280, 720)
    target = window.drift_review.selected_row()
    view = window.open_flag(target.case, target.rule, target.item)
    qtbot.wait(50)
    worries = view.flags_page.worries
    area = view.flags_page.worries_area
    assert worries.text().startswith("What we are worried about")
    needed = worries.heightForWidth(worries.width())
    # Either the whole text is shown, or the area scrolls to it: never cut off.
    assert worries.height() >= needed
    assert area.verticalScrollBar().maximum() >= max(0, needed - area.viewport().height())
