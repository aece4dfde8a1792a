"""On PostgreSQL the database itself enforces the roles, even against hand-written SQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import URL, text

from db.errors import DatabasePermissionError, StoreError
from plo_tracker import clock
from plo_tracker.app import AppContext, open_app
from plo_tracker.cli import main
from plo_tracker.domain.model import Event
from plo_tracker.permissions import Actor, Role

pytestmark = pytest.mark.postgres
EXAMPLE = Path(__file__).parent / "data" / "example-cases.json"
TAG = uuid.uuid4().hex[:6]
LOGINS = {role: f"plo_t{TAG}_{role}" for role in ("social_worker", "team_manager", "legal_liaison")}


@pytest.fixture
def secured(postgres, capsys) -> Iterator[URL]:
    url = postgres.create()
    dsn = url.render_as_string(hide_password=False)
    assert main(["--db", dsn, "db-setup", "--apply"]) == 0
    with postgres.admin.connect() as conn:
        for login in LOGINS.values():
            conn.execute(text(f'CREATE ROLE "{login}" LOGIN'))
    owner = open_app(url)
    owner.exchange.import_file(EXAMPLE)
    owner.close()
    for role, login in LOGINS.items():
        assert (
            main(["--db", dsn, "users", "add", login, "--name", f"Test {role}", "--role", role])
            == 0
        )
        assert "matching database role" in capsys.readouterr().out
    yield url
    with postgres.admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        postgres.created.remove(url.database)
        for login in LOGINS.values():
            conn.execute(text(f'DROP ROLE IF EXISTS "{login}"'))


def as_login(url: URL, role: str) -> AppContext:
    context = open_app(url.set(username=LOGINS[role]))
    assert context.actor.username == LOGINS[role]
    assert context.actor.role == role
    return context


def refused(context: AppContext, sql: str, **params: object) -> str:
    with (
        pytest.raises(StoreError) as caught,
        context.db.translate_errors(),
        context.db.engine.begin() as conn,
    ):
        conn.execute(text(sql), params)
    return str(caught.value)


def test_db_setup_prints_the_script_for_the_dba(
    secured: URL, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", secured.render_as_string(hide_password=False), "db-setup"]) == 0
    out = capsys.readouterr().out
    assert 'CREATE ROLE "plo_social_worker" NOLOGIN' in out
    assert "ENABLE ROW LEVEL SECURITY" in out
    assert 'GRANT INSERT ON "audit_log" TO "plo_social_worker"' in out


def test_a_social_worker_login_cannot_touch_the_audit_log_or_review(secured: URL) -> None:
    worker = as_login(secured, "social_worker")
    try:
        # What the role may do works through the app...
        worker.cases.save_event("PLO-2024-0011", Event(type="fgc_referral", date=clock.today()))
        # ...and what it may not do is refused by the database, even by hand.
        for sql in (
            "DELETE FROM audit_log",
            "UPDATE audit_log SET username = 'x'",
            "TRUNCATE audit_log",
            "DELETE FROM cases",
            "UPDATE users SET role = 'administrator'",
            "INSERT INTO settings (key, value, version, updated_at) "
            "VALUES ('policy.review_weeks', '99', 1, now())",
            "INSERT INTO flag_reviews (case_id, event_id, rule, flag_due, decision, "
            "reviewed_by, created_at) SELECT case_id, id, 'letter_due', date, 'accept', "
            "'x', now() FROM events LIMIT 1",
            "INSERT INTO events (case_id, type, date, decided_by, rationale, rule, "
            "version, created_at) SELECT id, 'management_oversight', current_date, 'me', "
            "'self-review', 'solicitor_missing', 1, now() FROM cases LIMIT 1",
            "UPDATE events SET type = 'extension_agreed', until = current_date + 90, "
            "decided_by = 'me', rationale = 'x' WHERE type = 'fgc_referral'",
        ):
            assert "refused" in refused(worker, sql), sql
        # A hand-made client claiming to be a manager is refused by the database too.
        forged = AppContext(
            db=worker.db, actor=Actor(LOGINS["social_worker"], "Forged", Role.TEAM_MANAGER)
        )
        with pytest.raises(DatabasePermissionError):
            forged.flags.review(
                "PLO-2024-0007", "solicitor_missing", decision="accept", rationale="Self-approved"
            )
        # Audit rows added by this login carry its own name, whatever it claims.
        with worker.db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO audit_log (at, username, action, entity) VALUES "
                    "(now(), 'team_manager_boss', 'update', 'cases')"
                )
            )
            names = set(
                conn.execute(
                    text(
                        "SELECT username FROM audit_log WHERE entity IN ('cases', 'events') "
                        "AND at > now() - interval '1 hour' AND action <> 'import'"
                    )
                ).scalars()
            )
        assert names == {LOGINS["social_worker"]}
    finally:
        worker.close()


def test_a_manager_login_reviews_and_legal_liaison_records_letters_only(secured: URL) -> None:
    manager = as_login(secured, "team_manager")
    legal = as_login(secured, "legal_liaison")
    try:
        record = manager.flags.review(
            "PLO-2024-0007",
            "solicitor_missing",
            decision="accept",
            rationale="Father declines advice; reviewed in supervision",
        )
        assert record.reviewed_by == LOGINS["team_manager"]
        legal.cases.save_event(
            "PLO-2024-0011",
            Event(type="letter_before_proceedings", date=clock.today(), party="m"),
        )
        assert "refused" in refused(
            legal,
            "INSERT INTO events (case_id, type, date, version, created_at) "
            "SELECT id, 'review_meeting', current_date, 1, now() FROM cases LIMIT 1",
        )
        assert "refused" in refused(legal, "UPDATE cases SET team = 'x'")
    finally:
        manager.close()
        legal.close()


def test_a_deactivated_user_loses_database_access(
    secured: URL, capsys: pytest.CaptureFixture[str]
) -> None:
    dsn = secured.render_as_string(hide_password=False)
    assert main(["--db", dsn, "users", "deactivate", LOGINS["legal_liaison"]]) == 0
    capsys.readouterr()
    code = main(
        [
            "--db",
            secured.set(username=LOGINS["legal_liaison"]).render_as_string(hide_password=False),
            "flags",
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "refused" in err or "switched off" in err
    assert "Traceback" not in err


def test_an_upgrade_grants_the_roles_on_new_tables(postgres, capsys) -> None:
    """A database set up at the first release, then upgraded: new tables are granted too."""
    from db import migrate
    from db.engine import create_store_engine

    url = postgres.create(migrated=False)
    engine = create_store_engine(url)
    migrate.upgrade(engine, revision="0001")
    engine.dispose()
    dsn = url.render_as_string(hide_password=False)
    assert main(["--db", dsn, "db-setup", "--apply"]) == 0
    login = f"plo_t{TAG}_upgrade"
    with postgres.admin.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{login}" LOGIN IN ROLE plo_legal_liaison'))
    try:
        owner = open_app(url)  # upgrades to head, as the owner
        owner.users.add(login, "Legal Upgrade", "legal_liaison")
        owner.close()
        legal = open_app(url.set(username=login))
        try:
            with legal.db.engine.connect() as conn:
                for table in migrate_tables_added_after_0001():
                    conn.execute(text(f'SELECT count(*) FROM "{table}"'))
        finally:
            legal.close()
    finally:
        with postgres.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
            postgres.created.remove(url.database)
            conn.execute(text(f'DROP ROLE IF EXISTS "{login}"'))


def migrate_tables_added_after_0001() -> list[str]:
    from db.models import Base

    first_release = {
        "users",
        "cases",
        "children",
        "parties",
        "events",
        "assessments",
        "plan_actions",
        "bookings",
        "flag_reviews",
        "closure_days",
        "settings",
        "audit_log",
    }
    added = sorted(set(Base.metadata.tables) - first_release)
    assert added, "no table was added after the first release"
    return added


def test_a_manager_login_adds_only_people_and_teams_not_yet_registered(
    secured: URL, postgres
) -> None:
    """Issue 20: an import may add the teams and people a file names, as not yet registered,
    for whoever may import; on PostgreSQL row-level security lets a manager's login insert
    nothing else into ``users`` and ``teams``, and change nothing there."""
    import json

    from plo_tracker.errors import IdentityError, UnknownNames

    owner = open_app(secured)
    try:
        owner.teams.confirm("Case Management 1")  # now unknown names are refused
        waiting = owner.users.unregistered()[0].username
    finally:
        owner.close()
    manager = as_login(secured, "team_manager")
    try:
        data = json.loads(EXAMPLE.read_text())
        data["cases"][1]["team"] = "Edge of Care"
        data["cases"][1]["social_worker"] = "Priya Shah"
        with pytest.raises(UnknownNames, match="'Edge of Care' is not a team"):
            manager.exchange.import_text(json.dumps(data))
        result = manager.exchange.import_text(json.dumps(data), create_missing=True)
        assert result.added_names.teams == ("Edge of Care",)
        assert dict(result.added_names.people) == {"Priya Shah": Role.SOCIAL_WORKER}
        with manager.db.engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT u.registered, u.active, t.registered FROM users u, teams t "
                    "WHERE u.display_name = 'Priya Shah' AND t.name = 'Edge of Care'"
                )
            ).all()
            signed = set(
                conn.execute(
                    text("SELECT username FROM audit_log WHERE entity IN ('users', 'teams')")
                ).scalars()
            )
        assert rows == [(False, False, False)]
        assert LOGINS["team_manager"] in signed
        # By hand, the login can add nothing else, and change or remove nothing.
        person = (
            "INSERT INTO users (username, display_name, role, active, registered, created_at, "
            "version) VALUES ({}, 'Boss', 'administrator', {}, {}, now(), 1)"
        )
        for sql in (
            person.format("'boss'", "true", "true"),
            person.format("'~boss'", "true", "false"),
            person.format("'boss'", "false", "false"),
            "INSERT INTO teams (name, active, registered, created_at, version) "
            "VALUES ('Mine', true, true, now(), 1)",
            "UPDATE users SET registered = true, active = true WHERE username LIKE '~%'",
            "UPDATE teams SET registered = true",
            "DELETE FROM users WHERE registered = false",
            "DELETE FROM teams WHERE registered = false",
        ):
            assert "refused" in refused(manager, sql), sql
        # What an import adds is allowed by hand too (rolled back here).
        with manager.db.engine.connect() as conn, conn.begin() as transaction:
            conn.execute(text(person.format("'~boss'", "false", "false")))
            conn.execute(
                text(
                    "INSERT INTO teams (name, active, registered, created_at, version) "
                    "VALUES ('Mine', true, false, now(), 1)"
                )
            )
            transaction.rollback()
    finally:
        manager.close()
    # A login named like a person not yet registered is never matched to them.
    with postgres.admin.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{waiting}" LOGIN IN ROLE plo_social_worker'))
    try:
        with pytest.raises(IdentityError, match="not registered"):
            open_app(secured.set(username=waiting))
    finally:
        with postgres.admin.connect() as conn:
            conn.execute(text(f'DROP ROLE IF EXISTS "{waiting}"'))


def test_an_administrator_login_removes_only_people_not_yet_registered(
    secured: URL, postgres, capsys: pytest.CaptureFixture[str]
) -> None:
    login = f"plo_t{TAG}_administrator"
    dsn = secured.render_as_string(hide_password=False)
    with postgres.admin.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{login}" LOGIN'))
    try:
        assert (
            main(["--db", dsn, "users", "add", login, "--name", "Admin", "--role", "administrator"])
            == 0
        )
        capsys.readouterr()
        admin = open_app(secured.set(username=login))
        try:
            assert admin.actor.role == Role.ADMINISTRATOR
            confirmed = admin.users.confirm("Tom Baker", "tom.baker", team="Case Management 1")
            assert confirmed.registered
            admin.teams.rename("Case Management 2", "Case Management South")
            assert admin.cases.get("PLO-2024-0007").team == "Case Management South"
            data = EXAMPLE.read_text().replace('"Megan Hughes"', '"Megan Hughs"')
            admin.exchange.import_text(data, create_missing=True)
            admin.users.merge("Megan Hughs", "Megan Hughes")
            assert admin.cases.get("PLO-2024-0007").social_worker == "Megan Hughes"
            # Row-level security hides a registered person from a DELETE: nothing goes.
            with admin.db.engine.begin() as conn:
                gone = conn.execute(text("DELETE FROM users WHERE username = 'tom.baker'"))
                assert gone.rowcount == 0
            assert admin.users.get("tom.baker").registered
        finally:
            admin.close()
    finally:
        with postgres.admin.connect() as conn:
            conn.execute(text(f'DROP ROLE IF EXISTS "{login}"'))


def test_a_managers_login_imports_cp_plans_and_a_social_workers_cannot(
    secured: URL, tmp_path: Path
) -> None:
    """Heading for PLO (issue 26): the database grants follow who may import and review."""
    path = tmp_path / "return.xml"
    path.write_text(
        "<Message><Header><CollectionDetails><Collection>CIN</Collection>"
        "<ReferenceDate>2027-03-31</ReferenceDate></CollectionDetails></Header><Children>"
        "<Child><ChildIdentifiers><LAchildID>LA1</LAchildID></ChildIdentifiers><CINdetails>"
        "<ChildProtectionPlans><CPPstartDate>2025-01-06</CPPstartDate>"
        "<NumberOfPreviousCPP>0</NumberOfPreviousCPP></ChildProtectionPlans>"
        "</CINdetails></Child></Children></Message>"
    )
    manager = as_login(secured, "team_manager")
    worker = as_login(secured, "social_worker")
    try:
        assert manager.watch.import_return(path).plans == 1
        assert manager.watch.import_return(path).plans == 1  # replaces the previous import
        manager.watch.review("LA1", "cp_plan_long", rationale="Conference next week")
        for sql in (
            "DELETE FROM cp_plans",
            "INSERT INTO watch_reviews (la_child_id, rule, rationale, on, reviewed_by, "
            "decided_by, created_at) VALUES ('LA1', 'cp_plan_long', 'x', current_date, 'x', "
            "'x', now())",
        ):
            assert "refused" in refused(worker, sql.replace(" on,", ' "on",')), sql
    finally:
        manager.close()
        worker.close()
