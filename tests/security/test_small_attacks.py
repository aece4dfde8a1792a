"""The smaller attacks of issue 22: unaudited output files, failures not named in words.

* Export and backup files stand only once their audit entry has committed: with the
  database busy (another program holding its write lock), the audit entry cannot be saved,
  and no file is left.
* PostgreSQL and disk failures are named in words (connection limit, server starting,
  statement timeout, disk full), never "did not expect"; the log holds the codes.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import make_url, text

from db.session import translate
from plo_tracker.cli import main

EXAMPLE = Path(__file__).parent.parent / "data" / "example-cases.json"


@pytest.fixture
def live(tmp_path: Path) -> Path:
    path = tmp_path / "live.db"
    assert main(["--db", str(path), "import", str(EXAMPLE)]) == 0
    return path


@contextlib.contextmanager
def write_lock_held(path: Path) -> Iterator[None]:
    """Another program holds the database's write lock (SQLite: BEGIN IMMEDIATE)."""
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def audit_count(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(path)) as connection:
        return connection.execute("SELECT count(*) FROM audit_log").fetchone()[0]


@pytest.mark.parametrize("command", ["export", "backup"])
def test_no_output_is_left_when_its_audit_entry_cannot_be_saved(
    live: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    audited = audit_count(live)
    capsys.readouterr()
    with write_lock_held(live):
        code = main(["--db", str(live), command, str(out_dir / "cases.out")])
    err = capsys.readouterr().err
    assert code == 1 and "busy" in err and "did not expect" not in err
    assert list(out_dir.iterdir()) == [], "no personal-data file is left unaudited"
    assert audit_count(live) == audited
    # Once the database is free the same command writes the file and its audit entry.
    assert main(["--db", str(live), command, str(out_dir / "cases.out")]) == 0
    assert (out_dir / "cases.out").is_file() and audit_count(live) == audited + 1


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 96 KB file system (a tmpfs), where there is room for almost nothing."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small file system here (needs root)")
    try:
        yield folder
    finally:
        if subprocess.run(["umount", str(folder)], check=False).returncode != 0:
            subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_during_backup_is_named(
    live: Path, tiny_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    audited = audit_count(live)
    code = main(["--db", str(live), "backup", str(tiny_disk / "b.plo")])
    err = capsys.readouterr().err
    assert code == 1, err
    assert f"The disk holding {tiny_disk} is full" in err and "did not expect" not in err
    assert list(tiny_disk.iterdir()) == []
    assert audit_count(live) == audited


def test_a_full_disk_during_export_is_named(
    live: Path, tiny_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    filler = tiny_disk / "filler"
    with contextlib.suppress(OSError):
        filler.write_bytes(b"x" * 200_000)
    capsys.readouterr()
    code = main(["--db", str(live), "export", str(tiny_disk / "cases.json")])
    err = capsys.readouterr().err
    assert code == 1 and "No space left on device" in err and "did not expect" not in err
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler"]


# -- PostgreSQL, on the real server ---------------------------------------------------------


@pytest.mark.postgres
def test_the_connection_limit_is_named(postgres, capsys: pytest.CaptureFixture[str]) -> None:
    url = postgres.create()
    role = f"plo_limit_{uuid.uuid4().hex[:8]}"
    with postgres.admin.connect() as connection:
        connection.execute(text(f'CREATE ROLE "{role}" LOGIN CONNECTION LIMIT 0'))
    try:
        capsys.readouterr()
        code = main(["--db", url.set(username=role).render_as_string(False), "flags"])
        err = capsys.readouterr().err
        assert code == 1, err
        assert "has no free connection: its connection limit is reached" in err
    finally:
        with postgres.admin.connect() as connection:
            connection.execute(text(f'DROP ROLE "{role}"'))


@pytest.mark.postgres
def test_a_statement_timeout_is_named(postgres, capsys: pytest.CaptureFixture[str]) -> None:
    url = postgres.create()
    dsn = url.render_as_string(False)
    assert main(["--db", dsn, "import", str(EXAMPLE)]) == 0
    timed = url.update_query_dict({"options": "-c statement_timeout=300 -c lock_timeout=0"})
    plain = url.set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(plain) as blocker:
        blocker.execute("LOCK TABLE cases IN ACCESS EXCLUSIVE MODE")
        capsys.readouterr()
        code = main(["--db", timed.render_as_string(False), "flags"])
        err = capsys.readouterr().err
        blocker.rollback()
    assert code == 1, err
    assert "ran past the server's time limit (statement timeout)" in err


def test_a_server_starting_up_is_named() -> None:
    """The server's own answer while it starts (its error class and SQLSTATE 57P03)."""
    url = make_url("postgresql+psycopg://plo@db.example:5432/plo")
    for answer in (
        psycopg.errors.CannotConnectNow("the database system is starting up"),
        psycopg.OperationalError(
            'connection failed: connection to server at "10.0.0.5", port 5432 failed: '
            "FATAL:  the database system is starting up"
        ),
    ):
        error = sa_exc.OperationalError("SELECT 1", {}, answer)
        known = translate(error, url)
        assert known is not None
        assert "is starting up or shutting down" in str(known)
        assert "db.example:5432" in str(known)


def test_named_failures_leave_their_codes_in_the_log(
    live: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    with write_lock_held(live), caplog.at_level("WARNING", logger="plo_tracker.db"):
        assert main(["--db", str(live), "export", str(live.parent / "x.json")]) == 1
    assert any("sqlite=SQLITE_BUSY" in r.getMessage() for r in caplog.records)
    assert os.listdir(live.parent).count("x.json") == 0
