"""Issue 25: ``check-letter FILE`` needs no database (it only reads the file), and
``letter-history`` names people, not their logins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.letters.helpers import make_docx
from tests.letters.test_cli import CASE, db, opened, run

__all__ = ["db"]  # the command line's own database, from the letter commands' tests


def test_check_letter_runs_without_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    letter = make_docx(
        tmp_path / "from Word.docx",
        "Dear Ms Jones,",
        "The local authority has decided that the threshold is met.",
    )
    missing = tmp_path / "nowhere" / "plo.db"
    code, out, err = run(missing, "check-letter", str(letter), "--format", "json", capsys=capsys)
    assert code == 0, err
    report = json.loads(out)
    assert {j["term"].lower() for j in report["jargon"]} >= {"the local authority", "threshold"}
    assert err.strip() == (
        "No PLO Tracker database could be opened, so the council's own jargon list was not "
        "used (the shipped list was)."
    )
    assert not missing.exists() and not missing.parent.exists(), "nothing was created"


def test_letter_history_names_who_made_each_letter(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(
        db,
        "letter",
        CASE,
        "letter_before_proceedings",
        "--out",
        str(tmp_path),
        "--draft",
        capsys=capsys,
    )
    assert code == 0, err
    with opened(db) as ctx:
        login = ctx.actor.username

        ctx.users.update(login, ctx.users.get(login).version, display_name="Robin Admin")
    code, out, _ = run(db, "letter-history", CASE, capsys=capsys)
    assert code == 0 and "Robin Admin" in out
    code, out, _ = run(db, "letter-history", CASE, "--format", "json", capsys=capsys)
    history = json.loads(out)
    assert {h["generated_by_name"] for h in history} == {"Robin Admin"}
    assert {h["generated_by"] for h in history} == {login}
