"""Killing a process in the middle of a large import leaves all of it or none of it."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import URL, create_engine, text

from plo_tracker import clock
from plo_tracker.app import open_app
from plo_tracker.demo import generate
from plo_tracker.exchange import document_to_json

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = Path(__file__).parent / "data" / "example-cases.json"
CASES = 6000


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.json"
    cases = generate(CASES, today=clock.today(), seed=7)
    path.write_text(json.dumps(document_to_json(cases)))
    return path


def writing_started(url: URL, pid: int) -> bool:
    if url.get_backend_name() == "sqlite":
        wal = Path(str(url.database) + "-wal")
        return wal.exists() and wal.stat().st_size > 2_000_000
    engine = create_engine(url.set(drivername="postgresql+psycopg"))
    try:
        with engine.connect() as conn:
            return bool(
                conn.execute(
                    text(
                        "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() "
                        "AND pid <> pg_backend_pid() AND xact_start IS NOT NULL "
                        "AND backend_xid IS NOT NULL"
                    )
                ).first()
            )
    finally:
        engine.dispose()


@pytest.mark.slow
def test_killed_import_leaves_the_database_whole(db_url: URL, big_file: Path) -> None:
    context = open_app(db_url, username="admin", create=True)
    context.exchange.import_file(EXAMPLE)
    before = context.exchange.export_cases()
    context.close()
    dsn = db_url.render_as_string(hide_password=False)
    env = dict(os.environ, PYTHONPATH=str(ROOT), PLO_TRACKER_USER="admin")
    process = subprocess.Popen(
        [sys.executable, "-m", "plo_tracker", "--db", dsn, "import", str(big_file)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not writing_started(db_url, process.pid):
        assert process.poll() is None, "the import finished before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    if db_url.get_backend_name() == "sqlite":
        with sqlite3.connect(db_url.database) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    context = open_app(db_url, username="admin")
    try:
        after = context.exchange.export_cases()
        # None of it: the three cases that were there, exactly as they were.
        assert after == before
        assert len(context.cases.references()) == 3
        # And the database still works: the same import now goes through in full.
        result = context.exchange.import_file(big_file)
        assert result.created == CASES
        assert len(context.cases.references()) == CASES + 3
    finally:
        context.close()
