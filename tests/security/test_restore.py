"""Restore takes only a backup PLO Tracker made, unchanged, with the app's own schema.

Each hostile backup is refused naming what is wrong, and the live database is left
byte for byte as it was (no file beside it added or removed).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from db import backup_checks
from db.identity import APPLICATION_ID
from db.migrate import head_revision
from plo_tracker.cli import main

EXAMPLE = Path(__file__).parent.parent / "data" / "example-cases.json"
OLD_SCHEMA = Path(__file__).parent.parent / "data" / "schema-0001.db"


@pytest.fixture
def live(tmp_path: Path) -> Path:
    path = tmp_path / "live.db"
    assert main(["--db", str(path), "import", str(EXAMPLE)]) == 0
    return path


@pytest.fixture
def backup(live: Path, tmp_path: Path) -> Path:
    path = tmp_path / "b.plo"
    assert main(["--db", str(live), "backup", str(path)]) == 0
    assert backup_checks.manifest_path(path).is_file()
    return path


def listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def refused(live: Path, backup: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    before = listing(live.parent)
    assert main(["--db", str(live), "restore", str(backup), "--yes"]) == 1
    _out, err = capsys.readouterr()
    assert "Traceback" not in err and "did not expect" not in err
    assert f"{backup.name} was not restored" in err and "left untouched" in err, err
    assert listing(live.parent) == before, "the live database and its folder are unchanged"
    return err


def changed(backup: Path, *statements: str, manifest: bool = True) -> None:
    """Change the backup with SQL; with ``manifest`` the forger rewrites its checksum too."""
    with sqlite3.connect(backup) as connection:
        for statement in statements:
            connection.execute(statement)
    connection.close()
    if manifest:
        path = backup_checks.manifest_path(backup)
        document = json.loads(path.read_text())
        document["bytes"] = backup.stat().st_size
        document["sha256"] = backup_checks.file_sha256(backup)
        path.write_text(json.dumps(document))


def test_a_tampered_backup_is_refused(live, backup, capsys) -> None:
    changed(backup, "UPDATE children SET name = 'Someone Else'", manifest=False)
    err = refused(live, backup, capsys)
    assert "changed after it was made (its checksum does not match its manifest)" in err


def test_a_backup_without_its_manifest_is_refused(live, backup, capsys) -> None:
    backup_checks.manifest_path(backup).unlink()
    assert "it has no manifest" in refused(live, backup, capsys)


def test_a_forged_manifest_is_refused(live, backup, capsys) -> None:
    backup_checks.manifest_path(backup).write_text('{"format": "plo-tracker-backup"}')
    assert "is not a PLO Tracker backup manifest" in refused(live, backup, capsys)


def test_a_backup_with_an_extra_table_is_refused(live, backup, capsys) -> None:
    changed(backup, "CREATE TABLE stash (secret TEXT)")
    err = refused(live, backup, capsys)
    assert "it has tables PLO Tracker does not make: stash" in err


def test_a_backup_with_a_trigger_is_refused(live, backup, capsys) -> None:
    """A trigger in a restored database would later delete oversight events on import."""
    changed(
        backup,
        "CREATE TRIGGER eat_oversight AFTER INSERT ON events WHEN NEW.id % 2 = 0 "
        "BEGIN DELETE FROM events WHERE id = NEW.id; END",
    )
    assert "it has triggers PLO Tracker does not make: eat_oversight" in refused(
        live, backup, capsys
    )


def test_a_backup_with_a_changed_audit_trigger_is_refused(live, backup, capsys) -> None:
    changed(backup, "DROP TRIGGER audit_log_no_delete")
    assert "it lacks the triggers audit_log_no_delete" in refused(live, backup, capsys)


def test_a_backup_with_a_view_is_refused(live, backup, capsys) -> None:
    changed(backup, "CREATE VIEW everyone AS SELECT name FROM children")
    assert "it has views PLO Tracker does not make: everyone" in refused(live, backup, capsys)


def test_a_backup_with_a_changed_table_is_refused(live, backup, capsys) -> None:
    changed(backup, "ALTER TABLE children ADD COLUMN note TEXT")
    assert "its table children does not have PLO Tracker's columns" in refused(live, backup, capsys)


def test_a_fake_holding_only_cases_and_alembic_version_is_refused(live, tmp_path, capsys) -> None:
    fake = tmp_path / "fake.plo"
    with sqlite3.connect(fake) as connection:
        connection.execute(f"PRAGMA application_id={APPLICATION_ID}")
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        connection.execute("INSERT INTO alembic_version VALUES (?)", (head_revision(),))
        connection.execute("CREATE TABLE cases (id INTEGER PRIMARY KEY, reference TEXT)")
    connection.close()
    backup_checks.write_manifest(fake, head_revision(), {"cases": 0})
    capsys.readouterr()
    before = listing(live.parent)
    assert main(["--db", str(live), "restore", str(fake), "--yes"]) == 1
    err = capsys.readouterr().err
    assert "it lacks the tables" in err or "not a PLO Tracker backup" in err, err
    assert listing(live.parent) == before
    with sqlite3.connect(live) as connection:
        assert connection.execute("SELECT count(*) FROM cases").fetchone() == (3,)


def test_a_real_backup_is_restored_through_a_copy(live, backup, capsys) -> None:
    assert main(["--db", str(live), "delete-case", "PLO-2024-0007", "--yes"]) == 0
    assert main(["--db", str(live), "restore", str(backup), "--yes"]) == 0
    with sqlite3.connect(live) as connection:
        assert connection.execute("SELECT count(*) FROM cases").fetchone() == (3,)
    connection.close()
    assert not list(live.parent.glob(".live.db.restoring-*"))


def test_a_backup_of_an_upgraded_old_database_is_restored(tmp_path, capsys) -> None:
    """A council's file from the first schema, upgraded since, backs up and restores."""
    live = tmp_path / "old.db"
    shutil.copy(OLD_SCHEMA, live)
    main(["--db", str(live), "migrate"])
    backup = tmp_path / "old.plo"
    admin = ["--db", str(live), "--user", "fixture"]
    assert main([*admin, "backup", str(backup)]) == 0, capsys.readouterr().err
    assert main([*admin, "restore", str(backup), "--yes"]) == 0, capsys.readouterr().err
