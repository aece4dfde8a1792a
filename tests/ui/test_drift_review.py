"""The team manager's drift review, driven through the real widgets on a real database."""

from __future__ import annotations

import csv
import datetime as dt
import stat
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from plo_tracker.app import AppContext
from plo_tracker.services.base import today
from plo_tracker.services.demo_setup import DemoSetupService
from plo_tracker.services.review_board import EXPORT_HEADERS, ReviewRow
from plo_tracker.services.users import find_actor
from ui import dialogs, formats
from ui.models.drift import DriftFilterProxy, DriftReviewModel
from ui.widgets.bar_chart import BarChart
from ui.widgets.drift_review import DriftReviewWidget, ReviewDialog


def as_user(app: AppContext, username: str) -> AppContext:
    return AppContext(db=app.db, actor=find_actor(app.db, username))


@pytest.fixture
def demo(app: AppContext) -> AppContext:
    """A demo database (SQLite and PostgreSQL), opened by its administrator."""
    DemoSetupService(app.db, app.actor).fill(count=40)
    return app


@pytest.fixture
def sqlite_demo(sqlite_app: AppContext) -> AppContext:
    DemoSetupService(sqlite_app.db, sqlite_app.actor).fill(count=40)
    return sqlite_app


def make_widget(qtbot, ctx: AppContext) -> DriftReviewWidget:
    widget = DriftReviewWidget(ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    return widget


def cell(widget: DriftReviewWidget, row: int, column: int) -> str:
    return str(widget.proxy.index(row, column).data())


def find_row(widget: DriftReviewWidget, **wanted: object) -> int:
    for number in range(widget.proxy.rowCount()):
        row = widget.proxy.row_at(number)
        if all(getattr(row, key) == value for key, value in wanted.items()):
            return number
    raise AssertionError(f"no row with {wanted}")


def open_review(qtbot, widget: DriftReviewWidget, number: int) -> ReviewDialog:
    widget.table.selectRow(number)
    assert widget.review_button.isEnabled()
    qtbot.mouseClick(widget.review_button, Qt.MouseButton.LeftButton)
    dialog = widget.dialog
    assert isinstance(dialog, ReviewDialog) and dialog.isVisible()
    return dialog


# -- the manager's journey ---------------------------------------------------------------------


def test_manager_sees_team_flags_most_overdue_first_and_records_a_review(qtbot, demo) -> None:
    manager = as_user(demo, "ann.wright")
    widget = make_widget(qtbot, manager)
    rows = widget.visible_rows()
    assert rows, "the demo data gives every team some flags"
    assert {r.team for r in rows} == {"Case Management 1"}
    assert widget.team_combo.currentText() == "Case Management 1"
    assert not widget.team_combo.isEnabled()
    urgency = [r.urgency for r in rows]
    assert urgency == sorted(urgency, reverse=True), "most overdue first"
    first = rows[0]
    assert cell(widget, 0, DriftReviewModel.CASE) == first.case
    assert cell(widget, 0, DriftReviewModel.LATE) == first.lateness
    assert widget.summary.text().startswith(f"{len(rows)} flag(s) on ")

    number = next(i for i, r in enumerate(rows) if r.reviewed_on is None and r.overdue)
    target = rows[number]
    dialog = open_review(qtbot, widget, number)
    # Checked as the user types: the rationale is required (said as a note of what is
    # still needed until the manager starts typing, never as an error before).
    assert not dialog.save_button.isEnabled()
    assert dialog.problem.text() == "Still needed before saving: Rationale."
    assert dialog.save_button.toolTip() == "Rationale: must not be empty."
    qtbot.keyClicks(dialog.rationale, "Assessment delayed by the provider; agreed in supervision.")
    assert dialog.save_button.isEnabled()
    assert dialog.problem.text() == ""
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    # The list shows who reviewed it and when, and the row stays selected.
    reviewed = widget.selected_row()
    assert reviewed is not None and (reviewed.case, reviewed.rule) == (target.case, target.rule)
    number = widget.table.selectionModel().selectedRows()[0].row()
    expected = f"Ann Wright, {formats.short_date(today())}"
    assert cell(widget, number, DriftReviewModel.REVIEWED) == expected
    assert "Review recorded for" in widget.status.text()
    assert "by Ann Wright on" in widget.status.text()
    assert "Reviewed: by Ann Wright on" in widget.details.text()
    # ... and the core holds it.
    records = manager.flags.reviews(target.case)
    assert any(r.rule == target.rule and r.reviewed_by == "ann.wright" for r in records)


def test_extension_needs_a_later_date(qtbot, sqlite_demo) -> None:
    manager = as_user(sqlite_demo, "ann.wright")
    widget = make_widget(qtbot, manager)
    number = find_row(widget, reviewed_on=None)
    target = widget.proxy.row_at(number)
    dialog = open_review(qtbot, widget, number)
    qtbot.keyClicks(dialog.rationale, "More time for the parenting assessment.")
    # Only the pre-proceedings period is extended; any other flag's delay is accepted
    # until a date (which is checked the same way).
    extend = target.rule == "duration_exceeded"
    assert dialog.extend_choice.isVisible() == extend
    if extend:
        dialog.extend_choice.setChecked(True)
        assert dialog.until.check.isChecked(), "an extension needs its date"
    else:
        dialog.until.check.setChecked(True)
    dialog.until.date.set_value(today())
    assert not dialog.save_button.isEnabled()
    assert "is not after today" in dialog.problem.text()
    assert dialog.save_button.toolTip() == dialog.problem.text()
    until = today() + dt.timedelta(weeks=3)
    dialog.until.date.set_value(until)
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert "extension agreed to" in widget.status.text() or "until" in widget.status.text()
    records = manager.flags.reviews(target.case)
    decision = "extend" if extend else "accept"
    assert any(r.decision == decision and r.until == until for r in records)


def test_review_refused_when_the_flag_was_resolved_meanwhile(qtbot, sqlite_demo) -> None:
    """The save is refused with the service's message, and nothing is recorded."""
    admin = sqlite_demo
    widget = make_widget(qtbot, admin)
    number = find_row(widget, rule="action_overdue")
    target = widget.proxy.row_at(number)
    dialog = open_review(qtbot, widget, number)
    qtbot.keyClicks(dialog.rationale, "Accepted.")
    # Someone else completes the plan action while the dialog is open.
    worker = as_user(sqlite_demo, "megan.hughes")
    case = worker.cases.get(target.case)
    action_id = int(str(target.item).split(":")[1])
    action = next(a for a in case.plan_actions if a.id == action_id)
    worker.cases.save_action(case.reference, replace(action, completed=today()))

    before = len(admin.flags.reviews(target.case))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible(), "the dialog stays open to explain"
    assert "it may have been resolved or reviewed by someone else" in dialog.problem.text()
    assert "Nothing was recorded" in dialog.problem.text()
    assert len(admin.flags.reviews(target.case)) == before
    dialog.reject()


def test_social_worker_is_not_offered_the_review(qtbot, sqlite_demo) -> None:
    worker = as_user(sqlite_demo, "megan.hughes")
    widget = make_widget(qtbot, worker)
    assert widget.review_button.isHidden()
    assert widget.csv_button.isVisible(), "everyone may export the list they see"
    widget.table.selectRow(0)
    assert widget.review_selected() is None
    assert widget.status.text() == (
        "A social worker may not review drift flags; ask a team manager."
    )


def test_administrator_filters_by_team_and_charts_follow(qtbot, sqlite_demo) -> None:
    widget = make_widget(qtbot, sqlite_demo)
    teams = [widget.team_combo.itemText(i) for i in range(widget.team_combo.count())]
    assert teams[0] == "All teams" and "Case Management 2" in teams
    everything = widget.visible_rows()
    assert len({r.team for r in everything}) > 1
    all_weeks = widget.weeks_chart.total()
    widget.team_combo.setCurrentIndex(teams.index("Case Management 2"))
    shown = widget.visible_rows()
    assert shown and {r.team for r in shown} == {"Case Management 2"}
    assert widget.rules_chart.total() == len(shown)
    assert widget.weeks_chart.total() < all_weeks
    qtbot.keyClicks(widget.search, shown[0].case)
    assert {r.case for r in widget.visible_rows()} == {shown[0].case}
    widget.hide_reviewed.setChecked(True)
    assert all(r.reviewed_on is None for r in widget.visible_rows())


def test_opening_a_case_from_the_list(qtbot, sqlite_demo) -> None:
    widget = make_widget(qtbot, as_user(sqlite_demo, "ann.wright"))
    widget.table.selectRow(0)
    with qtbot.waitSignal(widget.open_case) as signal:
        qtbot.mouseClick(widget.open_button, Qt.MouseButton.LeftButton)
    assert signal.args == [widget.proxy.row_at(0).case]


# -- exports ------------------------------------------------------------------------------------


def test_export_csv_and_xlsx_read_back(qtbot, demo, tmp_path: Path, monkeypatch) -> None:
    manager = as_user(demo, "ann.wright")
    # A value a spreadsheet would run as a formula must stay text (even as a person's name).
    demo.users.add("formula", "=HYPERLINK(1)", "social_worker", "Case Management 1")
    case = manager.cases.get(manager.flags.flagged(team="Case Management 1")[0].flag.case)
    from plo_tracker.services.cases import CaseHeader

    manager.cases.update_header(
        CaseHeader(
            reference=case.reference,
            team=case.team,
            social_worker="=HYPERLINK(1)",
            team_manager=case.team_manager,
            legal_liaison=case.legal_liaison,
        ),
        case.version or 0,
    )
    widget = make_widget(qtbot, manager)
    shown = widget.visible_rows()
    answers = iter([tmp_path / "drift", tmp_path / "drift.xlsx"])

    def save_file_name(_parent: QWidget | None, _caption: str, suggested: Path, _f: str) -> Path:
        assert suggested.name.startswith("drift-review-case-management-1-")
        return next(answers)

    monkeypatch.setattr(dialogs, "save_file_name", save_file_name)
    qtbot.mouseClick(widget.csv_button, Qt.MouseButton.LeftButton)
    csv_path = tmp_path / "drift.csv"  # the suffix is added when the user leaves it off
    assert csv_path.exists()
    assert stat.S_IMODE(csv_path.stat().st_mode) == 0o600
    assert str(csv_path) in widget.status.text()
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    assert tuple(lines[0]) == EXPORT_HEADERS
    assert [line[0] for line in lines[1:]] == [r.case for r in shown]
    assert [line[5] for line in lines[1:]] == [r.due.isoformat() for r in shown]
    assert "'=HYPERLINK(1)" in {line[2] for line in lines[1:]}

    qtbot.mouseClick(widget.xlsx_button, Qt.MouseButton.LeftButton)
    xlsx_path = tmp_path / "drift.xlsx"
    assert stat.S_IMODE(xlsx_path.stat().st_mode) == 0o600
    sheet = load_workbook(xlsx_path).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == EXPORT_HEADERS
    assert [v[0] for v in values[1:]] == [r.case for r in shown]
    assert [v[5].date() for v in values[1:]] == [r.due for r in shown]
    assert [v[6] for v in values[1:]] == [r.days_overdue for r in shown]
    assert "=HYPERLINK(1)" in {v[2] for v in values[1:]}
    formulas = [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    trail = demo.audit.recent(limit=5)
    assert [e.entity for e in trail[:2]] == ["drift_review", "drift_review"]


def test_export_cancelled_writes_nothing(qtbot, sqlite_demo, tmp_path: Path, monkeypatch) -> None:
    widget = make_widget(qtbot, as_user(sqlite_demo, "ann.wright"))
    monkeypatch.setattr(dialogs, "save_file_name", lambda *_args: None)
    assert widget.export_csv() is None
    assert list(tmp_path.glob("*.csv")) == []


def test_export_problem_is_shown_plainly(qtbot, sqlite_demo, tmp_path: Path, monkeypatch) -> None:
    widget = make_widget(qtbot, as_user(sqlite_demo, "ann.wright"))
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "save_file_name", lambda *_a: tmp_path / "missing" / "x.csv")
    monkeypatch.setattr(dialogs, "show_error", lambda _p, title, text: shown.append((title, text)))
    assert widget.export_csv() is None
    assert shown == [("Export not saved", f"The folder {tmp_path / 'missing'} does not exist.")]


# -- models and chart ---------------------------------------------------------------------------


def sample_rows() -> list[ReviewRow]:
    day = dt.date(2026, 3, 2)
    return [
        ReviewRow(
            "PLO-1",
            "Team A",
            "Tom",
            "Ann",
            "letter_due",
            "Letter",
            None,
            "overdue",
            day,
            12,
            0,
            "late",
        ),
        ReviewRow(
            "PLO-2",
            "Team B",
            "Priya",
            "Ann",
            "review_due",
            "Review",
            None,
            "due_soon",
            day + dt.timedelta(days=20),
            0,
            3,
            "soon",
            "Ann Wright",
            day,
            None,
        ),
        ReviewRow(
            "PLO-3",
            "Team A",
            "Sam",
            "Ann",
            "action_overdue",
            "Action",
            "action:4",
            "overdue",
            day + dt.timedelta(days=5),
            7,
            0,
            "late",
            "Ann Wright",
            day,
            day + dt.timedelta(days=30),
        ),
    ]


def test_models_pass_the_model_tester(qtmodeltester) -> None:
    model = DriftReviewModel()
    model.set_rows(sample_rows())
    qtmodeltester.check(model)
    proxy = DriftFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(DriftReviewModel.LATE, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy)
    assert [proxy.row_at(i).case for i in range(3)] == ["PLO-1", "PLO-3", "PLO-2"]
    proxy.sort(DriftReviewModel.REVIEWED, Qt.SortOrder.AscendingOrder)
    assert proxy.row_at(2).case == "PLO-1", "unreviewed rows sort last"
    proxy.set_filter(team="Team A", hide_reviewed=True)
    qtmodeltester.check(proxy)
    assert proxy.visible_rows() == [sample_rows()[0]]
    empty = DriftReviewModel()
    qtmodeltester.check(empty)


def test_bar_chart_draws_and_describes_itself(qtbot) -> None:
    chart = BarChart("Flags by rule")
    qtbot.addWidget(chart)
    chart.set_data([("Letter", 3), ("Review", 0), ("Action", 5)], highlighted=[2])
    chart.resize(chart.sizeHint())
    chart.show()
    assert chart.accessibleDescription() == "Letter: 3; Review: 0; Action: 5"
    assert chart.total() == 8
    image = chart.grab().toImage()
    assert not image.isNull() and image.width() > 100
    red = chart.highlight_colour.rgb()
    found = {image.pixel(x, y) for x in range(image.width()) for y in range(image.height())}
    assert red in found, "the highlighted bar is drawn in its colour"
    chart.set_data([])
    assert chart.accessibleDescription() == "Nothing to show."


# -- through the real main window, started the way plo-tracker starts ---------------------------


def tab_texts(window) -> list[str]:
    return [window.tabs.tabText(i) for i in range(window.tabs.count())]


def test_manager_journey_in_the_main_window(qtbot, window_as, dialog_log, tmp_path) -> None:
    window = window_as("ann.wright")
    review = window.drift_review
    assert isinstance(review, DriftReviewWidget)
    assert "&Drift review" in tab_texts(window)
    window.tabs.setCurrentWidget(review)
    rows = review.visible_rows()
    number = next(i for i, r in enumerate(rows) if r.reviewed_on is None)
    target = rows[number]

    dialog = open_review(qtbot, review, number)
    qtbot.keyClicks(dialog.rationale, "Discussed with the worker; the plan is on track.")
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClick(dialog.rationale, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible()
    number = review.table.selectionModel().selectedRows()[0].row()
    assert cell(review, number, DriftReviewModel.REVIEWED).startswith("Ann Wright, ")

    # F5 reloads what is on screen; the review is still there.
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert review.select(target.case, target.rule, target.item)
    number = review.table.selectionModel().selectedRows()[0].row()
    assert cell(review, number, DriftReviewModel.REVIEWED).startswith("Ann Wright, ")

    # Export for the performance meeting.
    dialog_log.save_path = tmp_path / "team.csv"
    qtbot.mouseClick(review.csv_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "team.csv").exists()
    assert dialog_log.errors == []

    # Open the case from the list.
    qtbot.mouseClick(review.open_button, Qt.MouseButton.LeftButton)
    view = window.current_case_view()
    assert view is not None and view.reference == target.case


def test_social_worker_window_offers_no_drift_review(window_as) -> None:
    window = window_as("megan.hughes")
    assert window.drift_review is None
    assert "&Drift review" not in tab_texts(window)


# -- never a false all-clear ---------------------------------------------------------------------


def test_an_empty_list_says_what_was_checked_never_a_bare_all_clear(qtbot, demo) -> None:
    """A manager whose team has no cases (a team added with a typo, say) would see an empty
    list: the summary says no case belongs to that team, not "nothing is overdue"."""
    from plo_tracker.services.teams import TeamService
    from plo_tracker.services.users import UserService

    TeamService(demo.db, demo.actor).add("Case Managment 1")
    UserService(demo.db, demo.actor).add("jo.typo", "Jo Typo", "team_manager", "Case Managment 1")
    widget = make_widget(qtbot, as_user(demo, "jo.typo"))
    assert widget.visible_rows() == []
    text = widget.summary.text()
    assert text.startswith("Nothing to check: no case in this database belongs to Case Managment 1")
    assert "nothing is overdue" not in text

    # The real team: the summary names how many open cases the flags are among.
    manager = make_widget(qtbot, as_user(demo, "ann.wright"))
    coverage = manager.board.coverage("Case Management 1")
    assert coverage.open > 0
    summary = manager.summary.text()
    assert f" of the {coverage.open} open case(s) of Case Management 1: " in summary, summary

    # A filter that hides every flag says so, with how many it hides.
    shown = len(manager.visible_rows())
    qtbot.keyClicks(manager.search, "zzzz")
    assert manager.visible_rows() == []
    assert manager.summary.text() == (
        f"No flag matches the filter: {shown} flag(s) of Case Management 1 are hidden by it. "
        "Clear the filter to see them."
    )
