"""Nothing upgrades or writes a database before the person is known to be allowed in; a
revision the app does not know is named; a failed upgrade leaves the file as it was and no
copy behind (so trying again does not pile them up)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from db import migrate
from db.engine import sqlite_url
from db.errors import SchemaTooNewError, UnknownSchemaError, UpgradeFailedError
from plo_tracker.about import version_text
from plo_tracker.app import open_app, open_database
from plo_tracker.cli import main
from plo_tracker.errors import IdentityError

FIRST_RELEASE = Path(__file__).parent / "data" / "schema-0001.db"


def dump(path: Path) -> list[str]:
    """Everything in a SQLite file (schema and rows), to compare before and after."""
    with sqlite3.connect(path) as connection:
        return list(connection.iterdump())


def revision_of(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def backups(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.bak-*"))


@pytest.fixture
def first_release(tmp_path: Path) -> Path:
    path = tmp_path / "council.db"
    shutil.copy(FIRST_RELEASE, path)
    return path


@pytest.fixture
def current(tmp_path: Path) -> Path:
    """A database at this version's schema, with one registered user."""
    path = tmp_path / "current.db"
    open_app(sqlite_url(path), username="ann.wright", create=True).close()
    return path


def test_an_unregistered_login_does_not_upgrade_the_database(
    first_release: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = dump(first_release)
    with pytest.raises(IdentityError, match="'stranger' is not registered"):
        open_app(sqlite_url(first_release), username="stranger")
    assert revision_of(first_release) == "0001"
    assert dump(first_release) == before
    assert backups(first_release) == []
    # The same through the command line.
    assert main(["--db", str(first_release), "--user", "stranger", "flags"]) == 1
    assert "not registered" in capsys.readouterr().err
    assert revision_of(first_release) == "0001" and backups(first_release) == []


def test_a_switched_off_user_does_not_upgrade_it_either(first_release: Path) -> None:
    with sqlite3.connect(first_release) as connection:
        connection.execute("UPDATE users SET active = 0 WHERE username = 'megan.hughes'")
    with pytest.raises(IdentityError, match="switched off"):
        open_app(sqlite_url(first_release), username="megan.hughes")
    assert revision_of(first_release) == "0001" and backups(first_release) == []


def test_a_registered_user_upgrades_it_with_one_copy(first_release: Path) -> None:
    context = open_app(sqlite_url(first_release), username="megan.hughes")
    context.close()
    assert revision_of(first_release) == migrate.head_revision()
    assert len(backups(first_release)) == 1


def test_migrate_upgrades_by_intent_whoever_runs_it(first_release: Path) -> None:
    db, backup = open_database(sqlite_url(first_release))
    db.dispose()
    assert backup is not None and revision_of(first_release) == migrate.head_revision()


def _set_revision(path: Path, revision: str) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))


def test_a_failed_upgrade_changes_nothing_and_leaves_no_copies(current: Path) -> None:
    """A database whose tables are newer than the revision it records (set back by hand):
    the upgrade fails on tables that already exist, is rolled back, and says so."""
    _set_revision(current, "0003")
    before = dump(current)
    for _try in range(2):
        with pytest.raises(UpgradeFailedError) as raised:
            open_app(sqlite_url(current), username="ann.wright")
        message = str(raised.value)
        assert f"from schema 0003 to {migrate.head_revision()} failed" in message
        assert "nothing has been changed" in message
        assert dump(current) == before
        assert backups(current) == []


def test_the_command_line_says_what_failed(current: Path, capsys) -> None:
    _set_revision(current, "0003")
    assert main(["--db", str(current), "--user", "ann.wright", "flags"]) == 1
    err = capsys.readouterr().err
    assert "Upgrading this database from schema 0003" in err
    assert "Something went wrong" not in err
    assert backups(current) == []


@pytest.mark.parametrize("revision", ["abc", "0000", "12345", "0003x"])
def test_a_revision_no_plo_tracker_knows_is_named(current: Path, revision: str) -> None:
    _set_revision(current, revision)
    before = dump(current)
    with pytest.raises(UnknownSchemaError) as raised:
        open_app(sqlite_url(current), username="ann.wright")
    message = str(raised.value)
    assert f"schema revision '{revision}', which is not one this version" in message
    assert "newer" in message and "nothing has been changed" in message
    assert dump(current) == before and backups(current) == []
    line = version_text(str(current)).splitlines()[2]
    assert f"schema '{revision}', which is not a revision PLO Tracker knows" in line


def test_a_newer_revision_is_still_called_newer(current: Path) -> None:
    _set_revision(current, "0042")
    with pytest.raises(SchemaTooNewError, match=r"newer version of PLO Tracker \(schema 0042\)"):
        open_app(sqlite_url(current), username="ann.wright")
    assert backups(current) == []
    assert "made by a newer PLO Tracker" in version_text(str(current))


def test_the_import_circle_is_gone() -> None:
    """db.identity and db.migrate share db.schema_versions; identity no longer imports
    migrate (migrate uses identity to mark old files)."""
    import ast

    source = Path(__file__).parents[1] / "db" / "identity.py"
    tree = ast.parse(source.read_text())
    imported = {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module is not None
    }
    assert "db.migrate" not in imported and "db.schema_versions" in imported


@pytest.mark.postgres
def test_migrate_sql_previews_the_upgrade_and_changes_nothing(postgres, capsys) -> None:
    from db.engine import create_store_engine

    url = postgres.create(migrated=False)
    engine = create_store_engine(url)
    try:
        migrate.upgrade(engine, revision="0004")
        dsn = url.render_as_string(hide_password=False)
        assert main(["--db", dsn, "migrate", "--sql"]) == 0
        out = capsys.readouterr().out
        head = migrate.head_revision()
        assert out.startswith(f"-- Upgrade of this database from schema 0004 to {head}")
        assert "nothing has been changed" in out and "\nBEGIN;\n" in out
        assert "UPDATE alembic_version SET version_num='0005'" in out
        assert f"UPDATE alembic_version SET version_num='{head}'" in out
        assert out.rstrip().endswith("COMMIT;")
        assert migrate.current_revision(engine) == "0004"  # only previewed
    finally:
        engine.dispose()


def test_migrate_sql_is_for_postgresql(first_release: Path, capsys) -> None:
    assert main(["--db", str(first_release), "migrate", "--sql"]) == 1
    assert "for a PostgreSQL database" in capsys.readouterr().err
    assert revision_of(first_release) == "0001"
