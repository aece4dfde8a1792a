"""Migrations: complete, reversible on both databases, and safe for existing files."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import URL, inspect, text

from db import migrate
from db.engine import create_store_engine, sqlite_url
from db.errors import SchemaTooNewError
from db.identity import create_sqlite_file
from db.models import Base
from plo_tracker.app import open_app, open_database

FIRST_RELEASE = Path(__file__).parent / "data" / "schema-0001.db"


def _diff(url: URL) -> list:
    engine = create_store_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            return compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()


def test_models_and_migrations_agree(db_url: URL) -> None:
    """Fails when a model changes without a migration."""
    db, _ = open_database(db_url, create=True)
    db.dispose()
    assert _diff(db_url) == []


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_upgrade_downgrade_upgrade(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if kind == "sqlite":
        url = sqlite_url(tmp_path / "m.db")
        create_sqlite_file(tmp_path / "m.db")  # engines never create a file
    else:
        url = request.getfixturevalue("postgres").create(migrated=False)
    engine = create_store_engine(url)
    try:
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
        migrate.downgrade(engine, "base")
        with engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(engine)
        assert migrate.current_revision(engine) == migrate.head_revision()
        # Step by step too, one revision at a time down and up.
        revisions = [r for r in sorted(migrate.known_revisions())]
        for target in reversed(revisions[:-1]):
            migrate.downgrade(engine, target)
            assert migrate.current_revision(engine) == target
        migrate.upgrade(engine)
    finally:
        engine.dispose()
    assert _diff(url) == []


def test_audit_log_cannot_be_changed_or_deleted(db_url: URL) -> None:
    context = open_app(db_url, username="admin", create=True)
    try:
        for statement in ("UPDATE audit_log SET username = 'someone'", "DELETE FROM audit_log"):
            with (
                pytest.raises(Exception, match="audit log cannot be changed"),
                context.db.engine.begin() as connection,
            ):
                connection.execute(text(statement))
    finally:
        context.close()


def test_database_of_the_first_release_upgrades_with_a_copy_aside(tmp_path: Path) -> None:
    copy = tmp_path / "council.db"
    shutil.copy(FIRST_RELEASE, copy)
    context = open_app(sqlite_url(copy), username="fixture")
    try:
        assert [c.reference for c in context.cases.summaries()] == [
            "PLO-2023-0042",
            "PLO-2024-0007",
            "PLO-2024-0011",
        ]
        assert "megan.hughes" in {u.username for u in context.users.list()}
    finally:
        context.close()
    backups = list(tmp_path.glob("council.db.bak-0001-*"))
    if migrate.head_revision() == "0001":
        assert backups == []  # nothing to upgrade, so no copy needed
    else:
        assert len(backups) == 1
        assert backups[0].stat().st_mode & 0o777 == 0o600
        with sqlite3.connect(backups[0]) as old:
            assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
            assert old.execute("SELECT count(*) FROM cases").fetchone() == (3,)


def test_a_newer_schema_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    db, _ = open_database(sqlite_url(path), create=True)
    db.dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    before = path.read_bytes()
    with pytest.raises(SchemaTooNewError, match="newer version of PLO Tracker"):
        open_database(sqlite_url(path))
    assert path.read_bytes() == before


def test_new_sqlite_file_is_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "private.db"
    db, _ = open_database(sqlite_url(path), create=True)
    db.dispose()
    assert path.stat().st_mode & 0o777 == 0o600


def test_revision_ids_follow_the_file_names() -> None:
    """Start-up reads revision ids from file names; they must agree with Alembic."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    revisions = list(script.walk_revisions())
    assert {r.revision for r in revisions} == migrate.known_revisions()
    assert script.get_current_head() == migrate.head_revision()
    for revision in revisions:
        assert Path(revision.path).name.startswith(f"{revision.revision}_")
    assert len(script.get_heads()) == 1


def test_the_first_release_keeps_its_meaning_after_version_3(tmp_path: Path) -> None:
    """Upgraded to the family model, a first-release database means what it meant: every
    person tied to every child with their relationship and PR (version 2 meaning), every
    record kept, and the free-text teams and staff listed as not yet registered."""
    from plo_tracker.domain import family

    copy = tmp_path / "council.db"
    shutil.copy(FIRST_RELEASE, copy)
    with sqlite3.connect(copy) as old:
        counts = {
            table: old.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("cases", "children", "parties", "events", "assessments", "plan_actions")
        }
    context = open_app(sqlite_url(copy), username="fixture")
    try:
        exported = context.exchange.export_cases()
        cases = {c["reference"]: c for c in exported["cases"]}
        assert len(cases) == counts["cases"]
        assert sum(len(c.get("children", [])) for c in cases.values()) == counts["children"]
        assert sum(len(c.get("parties", [])) for c in cases.values()) == counts["parties"]
        assert sum(len(c.get("events", [])) for c in cases.values()) == counts["events"]
        for case in cases.values():
            for party in case.get("parties", []):
                assert "children" not in party  # tied to every child, as before
            assert "keep_apart" not in case and "strengths" not in case
        history = context.cases.get("PLO-2024-0007")
        mother = history.party("mother")
        assert mother is not None
        assert family.tied_children(history, mother) == history.children
        assert family.has_pr(history, mother)
    finally:
        context.close()
    with sqlite3.connect(copy) as upgraded:
        teams = upgraded.execute("SELECT name, registered FROM teams ORDER BY name").fetchall()
        assert teams == [("Case Management 1", 0), ("Case Management 2", 0)]
        staff = upgraded.execute(
            "SELECT display_name, role, registered, active FROM users WHERE registered = 0 "
            "ORDER BY display_name"
        ).fetchall()
        # Megan Hughes is a user already; the others were only names on cases.
        assert staff == [
            ("Ann Wright", "team_manager", 0, 0),
            ("David Evans", "team_manager", 0, 0),
            ("Sara Khan", "legal_liaison", 0, 0),
            ("Tom Baker", "social_worker", 0, 0),
        ]
        (entry,) = upgraded.execute(
            "SELECT changes FROM audit_log WHERE entity = 'teams_and_staff'"
        ).fetchall()
        assert "Tom Baker" in entry[0]
