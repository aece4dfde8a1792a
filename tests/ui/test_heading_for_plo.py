"""Heading for PLO, driven through the real window on the demo database with the CP plans
of the demo's own CIN return: the list, the rule in a sentence, a review with a
rationale, starting a case with its legal planning meeting, and the start page's count."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from plo_tracker.app import open_app
from tests.reports.demo_return import demo_children, make_return
from tests.ui.conftest import LEGAL, MANAGER, SOCIAL_WORKER
from ui.models.watch import WatchModel

REFERENCE = dt.date(2027, 3, 31)


def import_demo_plans(demo_path: Path) -> list[Any]:
    from db.engine import sqlite_url

    ctx = open_app(sqlite_url(demo_path), username=MANAGER)
    try:
        census = ctx.reports.census(REFERENCE)
        made = make_return(demo_children(census.records, {}), REFERENCE, "999")
        path = demo_path.with_name("council-return.xml")
        path.write_bytes(made.data)
        ctx.watch.import_return(path)
        return ctx.watch.watch_list().items
    finally:
        ctx.close()


def column(widget: Any, number: int) -> list[str]:
    return [str(widget.proxy.index(r, number).data()) for r in range(widget.proxy.rowCount())]


def select(widget: Any, wanted: Any) -> None:
    for row in range(widget.proxy.rowCount()):
        if wanted(widget.proxy.row_at(row)):
            widget.table.selectRow(row)
            return
    raise AssertionError("no such row")


def test_a_manager_reviews_and_starts_a_case(qtbot, window_as, demo_path: Path) -> None:  # type: ignore[no-untyped-def]
    items = import_demo_plans(demo_path)
    assert items, "the demo return gives children heading for PLO"
    window = window_as(MANAGER)
    children = len({i.la_child_id for i in items})
    qtbot.waitUntil(lambda: window.heading_count.isVisible(), timeout=5000)
    assert window.heading_count.text().startswith(f"{children} child(ren) heading for PLO")
    page = window._screen("heading_for_plo")
    window.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.proxy.rowCount() == len(items), timeout=5000)
    assert sorted(column(page, WatchModel.CHILD)) == sorted(i.la_child_id for i in items)
    assert "return.xml" in page.held.text()

    # The rule of the selected item, in a sentence with the council's threshold.
    select(page, lambda i: i.rule == "cp_plan_long")
    assert page.rule.text().startswith("On a child protection plan a long time: A child has")
    assert "9 months" in page.rule.text()

    # A review with a rationale: refused empty, saved with one, shown in the list.
    item = page.selected()
    dialog = page.review_selected()
    dialog.save()
    assert "Rationale" in dialog.problem.text()
    dialog.rationale.setPlainText("Child protection conference next week will decide")
    assert dialog.save()
    assert page.status.text() == f"Review of {item.la_child_id} saved."
    page.select(item.la_child_id, item.rule)
    assert "Child protection conference next week will decide" in page.details.text()
    row = page.model.find(item.la_child_id, item.rule)
    assert page.model.index(row, WatchModel.REVIEWED).data().startswith("Ann Wright")
    page.hide_reviewed.setChecked(True)
    assert item.la_child_id not in [
        i.la_child_id for i in page.proxy.visible_rows() if i.rule == item.rule
    ]
    page.hide_reviewed.setChecked(False)

    # Start a case for a child no case holds, with the legal planning meeting.
    select(page, lambda i: i.case is None)
    child = page.selected().la_child_id
    assert page.start_button.isEnabled() and not page.open_button.isEnabled()
    form = page.start_case()
    assert form.la_id.text() == child
    form.reference.setText("PLO-WATCH-1")
    form.child_name.setText("Robin Example")
    if form.worker.currentText() == "":
        form.worker.setCurrentIndex(0)
    form.outcome.setCurrentIndex(form.outcome.findData("pre_proceedings"))
    assert form.save(), form.message.text()
    assert "PLO-WATCH-1" in window.case_views
    history = window.ctx.cases.get("PLO-WATCH-1")
    assert history.children[0].la_child_id == child
    assert [(e.type, e.outcome) for e in history.events] == [
        ("legal_planning_meeting", "pre_proceedings")
    ]
    # The meeting ends the child's items.
    assert child not in column(page, WatchModel.CHILD)


def test_legal_liaison_see_the_list_and_social_workers_do_not(
    qtbot, window_as, demo_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import_demo_plans(demo_path)
    legal = window_as(LEGAL)
    page = legal._screen("heading_for_plo")
    legal.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.proxy.rowCount() > 0, timeout=5000)
    assert not page.review_button.isVisible() and not page.start_button.isVisible()
    worker = window_as(SOCIAL_WORKER)
    assert worker._screen("heading_for_plo") is None
    assert not worker.heading_count.isVisible()


def test_the_reports_chart_the_weeks_from_cp_plan_to_meeting(
    qtbot, window_as, demo_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import_demo_plans(demo_path)
    window = window_as(MANAGER)
    widget = window.reports
    window.tabs.setCurrentWidget(widget)
    assert widget.report is not None
    index = widget.measure.findData("cp_plan_to_meeting")
    assert index >= 0, "offered once CP plans are imported"
    widget.measure.setCurrentIndex(index)
    assert widget.chart.title.startswith("Weeks from CP plan to meeting (median), by team")
    team = widget.report.teams[0]
    median = team.duration("cp_plan_to_meeting").median_weeks
    shown = "no cases" if median is None else f"{median:.1f} weeks"
    assert f"{team.name}" in widget.chart.accessibleDescription()
    assert shown in widget.chart.accessibleDescription()
    council = widget.report.council
    assert council.figure("cp_repeat_plans").label.startswith("CP plans started that are a second")


def test_before_any_import_the_page_says_what_to_do(qtbot, window_as) -> None:  # type: ignore[no-untyped-def]
    window = window_as(MANAGER)
    page = window._screen("heading_for_plo")
    window.tabs.setCurrentWidget(page)
    assert "No child protection plans are held yet" in page.held.text()
    assert "cp-plans import" in page.held.text()
    assert page.proxy.rowCount() == 0
    assert not page.review_button.isEnabled() and not page.start_button.isEnabled()
    qtbot.waitUntil(lambda: window.heading_count.isVisible(), timeout=5000)
    assert window.heading_count.text().startswith("No child is heading for PLO")


def test_a_manager_imports_the_return_from_the_window(  # type: ignore[no-untyped-def]
    qtbot, window_as, dialog_log, demo_path: Path
) -> None:
    from db.engine import sqlite_url

    ctx = open_app(sqlite_url(demo_path), username=MANAGER)
    try:
        census = ctx.reports.census(REFERENCE)
    finally:
        ctx.close()
    newer = demo_path.with_name("council-return.xml")
    newer.write_bytes(make_return(demo_children(census.records, {}), REFERENCE, "999").data)
    older = demo_path.with_name("last-years-return.xml")
    last_year = dt.date(2026, 3, 31)
    older.write_bytes(make_return(demo_children(census.records, {}), last_year, "999").data)

    window = window_as(MANAGER)
    page = window._screen("heading_for_plo")
    window.tabs.setCurrentWidget(page)
    assert page.importer.isVisible() and "No child protection plans" in page.held.text()
    dialog_log.open_path_value = newer
    qtbot.mouseClick(page.importer.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "council-return.xml" in page.held.text(), timeout=20_000)
    assert page.status.text().startswith("Imported council-return.xml:")
    assert page.proxy.rowCount() > 0 and page.importer.button.isEnabled()

    # An older return is imported only when the manager says to replace the newer one.
    dialog_log.open_path_value = older
    dialog_log.confirm_answer = False
    qtbot.mouseClick(page.importer.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Nothing was replaced" in page.status.text(), timeout=20_000)
    assert "older than the return held now" in dialog_log.confirms[-1][1]
    assert "council-return.xml" in page.held.text()
    dialog_log.confirm_answer = True
    qtbot.mouseClick(page.importer.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "last-years-return.xml" in page.held.text(), timeout=20_000)
    assert dialog_log.errors == []


def test_only_those_who_may_import_see_the_button(qtbot, window_as) -> None:  # type: ignore[no-untyped-def]
    page = window_as(LEGAL)._screen("heading_for_plo")
    assert page.importer.isHidden()
