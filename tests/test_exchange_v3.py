"""Version 3 of the case exchange format: families as they are, and the facts after issue.

Each rule of the contract is checked on import (all or nothing, the message names the case
and the JSON path); versions 1, 2 and 3 round-trip through the database on both databases;
``export`` writes version 3; version 3 keys are unknown keys in a version 1 or 2 file.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from plo_tracker.app import AppContext
from plo_tracker.domain import family
from plo_tracker.domain.model import ChildLink, KeepApart
from plo_tracker.errors import ExchangeError
from plo_tracker.exchange import parse_document

DATA = Path(__file__).parent / "data"
V1 = DATA / "example-cases.json"
V2 = DATA / "example-cases-v2.json"
V3 = DATA / "example-cases-v3.json"
TODAY = dt.date(2026, 12, 5)
BLENDED = "PLO-2024-0031"


def v3() -> dict[str, Any]:
    return json.loads(V3.read_text())


def blended(document: dict[str, Any]) -> dict[str, Any]:
    return next(c for c in document["cases"] if c["reference"] == BLENDED)


def refusal(change: Callable[[dict[str, Any]], object]) -> ExchangeError:
    document = v3()
    change(blended(document))
    with pytest.raises(ExchangeError) as caught:
        parse_document(json.dumps(document), TODAY)
    return caught.value


def by_reference(document: dict[str, Any]) -> dict[str, Any]:
    return {case["reference"]: case for case in document["cases"]}


def same_content(ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    ours, theirs = copy.deepcopy(ours), copy.deepcopy(theirs)
    key = lambda e: json.dumps(e, sort_keys=True)  # noqa: E731
    assert sorted(ours.pop("events", []), key=key) == sorted(theirs.pop("events", []), key=key)
    assert ours == theirs


# -- reading the contract's example -------------------------------------------------------


def test_the_contract_example_reads_as_version_3() -> None:
    cases = {c.reference: c for c in parse_document(V3.read_text(), TODAY)}
    case = cases[BLENDED]
    assert [c.key for c in case.children] == ["ruby", "alfie", "baby"]
    dean = case.party("alfie_father")
    assert dean is not None and dean.children == (
        ChildLink("alfie", "father", True),
        ChildLink("baby", "father", False),
    )
    assert case.keep_apart == (
        KeepApart(
            "mother",
            ("alfie_father",),
            "Domestic abuse: a non-molestation order protects the mother.",
        ),
    )
    # Ties per child: Dean is Alfie's father with PR, the baby's father without; the mother
    # (no links) is tied to all three; the grandmother has PR for none.
    assert [c.key for c in family.own_children(case, dean)] == ["alfie", "baby"]
    assert [t.child.key for t in family.ties(case, dean) if t.parental_responsibility] == ["alfie"]
    gareth = case.party("ruby_father")
    assert gareth is not None and [c.key for c in family.tied_children(case, gareth)] == ["ruby"]
    gran = case.party("gran")
    assert gran is not None and not family.has_pr(case, gran)
    assert family.own_children(case, gran) == ()
    assert family.kept_from(case, "alfie_father") == {"mother"}
    assert family.kept_from(case, "ruby_father") == frozenset()
    # A booking without attendees is for everyone who may meet everyone else.
    assert family.attendees(case, None) == {"ruby_father", "gran"}
    meetings = [e for e in case.events if e.type == "pre_proceedings_meeting"]
    assert [e.went_ahead for e in meetings] == [True, False, True]
    assert case.strengths[0].children == ("ruby",)


@pytest.mark.parametrize("path", [V1, V2, V3])
def test_each_version_round_trips_through_the_database(app: AppContext, path: Path) -> None:
    app.exchange.import_file(path)
    exported = app.exchange.export_cases()
    assert exported["version"] == 3
    original = by_reference(json.loads(path.read_text()))
    again = by_reference(exported)
    assert again.keys() == original.keys()
    for reference, case in original.items():
        same_content(again[reference], case)
    # The export imports again, changing nothing.
    result = app.exchange.import_text(json.dumps(exported))
    assert (result.created, result.replaced, result.unchanged) == (0, 0, len(original))


def test_after_issue_facts_round_trip(app: AppContext) -> None:
    document = v3()
    case = blended(document)
    case["court_reference"] = "SA24C00123"
    case["events"] += [
        {"type": "decision_to_issue", "date": "2024-05-01", "decided_by": "Joanne Price"},
        {
            "type": "proceedings_issued",
            "date": "2024-05-08",
            "short_notice": True,
            "short_notice_reason": "immediate_safety",
        },
        {
            "type": "hearing",
            "date": "2024-05-10",
            "kind": "case_management",
            "la_plan": "care_order",
            "plan_approved": False,
        },
        {"type": "court_extension", "date": "2024-10-30", "until": "2024-12-20"},
        {"type": "proceedings_concluded", "date": "2024-12-18", "order": "supervision_order"},
    ]
    case["scheduled"].append(
        {
            "type": "hearing",
            "kind": "final",
            "date": "2024-12-18",
            "time": "10:30",
            "place": "Telford Family Court",
        }
    )
    app.exchange.import_text(json.dumps(document))
    again = blended(app.exchange.export_cases())
    same_content(again, case)


def test_a_version_2_file_keeps_the_court_reference_a_case_already_has(
    app: AppContext,
) -> None:
    document = v3()
    blended(document)["court_reference"] = "SA24C00123"
    app.exchange.import_text(json.dumps(document))
    app.exchange.import_file(V2)  # has PLO-2024-0007 etc., not the blended case
    v2 = json.loads(V2.read_text())
    first = v2["cases"][0]
    document = v3()
    by_reference(document)[first["reference"]]["court_reference"] = "SA24C00999"
    app.exchange.import_text(json.dumps(document))
    result = app.exchange.import_text(json.dumps(v2))
    assert result.unchanged == len(v2["cases"])
    assert app.cases.get(first["reference"]).court_reference == "SA24C00999"


# -- every rule of version 3 refused with its path ---------------------------------------

REFUSALS: dict[str, tuple[Callable[[dict[str, Any]], object], str, str]] = {
    "unknown child in a tie": (
        lambda c: c["parties"][1]["children"][0].update(child="rubie"),
        "cases[3].parties[1].children[0].child",
        "child 'rubie' does not exist",
    ),
    "two ties for one child": (
        lambda c: c["parties"][2]["children"].append(
            {"child": "alfie", "relationship": "stepfather", "parental_responsibility": False}
        ),
        "cases[3].parties[2].children[2].child",
        "tied to child 'alfie' twice",
    ),
    "child id used twice": (
        lambda c: c["children"][1].update(id="ruby"),
        "cases[3].children[1].id",
        "used twice",
    ),
    "child named but another has no id": (
        lambda c: (
            c["children"][2].pop("id"),
            c["parties"][2]["children"].pop(),
            c["assessments"][1].update(children=["alfie"]),
        ),
        "cases[3].children[2].id",
        "every child needs one",
    ),
    "protect listed in its own from": (
        lambda c: c["keep_apart"][0]["from"].append("mother"),
        "cases[3].keep_apart[0].from[1]",
        "cannot be kept from themselves",
    ),
    "unknown party kept apart": (
        lambda c: c["keep_apart"][0]["from"].append("uncle"),
        "cases[3].keep_apart[0].from[1]",
        "party 'uncle' does not exist",
    ),
    "unknown protected party": (
        lambda c: c["keep_apart"][0].update(protect="aunt"),
        "cases[3].keep_apart[0].protect",
        "party 'aunt' does not exist",
    ),
    "empty from": (
        lambda c: c["keep_apart"][0].update({"from": []}),
        "cases[3].keep_apart[0].from",
        "at least one person",
    ),
    "unknown child on a concern": (
        lambda c: c["concerns"][0].update(children=["rubie"]),
        "cases[3].concerns[0].children[0]",
        "child 'rubie' does not exist",
    ),
    "unknown person on a strength": (
        lambda c: c["strengths"][1].update(about=["uncle"]),
        "cases[3].strengths[1].about[0]",
        "party 'uncle' does not exist",
    ),
    "unknown person on an assessment": (
        lambda c: c["assessments"][0].update(about=["uncle"]),
        "cases[3].assessments[0].about[0]",
        "party 'uncle' does not exist",
    ),
    "unknown attendee on a booking": (
        lambda c: c["scheduled"][0].update(attendees=["mother", "uncle"]),
        "cases[3].scheduled[0].attendees[1]",
        "party 'uncle' does not exist",
    ),
    "an empty attendee list on a booking": (
        lambda c: c["scheduled"][0].update(attendees=[]),
        "cases[3].scheduled[0].attendees",
        "at least one person",
    ),
    "protected and kept-from in one booking": (
        lambda c: c["scheduled"][0]["attendees"].append("alfie_father"),
        "cases[3].scheduled[0].attendees",
        "must be kept apart",
    ),
    "protected and kept-from at one meeting": (
        lambda c: c["events"][4]["attendees"].append("alfie_father"),
        "cases[3].events[4].attendees",
        "must be kept apart",
    ),
    "two bookings of one meeting": (
        lambda c: c["scheduled"][1].update(
            date="2024-04-29", time="10:00", place="Shirehall,  meeting room 2"
        ),
        "cases[3].scheduled[0]",
        "the same meeting",
    ),
    "a booking and a meeting on the same day": (
        lambda c: c["scheduled"].append(
            {"type": "pre_proceedings_meeting", "date": "2024-03-18", "attendees": ["alfie_father"]}
        ),
        "cases[3].scheduled[2]",
        "the same kind of meeting on the same day",
    ),
    "hearing booking without its kind": (
        lambda c: c["scheduled"].append({"type": "hearing", "date": "2024-06-03"}),
        "cases[3].scheduled[2].kind",
        "is required",
    ),
    "kind on a meeting that is not a hearing": (
        lambda c: c["scheduled"][0].update(kind="final"),
        "cases[3].scheduled[0].kind",
        "only for a hearing",
    ),
    "unknown plan": (
        lambda c: c["events"].extend(
            [
                {"type": "decision_to_issue", "date": "2024-05-01", "decided_by": "J Price"},
                {"type": "proceedings_issued", "date": "2024-05-02"},
                {"type": "hearing", "date": "2024-05-03", "kind": "final", "la_plan": "prison"},
            ]
        ),
        "cases[3].events[9].la_plan",
        "'prison' is not one of",
    ),
    "a short-notice reason without short notice": (
        lambda c: c["events"].extend(
            [
                {"type": "decision_to_issue", "date": "2024-05-01", "decided_by": "J Price"},
                {
                    "type": "proceedings_issued",
                    "date": "2024-05-02",
                    "short_notice_reason": "other",
                },
            ]
        ),
        "cases[3].events[8].short_notice_reason",
        "only for a short-notice application",
    ),
    "a court extension ending on its own day": (
        lambda c: c["events"].extend(
            [
                {"type": "decision_to_issue", "date": "2024-05-01", "decided_by": "J Price"},
                {"type": "proceedings_issued", "date": "2024-05-02"},
                {"type": "court_extension", "date": "2024-10-01", "until": "2024-10-01"},
            ]
        ),
        "cases[3].events[9].until",
        "must be after the day",
    ),
    "a hearing with no issue": (
        lambda c: c["events"].append({"type": "hearing", "date": "2024-05-03", "kind": "final"}),
        "cases[3].events[7]",
        "no issue of proceedings is",
    ),
}


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_each_rule_is_refused_with_case_and_path(name: str) -> None:
    change, path, words = REFUSALS[name]
    error = refusal(change)
    assert error.case == BLENDED
    assert error.path == path, str(error)
    assert words in str(error)
    assert str(error).startswith("Import refused, nothing was changed.")


def test_a_refused_import_writes_nothing(app: AppContext) -> None:
    app.exchange.import_file(V1)
    before = app.exchange.export_cases()
    document = v3()
    blended(document)["keep_apart"][0]["from"].append("mother")
    with pytest.raises(ExchangeError):
        app.exchange.import_text(json.dumps(document))
    assert app.exchange.export_cases() == before


@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize(
    ("where", "key", "value"),
    [
        ("children", "id", "ruby"),
        ("parties", "children", []),
        ("case", "keep_apart", []),
        ("case", "strengths", []),
        ("case", "court_reference", "SA1"),
        ("scheduled", "attendees", ["mother"]),
        ("events", "effective", False),
    ],
)
def test_version_3_keys_are_unknown_in_older_files(
    version: int, where: str, key: str, value: Any
) -> None:
    document = json.loads(V2.read_text())
    document["version"] = version
    case = document["cases"][0]
    if version == 1:
        case.pop("concerns", None)
        case["events"] = [e for e in case["events"] if e["type"] != "fgdm_response"]
    target = case if where == "case" else case[where][0]
    if where == "events":
        target = next(e for e in case["events"] if e["type"] == "pre_proceedings_meeting")
    target[key] = value
    with pytest.raises(ExchangeError) as caught:
        parse_document(json.dumps(document), TODAY)
    assert f"unknown key '{key}'" in str(caught.value)
    assert "version 3" in str(caught.value)


def test_version_3_event_types_are_unknown_in_version_2() -> None:
    document = json.loads(V2.read_text())
    document["cases"][0]["events"].append(
        {"type": "court_extension", "date": "2024-03-01", "until": "2024-04-01"}
    )
    with pytest.raises(ExchangeError, match="event type of version 3"):
        parse_document(json.dumps(document), TODAY)
