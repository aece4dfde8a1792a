"""The case exchange format: what it accepts, what it refuses and how it says so."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from plo_tracker.errors import ExchangeError
from plo_tracker.exchange import case_to_json, document_to_json, parse_document

EXAMPLE = Path(__file__).parent / "data" / "example-cases.json"
TODAY = dt.date(2026, 11, 23)


def example() -> dict[str, Any]:
    return json.loads(EXAMPLE.read_text())


def refused(document: Any) -> ExchangeError:
    text = document if isinstance(document, str | bytes) else json.dumps(document)
    with pytest.raises(ExchangeError) as caught:
        parse_document(text, TODAY)
    return caught.value


def test_the_contract_example_is_valid() -> None:
    cases = parse_document(EXAMPLE.read_text(), TODAY)
    assert [c.reference for c in cases] == ["PLO-2024-0007", "PLO-2024-0011", "PLO-2023-0042"]
    assert cases[1].children[0].unborn
    assert cases[0].parties[0].solicitor is not None
    assert cases[0].parties[0].solicitor.firm == "Price & Co"


def test_round_trip_gives_the_same_content() -> None:
    original = example()
    again = document_to_json(parse_document(json.dumps(original), TODAY))
    key = lambda c: c["reference"]  # noqa: E731
    assert sorted(again["cases"], key=key) == sorted(original["cases"], key=key)
    assert again["format"] == "plo-tracker-cases" and again["version"] == 3


@pytest.mark.parametrize(
    ("mutate", "case", "path", "words"),
    [
        (lambda d: d.update(format="something-else"), None, "format", "not a PLO Tracker"),
        (lambda d: d.update(version=4), None, "version", "not supported"),
        (lambda d: d.update(version="1"), None, "version", "not supported"),
        (lambda d: d.update(version=True), None, "version", "not supported"),
        (lambda d: d.pop("version"), None, "version", "required"),
        (lambda d: d.update(extra=1), None, "$.extra", "unknown key 'extra'"),
        (
            lambda d: d["cases"][0].update(colour="red"),
            "PLO-2024-0007",
            "cases[0].colour",
            "unknown key",
        ),
        (
            lambda d: d["cases"][0]["events"][2].update(date="2024-02-30"),
            "PLO-2024-0007",
            "cases[0].events[2].date",
            "not a real date",
        ),
        (
            lambda d: d["cases"][0]["events"][2].update(date="12/02/2024"),
            "PLO-2024-0007",
            "cases[0].events[2].date",
            "YYYY-MM-DD",
        ),
        (
            lambda d: d["cases"][1]["events"][1].update(date="2027-01-01"),
            "PLO-2024-0011",
            "cases[1].events[1].date",
            "in the future",
        ),
        (
            lambda d: d["cases"][2]["events"][0].update(date="2010-01-01"),
            "PLO-2023-0042",
            "cases[2].events[0].date",
            "before this case could start",
        ),
        (
            lambda d: d["cases"][2].update(reference="PLO-2024-0007"),
            "PLO-2024-0007",
            "cases[2].reference",
            "used twice",
        ),
        (
            lambda d: d["cases"][0]["events"][1].update(party="aunt"),
            "PLO-2024-0007",
            "cases[0].events[1].party",
            "party 'aunt' does not exist",
        ),
        (
            lambda d: d["cases"][0]["plan_actions"][0].update(party="uncle"),
            "PLO-2024-0007",
            "cases[0].plan_actions[0].party",
            "does not exist",
        ),
        (
            lambda d: d["cases"][0]["events"][0].update(outcome="maybe"),
            "PLO-2024-0007",
            "cases[0].events[0].outcome",
            "not one of",
        ),
        (
            lambda d: d["cases"][0]["events"][0].update(type="party"),
            "PLO-2024-0007",
            "cases[0].events[0].type",
            "not one of",
        ),
        (
            lambda d: d["cases"][0]["events"][0].update(reason="x"),
            "PLO-2024-0007",
            "cases[0].events[0].reason",
            "unknown key",
        ),
        (
            lambda d: d["cases"][0]["events"][5].pop("rationale"),
            "PLO-2024-0007",
            "cases[0].events[5].rationale",
            "required",
        ),
        (
            lambda d: d["cases"][0].update(children=[]),
            "PLO-2024-0007",
            "cases[0].children",
            "at least one child",
        ),
        (
            lambda d: d["cases"][0]["children"][0].update(expected_birth="2024-01-01"),
            "PLO-2024-0007",
            "cases[0].children[0]",
            "exactly one of",
        ),
        (
            lambda d: d["cases"][0]["parties"][0].update(parental_responsibility="yes"),
            "PLO-2024-0007",
            "cases[0].parties[0].parental_responsibility",
            "true or false",
        ),
        (
            lambda d: d["cases"][0]["parties"][1].update(id="mother"),
            "PLO-2024-0007",
            "cases[0].parties[1].id",
            "used twice",
        ),
        (
            lambda d: d["cases"][0]["assessments"][0].update(due="2024-01-01"),
            "PLO-2024-0007",
            "cases[0].assessments[0].due",
            "before it was commissioned",
        ),
        (
            lambda d: d["cases"][0]["assessments"][0].pop("completed"),
            "PLO-2024-0007",
            "cases[0].assessments[0].completed",
            "required",
        ),
        (
            lambda d: d["cases"][0]["scheduled"][0].update(time="25:00"),
            "PLO-2024-0007",
            "cases[0].scheduled[0].time",
            "HH:MM",
        ),
        (lambda d: d["cases"][0].update(reference=""), None, "cases[0].reference", "empty"),
        (
            lambda d: d["cases"][0].update(team="A\x00B"),
            "PLO-2024-0007",
            "cases[0].team",
            "control characters",
        ),
        (
            lambda d: d["cases"][0].update(team="x" * 201),
            "PLO-2024-0007",
            "cases[0].team",
            "too long",
        ),
        (
            lambda d: d["cases"][0]["events"][5].update(rule="made_up"),
            "PLO-2024-0007",
            "cases[0].events[5].rule",
            "not one of",
        ),
        (lambda d: d.update(cases={}), None, "cases", "must be a list"),
        (lambda d: d["cases"].append("oops"), None, "cases[3]", "must be an object"),
    ],
)
def test_bad_input_names_case_path_and_problem(mutate, case, path, words) -> None:
    document = copy.deepcopy(example())
    mutate(document)
    error = refused(document)
    message = str(error)
    assert message.startswith("Import refused, nothing was changed.")
    assert path in message, message
    assert words in message, message
    if case:
        assert f"Case {case}, {path}" in message, message
    assert "\n" not in message


def test_not_json_at_all() -> None:
    assert "not valid JSON" in str(refused('{"format": "plo-tracker-cases", '))
    assert "line 1" in str(refused('{"format": "plo-tracker-cases", '))
    assert "not valid JSON" in str(refused('{"version": NaN}'))
    assert "not UTF-8" in str(refused(b"\xff\xfe\x00garbage"))
    assert "must be an object" in str(refused("[]"))


def test_optional_null_means_absent_and_bom_is_accepted() -> None:
    document = example()
    document["cases"][0]["team"] = None
    document["cases"][0]["events"][1]["party"] = None
    cases = parse_document("\ufeff" + json.dumps(document), TODAY)
    assert cases[0].team is None and cases[0].events[1].party is None


def test_case_to_json_keeps_unicode_and_symbols() -> None:
    document = example()
    document["cases"][0]["parties"][0]["name"] = 'Zoë Ølsen & <Bob> "x" {{ 7*7 }}'
    cases = parse_document(json.dumps(document, ensure_ascii=False), TODAY)
    assert case_to_json(cases[0])["parties"][0]["name"] == 'Zoë Ølsen & <Bob> "x" {{ 7*7 }}'


def test_event_on_the_day_of_import_is_allowed_the_day_after_is_not() -> None:
    document = example()
    document["cases"][0]["events"][5]["date"] = TODAY.isoformat()
    parse_document(json.dumps(document), TODAY)
    document["cases"][0]["events"][5]["date"] = (TODAY + dt.timedelta(days=1)).isoformat()
    assert "in the future" in str(refused(document).problem)
