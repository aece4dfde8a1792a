"""The family group decision-making duty in the timeliness report and the census.

The report's two rows and the census's N00828/N00829 are made from the same records as the
drift rules: the letters' ``fgdm_offered``, ``fgdm_not_offered``, ``fgdm_response`` and
``fgc_held``.
"""

from __future__ import annotations

from plo_tracker.domain.drift import evaluate
from plo_tracker.domain.policy import Policy
from plo_tracker.domain.working_days import WorkingCalendar
from plo_tracker.reports.census import episode_fields
from plo_tracker.reports.episode import Episode
from plo_tracker.reports.timeliness import timeliness_report
from tests.builders import D, case, ev, father, mother

CAL = WorkingCalendar()
DUTY = Policy(fgdm_duty_from=D("2026-01-05"))
FROM, TO = D("2026-01-01"), D("2026-12-31")
AS_OF = D("2026-09-30")
PARTIES = (mother(), father())


def start(day: str) -> object:
    return ev("legal_planning_meeting", day, outcome="pre_proceedings")


def letter(day: str, party: str, offered: bool | None) -> object:
    if offered is None:
        return ev("letter_before_proceedings", day, party=party)
    return ev("letter_before_proceedings", day, party=party, fgdm_offered=offered)


OFFERED = case(
    start("2026-03-02"),
    letter("2026-03-04", "mother", None),
    reference="A-OFFERED",
    parties=PARTIES,
)
NOT_OFFERED = case(
    start("2026-03-02"),
    letter("2026-03-04", "mother", False),
    letter("2026-03-04", "father", False),
    reference="B-NOT-OFFERED",
    parties=PARTIES,
)
DECIDED = case(
    start("2026-03-02"),
    letter("2026-03-04", "mother", False),
    ev("fgdm_not_offered", "2026-03-03", decided_by="Ann Wright", rationale="Not safe."),
    reference="C-DECIDED",
    parties=PARTIES,
)
BEFORE_DUTY = case(
    start("2026-01-01"),
    letter("2026-01-02", "mother", False),
    reference="D-BEFORE",
    parties=PARTIES,
)
ACCEPTED_HELD = case(
    start("2026-03-02"),
    letter("2026-03-04", "mother", True),
    ev("fgdm_response", "2026-03-06", party="mother", response="accepted"),
    ev("fgc_referral", "2026-03-06"),
    ev("fgc_held", "2026-04-10"),
    ev("decision_to_issue", "2026-05-01", decided_by="Ann Wright"),
    ev("proceedings_issued", "2026-05-05"),
    reference="E-HELD",
    parties=PARTIES,
)
ACCEPTED_NOT_HELD = case(
    start("2026-03-02"),
    letter("2026-03-04", "mother", True),
    ev("fgdm_response", "2026-03-06", party="mother", response="accepted"),
    ev("fgc_referral", "2026-03-06"),
    ev("decision_to_issue", "2026-05-01", decided_by="Ann Wright"),
    reference="F-NOT-HELD",
    parties=PARTIES,
)
ALL = (OFFERED, NOT_OFFERED, DECIDED, BEFORE_DUTY, ACCEPTED_HELD, ACCEPTED_NOT_HELD)


def test_the_rows_appear_only_once_the_duty_date_is_set() -> None:
    keys = [f.key for f in timeliness_report(ALL, Policy(), CAL, FROM, TO, AS_OF).council.figures]
    assert "fgdm_offered" not in keys and "fgdm_held_before_application" not in keys
    report = timeliness_report(ALL, DUTY, CAL, FROM, TO, AS_OF)
    keys = [f.key for f in report.council.figures]
    assert "fgdm_offered" in keys and "fgdm_held_before_application" in keys


def test_fgdm_offered_row() -> None:
    offered = timeliness_report(ALL, DUTY, CAL, FROM, TO, AS_OF).council.figure("fgdm_offered")
    assert offered.label.startswith("FGDM offered")
    assert offered.cases == ("A-OFFERED", "E-HELD", "F-NOT-HELD")
    assert offered.shortfall == ("B-NOT-OFFERED",)
    assert offered.excluded == ("C-DECIDED",)
    assert (offered.count, offered.denominator, offered.percentage) == (3, 4, 75.0)


def test_held_before_application_row() -> None:
    report = timeliness_report(ALL, DUTY, CAL, FROM, TO, AS_OF)
    held = report.council.figure("fgdm_held_before_application")
    assert held.label.startswith("FGDM held before application")
    assert held.cases == ("E-HELD",) and held.shortfall == ("F-NOT-HELD",)
    assert report.case("E-HELD").to_json()["fgdm"] == {
        "offer": "offered",
        "letter": "2026-03-04",
        "accepted": "2026-03-06",
        "decision": "2026-05-01",
        "held": "2026-04-10",
        "applied": "2026-05-05",
    }


def test_the_rows_agree_with_the_drift_rules() -> None:
    """A case in a row's shortfall is the one the matching drift rule flags."""
    flagged = {
        (f.case, f.rule)
        for c in ALL
        for f in evaluate(c, DUTY, CAL, AS_OF)
        if f.rule.startswith("fgdm_")
    }
    assert flagged == {
        ("B-NOT-OFFERED", "fgdm_offer_missing"),
        ("F-NOT-HELD", "fgdm_before_application"),
    }


def test_the_census_writes_the_offer_from_the_same_records() -> None:
    def fields(c):  # type: ignore[no-untyped-def]
        return episode_fields(Episode(c, AS_OF))

    assert fields(OFFERED)["fgdm_meeting_offer"] is True
    assert fields(NOT_OFFERED)["fgdm_meeting_offer"] is False
    assert fields(DECIDED)["fgdm_meeting_offer"] is False
    assert fields(ACCEPTED_HELD)["fgdm_meeting_fac"] is True
    assert fields(ACCEPTED_NOT_HELD)["fgdm_meeting_fac"] is False
