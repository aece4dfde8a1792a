"""Issue 12, item 5: errors in the right words for the right backend, the password masked,
and the driver's codes (never personal data) in the log for the IT team."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from plo_tracker.cli import main
from tests.conftest import log_file

EXAMPLE = Path(__file__).parent / "data" / "example-cases.json"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@contextlib.contextmanager
def immutable(path: Path) -> Iterator[None]:
    """Read-only even for root (tests run as root in CI): the immutable attribute."""
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not available")
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("this file system has no immutable attribute")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "team"
    folder.mkdir()
    path = folder / "cases.db"
    assert run(capsys, "--db", str(path), "--user", "admin", "import", str(EXAMPLE))[0] == 0
    return path


# -- SQLite: the file and its folder -----------------------------------------------------------


def test_a_read_only_file_is_said_in_file_words(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = digest(db)
    with immutable(db):
        code, out, err = run(
            capsys, "--db", str(db), "--user", "admin", "policy", "set", "review_weeks", "7"
        )
        assert code == 1 and out == ""
        assert f"The database file {db} is read-only for you" in err
        assert "login" not in err and "server" not in err  # not PostgreSQL's words
        # Reading still works.
        code, out, _err = run(
            capsys, "--db", str(db), "--user", "admin", "flags", "--as-of", "2024-05-01"
        )
        assert code == 0 and "PLO-2024-0007" in out
    assert digest(db) == before
    assert "sqlite=SQLITE_READONLY" in log_file().read_text()


def test_a_read_only_folder_is_said_in_folder_words(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for leftover in db.parent.glob("cases.db-*"):
        leftover.unlink()
    with immutable(db.parent):
        code, out, err = run(capsys, "--db", str(db), "--user", "admin", "flags")
    assert code == 1 and out == ""
    assert f"The folder {db.parent} is read-only for you" in err and "journal" in err
    assert "SQLITE_CANTOPEN" in log_file().read_text()


def test_a_damaged_file_is_said_to_be_damaged(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = bytearray(db.read_bytes())
    data[100:8192] = b"\xff" * (8192 - 100)  # the first pages, past the header
    db.write_bytes(bytes(data))
    before = digest(db)
    code, out, err = run(capsys, "--db", str(db), "--user", "admin", "flags")
    assert code == 1 and out == ""
    assert "damaged" in err and "Traceback" not in err
    assert digest(db) == before


def test_a_missing_folder_is_said_in_folder_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "no-such-folder" / "cases.db"
    code, _out, err = run(capsys, "--db", str(path), "import", str(EXAMPLE))
    assert code == 1 and f"The folder {path.parent} does not exist" in err


# -- PostgreSQL: the server, with the cause -------------------------------------------------------


def test_a_refused_connection_names_the_host_and_port(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "--db", "postgresql://someone:s3cret@127.0.0.1:1/plo", "flags")
    assert code == 1
    assert "Nothing accepted the connection at 127.0.0.1:1 (connection refused)" in err
    assert "s3cret" not in err
    logged = log_file().read_text()
    assert "driver=psycopg.OperationalError" in logged and "s3cret" not in logged


@pytest.mark.postgres
def test_each_server_problem_has_its_own_words(
    postgres, capsys: pytest.CaptureFixture[str]
) -> None:
    base = postgres.base.set(drivername="postgresql")
    server = f"{base.host or 'localhost (local socket)'}:{base.port or 5432}"

    def attempt(url: str) -> str:
        code, out, err = run(capsys, "--db", url, "flags")
        assert code == 1 and out == "", err
        assert "Traceback" not in err and "Something went wrong" not in err
        return err

    no_db = base.set(database="plo_no_such_database").render_as_string(hide_password=False)
    err = attempt(no_db)
    assert f"The PostgreSQL server at {server} has no database named 'plo_no_such_database'" in err

    no_login = base.set(username="plo_no_such_login", password="hunter22")
    err = attempt(no_login.render_as_string(hide_password=False))
    assert "refused the login 'plo_no_such_login': authentication failed" in err
    assert "hunter22" not in err

    plain = base.render_as_string(hide_password=False)
    err = attempt(plain + "?sslmode=bogus")
    assert "option sslmode has a value PostgreSQL does not accept ('bogus')" in err
    err = attempt(plain + "?colour=blue")
    assert "connection option PostgreSQL does not know: 'colour'" in err
    logged = log_file().read_text()
    assert "hunter22" not in logged
    assert "database problem DatabaseMissingError" in logged
