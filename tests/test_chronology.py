"""Chronologies that cannot be true are refused everywhere a record enters.

Each rule of ``plo_tracker.domain.chronology`` is checked three ways: the pure rule, an
import of a case file that breaks it (refused with the case, the JSON path and the rule,
nothing written), and a service save that would break it (refused, nothing written), on
SQLite and PostgreSQL. Unusual orders are warnings: listed by an import, and confirmed
before a save.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from plo_tracker import clock
from plo_tracker.app import AppContext
from plo_tracker.domain import chronology
from plo_tracker.domain.model import Assessment, CaseHistory, Event
from plo_tracker.errors import ChronologyError, ChronologyWarning, ExchangeError
from plo_tracker.exchange import case_to_json, parse_document
from tests.builders import D, case, ev, father, mother

TODAY = clock.today()

START = ev("legal_planning_meeting", "2024-02-05", outcome="pre_proceedings")
LETTER_M = ev("letter_before_proceedings", "2024-02-08", party="mother")
LETTER_F = ev("letter_before_proceedings", "2024-02-08", party="father")
MEETING = ev("pre_proceedings_meeting", "2024-02-20")
REVIEW = ev("review_meeting", "2024-04-02")


def base() -> CaseHistory:
    """A case whose chronology is right (every rule below breaks exactly one thing)."""
    return case(
        START,
        LETTER_M,
        LETTER_F,
        ev("fgc_referral", "2024-02-12"),
        MEETING,
        REVIEW,
        reference="PLO-CHRON-1",
        parties=(mother(), father()),
        assessments=(Assessment("Parenting assessment", D("2024-02-20"), D("2024-04-19")),),
    )


def with_events(*events: Event) -> CaseHistory:
    c = base()
    return replace(c, events=(*c.events, *events))


def without(kind: str, *extra: Event) -> CaseHistory:
    c = base()
    return replace(c, events=(*(e for e in c.events if e.type != kind), *extra))


# rule -> (the broken case, the JSON path of the offending record, words in the message)
ERROR_CASES: dict[str, tuple[Callable[[], CaseHistory], str, str]] = {
    "before_conception": (
        lambda: with_events(ev("fgc_held", "2017-01-02")),
        "events[6].date",
        "before this case could start",
    ),
    "before_legal_planning": (
        lambda: with_events(ev("letter_before_proceedings", "2024-02-01", party="mother")),
        "events[6].date",
        "before the case's first legal planning meeting",
    ),
    "meeting_before_letter": (
        lambda: with_events(ev("pre_proceedings_meeting", "2024-02-06")),
        "events[6].date",
        "before the first letter before proceedings",
    ),
    "review_before_first_meeting": (
        lambda: with_events(ev("review_meeting", "2024-02-15")),
        "events[6].date",
        "before the first pre-proceedings meeting",
    ),
    "issue_without_decision": (
        lambda: with_events(ev("proceedings_issued", "2024-05-01")),
        "events[6]",
        "has no decision to issue",
    ),
    "extension_ends_before_start": (
        lambda: with_events(
            ev(
                "extension_agreed",
                "2024-05-01",
                until="2024-05-01",
                decided_by="David Evans",
                rationale="More time for the assessment.",
            )
        ),
        "events[6].until",
        "not after the day it was agreed",
    ),
    "review_until_before_date": (
        lambda: with_events(
            ev(
                "management_oversight",
                "2024-05-01",
                until="2024-04-01",
                decided_by="David Evans",
                rationale="Accepted.",
                rule="review_due",
            )
        ),
        "events[6].until",
        "before the review itself",
    ),
    "letter_of_issue_before_issue": (
        lambda: with_events(
            ev("decision_to_issue", "2024-05-01", decided_by="David Evans"),
            ev("proceedings_issued", "2024-05-10"),
            ev("letter_of_issue", "2024-05-09", party="mother"),
        ),
        "events[8].date",
        "before proceedings were issued",
    ),
    "assessment_due_before_commissioned": (
        lambda: replace(
            base(),
            assessments=(Assessment("Viability", D("2024-03-01"), D("2024-02-01")),),
        ),
        "assessments[0].due",
        "before it was commissioned",
    ),
    "assessment_completed_before_commissioned": (
        lambda: replace(
            base(),
            assessments=(
                Assessment("Viability", D("2024-03-01"), D("2024-04-01"), D("2024-02-27")),
            ),
        ),
        "assessments[0].completed",
        "before it was commissioned",
    ),
    "court_before_issue": (
        lambda: with_events(
            ev("decision_to_issue", "2024-05-01", decided_by="David Evans"),
            ev("proceedings_issued", "2024-05-10"),
            ev("hearing", "2024-05-09", kind="case_management"),
        ),
        "events[8].date",
        "before proceedings were issued",
    ),
}

WARNING_CASES: dict[str, Callable[[], CaseHistory]] = {
    "not_started": lambda: without(
        "legal_planning_meeting",
        ev("legal_planning_meeting", "2024-02-01", outcome="no_legal_action"),
    ),
    "meeting_without_letter": lambda: without("letter_before_proceedings"),
    "review_without_meeting": lambda: without("pre_proceedings_meeting"),
    "after_end": lambda: with_events(
        ev("stepped_down", "2024-05-01", to="child_protection"), ev("review_meeting", "2024-05-20")
    ),
    "fgc_held_before_referral": lambda: with_events(ev("fgc_held", "2024-02-09")),
    "fgdm_answer_before_letter": lambda: with_events(
        ev("fgdm_response", "2024-02-07", party="mother", response="accepted")
    ),
    "extension_before_first_meeting": lambda: with_events(
        ev(
            "extension_agreed",
            "2024-02-15",
            until="2024-08-01",
            decided_by="David Evans",
            rationale="A long assessment is needed.",
        )
    ),
    # Issued 10 May 2024: 26 weeks end on 8 November; 8 weeks more is 3 January 2025.
    "court_extension_over_8_weeks": lambda: with_events(
        ev("decision_to_issue", "2024-05-01", decided_by="David Evans"),
        ev("proceedings_issued", "2024-05-10"),
        ev("court_extension", "2024-10-30", until="2025-01-04"),
    ),
}


def document(*cases: CaseHistory) -> str:
    return json.dumps(
        {"format": "plo-tracker-cases", "version": 3, "cases": [case_to_json(c) for c in cases]}
    )


def test_every_rule_has_a_test_and_a_line() -> None:
    assert set(ERROR_CASES) == chronology.ERROR_RULES
    assert set(WARNING_CASES) == chronology.WARNING_RULES
    assert set(chronology.RULES) == chronology.ERROR_RULES | chronology.WARNING_RULES
    assert all(text.endswith(".") for text in chronology.RULES.values())


def test_the_base_case_and_the_contract_examples_are_clean() -> None:
    assert chronology.check(base()) == []
    for name in ("example-cases.json",):
        from pathlib import Path

        text = (Path(__file__).parent / "data" / name).read_text()
        for item in parse_document(text, TODAY):
            assert chronology.errors(chronology.check(item)) == []


@pytest.mark.parametrize("rule", sorted(ERROR_CASES))
def test_each_impossible_order_is_an_error(rule: str) -> None:
    broken, path, words = ERROR_CASES[rule]
    found = chronology.check(broken())
    assert [f.rule for f in found if f.is_error] == [rule]
    finding = next(f for f in found if f.rule == rule)
    assert finding.path == path
    assert words in finding.message


@pytest.mark.parametrize("rule", sorted(WARNING_CASES))
def test_each_unusual_order_is_a_warning(rule: str) -> None:
    found = chronology.check(WARNING_CASES[rule]())
    assert chronology.errors(found) == []
    assert rule in {f.rule for f in found}


@pytest.mark.parametrize("rule", sorted(ERROR_CASES))
def test_import_refuses_each_rule_naming_case_path_and_rule(app: AppContext, rule: str) -> None:
    broken, path, words = ERROR_CASES[rule]
    before = app.exchange.export_cases()
    with pytest.raises(ExchangeError) as caught:
        app.exchange.import_text(document(base(), broken()))
    message = str(caught.value)
    assert message.startswith("Import refused, nothing was changed.")
    assert "Case PLO-CHRON-1" in message
    assert f"cases[1].{path}" in message
    assert words in message and f"rule: {rule}" in message
    assert app.exchange.export_cases() == before  # the valid first case was not written either


@pytest.mark.parametrize("rule", sorted(ERROR_CASES))
def test_a_save_that_breaks_a_rule_is_refused_and_changes_nothing(
    app: AppContext, rule: str
) -> None:
    app.exchange.import_text(document(base()))
    broken = ERROR_CASES[rule][0]()
    stored = app.cases.get("PLO-CHRON-1")
    with pytest.raises(ChronologyError) as caught:
        new_events = [e for e in broken.events if e not in stored.events]
        if new_events:
            for event in new_events:  # the last one added is the one that breaks the rule
                app.cases.save_event("PLO-CHRON-1", event)
        else:
            app.cases.save_assessment(
                "PLO-CHRON-1",
                replace(
                    broken.assessments[0],
                    id=stored.assessments[0].id,
                    version=stored.assessments[0].version,
                ),
            )
    message = str(caught.value)
    assert message.startswith("Case PLO-CHRON-1: ") and message.endswith("Nothing was saved.")
    assert ERROR_CASES[rule][2] in message
    after = app.cases.get("PLO-CHRON-1")
    # Only records that were fine on their own may have been saved before the breaking one.
    assert chronology.errors(chronology.check(after)) == []


def test_import_lists_warnings_and_writes_the_case(app: AppContext) -> None:
    result = app.exchange.import_text(document(WARNING_CASES["after_end"]()))
    assert result.created == 1
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith("Case PLO-CHRON-1: The review meeting on 20 May 2024")
    assert "1 warning(s) to check" in result.describe()


def test_a_save_with_a_new_warning_needs_confirming(app: AppContext) -> None:
    app.exchange.import_text(document(base()))
    step_down = ev("stepped_down", "2024-05-01", to="child_protection")
    app.cases.save_event("PLO-CHRON-1", step_down)
    late_review = ev("review_meeting", "2024-05-20")
    with pytest.raises(ChronologyWarning) as caught:
        app.cases.save_event("PLO-CHRON-1", late_review)
    assert [w.rule for w in caught.value.warnings] == ["after_end"]
    assert "Save anyway if this is right." in str(caught.value)
    assert late_review not in app.cases.get("PLO-CHRON-1").events
    app.cases.save_event("PLO-CHRON-1", late_review, confirm=True)
    assert late_review in app.cases.get("PLO-CHRON-1").events
    # The warning is known now: an unrelated edit is not asked again.
    app.cases.save_event("PLO-CHRON-1", ev("fgc_held", "2024-03-01"))
    assert [f.rule for f in app.cases.chronology("PLO-CHRON-1")] == ["after_end"]


def test_an_older_problem_does_not_block_an_unrelated_edit(app: AppContext) -> None:
    """A case stored before a rule existed can still be worked on (and shows the problem)."""
    app.exchange.import_text(document(base()))
    stored = app.cases.get("PLO-CHRON-1")
    # Simulate data from before the rules: write the broken record below the service.
    from db.models import Event as EventRow

    with app.db.write("admin") as session:
        from sqlalchemy import select

        from db.models import Case as CaseRow

        case_id = session.scalar(select(CaseRow.id).where(CaseRow.reference == "PLO-CHRON-1"))
        session.add(EventRow(case_id=case_id, type="review_meeting", date=D("2024-02-15")))
    assert [f.rule for f in app.cases.chronology("PLO-CHRON-1")] == ["review_before_first_meeting"]
    app.cases.save_event("PLO-CHRON-1", ev("fgc_held", "2024-03-01"))
    assert len(app.cases.get("PLO-CHRON-1").events) == len(stored.events) + 2


def test_a_version_1_file_is_checked_too() -> None:
    broken = ERROR_CASES["meeting_before_letter"][0]()
    data: dict[str, Any] = {
        "format": "plo-tracker-cases",
        "version": 1,
        "cases": [case_to_json(broken)],
    }
    with pytest.raises(ExchangeError, match="rule: meeting_before_letter"):
        parse_document(json.dumps(data), TODAY)
