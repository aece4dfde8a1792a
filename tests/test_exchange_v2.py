"""Version 2 of the case exchange format: concerns and the FGDM events.

Version 1 files import exactly as before; ``export`` writes version 2; a version 2 file
round-trips, on both databases.
"""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from plo_tracker import clock
from plo_tracker.app import AppContext
from plo_tracker.domain.model import Concern, Event
from plo_tracker.errors import ExchangeError, PermissionDenied, ValidationError
from plo_tracker.exchange import parse_document
from tests.conftest import as_role

DATA = Path(__file__).parent / "data"
V1 = DATA / "example-cases.json"
V2 = DATA / "example-cases-v2.json"
TODAY = clock.today()


def v2() -> dict[str, Any]:
    return json.loads(V2.read_text())


def refused(document: dict[str, Any]) -> str:
    with pytest.raises(ExchangeError) as caught:
        parse_document(json.dumps(document), TODAY)
    return str(caught.value)


def by_reference(document: dict[str, Any]) -> dict[str, Any]:
    return {case["reference"]: case for case in document["cases"]}


def test_the_contract_example_reads_as_version_2() -> None:
    cases = {c.reference: c for c in parse_document(V2.read_text(), TODAY)}
    first = cases["PLO-2024-0007"]
    assert first.concerns == (
        Concern("The children have missed many school days this term."),
        Concern("You have told us you are finding it hard to stop drinking.", ("mother",)),
    )
    assert [c.text for c in first.concerns_for("father")] == [
        "The children have missed many school days this term."
    ]
    assert len(first.concerns_for("mother")) == 2
    (answer,) = [e for e in first.events if e.type == "fgdm_response"]
    assert (answer.party, answer.response) == ("mother", "accepted")


def test_version_2_round_trips_through_the_database(app: AppContext) -> None:
    app.exchange.import_text(V2.read_text())
    exported = app.exchange.export_cases()
    assert exported["version"] == 3
    original = by_reference(v2())
    again = by_reference(copy.deepcopy(exported))
    assert again.keys() == original.keys()
    for reference, case in original.items():
        ours = again[reference]
        key = lambda e: json.dumps(e, sort_keys=True)  # noqa: E731
        assert sorted(ours.pop("events", []), key=key) == sorted(case.pop("events", []), key=key)
        assert ours == case
    # Importing the export again changes nothing.
    result = app.exchange.import_text(json.dumps(exported))
    assert (result.created, result.replaced, result.unchanged) == (0, 0, 3)


def test_version_1_imports_as_before_and_exports_as_version_2(app: AppContext) -> None:
    app.exchange.import_file(V1)
    exported = app.exchange.export_cases()
    assert exported["version"] == 3
    assert all("concerns" not in case for case in exported["cases"])
    original = by_reference(json.loads(V1.read_text()))
    for reference, case in by_reference(exported).items():
        assert len(case.get("events", [])) == len(original[reference].get("events", []))


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        (
            lambda d: d["cases"][0]["concerns"].append({"text": "x", "about": ["uncle"]}),
            "cases[0].concerns[2].about[0]",
            "party 'uncle' does not exist",
        ),
        (
            lambda d: d["cases"][0]["concerns"].append(
                {"text": "x", "about": ["mother", "mother"]}
            ),
            "cases[0].concerns[2].about[1]",
            "named twice",
        ),
        (
            lambda d: d["cases"][0]["concerns"].append({"text": "   "}),
            "cases[0].concerns[2].text",
            "",
        ),
        (
            lambda d: d["cases"][0]["concerns"].append({"about": ["mother"]}),
            "cases[0].concerns[2].text",
            "required",
        ),
        (
            lambda d: d["cases"][0]["concerns"].append({"text": "x", "who": ["mother"]}),
            "cases[0].concerns[2].who",
            "unknown key",
        ),
        (
            lambda d: d["cases"][0]["concerns"].append({"text": "x", "about": "mother"}),
            "cases[0].concerns[2].about",
            "must be a list",
        ),
        (
            lambda d: d["cases"][0]["events"][6].update(response="maybe"),
            "cases[0].events[6].response",
            "is not one of: accepted, declined",
        ),
        (lambda d: d["cases"][0]["events"][6].pop("party"), "cases[0].events[6].party", "required"),
        (
            lambda d: d["cases"][0]["events"].append(
                {"type": "fgdm_not_offered", "date": "2024-02-09", "decided_by": "David Evans"}
            ),
            "cases[0].events[7].rationale",
            "required",
        ),
        (
            lambda d: d["cases"][0]["events"][6].update(date="2099-01-01"),
            "cases[0].events[6].date",
            "in the future",
        ),
    ],
)
def test_bad_version_2_input_is_refused_with_the_path(change, path: str, words: str) -> None:
    document = v2()
    change(document)
    message = refused(document)
    assert f"Case PLO-2024-0007, {path}:" in message
    assert words in message


def test_version_2_keys_are_unknown_in_a_version_1_file() -> None:
    document = v2()
    document["version"] = 1
    assert "cases[0].concerns: unknown key 'concerns'" in refused(document)
    document = v2()
    document["version"] = 1
    for case in document["cases"]:
        case.pop("concerns", None)
    message = refused(document)
    assert "cases[0].events[6].type" in message
    assert "'fgdm_response' is an event type of version 2" in message


def test_concerns_are_saved_versioned_audited_and_follow_renames(app: AppContext) -> None:
    app.exchange.import_text(V2.read_text())
    worker = as_role(app, "social_worker")
    case = worker.cases.save_concern(
        "PLO-2024-0007", Concern("Liam has missed his medical appointments.", ("father",))
    )
    added = case.concerns[-1]
    assert added.id is not None and added.version == 1
    changed = worker.cases.save_concern(
        "PLO-2024-0007", replace(added, text="Noah has missed his medical appointments.")
    ).concerns[-1]
    assert changed.version == 2
    from plo_tracker.errors import ConflictError

    with pytest.raises(ConflictError):
        worker.cases.save_concern("PLO-2024-0007", replace(added, text="stale"))
    with pytest.raises(ValidationError, match="party 'uncle' does not exist"):
        worker.cases.save_concern("PLO-2024-0007", Concern("x", ("uncle",)))
    with pytest.raises(ValidationError, match="What we are worried about"):
        worker.cases.save_concern("PLO-2024-0007", Concern("   "))
    # Renaming a person's short name carries their worries with them.
    father = next(p for p in worker.cases.get("PLO-2024-0007").parties if p.id == "father")
    renamed = worker.cases.save_party("PLO-2024-0007", replace(father, id="dad"))
    assert renamed.concerns[-1].about == ("dad",)
    # A person named in a worry cannot be deleted.
    dad = next(p for p in renamed.parties if p.id == "dad")
    with pytest.raises(ValidationError, match="1 worry"):
        worker.cases.delete_item("PLO-2024-0007", "party", dad.row_id, dad.version)
    gone = worker.cases.delete_item(
        "PLO-2024-0007", "concern", renamed.concerns[-1].id, renamed.concerns[-1].version
    )
    assert len(gone.concerns) == 2
    entities = [row.entity for row in app.audit.trail("PLO-2024-0007")]
    assert entities.count("concerns") >= 4  # added, changed, renamed, deleted


def test_fgdm_events_and_who_may_record_them(app: AppContext) -> None:
    app.exchange.import_text(V2.read_text())
    worker = as_role(app, "social_worker")
    manager = as_role(app, "team_manager")
    answer = Event("fgdm_response", TODAY, party="father", response="declined")
    worker.cases.save_event("PLO-2024-0007", answer)
    decision = Event(
        "fgdm_not_offered", TODAY, decided_by="David Evans", rationale="Not safe for the mother."
    )
    with pytest.raises(PermissionDenied):
        worker.cases.save_event("PLO-2024-0007", decision)
    manager.cases.save_event("PLO-2024-0007", decision)
    events = app.cases.get("PLO-2024-0007").events
    assert answer in events and decision in events
    with pytest.raises(ValidationError, match="Answer"):
        worker.cases.save_event(
            "PLO-2024-0007", Event("fgdm_response", TODAY, party="father", response="maybe")
        )


def test_reimporting_a_version_1_file_over_concerns_removes_them_as_the_file_says(
    app: AppContext,
) -> None:
    """A version 1 case has no concerns: importing it replaces the case's content."""
    app.exchange.import_text(V2.read_text())
    document = copy.deepcopy(v2())
    document["version"] = 1
    for case in document["cases"]:
        case.pop("concerns", None)
        case["events"] = [e for e in case.get("events", []) if e["type"] != "fgdm_response"]
    parse_document(json.dumps(document), TODAY)  # a valid version 1 file
