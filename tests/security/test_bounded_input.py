"""Hostile exchange files: each is refused quickly, naming the limit, and changes nothing.

Every test imports through the command line into a real SQLite file and compares the file's
bytes before and after. The figures (time, peak memory) of each bounded input are measured
by ``benchmarks/bounded_input.py``, not here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plo_tracker.cli import main
from plo_tracker.exchange.bounded import CASE_LIST_LIMITS, MAX_DEPTH

EXAMPLE = Path(__file__).parent.parent / "data" / "example-cases.json"
HEAD = b'{"format":"plo-tracker-cases","version":3,"cases":['
CHILD = {"name": "Ann Lee", "date_of_birth": "2020-01-01"}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "cases.db"
    assert main(["--db", str(path), "import", str(EXAMPLE)]) == 0
    return path


def refused(db: Path, tmp_path: Path, data: bytes, capsys: pytest.CaptureFixture[str]) -> str:
    """Import ``data``: refused (exit 1) with a plain message, the database unchanged."""
    capsys.readouterr()
    before = db.read_bytes()
    bad = tmp_path / "hostile.json"
    bad.write_bytes(data)
    assert main(["--db", str(db), "import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Error: Import refused, nothing was changed."), err
    assert "Traceback" not in err and "did not expect" not in err
    assert db.read_bytes() == before
    return err


def case(**extra: object) -> dict[str, object]:
    return {"reference": "NEW-1", "children": [CHILD], **extra}


def document(*cases: object) -> bytes:
    return json.dumps({"format": "plo-tracker-cases", "version": 3, "cases": list(cases)}).encode()


@pytest.mark.timeout(20)
def test_200_kb_of_nested_brackets_is_refused_naming_the_depth(db, tmp_path, capsys) -> None:
    err = refused(db, tmp_path, b"[" * 200_000, capsys)
    assert "must be an object, not a list" in err
    err = refused(db, tmp_path, HEAD + b"[" * 200_000, capsys)
    assert f"nested more than {MAX_DEPTH} levels deep" in err and "cases[0]" in err


@pytest.mark.timeout(20)
def test_nested_objects_inside_a_case_are_refused(db, tmp_path, capsys) -> None:
    err = refused(db, tmp_path, HEAD + b'{"reference":' + b'{"a":' * 100_000, capsys)
    assert f"nested more than {MAX_DEPTH} levels deep" in err
    assert "cases[0].reference.a.a" in err


@pytest.mark.timeout(20)
def test_nested_brackets_under_an_odd_top_level_key(db, tmp_path, capsys) -> None:
    err = refused(db, tmp_path, b'{"x":' + b"[" * 200_000, capsys)
    assert f"nested more than {MAX_DEPTH} levels deep" in err


def test_a_key_given_twice_inside_a_case_is_refused(db, tmp_path, capsys) -> None:
    data = HEAD + b'{"reference":"NEW-1","reference":"NEW-2","children":[]}]}'
    err = refused(db, tmp_path, data, capsys)
    assert "cases[0].reference: the key 'reference' is given twice" in err


def test_a_key_given_twice_deep_inside_is_refused(db, tmp_path, capsys) -> None:
    child = b'{"name":"Ann","date_of_birth":"2020-01-01","date_of_birth":"2021-01-01"}'
    data = HEAD + b'{"reference":"NEW-1","children":[' + child + b"]}]}"
    err = refused(db, tmp_path, data, capsys)
    assert "cases[0].children[0].date_of_birth: the key 'date_of_birth' is given twice" in err


def test_a_top_level_key_given_twice_is_refused(db, tmp_path, capsys) -> None:
    data = b'{"format":"plo-tracker-cases","version":3,"version":1,"cases":[]}'
    assert "'version' is given twice" in refused(db, tmp_path, data, capsys)


@pytest.mark.parametrize(
    ("kind", "limit"), [("children", CASE_LIST_LIMITS["children"]), ("events", 2000)]
)
def test_one_case_holds_a_bounded_number_of_records(db, tmp_path, capsys, kind, limit) -> None:
    records = {
        "children": [dict(CHILD, name=f"Child {i}") for i in range(1000)],
        "events": [{"type": "fgc_held", "date": "2024-01-02"}] * 20_000,
    }[kind]
    data = document(case(**{kind: records}) if kind == "events" else case(children=records))
    err = refused(db, tmp_path, data, capsys)
    assert f"cases[0].{kind}[{limit}]" in err and f"at most {limit}" in err


def test_text_longer_than_any_field_is_refused_while_reading(db, tmp_path, capsys) -> None:
    err = refused(db, tmp_path, document(case(team="x" * 5_000_000)), capsys)
    assert "cases[0].team: is too long (5000000 characters" in err


def test_a_number_of_5000_digits_is_refused_plainly(db, tmp_path, capsys) -> None:
    data = b'{"format":"plo-tracker-cases","version":' + b"9" * 5000 + b',"cases":[]}'
    err = refused(db, tmp_path, data, capsys)
    assert "not valid JSON" in err and "set_int_max_str_digits" not in err


@pytest.mark.parametrize(
    "data",
    [
        b'{"...":1,"cases":[]}',
        b'{"":{"cases":[]},"cases":[]}',
        b'{"cases.item":1,"format":"plo-tracker-cases","version":3,"cases":[]}',
        b'{"format":"plo-tracker-cases","version":3,"cases":[],"x":[[[{}]]]}',
        b'{"format":"plo-tracker-cases","version":1e999,"cases":[]}',
    ],
    ids=["dots", "empty key", "dotted key", "trailing junk", "huge version"],
)
def test_odd_top_levels_are_refused_plainly(db, tmp_path, capsys, data) -> None:
    refused(db, tmp_path, data, capsys)


@pytest.mark.parametrize(
    "text",
    [rb"\ud800", rb"A\udc00B", rb"\udbff!", b"X\xed\xa0\x80"],
    ids=["lone high", "lone low", "high then text", "raw surrogate bytes"],
)
def test_a_lone_surrogate_is_refused_not_stored_or_crashing(db, tmp_path, capsys, text) -> None:
    data = HEAD + b'{"reference":"NEW-1","children":[{"name":"' + text
    data += b'","date_of_birth":"2020-01-01"}]}]}'
    err = refused(db, tmp_path, data, capsys)
    assert "lone surrogate" in err or "not UTF-8" in err


def test_a_surrogate_pair_and_an_escaped_backslash_are_still_read(db, tmp_path, capsys) -> None:
    name = "Zo\U0001f600 \\ud800"  # an emoji (a pair in JSON), then a backslash typed as text
    data = json.dumps(
        {
            "format": "plo-tracker-cases",
            "version": 3,
            "cases": [case(children=[dict(CHILD, name=name)])],
        },
        ensure_ascii=True,
    ).encode()
    good = tmp_path / "good.json"
    good.write_bytes(data)
    assert main(["--db", str(db), "import", str(good)]) == 0
    out = tmp_path / "out.json"
    assert main(["--db", str(db), "export", str(out)]) == 0
    exported = json.loads(out.read_text())["cases"]
    assert [c["children"][0]["name"] for c in exported if c["reference"] == "NEW-1"] == [name]


@pytest.mark.parametrize(
    "reference", ["../../tmp/x", "CON", "nul", "COM1.txt", "a\\b", "x..y", ".hidden", "A/B"]
)
def test_unsafe_references_are_refused(db, tmp_path, capsys, reference) -> None:
    err = refused(db, tmp_path, document(case(reference=reference)), capsys)
    assert "cases[0].reference" in err
    assert "not a usable case reference" in err or "Windows keeps for a device" in err


def test_a_reference_differing_only_in_capitals_is_refused(db, tmp_path, capsys) -> None:
    existing = json.loads(EXAMPLE.read_text())["cases"][0]
    lower = dict(existing, reference=existing["reference"].lower())
    err = refused(db, tmp_path, document(lower), capsys)
    assert f"differs only in capitals from the existing case '{existing['reference']}'" in err


def test_two_references_differing_only_in_capitals_in_one_file(db, tmp_path, capsys) -> None:
    err = refused(db, tmp_path, document(case(reference="ab-1"), case(reference="AB-1")), capsys)
    assert "is used twice" in err and "cases[1].reference" in err


def test_a_reference_with_spaces_around_it_is_the_existing_case(db, tmp_path, capsys) -> None:
    existing = json.loads(EXAMPLE.read_text())["cases"][0]
    spaced = dict(existing, reference=f"  {existing['reference']} ")
    good = tmp_path / "spaced.json"
    good.write_bytes(document(spaced))
    capsys.readouterr()
    assert main(["--db", str(db), "import", str(good)]) == 0
    assert "Nothing was changed" in capsys.readouterr().out


# -- the same rules for a case made in the app ------------------------------------------------


@pytest.mark.parametrize(
    ("reference", "words"),
    [
        ("../../tmp/x", "not a usable case reference"),
        ("NUL", "Windows keeps for a device"),
        ("plo-2024-0007", "already used by another case (PLO-2024-0007; capitals do not count)"),
    ],
)
def test_a_new_case_in_the_app_follows_the_reference_rules(
    db: Path, reference: str, words: str
) -> None:
    import datetime as dt
    import sqlite3

    from db.engine import sqlite_url
    from plo_tracker.app import open_app
    from plo_tracker.domain.model import Child
    from plo_tracker.errors import ValidationError
    from plo_tracker.services.cases import CaseHeader

    with sqlite3.connect(db) as connection:
        (admin,) = connection.execute(
            "SELECT username FROM users WHERE role = 'administrator'"
        ).fetchone()
    connection.close()
    before = db.read_bytes()
    context = open_app(sqlite_url(db), username=admin)
    try:
        with pytest.raises(ValidationError, match=words.replace("(", r"\(").replace(")", r"\)")):
            context.cases.create(
                CaseHeader(reference=reference),
                [Child("Ann Lee", date_of_birth=dt.date(2020, 1, 1))],
            )
    finally:
        context.close()
    assert db.read_bytes() == before


def test_a_reference_held_from_before_the_safe_set_still_imports(db, tmp_path, capsys) -> None:
    """A case made before the rule keeps its reference: its export imports again unchanged;
    a new case with such a reference is still refused."""
    import sqlite3

    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE cases SET reference = 'PLO/2019/7' WHERE id = 1")
    connection.close()
    exported = tmp_path / "export.json"
    assert main(["--db", str(db), "export", str(exported)]) == 0
    capsys.readouterr()
    assert main(["--db", str(db), "import", str(exported)]) == 0
    assert "Nothing was changed" in capsys.readouterr().out
    written = json.loads(exported.read_text())
    (old,) = [c for c in written["cases"] if c["reference"] == "PLO/2019/7"]
    err = refused(db, tmp_path, document(dict(old, reference="PLO/2019/8")), capsys)
    assert "not a usable case reference" in err
