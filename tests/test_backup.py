"""Backups and restores on both databases, checked by opening what they wrote."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import URL

from db import backup as backups
from db.engine import sqlite_url
from db.errors import StoreError
from plo_tracker.app import open_app
from plo_tracker.cli import main
from plo_tracker.domain.model import Child
from plo_tracker.services.cases import CaseHeader

EXAMPLE = Path(__file__).parent / "data" / "example-cases.json"


def export(url: URL) -> list:
    context = open_app(url, username="admin")
    try:
        return context.exchange.export_cases()["cases"]
    finally:
        context.close()


def test_backup_and_restore(
    db_url: URL, tmp_path: Path, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
) -> None:
    context = open_app(db_url, username="admin", create=True)
    context.exchange.import_file(EXAMPLE)
    context.close()
    before = export(db_url)
    target = tmp_path / "backup.plo"
    assert (
        main(
            [
                "--db",
                db_url.render_as_string(hide_password=False),
                "--user",
                "admin",
                "backup",
                str(target),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "checked" in out and "3 cases" in out
    assert target.stat().st_mode & 0o777 == 0o600
    report = backups.check_backup(target)
    assert report.rows["cases"] == 3 and report.rows["events"] == 14

    # Change the database after the backup, then restore.
    context = open_app(db_url, username="admin")
    context.cases.create(
        CaseHeader(reference="AFTER-1", team="Case Management 1", social_worker="Tom Baker"),
        [Child("Ann Lee", date_of_birth=dt.date(2020, 1, 1))],
    )
    context.close()
    if db_url.get_backend_name() == "sqlite":
        restore_url = db_url
    else:
        restore_url = request.getfixturevalue("postgres").create(migrated=False)
    assert (
        main(
            [
                "--db",
                restore_url.render_as_string(hide_password=False),
                "--user",
                "admin",
                "restore",
                str(target),
                "--yes",
            ]
        )
        == 0
    )
    assert "Restored 3 cases" in capsys.readouterr().out
    assert export(restore_url) == before
    # Ids continue after the restored ones.
    context = open_app(restore_url, username="admin")
    try:
        created = context.cases.create(
            CaseHeader(reference="NEW-2", team="Case Management 1", social_worker="Tom Baker"),
            [Child("Ann Lee", date_of_birth=dt.date(2020, 1, 1))],
        )
        assert created.id is not None and created.children[0].id is not None
        assert any(e.action == "restore" for e in context.audit.recent(50))
    finally:
        context.close()


def test_sqlite_restore_keeps_the_old_file_aside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "live.db"
    assert main(["--db", str(db), "import", str(EXAMPLE)]) == 0
    backup = tmp_path / "b.plo"
    assert main(["--db", str(db), "backup", str(backup)]) == 0
    assert main(["--db", str(db), "delete-case", "PLO-2024-0007", "--yes"]) == 0
    capsys.readouterr()
    assert main(["--db", str(db), "restore", str(backup)]) == 1
    assert "--yes" in capsys.readouterr().err
    assert main(["--db", str(db), "restore", str(backup), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "kept in" in out
    aside = list(tmp_path.glob("live.db.bak-before-restore-*"))
    assert len(aside) == 1
    with sqlite3.connect(aside[0]) as old:
        assert old.execute("SELECT count(*) FROM cases").fetchone() == (2,)
    with sqlite3.connect(db) as new:
        assert new.execute("SELECT count(*) FROM cases").fetchone() == (3,)


def test_backup_refuses_an_existing_file_and_damaged_backups(tmp_path: Path) -> None:
    context = open_app(sqlite_url(tmp_path / "a.db"), username="admin", create=True)
    try:
        existing = tmp_path / "exists.plo"
        existing.write_text("x")
        with pytest.raises(StoreError, match="already exists"):
            backups.backup(context.db, existing)
    finally:
        context.close()
    junk = tmp_path / "junk.plo"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)
    with pytest.raises(StoreError, match=r"cannot be opened|damaged|not a PLO"):
        backups.check_backup(junk)
    with pytest.raises(StoreError, match="no backup file"):
        backups.check_backup(tmp_path / "missing.plo")


@pytest.mark.postgres
def test_restore_into_a_non_empty_postgres_database_is_refused(postgres, tmp_path: Path) -> None:
    source = sqlite_url(tmp_path / "s.db")
    context = open_app(source, username="admin", create=True)
    context.exchange.import_file(EXAMPLE)
    report = backups.backup(context.db, tmp_path / "b.plo")
    context.close()
    target = postgres.create()
    busy = open_app(target, username="admin")
    busy.exchange.import_file(EXAMPLE)
    before = busy.exchange.export_cases()
    try:
        with pytest.raises(StoreError, match="already holds records"):
            backups.restore(report.path, busy.db)
        assert busy.exchange.export_cases() == before
    finally:
        busy.close()


@pytest.mark.postgres
def test_a_single_user_file_moves_to_postgres(postgres, tmp_path: Path) -> None:
    """A council outgrowing its SQLite file restores its backup into PostgreSQL."""
    source = sqlite_url(tmp_path / "single.db")
    context = open_app(source, username="admin", create=True)
    context.exchange.import_file(EXAMPLE)
    expected = context.exchange.export_cases()
    report = backups.backup(context.db, tmp_path / "move.plo")
    context.close()
    target = postgres.create(migrated=False)
    from db.session import Database

    db = Database(target)
    try:
        backups.restore(report.path, db)
    finally:
        db.dispose()
    moved = open_app(target, username="admin")
    try:
        assert moved.exchange.export_cases() == expected
    finally:
        moved.close()
