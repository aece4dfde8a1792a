"""An import maps the teams and staff it names onto the database's (issue 20, item 5).

Exact match after trimming; unknown names refused with the case, the JSON path and the
close matches, nothing written; ``--create-missing`` (and any import while no team is
registered: a council's first database) adds them as not yet registered, listed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from db.models import AuditEntry, Team, User
from plo_tracker.app import AppContext
from plo_tracker.cli import main
from plo_tracker.errors import UnknownNames
from plo_tracker.permissions import Role
from tests.conftest import as_role

DATA = Path(__file__).parent / "data"
CONTRACT = Path(__file__).resolve().parents[2] / "shared" / "contract"
EXAMPLES = [
    DATA / "example-cases.json",
    DATA / "example-cases-v2.json",
    DATA / "example-cases-v3.json",
]


def counts(app: AppContext) -> tuple[int, int, int]:
    with app.db.read() as session:
        return (
            session.scalar(select(func.count()).select_from(Team)) or 0,
            session.scalar(select(func.count()).select_from(User)) or 0,
            session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
        )


def document(path: Path = EXAMPLES[2]) -> dict[str, Any]:
    return json.loads(path.read_text())


@pytest.mark.parametrize("example", EXAMPLES, ids=["v1", "v2", "v3"])
def test_a_new_database_imports_any_valid_file_adding_its_names(
    app: AppContext, example: Path
) -> None:
    """No team is registered yet (a council's first database): nothing to match against,
    so the names are added, not yet registered, and listed; export gives back the file."""
    before = json.loads(example.read_text())
    result = app.exchange.import_file(example)
    assert result.created == len(before["cases"])
    assert result.added_names.teams == ("Case Management 1", "Case Management 2")
    people = dict(result.added_names.people)
    assert people["Ann Wright"] == Role.TEAM_MANAGER
    assert people["Sara Khan"] == Role.LEGAL_LIAISON
    assert people["Tom Baker"] == Role.SOCIAL_WORKER
    text = result.describe()
    assert "Added as not yet registered, for an administrator to confirm" in text
    assert "2 team(s): Case Management 1; Case Management 2" in text
    assert all(not t.registered for t in app.teams.list())
    waiting = {u.display_name for u in app.users.unregistered()}
    staff = {
        c.get(k)
        for c in before["cases"]
        for k in ("social_worker", "team_manager", "legal_liaison")
    }
    assert waiting == staff - {None}
    exported = {c["reference"]: c for c in app.exchange.export_cases()["cases"]}
    for case in before["cases"]:
        for key in ("team", "social_worker", "team_manager", "legal_liaison"):
            assert exported[case["reference"]].get(key) == case.get(key)
    # Importing it again adds nothing and changes nothing.
    again = app.exchange.import_file(example)
    assert again.unchanged == len(before["cases"]) and not again.added_names.people
    assert again.describe().endswith("Nothing was changed.")


def test_init_then_import_of_the_contract_examples_succeeds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The way a council starts (and the contract is checked): init, import, flags, export."""
    for number, example in enumerate(sorted(CONTRACT.glob("example-cases*.json"))):
        db = str(tmp_path / f"new{number}.db")
        assert main(["--db", db, "init"]) == 0
        assert main(["--db", db, "import", str(example)]) == 0, capsys.readouterr().err
        out = capsys.readouterr().out
        assert "Added as not yet registered" in out
        assert main(["--db", db, "flags", "--as-of", "2024-03-20", "--format", "json"]) == 0
        assert json.loads(capsys.readouterr().out)
        assert main(["--db", db, "export", str(tmp_path / f"out{number}.json")]) == 0
        assert main(["--db", db, "import", str(tmp_path / f"out{number}.json")]) == 0
        assert "Nothing was changed." in capsys.readouterr().out


def test_unknown_names_are_refused_once_a_team_is_registered(app: AppContext) -> None:
    app.exchange.import_file(EXAMPLES[2])
    app.teams.confirm("Case Management 1")
    data = document()
    data["cases"][1]["team"] = "Case Managment 1"
    data["cases"][3]["social_worker"] = "Megan Hughs"
    data["cases"][3]["legal_liaison"] = "Nobody Known"
    data["cases"][2]["children"][0]["name"] = "A Changed Name"
    before = counts(app)
    with pytest.raises(UnknownNames) as caught:
        app.exchange.import_text(json.dumps(data), replace=True)
    error = caught.value
    assert (error.case, error.path) == ("PLO-2024-0011", "cases[1].team")
    assert str(error).startswith(
        "Import refused, nothing was changed. Case PLO-2024-0011, cases[1].team: 'Case "
        "Managment 1' is not a team in this database. Did you mean: 'Case Management 1'"
    )
    assert (
        "Also unknown: user 'Megan Hughs' (case PLO-2024-0031, cases[3].social_worker); user "
        "'Nobody Known' (case PLO-2024-0031, cases[3].legal_liaison)." in str(error)
    )
    assert "--create-missing" in str(error)
    assert len(error.unknown) == 3
    # Nothing was written: not the cases, not a name, not an audit row.
    assert counts(app) == before
    assert app.cases.get("PLO-2023-0042").children[0].name != "A Changed Name"
    # Asked for, the names are added and listed.
    result = app.exchange.import_text(json.dumps(data), replace=True, create_missing=True)
    assert result.added_names.teams == ("Case Managment 1",)
    assert dict(result.added_names.people) == {
        "Megan Hughs": Role.SOCIAL_WORKER,
        "Nobody Known": Role.LEGAL_LIAISON,
    }
    assert app.cases.get("PLO-2023-0042").children[0].name == "A Changed Name"
    added = {u.display_name: u for u in app.users.unregistered()}
    assert added["Megan Hughs"].team == "Case Management 1" and not added["Megan Hughs"].active
    assert added["Nobody Known"].team is None
    trail = [e for e in app.audit.recent(50) if e.entity in ("teams", "users")]
    created = {e.changes["name"][1] for e in trail if e.entity == "teams" and e.action == "create"}
    assert created == {"Case Managment 1", "Case Management 1", "Case Management 2"}


def test_names_match_exactly_after_trimming_and_any_user_or_team_counts(
    app: AppContext,
) -> None:
    """A file holds history: a retired team and someone switched off still match; the case
    keeps the name as the file spells it, so export gives back the file."""
    app.exchange.import_file(EXAMPLES[0])
    app.teams.confirm("Case Management 1")
    app.teams.confirm("Case Management 2")
    app.users.confirm("Tom Baker", "tom.baker")
    app.users.update("tom.baker", app.users.get("tom.baker").version, active=False)
    app.teams.retire("Case Management 2")
    data = document(EXAMPLES[0])
    data["cases"][1]["team"] = "  Case Management 1 "
    data["cases"][0]["team_manager"] = "David Evans\u00a0"  # a no-break space is trimmed too
    result = app.exchange.import_text(json.dumps(data))
    assert result.replaced == 2 and not result.added_names.teams and not result.added_names.people
    assert app.cases.get("PLO-2024-0011").team == "  Case Management 1 "
    exported = {c["reference"]: c for c in app.exchange.export_cases()["cases"]}
    assert exported["PLO-2024-0011"]["team"] == "  Case Management 1 "
    # Case differs: not the same name (the close match is offered).
    data["cases"][1]["team"] = "case management 1"
    with pytest.raises(UnknownNames, match="Did you mean: 'Case Management 1'"):
        app.exchange.import_text(json.dumps(data))


def test_a_person_named_as_manager_anywhere_is_added_as_a_team_manager(app: AppContext) -> None:
    data = document()
    data["cases"][2]["social_worker"] = "Ann Wright"  # a manager holding a case
    result = app.exchange.import_text(json.dumps(data))
    assert dict(result.added_names.people)["Ann Wright"] == Role.TEAM_MANAGER


def test_whoever_may_import_may_add_the_names_and_nobody_else(app: AppContext) -> None:
    app.teams.add("Case Management 1")  # a team is registered: names must be known
    manager = as_role(app, Role.TEAM_MANAGER, "tm.imports", team="Case Management 1")
    with pytest.raises(UnknownNames, match="'Case Management 2' is not a team"):
        manager.exchange.import_file(EXAMPLES[1])
    result = manager.exchange.import_file(EXAMPLES[1], create_missing=True)
    assert result.added_names.teams == ("Case Management 2",)
    assert {u.display_name for u in app.users.unregistered()} >= {"Megan Hughes", "Tom Baker"}
    entries = [e for e in app.audit.recent(100) if e.entity == "users"]
    assert entries and all(e.username == "tm.imports" for e in entries[:5])


def test_command_line_create_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "cases.db")
    base = ["--db", db, "--user", "admin"]
    assert main([*base, "init"]) == 0
    assert main([*base, "teams", "add", "Case Management 1"]) == 0
    capsys.readouterr()
    path = tmp_path / "cases.json"
    shutil.copy(EXAMPLES[2], path)
    assert main([*base, "import", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "Imported" not in out
    assert "Case PLO-2024-0007, cases[0].team: 'Case Management 2' is not a team" in err
    assert "import with --create-missing" in err
    assert main([*base, "import", str(path), "--create-missing"]) == 0
    out = capsys.readouterr().out
    assert "4 new" in out and "1 team(s): Case Management 2" in out
    assert "Megan Hughes (social worker)" in out and "Joanne Price (team manager)" in out
