"""The SQLite file: locked by someone else, or on a network drive."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db.engine import on_network_drive
from plo_tracker.cli import main

EXAMPLE = Path(__file__).parent / "data" / "example-cases.json"


def test_a_locked_file_gives_a_friendly_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "locked.db"
    assert main(["--db", str(db), "import", str(EXAMPLE)]) == 0
    capsys.readouterr()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another program holding the file
    try:
        code = main(["--db", str(db), "policy", "set", "review_weeks", "7"])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    err = capsys.readouterr().err
    assert code == 1
    assert "The database is busy" in err and "try again" in err
    assert "Traceback" not in err


def test_network_drives_are_recognised(tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/vda1 / ext4 rw 0 0\n//server/team {share} cifs rw 0 0\n")
    assert on_network_drive(share / "plo.db", mounts)
    assert not on_network_drive(tmp_path / "local.db", mounts)
    assert not on_network_drive(tmp_path / "x.db", tmp_path / "no-such-file")
