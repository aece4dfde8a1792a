"""Issue 12, item 4: an import never silently removes records the database holds."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from plo_tracker import clock
from plo_tracker.app import AppContext
from plo_tracker.cli import main
from plo_tracker.errors import ExchangeError

EXAMPLE = Path(__file__).parent / "data" / "example-cases.json"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "cases.db"
    assert main(["--db", str(path), "--user", "admin", "import", str(EXAMPLE)]) == 0
    capsys.readouterr()
    return path


def run(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), "--user", "admin", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_reimporting_an_older_export_is_refused_naming_what_it_would_remove(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    older = tmp_path / "older.json"
    assert run(db, capsys, "export", str(older))[0] == 0
    # Since the export: a letter recorded as sent (an event) on one case...
    document = json.loads(older.read_text())
    newer = dict(document)
    case = next(c for c in newer["cases"] if c["reference"] == "PLO-2024-0007")
    case["events"].append({"type": "review_meeting", "date": "2024-04-02"})
    (tmp_path / "newer.json").write_text(json.dumps(newer))
    assert run(db, capsys, "import", str(tmp_path / "newer.json"))[0] == 0
    before = digest(db)
    # ... so re-importing the older export would silently drop it.
    code, out, err = run(db, capsys, "import", str(older))
    assert code == 1 and out == ""
    assert err.startswith("Error: Import refused, nothing was changed. The file would remove")
    assert "PLO-2024-0007: 1 event." in err and "--replace" in err
    assert "2024-04-02" not in err and "review" not in err  # kinds and counts only
    assert digest(db) == before
    # With --replace the file wins, and says so.
    code, out, err = run(db, capsys, "import", str(older), "--replace")
    assert code == 0, err
    assert "1 replaced, 2 already up to date" in out


def test_every_kind_of_record_is_counted_and_every_case_named(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = json.loads(EXAMPLE.read_text())
    first, second, third = document["cases"]
    first["parties"] = [p for p in first["parties"] if p["id"] == "mother"]
    first["events"] = [e for e in first["events"] if e.get("party") in (None, "mother")]
    first["plan_actions"] = [a for a in first.get("plan_actions", []) if a["party"] == "mother"]
    first.pop("assessments", None)
    second["children"] = second["children"][:1] if len(second["children"]) > 1 else []
    second["children"] = second["children"] or [
        {"name": "Someone Else", "date_of_birth": "2019-05-05"}
    ]
    third["scheduled"] = []
    path = tmp_path / "fewer.json"
    path.write_text(json.dumps(document))
    before = digest(db)
    code, _out, err = run(db, capsys, "import", str(path))
    assert code == 1
    original = json.loads(EXAMPLE.read_text())["cases"]
    assert f"{original[0]['reference']}: " in err and f"{original[1]['reference']}: " in err
    assert "part" in err  # parties ("1 party"/"2 parties")
    assert "1 child" in err or "children" in err
    assert digest(db) == before


def test_importing_the_same_file_twice_changes_nothing_and_says_so(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = digest(db)
    code, out, _err = run(db, capsys, "import", str(EXAMPLE))
    assert code == 0
    assert "0 new, 0 replaced, 3 already up to date. Nothing was changed." in out
    assert digest(db) == before


def test_adding_records_needs_no_replace(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = json.loads(EXAMPLE.read_text())
    document["cases"][0]["events"].append({"type": "review_meeting", "date": "2024-04-02"})
    document["cases"][0]["team"] = "Case Management 9"  # case fields are not records
    path = tmp_path / "more.json"
    path.write_text(json.dumps(document))
    code, out, err = run(db, capsys, "import", str(path))
    assert code == 0, err
    assert "1 replaced" in out


@pytest.fixture
def letters_app(app: AppContext) -> AppContext:
    from tests.letters.helpers import with_examples

    return with_examples(app)


def test_letter_records_survive_a_replacing_import(letters_app: AppContext, tmp_path: Path) -> None:
    case = "PLO-2024-0007"
    exported = tmp_path / "before.json"
    letters_app.exchange.export_file(exported)
    out = tmp_path / "letters"
    out.mkdir()
    from tests.letters.helpers import OPTIONS  # dated when the example case is ready for it

    letters_app.letters.generate(case, "letter_before_proceedings", out, options=OPTIONS)
    made = letters_app.letters.history(case)
    assert made
    # Recording a letter before proceedings as sent adds that event to the case.
    sent = letters_app.letters.record_sent(made[0].id, clock.today())
    assert sent.sent_event
    with pytest.raises(ExchangeError, match=f"{case}: 1 event"):
        letters_app.exchange.import_file(exported)
    letters_app.exchange.import_file(exported, replace=True)
    after = letters_app.letters.history(case)
    assert [r.id for r in after] == [r.id for r in made]  # an import removes no letter record
    assert next(r for r in after if r.id == made[0].id).sent_on == clock.today()
