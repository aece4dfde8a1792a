"""The Court section of a case and the case list's week of proceedings (issue 27), on
SQLite and PostgreSQL: what a manager sees for a case in proceedings and a concluded one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from plo_tracker import clock
from plo_tracker.domain.dates import long_date
from plo_tracker.domain.model import Booking
from tests.builders import case, ev
from tests.ui.conftest import MANAGER
from ui.models.cases import CaseListModel
from ui.models.court import CourtModel

TODAY = clock.today()
MANAGER_TEAM = "Case Management 1"


def ago(days: int) -> str:
    return (TODAY - dt.timedelta(days=days)).isoformat()


def court_cases() -> list[Any]:
    issued = TODAY - dt.timedelta(weeks=19) + dt.timedelta(days=1)  # week 19 today
    in_court = case(
        ev("legal_planning_meeting", ago(200), outcome="issue_proceedings"),
        ev(
            "proceedings_issued",
            issued.isoformat(),
            short_notice=True,
            short_notice_reason="immediate_safety",
        ),
        ev(
            "hearing",
            (issued + dt.timedelta(days=14)).isoformat(),
            kind="case_management",
            la_plan="care_order",
            plan_approved=True,
        ),
        ev("court_extension", ago(3), until=(issued + dt.timedelta(weeks=34)).isoformat()),
        reference="COURT-01",
        team="Case Management 1",  # the manager's team: her drift review counts it
        court_reference="ZW26C00042",
        scheduled=(
            Booking(
                type="hearing",
                date=TODAY + dt.timedelta(days=20),
                kind="issues_resolution",
                place="Family Court, Telford",
            ),
        ),
    )
    done = case(
        ev("legal_planning_meeting", ago(400), outcome="issue_proceedings"),
        ev("proceedings_issued", ago(300)),
        ev("hearing", ago(280), kind="case_management", la_plan="adoption", plan_approved=False),
        ev("hearing", ago(150), kind="final", la_plan="special_guardianship_order"),
        ev("proceedings_concluded", ago(150), order="special_guardianship_order"),
        reference="COURT-02",
        team=None,
        court_reference="ZW25C00007",
    )
    return [in_court, done]


def cells(model: Any) -> list[list[str]]:
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_the_court_tab_and_the_week_of_proceedings(qtbot: Any, app: Any, db_window: Any) -> None:
    app.exchange.import_cases(court_cases())
    window = db_window(MANAGER)
    window.case_list.scope.setCurrentIndex(window.case_list.scope.findData("all"))
    qtbot.waitUntil(lambda: window.case_list.model.find("COURT-01") is not None, timeout=10000)

    # The case list: the week of proceedings in the stage column.
    model = window.case_list.model
    row = model.find("COURT-01")
    assert model.index(row, CaseListModel.STAGE).data() == "In proceedings, week 19 of 34"
    done_row = model.find("COURT-02")
    assert model.index(done_row, CaseListModel.STAGE).data() == "Proceedings concluded"
    # "Only in pre-proceedings" leaves out the cases in care proceedings.
    assert "COURT-01" in window.case_list.visible_references()
    window.case_list.open_only.setChecked(True)
    assert "COURT-01" not in window.case_list.visible_references()
    window.case_list.open_only.setChecked(False)

    view = window.open_case("COURT-01")
    view.tabs.setCurrentWidget(view.court_page)
    assert view.tabs.tabText(view.tabs.indexOf(view.court_page)) == "Court ke&y dates (4)"
    deadline = TODAY - dt.timedelta(weeks=19) + dt.timedelta(days=1) + dt.timedelta(weeks=34)
    assert view.court_page.summary.text() == (
        "Court reference: ZW26C00042 · In proceedings, week 19 of 34 · Extended by the court "
        f"to {long_date(deadline)}"
    )
    rows = cells(view.court_page.proxy)
    assert [r[CourtModel.WHAT] for r in rows] == [
        "Proceedings issued",
        "Case management hearing",
        "Court extended the timetable",
        "Issues resolution hearing (booked)",
    ]
    assert rows[0][CourtModel.DETAILS] == "Short-notice application (immediate safety)"
    assert rows[1][CourtModel.PLAN] == "Care order (living away from home)"
    assert rows[1][CourtModel.APPROVED] == "Approved"
    assert rows[2][CourtModel.DETAILS] == f"To {long_date(deadline)}"
    assert rows[3][CourtModel.DETAILS] == "At Family Court, Telford"
    assert "Stage: In proceedings, week 19 of 34" in view.status_label.text()

    concluded = window.open_case("COURT-02")
    summary = concluded.court_page.summary.text()
    assert summary.startswith("Court reference: ZW25C00007 · Concluded on ")
    assert summary.endswith("21 weeks after issue; order: Special guardianship order")
    rows = cells(concluded.court_page.proxy)
    assert [r[CourtModel.WHAT] for r in rows] == [
        "Proceedings issued",
        "Case management hearing",
        "Final hearing",
        "Proceedings concluded",
    ]
    assert rows[1][CourtModel.APPROVED] == "Not approved"
    assert rows[2][CourtModel.APPROVED] == "Not recorded"
    assert rows[3][CourtModel.DETAILS] == "Order: Special guardianship order"
    assert rows[0][CourtModel.DETAILS] == "Short notice not recorded"

    # The manager's start page: her team's cases in care proceedings by week of 26.
    review = window.start_page()
    chart = dict(review.court_chart.items)
    expected = dict(review.board.court_weeks_chart(MANAGER_TEAM))
    assert chart == expected and chart["Weeks 14-20"] >= 1  # COURT-01, in week 19
    assert "Weeks 14-20: " in review.court_chart.accessibleDescription()
