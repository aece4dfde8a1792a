"""The timeliness report's CP plan figures: weeks from the current CP plan to the legal
planning meeting (median, range), and the two national indicators."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from plo_tracker.app import AppContext
from plo_tracker.domain.model import Child
from plo_tracker.domain.policy import Policy
from plo_tracker.domain.watch import CpPlan
from plo_tracker.domain.working_days import WorkingCalendar
from plo_tracker.reports.cp_plan_figures import LONG, REPEAT, TO_MEETING, indicators, with_cp_plans
from plo_tracker.reports.timeliness import timeliness_report
from tests.builders import D, add_staff, case, ev


def child(la: str) -> Child:
    return Child(name="Amelia Jones", date_of_birth=D("2019-05-14"), la_child_id=la)


CASES = [
    case(
        ev("legal_planning_meeting", "2026-05-01", outcome="pre_proceedings"),
        reference="A",
        children=(child("LA1"), child("LA2")),
    ),
    case(
        ev("legal_planning_meeting", "2026-06-01", outcome="pre_proceedings"),
        reference="B",
        children=(child("LA3"),),
    ),
    case(
        ev("legal_planning_meeting", "2026-07-01", outcome="pre_proceedings"),
        reference="C",
        children=(child("LA4"),),
    ),  # no CP plan: left out
    case(
        ev("legal_planning_meeting", "2026-07-01", outcome="pre_proceedings"),
        reference="D",
        children=(child("LA5"),),
    ),  # the plan ended before the meeting
]
PLANS = [
    CpPlan("LA1", D("2026-03-06"), None, 0),  # 8 weeks before A's meeting
    CpPlan("LA2", D("2026-01-30"), None, 1),  # 13 weeks: A counts its longest-waiting child
    CpPlan("LA2", D("2025-01-01"), D("2025-06-01"), 0),  # an earlier plan, not current
    CpPlan("LA3", D("2026-05-04"), None, 0),  # 4 weeks before B's
    CpPlan("LA5", D("2025-01-01"), D("2026-06-30"), 0),
    CpPlan("LA9", D("2024-04-01"), D("2026-04-01"), 2),  # ended, lasted exactly 2 years
    CpPlan("LA8", D("2025-04-02"), D("2026-05-01"), None),  # ended, 13 months; count unknown
]


def report():  # type: ignore[no-untyped-def]
    base = timeliness_report(
        CASES, Policy(), WorkingCalendar(), D("2026-04-01"), D("2026-09-30"), D("2026-11-25")
    )
    return with_cp_plans(base, CASES, PLANS)


def test_weeks_from_the_current_plan_to_the_meeting_median_and_range() -> None:
    duration = report().council.duration(TO_MEETING)
    assert duration.cases == ("A", "B")
    assert (duration.median_weeks, duration.longest_weeks, duration.longest_case) == (
        8.5,
        13.0,
        "A",
    )
    assert duration.label.endswith("(range 4.0 to 13.0)")
    team = report().teams[0].duration(TO_MEETING)
    assert team.cases == ("A", "B")


def test_the_two_national_indicators() -> None:
    council = report().council
    repeat, long = council.figure(REPEAT), council.figure(LONG)
    # Started in the range (April to September) with a known count: LA3 only.
    assert (repeat.count, repeat.denominator, repeat.cases) == (0, 1, ())
    wider = indicators(PLANS, D("2026-01-01"), D("2026-09-30"))[0]  # LA1, LA2 (second), LA3
    assert (wider.count, wider.denominator, wider.cases) == (1, 3, ("LA2",))
    # Ended in the range: LA9 (2 years to the day), LA8 (13 months); LA5 ended 30 June too.
    assert (long.count, long.denominator, long.cases) == (1, 3, ("LA9",))
    assert [f.key for f in indicators(PLANS, D("2027-01-01"), D("2027-03-31"))] == [REPEAT, LONG]
    # Teams and workers carry the weeks, not the council-wide indicators.
    assert REPEAT not in {f.key for f in report().teams[0].figures}


def test_the_report_shows_them_once_plans_are_imported(app: AppContext, tmp_path: Path) -> None:
    staff = add_staff(app)
    app.exchange.import_cases(
        [
            case(
                ev("legal_planning_meeting", "2026-05-01", outcome="pre_proceedings"),
                reference="PLO-R-1",
                children=(child("LA1"),),
                social_worker=staff["social_worker"],
            )
        ]
    )
    before = app.reports.timeliness(D("2026-04-01"), D("2026-09-30"))
    assert REPEAT not in {f.key for f in before.council.figures}
    path = tmp_path / "return.xml"
    path.write_text(
        "<Message><Header><CollectionDetails><Collection>CIN</Collection>"
        "<ReferenceDate>2027-03-31</ReferenceDate></CollectionDetails></Header><Children>"
        "<Child><ChildIdentifiers><LAchildID>LA1</LAchildID></ChildIdentifiers><CINdetails>"
        "<ChildProtectionPlans><CPPstartDate>2026-03-06</CPPstartDate>"
        "<NumberOfPreviousCPP>1</NumberOfPreviousCPP></ChildProtectionPlans>"
        "</CINdetails></Child></Children></Message>"
    )
    app.watch.import_return(path)
    after = app.reports.timeliness(D("2026-04-01"), D("2026-09-30"))
    assert after.council.duration(TO_MEETING).median_weeks == 8.0
    out = tmp_path / "report.csv"
    app.reports.export_timeliness(after, out)
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    labels = [r[2] for r in rows]
    assert any(
        label.startswith("Weeks from the start of the child's current CP plan") for label in labels
    )
    assert any("second or subsequent plan" in label for label in labels)
    assert app.reports.export_timeliness(after, tmp_path / "report.xlsx") == 1
