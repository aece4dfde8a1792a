"""Issue 12, items 1 and 2: reading commands never create a database, and only PLO
Tracker databases are opened (anything else is refused with its bytes unchanged)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import URL, create_engine, inspect, text

from db import identity
from db.engine import sqlite_url
from db.errors import NotPloDatabaseError
from plo_tracker.app import open_app
from plo_tracker.cli import main

EXAMPLE = Path(__file__).parent / "data" / "example-cases.json"
FIRST_RELEASE = Path(__file__).parent / "data" / "schema-0001.db"

READING_COMMANDS = [
    ["flags"],
    ["flags", "--team", "Case Management 1"],
    ["export", "{dir}/out.json"],
    ["report", "timeliness", "--from", "2024-01-01", "--to", "2024-12-31"],
    ["census", "--reference-date", "2027-03-31", "--check"],
    ["census-settings"],
    ["audit", "PLO-2024-0007"],
    ["sar-export", "PLO-2024-0007", "{dir}/sar.json"],
    ["delete-case", "PLO-2024-0007", "--yes"],
    ["letter", "PLO-2024-0007", "letter_before_proceedings", "--preview"],
    ["letters", "--template", "plan_summary", "--cases", "PLO-2024-0007", "--out", "{dir}"],
    ["letter-history", "PLO-2024-0007"],
    ["letter-sent", "1"],
    ["letter-settings"],
    ["templates"],
    ["policy"],
    ["policy", "closures"],
    ["policy", "set", "review_weeks", "7"],
    ["users"],
    ["users", "whoami"],
    ["backup", "{dir}/b.plo"],
    ["migrate", "--status"],
]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(folder: Path) -> dict[str, str]:
    return {p.name: digest(p) for p in sorted(folder.iterdir()) if p.is_file()}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", READING_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_reading_command_on_a_mistyped_path_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    missing = tmp_path / "plo-trakcer.db"
    args = [part.replace("{dir}", str(tmp_path)) for part in command]
    code, out, err = run(capsys, "--db", str(missing), *args)
    assert code == 1, (out, err)
    assert out == ""
    assert err.startswith(f"Error: There is no PLO Tracker database at {missing};"), err
    assert "nothing was created" in err and f"plo-tracker --db {missing} init" in err
    assert "drifting" not in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == [], "nothing at all is written"


def test_the_default_location_is_not_created_by_a_command_either(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PLO_TRACKER_DATA_DIR", str(tmp_path / "data"))
    code, out, err = run(capsys, "flags")
    default = tmp_path / "data" / "plo-tracker.db"
    assert code == 1 and out == ""
    assert f"There is no PLO Tracker database at {default}" in err
    assert "run: plo-tracker init" in err  # no --db needed for the default place
    assert not default.exists()
    # The environment variable is no different.
    monkeypatch.setenv("PLO_TRACKER_DATABASE_URL", str(tmp_path / "env.db"))
    code, _out, err = run(capsys, "policy")
    assert code == 1 and str(tmp_path / "env.db") in err
    assert not (tmp_path / "env.db").exists()


def test_init_creates_a_marked_private_database_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "new.db"
    code, out, err = run(capsys, "--db", str(path), "--user", "kim", "init")
    assert code == 0, err
    assert f"Created a new PLO Tracker database at {path}" in out and "administrator" in out
    assert path.stat().st_mode & 0o777 == 0o600
    assert identity.read_application_id(path) == identity.APPLICATION_ID
    assert not list(tmp_path.glob(".*creating*")), "no temporary file is left behind"
    code, out, _err = run(capsys, "--db", str(path), "--user", "kim", "flags")
    # An empty database is not an all-clear: it says there was nothing to check.
    assert code == 0 and "No case is drifting" not in out
    assert out.startswith("Nothing to check: this database holds no cases")
    code, out, err = run(capsys, "--db", str(path), "--user", "kim", "flags", "--format", "json")
    assert code == 0 and json.loads(out)["flags"] == []
    assert err.startswith("Note: Nothing to check: this database holds no cases")
    before = digest(path)
    code, out, _err = run(capsys, "--db", str(path), "--user", "kim", "init")
    assert code == 0 and "already a PLO Tracker database (0 cases); nothing was changed" in out
    assert digest(path) == before


def test_init_into_a_folder_that_does_not_exist_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "no-such-folder" / "new.db"
    code, _out, err = run(capsys, "--db", str(path), "init")
    assert code == 1
    assert f"The folder {path.parent} does not exist" in err
    assert not path.parent.exists()


@pytest.mark.parametrize(
    "command",
    [
        ["import", str(EXAMPLE)],
        ["demo-data", "--cases", "3"],
        ["migrate"],
        ["users", "add", "sam", "--name", "Sam Lee", "--role", "social_worker"],
    ],
    ids=lambda c: c[0],
)
def test_commands_that_fill_a_database_may_create_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    path = tmp_path / "made.db"
    code, _out, err = run(capsys, "--db", str(path), "--user", "kim", *command)
    assert code == 0, err
    assert identity.check_sqlite_file(path).state is identity.State.PLO


# -- only PLO Tracker databases ---------------------------------------------------------------


def other_program_file(path: Path) -> Path:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        connection.execute("INSERT INTO notes (body) VALUES ('shopping list')")
    return path


def marked_by_another_app(path: Path) -> Path:
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA application_id = 1234")
        connection.execute("CREATE TABLE cases (id INTEGER PRIMARY KEY)")
    return path


def empty_sqlite(path: Path) -> Path:
    with sqlite3.connect(path) as connection:
        connection.execute("VACUUM")
    return path


def zero_bytes(path: Path) -> Path:
    path.touch()
    return path


def text_file(path: Path) -> Path:
    path.write_text("Meeting notes, not a database\n" * 50)
    return path


def other_alembic_app(path: Path) -> Path:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32))")
        connection.execute("INSERT INTO alembic_version VALUES ('ae1027a6acf')")
        connection.execute("CREATE TABLE cases (id INTEGER PRIMARY KEY)")
    return path


FOREIGN = {
    "another program's tables": (other_program_file, "tables PLO Tracker does not make"),
    "another application id": (marked_by_another_app, "another program's database"),
    "an empty SQLite file": (empty_sqlite, "does not hold PLO Tracker's tables"),
    "a 0-byte file": (zero_bytes, "an empty file that PLO Tracker did not make"),
    "a text file": (text_file, "not a SQLite database file"),
    "another Alembic app": (other_alembic_app, "not at a schema version"),
}


@pytest.mark.parametrize("kind", list(FOREIGN))
@pytest.mark.parametrize(
    "command",
    [
        ["flags"],
        ["import", str(EXAMPLE)],
        ["init"],
        ["migrate"],
        ["demo-data", "--cases", "2"],
        ["users", "add", "kim", "--name", "Kim", "--role", "administrator"],
    ],
    ids=lambda c: c[0] if c[0] != "users" else "users add",
)
def test_a_file_that_is_not_plo_trackers_is_refused_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, command: list[str]
) -> None:
    make, words = FOREIGN[kind]
    path = make(tmp_path / "theirs.db")
    before = listing(tmp_path)
    code, out, err = run(capsys, "--db", str(path), "--user", "kim", *command)
    assert code == 1, (out, err)
    assert words in err and "untouched" in err and "Traceback" not in err
    assert listing(tmp_path) == before, "the file's bytes are unchanged and nothing is added"


@pytest.mark.parametrize("kind", ["another program's tables", "a 0-byte file", "a text file"])
def test_restore_takes_only_a_plo_tracker_backup_and_leaves_the_database_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    live = tmp_path / "live.db"
    assert run(capsys, "--db", str(live), "--user", "kim", "import", str(EXAMPLE))[0] == 0
    make, words = FOREIGN[kind]
    bogus = make(tmp_path / "backup.plo")
    before = listing(tmp_path)
    code, out, err = run(capsys, "--db", str(live), "--user", "kim", "restore", str(bogus), "--yes")
    assert code == 1
    assert out == ""
    assert "is not a PLO Tracker backup" in err
    assert {"a 0-byte file": "it is an empty file"}.get(kind, words.split(" (")[0]) in err
    assert "Nothing was restored" in err
    assert listing(tmp_path) == before
    code, out, _err = run(
        capsys,
        "--db",
        str(live),
        "--user",
        "kim",
        "flags",
        "--as-of",
        "2024-05-01",
        "--format",
        "json",
    )
    assert code == 0 and "PLO-2024-0007" in out


def test_restore_says_how_many_cases_the_backup_holds_and_from_when(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    live = tmp_path / "live.db"
    assert run(capsys, "--db", str(live), "--user", "kim", "import", str(EXAMPLE))[0] == 0
    assert (
        run(capsys, "--db", str(live), "--user", "kim", "backup", str(tmp_path / "b.plo"))[0] == 0
    )
    code, out, err = run(
        capsys, "--db", str(live), "--user", "kim", "restore", str(tmp_path / "b.plo")
    )
    assert code == 1
    assert "is a PLO Tracker backup: 3 cases" in out and "last change recorded" in out
    assert "run again with --yes" in err and "Nothing was changed" in err


def test_restore_never_replaces_another_programs_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "source.db"
    assert run(capsys, "--db", str(source), "--user", "kim", "import", str(EXAMPLE))[0] == 0
    assert (
        run(capsys, "--db", str(source), "--user", "kim", "backup", str(tmp_path / "b.plo"))[0] == 0
    )
    theirs = other_program_file(tmp_path / "theirs.db")
    before = digest(theirs)
    code, _out, err = run(capsys, "--db", str(theirs), "restore", str(tmp_path / "b.plo"), "--yes")
    assert code == 1 and "tables PLO Tracker does not make" in err
    assert digest(theirs) == before


def test_a_database_of_an_earlier_version_is_recognised_and_marked_when_upgraded(
    tmp_path: Path,
) -> None:
    copy = tmp_path / "council.db"
    copy.write_bytes(FIRST_RELEASE.read_bytes())
    assert identity.read_application_id(copy) == 0
    context = open_app(sqlite_url(copy), username="fixture")
    context.close()
    assert identity.read_application_id(copy) == identity.APPLICATION_ID


def test_a_new_file_appearing_while_it_is_made_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "race.db"
    path.write_bytes(b"someone else's data")
    with pytest.raises(NotPloDatabaseError, match="appeared while PLO Tracker was creating it"):
        identity.create_sqlite_file(path)
    assert path.read_bytes() == b"someone else's data"
    assert [p.name for p in tmp_path.iterdir()] == ["race.db"]


# -- PostgreSQL ----------------------------------------------------------------------------------


def tables(url: URL) -> set[str]:
    engine = create_engine(url.set(drivername="postgresql+psycopg"))
    try:
        with engine.connect() as connection:
            return set(inspect(connection).get_table_names())
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_postgres_an_empty_database_is_set_up_only_by_a_creating_command(
    postgres, capsys: pytest.CaptureFixture[str]
) -> None:
    url = postgres.create(migrated=False)
    dsn = url.render_as_string(hide_password=False)
    code, out, err = run(capsys, "--db", dsn, "flags")
    assert code == 1 and out == ""
    assert "has no PLO Tracker tables yet; nothing was created" in err and "init" in err
    assert tables(url) == set()
    code, out, err = run(capsys, "--db", dsn, "init")
    assert code == 0, err
    assert "Created a new PLO Tracker database" in out
    assert "cases" in tables(url)


@pytest.mark.postgres
def test_postgres_a_database_with_other_tables_is_refused_untouched(
    postgres, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = postgres.create(migrated=False)
    engine = create_engine(url.set(drivername="postgresql+psycopg"))
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE invoices (id serial PRIMARY KEY, total int)"))
        connection.execute(text("INSERT INTO invoices (total) VALUES (12)"))
    engine.dispose()
    dsn = url.render_as_string(hide_password=False)
    source = tmp_path / "source.db"
    assert run(capsys, "--db", str(source), "--user", "kim", "import", str(EXAMPLE))[0] == 0
    assert (
        run(capsys, "--db", str(source), "--user", "kim", "backup", str(tmp_path / "b.plo"))[0] == 0
    )
    for command in (
        ["flags"],
        ["init"],
        ["import", str(EXAMPLE)],
        ["migrate"],
        ["restore", str(tmp_path / "b.plo"), "--yes"],
    ):
        code, _out, err = run(capsys, "--db", dsn, *command)
        assert code == 1, command
        assert "holds tables PLO Tracker does not make ('invoices')" in err
    assert tables(url) == {"invoices"}


@pytest.mark.postgres
def test_postgres_restore_refuses_a_foreign_backup_and_changes_nothing(
    postgres, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = postgres.create(migrated=False)
    dsn = url.render_as_string(hide_password=False)
    bogus = other_program_file(tmp_path / "backup.plo")
    before = digest(bogus)
    code, _out, err = run(capsys, "--db", dsn, "restore", str(bogus), "--yes")
    assert code == 1 and "is not a PLO Tracker backup" in err
    assert tables(url) == set() and digest(bogus) == before
