"""Each census rule with a record that passes it and one that breaks it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from plo_tracker.reports.census import PreProceedingsRecord, reporting_year
from plo_tracker.reports.census_rules import RULES, check_duplicates, check_record, check_return
from tests.builders import D

YEAR = reporting_year(D("2027-03-31"))

# The specification's example block: stepped up to court.
GOOD = PreProceedingsRecord(
    case="PLO-1",
    child_position=1,
    child_name="Amelia Jones",
    la_child_id="LA0001",
    unborn=False,
    outcome="proceedings_issued",
    pp_start_date=D("2026-09-09"),
    lbp_sent_date=D("2026-09-20"),
    fgdm_meeting_offer=True,
    fgdm_meeting_fac=True,
    initial_pp_meeting_date=D("2026-09-28"),
    review_meetings_count=3,
    step_decision_date=D("2026-12-01"),
    pp_outcome="A",
    court_app_date=D("2026-12-18"),
    letter_init_cp_date=D("2027-02-05"),
    episode_end=D("2026-12-18"),
)
# Still open: only the start, the letter and the meeting so far.
OPEN = replace(
    GOOD,
    outcome="open",
    review_meetings_count=0,
    step_decision_date=None,
    pp_outcome="C",
    court_app_date=None,
    letter_init_cp_date=None,
)


def rules_broken(record: PreProceedingsRecord) -> set[str]:
    return {f.rule for f in check_record(record, YEAR)}


def test_the_good_records_pass_every_rule() -> None:
    assert check_record(GOOD, YEAR) == []
    assert check_record(OPEN, YEAR) == []
    later = replace(GOOD, case="PLO-2", pp_start_date=D("2027-01-04"), episode_end=None)
    assert check_duplicates([GOOD, later]) == []  # the same child in two cases, one after another
    assert check_return([GOOD]) == []


def test_reporting_year_runs_from_1_april_to_31_march() -> None:
    assert (YEAR.start, YEAR.end) == (D("2026-04-01"), D("2027-03-31"))
    with pytest.raises(ValueError, match="31 March"):
        reporting_year(D("2027-04-01"))


# (rule, a variant that passes, a variant that breaks it)
CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("9005", {"pp_start_date": D("2026-04-01")}, {"pp_start_date": D("2026-03-31")}),
    ("9005", {"pp_start_date": D("2026-09-09")}, {"pp_start_date": None}),
    ("9006", {"lbp_sent_date": D("2026-09-09")}, {"lbp_sent_date": D("2026-09-08")}),
    ("9006", {"lbp_sent_date": D("2027-03-31")}, {"lbp_sent_date": D("2027-04-01")}),
    (
        "9007",
        {"lbp_sent_date": None, "fgdm_meeting_offer": None, "fgdm_meeting_fac": None},
        {"fgdm_meeting_offer": None, "fgdm_meeting_fac": None},
    ),
    (
        "9007",
        {"lbp_sent_date": D("2026-09-20"), "fgdm_meeting_offer": False},
        {"lbp_sent_date": None},
    ),
    (
        "9008",
        {"initial_pp_meeting_date": D("2026-04-01")},
        {"initial_pp_meeting_date": D("2026-03-31")},
    ),
    ("9009", {"step_decision_date": D("2026-09-09")}, {"step_decision_date": D("2026-09-08")}),
    (
        "9009",
        {
            "step_decision_date": D("2027-03-31"),
            "court_app_date": None,
            "letter_init_cp_date": None,
        },
        {
            "step_decision_date": D("2027-04-02"),
            "court_app_date": None,
            "letter_init_cp_date": None,
        },
    ),
    ("9010Q", {"fgdm_meeting_offer": False, "fgdm_meeting_fac": None}, {"fgdm_meeting_fac": None}),
    ("9011", {"pp_outcome": "B"}, {"pp_outcome": None}),
    ("9011", {"pp_outcome": "C"}, {"pp_outcome": "D"}),
    ("9012", {"court_app_date": D("2026-12-01")}, {"court_app_date": D("2026-11-30")}),
    (
        "9012",
        {"court_app_date": D("2027-03-31"), "letter_init_cp_date": D("2027-03-31")},
        {"court_app_date": D("2027-04-01"), "letter_init_cp_date": D("2027-04-01")},
    ),
    ("9012", {"step_decision_date": D("2026-12-18")}, {"step_decision_date": None}),
    ("9013", {"letter_init_cp_date": D("2026-12-18")}, {"letter_init_cp_date": D("2026-12-17")}),
    (
        "9013",
        {"letter_init_cp_date": D("2027-03-31")},
        {"letter_init_cp_date": D("2027-04-01")},
    ),
    ("9013", {"letter_init_cp_date": None, "court_app_date": None}, {"court_app_date": None}),
    (
        "9015Q",
        {"initial_pp_meeting_date": None, "review_meetings_count": None},
        {"review_meetings_count": None},
    ),
    ("LAchildID", {"la_child_id": "X"}, {"la_child_id": None}),
    ("immediate_issue", {"immediate_issue": False}, {"immediate_issue": True}),
]


@pytest.mark.parametrize(("rule", "passing", "breaking"), CASES)
def test_each_rule_passes_and_breaks(
    rule: str, passing: dict[str, Any], breaking: dict[str, Any]
) -> None:
    assert rule not in rules_broken(replace(GOOD, **passing))
    findings = [f for f in check_record(replace(GOOD, **breaking), YEAR) if f.rule == rule]
    assert findings, f"rule {rule} did not fire"
    finding = findings[0]
    assert finding.severity == RULES[rule].severity
    assert finding.case == "PLO-1" and finding.child_position == 1
    assert finding.message.startswith("PLO-1: ") and f"(rule {rule})" in finding.message
    assert finding.blocks == (RULES[rule].severity == "error")


def test_severities() -> None:
    queries = {r.id for r in RULES.values() if r.severity == "query"}
    assert queries == {"9010Q", "9015Q", "9000Q", "immediate_issue", "two_cases_at_once"}
    assert {"9005", "9006", "9007", "9008", "9009", "9011", "9012", "9013"} <= set(RULES)


def test_an_episode_started_before_the_year_is_only_a_9005_finding() -> None:
    before = replace(GOOD, pp_start_date=D("2026-02-02"), lbp_sent_date=D("2026-02-05"))
    findings = check_record(before, YEAR)
    assert [f.rule for f in findings] == ["9005"]
    assert "data team" in findings[0].message and "not written" in findings[0].message


def test_outcome_rule_is_skipped_until_the_codes_are_set() -> None:
    unset = replace(GOOD, pp_outcome=None)
    assert "9011" in rules_broken(unset)
    assert check_record(unset, YEAR, check_outcome=False) == []


def test_messages_say_what_to_correct() -> None:
    (missing,) = check_record(replace(GOOD, la_child_id=None, unborn=True), YEAR)
    assert "Amelia Jones" in missing.message
    assert "unborn children are given one too" in missing.message
    (no_decision,) = check_record(replace(GOOD, step_decision_date=None), YEAR)
    assert "record the decision to issue" in no_decision.message
    (outcome,) = check_record(replace(GOOD, pp_outcome=None), YEAR)
    assert "census-settings set-outcome proceedings_issued" in outcome.message


def test_duplicate_ids() -> None:
    twin = replace(GOOD, child_position=2, child_name="Noah Jones")
    found = check_duplicates([GOOD, twin])
    assert [(f.rule, f.child_position) for f in found] == [("LAchildID", 1), ("LAchildID", 2)]
    # The same child in two episodes of one case: not a duplicate.
    assert check_duplicates([GOOD, replace(GOOD, episode=2)]) == []
    # The same ID in two cases with different dates of birth: two different children.
    one = replace(GOOD, date_of_birth=D("2019-05-14"))
    other = replace(
        GOOD, case="PLO-2", date_of_birth=D("2020-01-01"), pp_start_date=D("2027-01-04")
    )
    found = check_duplicates([one, other])
    assert {f.case for f in found} == {"PLO-1", "PLO-2"}
    assert "PLO-2" in found[0].message
    # The same child in two cases (same birth date, or unborn then): allowed.
    assert check_duplicates([one, replace(other, date_of_birth=D("2019-05-14"))]) == []
    assert check_duplicates([one, replace(other, date_of_birth=None, unborn=True)]) == []


def test_one_id_in_two_cases_running_at_once_is_a_query() -> None:
    """The same child in two cases one after the other is fine; at the same time, a query."""
    first = GOOD  # issued on 18 December 2026
    later = replace(
        OPEN,
        case="PLO-2",
        pp_start_date=D("2027-01-04"),
        lbp_sent_date=None,
        fgdm_meeting_offer=None,
        fgdm_meeting_fac=None,
        initial_pp_meeting_date=None,
        review_meetings_count=None,
    )
    assert check_duplicates([first, later]) == []
    at_once = replace(later, pp_start_date=D("2026-12-18"))
    found = check_duplicates([first, at_once])
    assert [(f.case, f.rule, f.severity) for f in found] == [
        ("PLO-1", "two_cases_at_once", "query"),
        ("PLO-2", "two_cases_at_once", "query"),
    ]
    assert "also in PLO-2 at the same time" in found[0].message
    assert not any(f.blocks for f in found)


def test_9000q_an_empty_return() -> None:
    (finding,) = check_return([])
    assert finding.rule == "9000Q" and finding.severity == "query" and finding.case is None
    assert check_return([replace(GOOD, pp_start_date=None)])[0].rule == "9000Q"
