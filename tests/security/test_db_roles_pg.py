"""Issue 22, item 1: an insider with their own login and a SQL client (psql, Excel, Access).

Each person signs in to PostgreSQL as themselves, a member of their role's group
(``db-setup --apply``).  Every attack from the review is tried here by hand-written SQL
through that login: each is refused by the database (an error, or row-level security hiding
the rows: nothing changes), or, where the app allows the same change, it is made and
audited by trigger as the login that made it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import URL, text
from sqlalchemy import exc as sa_exc

from plo_tracker import clock
from plo_tracker.app import AppContext, open_app
from plo_tracker.cli import main
from plo_tracker.domain.model import Event
from plo_tracker.errors import PermissionDenied

pytestmark = pytest.mark.postgres
EXAMPLE = Path(__file__).parent.parent / "data" / "example-cases.json"
TAG = uuid.uuid4().hex[:6]
MINE, OTHER = "Case Management 1", "Case Management 2"
MY_CASE, OTHER_CASE = "PLO-2024-0011", "PLO-2024-0007"  # of MINE, of OTHER
LOGINS = {
    "social_worker": f"plo_s{TAG}_worker",
    "team_manager": f"plo_s{TAG}_manager",
    "legal_liaison": f"plo_s{TAG}_legal",
}
# The closing note's table: attack, login, what the database answered, what changed.
TABLE = os.environ.get("PLO_ATTACK_TABLE")


@dataclass
class Outcome:
    refused: bool
    rows: int
    message: str


def note(attack: str, role: str, outcome: Outcome, changed: str) -> None:
    if TABLE:
        with open(TABLE, "a", encoding="utf-8") as handle:
            handle.write(f"| {attack} | {role} | {outcome.message} | {changed} |\n")


@pytest.fixture
def secured(postgres, capsys) -> Iterator[URL]:
    url = postgres.create()
    dsn = url.render_as_string(hide_password=False)
    owner = open_app(url)
    owner.exchange.import_file(EXAMPLE)
    owner.teams.confirm(MINE)
    owner.teams.confirm(OTHER)
    owner.close()
    assert main(["--db", dsn, "db-setup", "--apply"]) == 0
    for role, login in LOGINS.items():
        team = [] if role == "legal_liaison" else ["--team", MINE]
        name = f"Test {role.replace('_', ' ')}"
        code = main(
            [
                "--db",
                dsn,
                "users",
                "add",
                login,
                "--name",
                name,
                "--role",
                role,
                *team,
                "--create-login",
            ]
        )
        assert code == 0, capsys.readouterr()
    capsys.readouterr()
    yield url
    with postgres.admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        postgres.created.remove(url.database)
        for login in LOGINS.values():
            conn.execute(text(f'DROP ROLE IF EXISTS "{login}"'))


def as_login(url: URL, role: str) -> AppContext:
    context = open_app(url.set(username=LOGINS[role]))
    assert context.actor.username == LOGINS[role]
    return context


def by_hand(context: AppContext, sql: str, **params: object) -> Outcome:
    """Run ``sql`` on the login's own connection, as psql would (committed if allowed)."""
    try:
        with context.db.engine.begin() as conn:
            result = conn.execute(text(sql), params)
            rows = result.rowcount
    except sa_exc.DBAPIError as error:
        first = str(error.orig).splitlines()[0]
        return Outcome(True, 0, f"ERROR: {first}")
    verb = sql.split()[0].upper()
    return Outcome(False, rows, f"{verb} {rows}")


def scalar(url: URL, sql: str, **params: object) -> object:
    owner = open_app(url)
    try:
        with owner.db.engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()
    finally:
        owner.close()


def audit_rows(url: URL, login: str, action: str, entity: str) -> list[dict]:
    owner = open_app(url)
    try:
        with owner.db.engine.connect() as conn:
            return [
                json.loads(row[0]) if isinstance(row[0], str) else row[0]
                for row in conn.execute(
                    text(
                        "SELECT changes FROM audit_log WHERE username = :login AND action = "
                        ":action AND entity = :entity ORDER BY id"
                    ),
                    {"login": login, "action": action, "entity": entity},
                )
            ]
    finally:
        owner.close()


def test_a_social_worker_cannot_touch_another_teams_case(secured: URL) -> None:
    worker = as_login(secured, "social_worker")
    try:
        before = scalar(secured, "SELECT revision FROM cases WHERE reference = :r", r=OTHER_CASE)
        outcome = by_hand(
            worker, "UPDATE cases SET social_worker = 'Me' WHERE reference = :r", r=OTHER_CASE
        )
        assert (outcome.refused, outcome.rows) == (False, 0)
        note("update another team's case", "social worker", outcome, "nothing changed")
        outcome = by_hand(
            worker, "UPDATE cases SET team = :t WHERE reference = :r", t=MINE, r=OTHER_CASE
        )
        assert outcome.rows == 0
        note("move another team's case to my team", "social worker", outcome, "nothing changed")
        outcome = by_hand(
            worker, "UPDATE cases SET team = :t WHERE reference = :r", t=OTHER, r=MY_CASE
        )
        assert outcome.refused and "row-level security" in outcome.message
        note("move my case to another team", "social worker", outcome, "nothing changed")
        outcome = by_hand(
            worker,
            "INSERT INTO cases (reference, team, created_at, updated_at, version, revision) "
            "VALUES ('PLO-X-1', :t, now(), now(), 1, 0)",
            t=OTHER,
        )
        assert outcome.refused and "row-level security" in outcome.message
        note("add a case to another team", "social worker", outcome, "nothing changed")
        outcome = by_hand(
            worker,
            "UPDATE children SET date_of_birth = date '2020-01-01', expected_birth = NULL "
            "WHERE case_id = (SELECT id FROM cases WHERE reference = :r)",
            r=OTHER_CASE,
        )
        assert outcome.rows == 0
        note("change a child's date of birth (other team)", "social worker", outcome, "nothing")
        outcome = by_hand(
            worker,
            "INSERT INTO children (case_id, position, name, date_of_birth, version) "
            "SELECT id, 9, 'Planted', date '2020-01-01', 1 FROM cases WHERE reference = :r",
            r=OTHER_CASE,
        )
        assert outcome.refused and "row-level security" in outcome.message
        note("add a child to another team's case", "social worker", outcome, "nothing changed")
        outcome = by_hand(worker, "DELETE FROM cases WHERE reference = :r", r=MY_CASE)
        assert outcome.refused and "permission denied" in outcome.message
        note("delete a case", "social worker", outcome, "nothing changed")
        after = scalar(secured, "SELECT revision FROM cases WHERE reference = :r", r=OTHER_CASE)
        assert after == before
        assert scalar(secured, "SELECT team FROM cases WHERE reference = :r", r=OTHER_CASE) == (
            OTHER
        )
        assert scalar(secured, "SELECT count(*) FROM cases WHERE reference = 'PLO-X-1'") == 0
        # The app says the same, in words, before the database is asked.
        case = worker.cases.get(OTHER_CASE)
        with pytest.raises(PermissionDenied, match="only their own team's cases") as caught:
            worker.cases.save_event(OTHER_CASE, Event(type="fgc_referral", date=clock.today()))
        note(
            "the same through the app",
            "social worker",
            Outcome(True, 0, str(caught.value)),
            "nothing changed",
        )
        assert worker.cases.get(OTHER_CASE) == case
    finally:
        worker.close()


def test_what_a_social_worker_may_change_by_hand_is_audited_as_their_login(
    secured: URL,
) -> None:
    login = LOGINS["social_worker"]
    worker = as_login(secured, "social_worker")
    try:
        # A change through the app is audited once, by the app: no trigger row beside it.
        worker.cases.save_event(MY_CASE, Event(type="fgc_referral", date=clock.today()))
        created = scalar(
            secured,
            "SELECT count(*) FROM audit_log WHERE username = :l AND action = 'create' "
            "AND entity = 'events'",
            l=login,
        )
        assert created == 1
        assert len(audit_rows(secured, login, "sql_insert", "events")) == 0
        mine = "(SELECT id FROM cases WHERE team = :t)"
        children_before = scalar(secured, "SELECT count(*) FROM children")
        my_children = scalar(
            secured, f"SELECT count(*) FROM children WHERE case_id IN {mine}", t=MINE
        )
        assert my_children and children_before > my_children
        outcome = by_hand(
            worker,
            "UPDATE children SET date_of_birth = date '2020-01-01', expected_birth = NULL "
            "WHERE case_id = (SELECT id FROM cases WHERE reference = :r)",
            r=MY_CASE,
        )
        assert outcome.rows == 1
        (changed,) = audit_rows(secured, login, "sql_update", "children")
        assert changed["before"]["expected_birth"] == "2024-08-20"
        assert changed["after"]["date_of_birth"] == "2020-01-01"
        assert changed["login"] == login and changed["user"] == "Test social worker"
        note(
            "change a child's date of birth (own team)",
            "social worker",
            outcome,
            "changed, audited: sql_update as the login, before/after in full",
        )
        outcome = by_hand(worker, "DELETE FROM children")
        assert outcome.rows == my_children
        assert scalar(secured, "SELECT count(*) FROM children") == children_before - my_children
        deleted = audit_rows(secured, login, "sql_delete", "children")
        assert len(deleted) == my_children and all(d["before"]["name"] for d in deleted)
        note(
            "delete every child",
            "social worker",
            outcome,
            f"only own team's {my_children} of {children_before}; each audited in full",
        )
        events_before = scalar(secured, "SELECT count(*) FROM events")
        outcome = by_hand(worker, "DELETE FROM events")
        deletable = scalar(
            secured,
            "SELECT count(*) FROM audit_log WHERE username = :l AND action = 'sql_delete' "
            "AND entity = 'events'",
            l=login,
        )
        assert outcome.rows == deletable
        other = scalar(
            secured,
            "SELECT count(*) FROM events WHERE case_id IN (SELECT id FROM cases WHERE team = :t)",
            t=OTHER,
        )
        assert other and scalar(secured, "SELECT count(*) FROM events") >= other
        assert events_before - outcome.rows >= other
        note(
            "delete every event",
            "social worker",
            outcome,
            f"only own team's, no managers' decisions ({outcome.rows} of {events_before}); "
            "each audited",
        )
    finally:
        worker.close()


def test_nobody_can_rewrite_the_case_lists_status(secured: URL) -> None:
    manager = as_login(secured, "team_manager")
    worker = as_login(secured, "social_worker")
    try:
        rows = {r.reference: r for r in manager.cases.summaries()}
        drifting = [r for r, s in rows.items() if s.status == "red"]
        assert drifting, "the example has drifting cases"
        worker.cases.summaries()  # the worker's own rows are kept
        for sql in (
            "UPDATE case_status SET rag = 'green', overdue = 0, overdue_rules = ''",
            "DELETE FROM case_status",
            "INSERT INTO case_status (case_id, computed_by, revision, policy_stamp, "
            "computed_for, children, stage, rag, overdue, due_soon, is_open) SELECT id, "
            f"'{LOGINS['team_manager']}', revision, 'x', current_date, '', 'x', 'green', "
            "0, 0, true FROM cases",
        ):
            outcome = by_hand(worker, sql)
            assert outcome.refused and "permission denied" in outcome.message, sql
            note(f"rewrite case_status: {sql.split()[0]}", "social worker", outcome, "nothing")
        # The owner's function writes only rows signed with the caller's own login.
        kept = scalar(
            secured,
            "SELECT count(*) FROM case_status WHERE computed_by = :l",
            l=LOGINS["team_manager"],
        )
        outcome = by_hand(
            worker,
            "SELECT plo_keep_case_status(jsonb_agg(jsonb_build_object('case_id', s.case_id, "
            "'revision', s.revision, 'policy_stamp', s.policy_stamp, 'computed_for', "
            "s.computed_for, 'children', s.children, 'stage', s.stage, 'rag', 'green', "
            "'overdue', 0, 'due_soon', 0, 'is_open', true, 'overdue_rules', '', "
            "'due_soon_rules', ''))) FROM case_status s WHERE s.computed_by = :m",
            m=LOGINS["team_manager"],
        )
        assert not outcome.refused
        assert (
            scalar(
                secured,
                "SELECT count(*) FROM case_status WHERE computed_by = :l",
                l=LOGINS["team_manager"],
            )
            == kept
        )
        after = {r.reference: r.status for r in manager.cases.summaries()}
        assert [r for r, s in after.items() if s == "red"] == drifting
        note(
            "rewrite case_status through plo_keep_case_status",
            "social worker",
            Outcome(False, 0, "SELECT 1 (rows signed with the caller's own login)"),
            "every other login's case list unchanged (still red)",
        )
    finally:
        manager.close()
        worker.close()


def test_legal_liaison_writes_only_letters_and_their_own_events(secured: URL) -> None:
    login = LOGINS["legal_liaison"]
    legal = as_login(secured, "legal_liaison")
    try:
        letters_before = scalar(
            secured, "SELECT count(*) FROM events WHERE type = 'letter_before_proceedings'"
        )
        outcome = by_hand(legal, "DELETE FROM events WHERE type = 'letter_before_proceedings'")
        assert outcome.rows == 0
        note("delete every letter-before-proceedings event", "legal liaison", outcome, "nothing")
        outcome = by_hand(
            legal,
            "INSERT INTO plan_actions (case_id, position, action, due, version) SELECT id, 9, "
            "'Mother to stop drinking', current_date, 1 FROM cases LIMIT 1",
        )
        assert outcome.refused and "row-level security" in outcome.message
        note("insert a plan action", "legal liaison", outcome, "nothing changed")
        outcome = by_hand(
            legal,
            "INSERT INTO events (case_id, type, date, version, created_at) SELECT id, "
            "'review_meeting', current_date, 1, now() FROM cases LIMIT 1",
        )
        assert outcome.refused
        note("insert a review meeting", "legal liaison", outcome, "nothing changed")
        outcome = by_hand(legal, "UPDATE children SET name = 'X'")
        assert outcome.refused and "permission denied" in outcome.message
        note("rename children", "legal liaison", outcome, "nothing changed")
        # A letter they record themselves they may also remove: by hand, audited.
        legal.cases.save_event(
            MY_CASE, Event(type="letter_before_proceedings", date=clock.today(), party="m")
        )
        outcome = by_hand(legal, "DELETE FROM events WHERE type = 'letter_before_proceedings'")
        assert outcome.rows == 1
        assert (
            scalar(secured, "SELECT count(*) FROM events WHERE type = 'letter_before_proceedings'")
            == letters_before
        )
        (gone,) = audit_rows(secured, login, "sql_delete", "events")
        assert gone["before"]["recorded_by"] == login
        note(
            "delete the letter event they recorded",
            "legal liaison",
            outcome,
            "removed, audited (sql_delete, the event in full)",
        )
        # The app says the same about an imported letter event, in words.
        case = legal.cases.get(OTHER_CASE)
        event = next(e for e in case.events if e.type == "letter_before_proceedings")
        with pytest.raises(PermissionDenied, match="recorded themselves"):
            legal.cases.delete_item(OTHER_CASE, "event", event.id, event.version)
    finally:
        legal.close()


def test_oversight_by_hand_a_manager_records_audited_and_a_worker_cannot(
    secured: URL,
) -> None:
    login = LOGINS["team_manager"]
    manager = as_login(secured, "team_manager")
    worker = as_login(secured, "social_worker")
    try:
        oversight = (
            "INSERT INTO events (case_id, type, date, decided_by, rationale, rule, version, "
            "created_at) SELECT id, 'management_oversight', current_date, 'me', 'fine', "
            "'solicitor_missing', 1, now() FROM cases WHERE reference = :r"
        )
        outcome = by_hand(worker, oversight, r=MY_CASE)
        assert outcome.refused and "row-level security" in outcome.message
        note("record management oversight", "social worker", outcome, "nothing changed")
        # Managers hold cases across teams (as in the app): allowed, and audited.
        outcome = by_hand(manager, oversight, r=OTHER_CASE)
        assert outcome.rows == 1
        (added,) = audit_rows(secured, login, "sql_insert", "events")
        assert added["after"]["type"] == "management_oversight"
        note(
            "record oversight on another team's case",
            "team manager",
            outcome,
            "added (managers work across teams), audited as the login",
        )
        outcome = by_hand(manager, "DELETE FROM cases WHERE reference = :r", r=OTHER_CASE)
        assert outcome.refused and "permission denied" in outcome.message
        note("delete a case", "team manager", outcome, "nothing changed")
    finally:
        manager.close()
        worker.close()


def test_db_setup_shows_the_new_enforcement(secured: URL, capsys) -> None:
    assert main(["--db", secured.render_as_string(hide_password=False), "db-setup"]) == 0
    out = capsys.readouterr().out
    for expected in (
        'CREATE POLICY plo_cases_team ON "cases"',
        'CREATE POLICY plo_children_team ON "children"',
        "CREATE OR REPLACE FUNCTION plo_keep_case_status(kept_rows jsonb)",
        'CREATE TRIGGER plo_audit_outside_app AFTER INSERT OR UPDATE OR DELETE ON "events"',
    ):
        assert expected in out
    assert "GRANT INSERT, UPDATE, DELETE ON case_status" not in out
    assert dt.date  # the module's clock is the app's (conftest)


# Marked transactions (the app's mark set) whose login wrote no audit entry in them.
UNEXPLAINED = (
    "SELECT s.entity, s.action FROM audit_statements s WHERE s.login = :l AND NOT EXISTS "
    "(SELECT 1 FROM audit_log a WHERE a.username = s.login AND a.at = s.at) ORDER BY s.id"
)


def test_a_login_that_sets_the_apps_mark_by_hand_is_still_on_record(secured: URL) -> None:
    login = LOGINS["social_worker"]
    worker = as_login(secured, "social_worker")
    try:
        worker.cases.save_event(MY_CASE, Event(type="fgc_referral", date=clock.today()))
        with worker.db.engine.begin() as conn:
            conn.execute(text("SET LOCAL plo.audited = on"))
            gone = conn.execute(
                text(
                    "DELETE FROM children WHERE case_id = "
                    "(SELECT id FROM cases WHERE reference = :r)"
                ),
                {"r": MY_CASE},
            ).rowcount
        assert gone == 1
        assert audit_rows(secured, login, "sql_delete", "children") == []  # the mark skips
        owner = open_app(secured)
        try:
            with owner.db.engine.connect() as conn:
                marked = conn.execute(
                    text("SELECT entity, action FROM audit_statements WHERE login = :l"),
                    {"l": login},
                ).all()
                unexplained = conn.execute(text(UNEXPLAINED), {"l": login}).all()
        finally:
            owner.close()
        assert ("events", "insert") in marked  # the app's own statement, explained
        assert ("children", "delete") in marked
        assert unexplained == [("children", "delete")]
        note(
            "set the app's mark by hand, then delete a child",
            "social worker",
            Outcome(False, gone, f"DELETE {gone}"),
            "no row audit; audit_statements holds login, table, kind, time; stands out "
            "(no audit entry in its transaction)",
        )
    finally:
        worker.close()


def test_changes_outside_the_app_show_in_the_cases_audit_trail(secured: URL) -> None:
    worker = as_login(secured, "social_worker")
    try:
        by_hand(
            worker,
            "UPDATE children SET date_of_birth = date '2020-01-01', expected_birth = NULL "
            "WHERE case_id = (SELECT id FROM cases WHERE reference = :r)",
            r=MY_CASE,
        )
        shown = [e for e in worker.audit.trail(MY_CASE) if e.action == "sql_update"]
        assert len(shown) == 1
        assert shown[0].username == LOGINS["social_worker"]
        assert shown[0].summary() == (
            "Changed outside PLO Tracker children: date_of_birth, expected_birth"
        )
    finally:
        worker.close()


def test_a_watch_review_by_hand_is_audited_and_a_worker_cannot_add_one(secured: URL) -> None:
    # Issue 26's tables hold decisions about children: audited by trigger like case data.
    insert = (
        'INSERT INTO watch_reviews (la_child_id, rule, rationale, "on", reviewed_by, '
        "decided_by, created_at) VALUES ('LA100123', 'cp_plan_long', 'By hand', "
        "date '2026-11-25', session_user, 'Someone', now())"
    )
    worker = as_login(secured, "social_worker")
    try:
        outcome = by_hand(worker, insert)
        assert outcome.refused and "permission denied" in outcome.message
    finally:
        worker.close()
    manager = as_login(secured, "team_manager")
    try:
        outcome = by_hand(manager, insert)
        assert (outcome.refused, outcome.rows) == (False, 1)
    finally:
        manager.close()
    (added,) = audit_rows(secured, LOGINS["team_manager"], "sql_insert", "watch_reviews")
    assert added["outside_app"] is True and added["after"]["rationale"] == "By hand"
    assert scalar(secured, "SELECT count(*) FROM watch_reviews") == 1
