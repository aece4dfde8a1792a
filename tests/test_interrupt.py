"""Issue 12, item 6: Ctrl-C ends with one line, no traceback, and says truthfully what was
saved; demo data has a maximum."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import URL

from plo_tracker.app import open_app
from plo_tracker.cli import main
from plo_tracker.interrupts import interrupted_message, was_interrupted
from plo_tracker.services.demo_setup import MAX_CASES, DemoSetupService
from tests.test_kill_import import EXAMPLE, big_file, writing_started  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]


def launcher() -> list[str]:
    """The installed ``plo-tracker`` command (what a user types), else its entry point."""
    script = Path(sys.executable).parent / "plo-tracker"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from ui.launcher import main; raise SystemExit(main())"]


def start(*args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PLO_TRACKER_USER="admin")
    return subprocess.Popen(
        [*launcher(), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A child of a non-interactive shell may start with SIGINT ignored; a user's is not.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def loaded(pid: int, library: str) -> bool:
    """True once the process has loaded a compiled module whose path holds ``library``."""
    try:
        return library in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


def wait_for(condition, process: subprocess.Popen[str], what: str) -> None:
    deadline = time.monotonic() + 120
    while not condition():
        assert process.poll() is None, f"the command ended before {what}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def interrupt(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    return process.returncode, out, err


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    return lines[0]


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs /proc (Linux)")
def test_ctrl_c_while_the_program_is_still_loading(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    process = start("--db", str(db), "import", str(EXAMPLE))
    # SQLAlchemy's compiled parts load while the command line is being built.
    wait_for(lambda: loaded(process.pid, "sqlalchemy"), process, "loading")
    code, out, err = interrupt(process)
    line = one_line(err)
    assert code == 130, err
    assert out == ""
    assert "Stopped (Ctrl-C)" in line and "saved" in line
    assert not db.exists() or "only opening the database" in line


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs /proc (Linux)")
def test_ctrl_c_during_an_import_saves_none_of_it_and_says_so(
    db_url: URL,
    big_file: Path,  # noqa: F811
) -> None:
    context = open_app(db_url, username="admin", create=True)
    context.exchange.import_file(EXAMPLE)
    before = context.exchange.export_cases()
    context.close()
    dsn = db_url.render_as_string(hide_password=False)
    process = start("--db", dsn, "import", str(big_file))
    wait_for(lambda: writing_started(db_url, process.pid), process, "writing")
    code, out, err = interrupt(process)
    line = one_line(err)
    assert code == 130
    assert out == ""
    assert line == "Error: Stopped (Ctrl-C). Nothing was saved: the database is as it was."
    context = open_app(db_url, username="admin")
    try:
        assert context.exchange.export_cases() == before
    finally:
        context.close()


def test_the_message_counts_what_was_saved() -> None:
    from db.session import note_saved, saved_transactions

    start_count = saved_transactions()
    assert "Nothing was saved" in interrupted_message(start_count, start_count)
    note_saved()  # opening: say, the database was set up
    message = interrupted_message(start_count, saved_transactions(), "import")
    assert "Nothing of what 'import' was doing was saved" in message
    started = saved_transactions()
    note_saved()
    note_saved()
    message = interrupted_message(start_count, started, "letters")
    assert "2 change(s) had already been saved" in message and "under way was not" in message


def test_a_failure_while_tidying_up_after_ctrl_c_is_still_an_interruption() -> None:
    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise RuntimeError("rollback failed") from None
    except RuntimeError as error:
        assert was_interrupted(error)
    assert not was_interrupted(ValueError("x"))


def test_demo_data_has_a_maximum(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "demo.db"
    with pytest.raises(SystemExit) as stopped:
        main(["--db", str(db), "demo-data", "--cases", "100000000"])
    assert stopped.value.code == 2
    assert f"demo data holds at most {MAX_CASES:,} cases" in capsys.readouterr().err
    assert not db.exists()


def test_the_demo_service_refuses_more_than_the_maximum(sqlite_app) -> None:
    from plo_tracker.errors import PloError

    with pytest.raises(PloError, match="at most 50,000 cases"):
        DemoSetupService(sqlite_app.db, sqlite_app.actor).fill(MAX_CASES + 1)
    assert sqlite_app.cases.references() == []


def test_demo_data_reports_progress_while_making_and_writing(sqlite_app) -> None:
    made: list[tuple[int, int]] = []
    written: list[tuple[int, int]] = []
    DemoSetupService(sqlite_app.db, sqlite_app.actor).fill(
        1200, progress=lambda d, t: written.append((d, t)), making=lambda d, t: made.append((d, t))
    )
    assert made and made[-1] == (1000, 1200)
    assert written[-1] == (1200, 1200) and len(written) >= 3
