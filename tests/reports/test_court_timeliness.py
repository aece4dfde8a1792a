"""The timeliness report's rows after issue (issue 27): care proceedings concluded within 26
weeks (count and %), weeks from issue to conclusion (median and range), orders by type."""

from __future__ import annotations

from plo_tracker.domain.policy import Policy
from plo_tracker.domain.working_days import WorkingCalendar
from plo_tracker.reports.timeliness import timeliness_report
from tests.builders import D, case, ev

CAL = WorkingCalendar()
FROM, TO, AS_OF = D("2025-01-01"), D("2025-12-31"), D("2026-11-25")


def issued_case(reference: str, start: str, issued: str, *extra):
    return case(
        ev("legal_planning_meeting", start, outcome="issue_proceedings"),
        ev("proceedings_issued", issued),
        *extra,
        reference=reference,
    )


# A: concluded exactly 26 weeks after issue (on time); care order.
A = issued_case(
    "A", "2025-02-03", "2025-02-10", ev("proceedings_concluded", "2025-08-11", order="care_order")
)
# B: extended, concluded 30 weeks after issue: late; special guardianship order.
B = issued_case(
    "B",
    "2025-03-03",
    "2025-03-10",
    ev("court_extension", "2025-09-01", until="2025-10-27"),
    ev("proceedings_concluded", "2025-10-06", order="special_guardianship_order"),
)
# C: concluded 26 weeks and a day after issue: late; care order.
C = issued_case(
    "C", "2025-04-01", "2025-04-07", ev("proceedings_concluded", "2025-10-07", order="care_order")
)
# D: still in proceedings at the end of the range.
D_CASE = issued_case("D", "2025-11-03", "2025-11-10")
# E: stepped down, never in court.
E = case(
    ev("legal_planning_meeting", "2025-05-05", outcome="pre_proceedings"),
    ev("stepped_down", "2025-06-02", to="child_in_need"),
    reference="E",
)
# F: started before the range: not in the cohort.
F = issued_case(
    "F", "2024-11-04", "2024-11-11", ev("proceedings_concluded", "2025-02-03", order="no_order")
)


POLICY = Policy()


def report(policy: Policy = POLICY):
    return timeliness_report([A, B, C, D_CASE, E, F], policy, CAL, FROM, TO, AS_OF).council


def test_concluded_within_26_weeks_count_and_percentage() -> None:
    figure = report().figure("concluded_within_26_weeks")
    assert figure.label == "Care proceedings concluded within 26 weeks of issue"
    assert (figure.count, figure.denominator, figure.percentage) == (1, 3, 33.3)
    assert figure.cases == ("A",)
    assert figure.shortfall == ("B", "C")
    assert figure.excluded == ("D",)


def test_the_council_can_count_another_length() -> None:
    figure = report(Policy(proceedings_weeks=31)).figure("concluded_within_26_weeks")
    assert (figure.count, figure.denominator) == (3, 3)
    assert figure.label == "Care proceedings concluded within 31 weeks of issue"


def test_weeks_from_issue_to_conclusion_median_and_range() -> None:
    duration = report().duration("weeks_issue_to_conclusion")
    assert duration.cases == ("A", "B", "C")
    # A 182 days (26.0 weeks), C 183 days (26.1), B 210 days (30.0).
    assert duration.median_weeks == 26.1
    assert (duration.shortest_weeks, duration.shortest_case) == (26.0, "A")
    assert (duration.longest_weeks, duration.longest_case) == (30.0, "B")
    data = duration.to_json()
    assert data["shortest_weeks"] == 26.0 and data["shortest_case"] == "A"


def test_orders_made_by_type() -> None:
    council = report()
    care = council.figure("order_care_order")
    assert care.label == "Order made: Care order (living away from home)"
    assert (care.count, care.denominator, care.cases) == (2, 3, ("A", "C"))
    sgo = council.figure("order_special_guardianship_order")
    assert (sgo.count, sgo.cases) == (1, ("B",))
    assert council.figure("order_no_order").count == 0  # F is not in the cohort


def test_no_court_case_gives_empty_rows() -> None:
    council = timeliness_report([E], Policy(), CAL, FROM, TO, AS_OF).council
    figure = council.figure("concluded_within_26_weeks")
    assert (figure.count, figure.denominator, figure.percentage) == (0, 0, None)
    assert council.duration("weeks_issue_to_conclusion").median_weeks is None


def test_as_of_before_the_conclusion_counts_the_case_as_still_in_proceedings() -> None:
    early = timeliness_report([A, B], Policy(), CAL, FROM, D("2025-09-30"), D("2025-09-30"))
    figure = early.council.figure("concluded_within_26_weeks")
    assert (figure.count, figure.denominator, figure.excluded) == (1, 1, ("B",))
    assert early.case("B").court.concluded is None
    assert early.case("A").to_json()["court"] == {
        "issued": "2025-02-10",
        "concluded": "2025-08-11",
        "order": "care_order",
        "extensions": 0,
        "days": 182,
    }


def test_the_matrix_and_the_cli_table_show_the_court_column() -> None:
    from plo_tracker.reports.export import MATRIX_HEADERS, fraction, matrix_rows

    council = report()
    (row,) = matrix_rows([council])
    value = row[MATRIX_HEADERS.index("Court in 26 weeks")]
    assert value == fraction(council.figure("concluded_within_26_weeks"))
    assert value == "1/3 (33.3%)"
