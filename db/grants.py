"""PostgreSQL roles and grants, so the database enforces the app's roles too.

Each app role has a group role (``plo_social_worker`` ...); each person connects with
their own login, a member of exactly one group.  The grants mirror the app's
permissions (``plo_tracker/permissions.py``; a test keeps the two in step):

* everyone reads every table and may only *add* to the audit log, never change it;
* row-level security on ``cases``, everything in a case and ``events`` (db/enforcement.py):
  a social worker's or manager's login writes only their own team's cases, a social
  worker records no managers' decisions (oversight, extensions, decisions to issue), legal
  liaison writes only letters and letter-type events; ``case_status`` is written only
  through the owner's function; every change to case data outside the app is audited by
  a trigger, as the login that made it;
* only managers and administrators record flag reviews and change settings;
* only administrators change users or delete cases; whoever may import (managers too)
  may add people and teams "not yet registered" that a file names, and nothing else
  (row-level security on ``users`` and ``teams``: a manager's login can insert only rows
  with ``registered`` false, people switched off with a '~' user name that can never be
  a login); administrators may remove a person only while not yet registered (merging
  two records of one person);
* a trigger writes the real login into every audit row an app login adds, so a
  hand-written client cannot sign the audit log with someone else's name.

``setup_sql()`` returns the statements; they are safe to run again (after each
upgrade, so new tables get their grants).  Creating the group roles needs a login
with CREATEROLE; everything else needs the database owner.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, text

from db.enforcement import enforcement_sql

GROUPS: dict[str, str] = {
    "social_worker": "plo_social_worker",
    "team_manager": "plo_team_manager",
    "legal_liaison": "plo_legal_liaison",
    "administrator": "plo_administrator",
}
# Kept in step with plo_tracker.permissions.MANAGER_EVENT_TYPES (a test checks it).
MANAGER_EVENTS = (
    "management_oversight",
    "extension_agreed",
    "decision_to_issue",
    "fgdm_not_offered",
)
LEGAL_EVENTS = (
    "letter_before_proceedings",
    "letter_of_issue",
    "proceedings_issued",
    "hearing",
    "court_extension",
    "proceedings_concluded",
)

_CASE_PARTS = (
    "children",
    "parties",
    "assessments",
    "plan_actions",
    "bookings",
    "concerns",
    "strengths",
)
WRITE = "INSERT, UPDATE, DELETE"

# Table privileges beyond SELECT (which every group has on every table).
PRIVILEGES: dict[str, dict[str, str]] = {
    "social_worker": {
        "cases": "INSERT, UPDATE",
        **{t: WRITE for t in _CASE_PARTS},
        "events": WRITE,
        "letter_preferences": WRITE,
        "audit_log": "INSERT",
    },
    "team_manager": {
        "cases": "INSERT, UPDATE",
        **{t: WRITE for t in _CASE_PARTS},
        "events": WRITE,
        "flag_reviews": "INSERT",
        "settings": WRITE,
        "closure_days": WRITE,
        "letters": "INSERT, UPDATE",
        "letter_preferences": WRITE,
        "keep_apart": WRITE,
        # An import adds the teams and people a file names as not yet registered; row-level
        # security lets these logins insert nothing else (``_users_and_teams_policies``).
        "users": "INSERT",
        "teams": "INSERT",
        # Heading for PLO: importing the CP plans of the council's CIN return replaces the
        # previous import; managers review watch-list items.
        "cp_plan_imports": WRITE,
        "cp_plans": WRITE,
        "watch_reviews": "INSERT",
        "audit_log": "INSERT",
    },
    "legal_liaison": {
        "events": WRITE,
        "letters": "INSERT, UPDATE",
        "letter_preferences": WRITE,
        # Making a letter for a person who needs it read with them adds that action; giving a
        # person their own meeting in a letter books it.
        "plan_actions": "INSERT",
        "bookings": "INSERT",
        "keep_apart": WRITE,
        "settings": "INSERT, UPDATE",
        "audit_log": "INSERT",
    },
    "administrator": {
        "users": WRITE,  # DELETE: only people not yet registered (row-level security)
        "teams": WRITE,
        "keep_apart": WRITE,
        "cases": WRITE,
        **{t: WRITE for t in _CASE_PARTS},
        "events": WRITE,
        "flag_reviews": WRITE,
        "settings": WRITE,
        "closure_days": WRITE,
        "letters": WRITE,
        "letter_preferences": WRITE,
        "cp_plan_imports": WRITE,
        "cp_plans": WRITE,
        "watch_reviews": WRITE,
        "audit_log": "INSERT",
    },
}


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _in_list(values: Iterable[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def role_sql() -> list[str]:
    """Create the group roles if they do not exist (needs CREATEROLE)."""
    statements = []
    for group in GROUPS.values():
        statements.append(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
            f"'{group}') THEN CREATE ROLE {quote(group)} NOLOGIN; END IF; END $$"
        )
    return statements


def grant_sql(tables: Iterable[str], columns: Iterable[str] = ()) -> list[str]:
    """Grants, row-level security and the audit trigger for the tables present.

    ``columns`` lists present columns that some grants need, as ``table.column``.
    """
    tables = sorted(set(tables))
    columns = set(columns)
    groups = ", ".join(quote(g) for g in GROUPS.values())
    s: list[str] = [
        "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {groups}",
        f"GRANT USAGE ON SCHEMA public TO {groups}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {groups}",
    ]
    for table in tables:
        s.append(f"GRANT SELECT ON {quote(table)} TO {groups}")
    if "cases.revision" in columns:
        # Any write to a case bumps its revision (db/revisions.py), whoever makes it.
        s.append(f"GRANT UPDATE (revision) ON cases TO {groups}")
    # ``case_status`` (the case list's cache) is written only through the owner's function
    # ``plo_keep_case_status`` (db/enforcement.py), never directly.
    for role, table_privileges in PRIVILEGES.items():
        for table, privileges in table_privileges.items():
            if table in tables:
                s.append(f"GRANT {privileges} ON {quote(table)} TO {quote(GROUPS[role])}")
    if "settings" in tables:
        s += _settings_policies()
    if "users.registered" in columns:
        s += _users_policies()
    if "teams" in tables:
        s += _teams_policies()
    if "audit_log" in tables:
        s += _audit_trigger()
    # Rows by team and role, derived rows, audit by trigger (issue 22).
    s += enforcement_sql(tables, columns, GROUPS, MANAGER_EVENTS, LEGAL_EVENTS)
    return s


def _policy(table: str, name: str, command: str, roles: str, condition: str) -> list[str]:
    return [
        f"DROP POLICY IF EXISTS {name} ON {quote(table)}",
        f"CREATE POLICY {name} ON {quote(table)} FOR {command} TO {roles} "
        f"USING ({condition})" + ("" if command == "SELECT" else f" WITH CHECK ({condition})"),
    ]


def _insert_policy(table: str, name: str, roles: str, condition: str) -> list[str]:
    return [
        f"DROP POLICY IF EXISTS {name} ON {quote(table)}",
        f"CREATE POLICY {name} ON {quote(table)} FOR INSERT TO {roles} WITH CHECK ({condition})",
    ]


# What an import may add for a manager: a person not yet registered, switched off, with a
# user name no login can have; a team not yet registered.
UNREGISTERED_PERSON = "registered = false AND active = false AND left(username, 1) = '~'"
UNREGISTERED_TEAM = "registered = false"


def _users_policies() -> list[str]:
    admin = quote(GROUPS["administrator"])
    return [
        "ALTER TABLE users ENABLE ROW LEVEL SECURITY",
        *_policy("users", "plo_users_read", "SELECT", "PUBLIC", "true"),
        *_insert_policy("users", "plo_users_admin_insert", admin, "true"),
        *_policy("users", "plo_users_admin_update", "UPDATE", admin, "true"),
        "DROP POLICY IF EXISTS plo_users_admin_delete ON users",
        f"CREATE POLICY plo_users_admin_delete ON users FOR DELETE TO {admin} "
        "USING (registered = false)",
        *_insert_policy(
            "users", "plo_users_import", quote(GROUPS["team_manager"]), UNREGISTERED_PERSON
        ),
    ]


def _teams_policies() -> list[str]:
    return [
        "ALTER TABLE teams ENABLE ROW LEVEL SECURITY",
        *_policy("teams", "plo_teams_read", "SELECT", "PUBLIC", "true"),
        *_policy("teams", "plo_teams_admin", "ALL", quote(GROUPS["administrator"]), "true"),
        *_insert_policy(
            "teams", "plo_teams_import", quote(GROUPS["team_manager"]), UNREGISTERED_TEAM
        ),
    ]


def _settings_policies() -> list[str]:
    managers = f"{quote(GROUPS['team_manager'])}, {quote(GROUPS['administrator'])}"
    return [
        "ALTER TABLE settings ENABLE ROW LEVEL SECURITY",
        *_policy("settings", "plo_settings_read", "SELECT", "PUBLIC", "true"),
        *_policy("settings", "plo_settings_managers", "ALL", managers, "true"),
        *_policy(
            "settings",
            "plo_settings_legal",
            "ALL",
            quote(GROUPS["legal_liaison"]),
            "key LIKE 'letters.%'",
        ),
    ]


def _audit_trigger() -> list[str]:
    groups = _in_list(GROUPS.values())
    return [
        "CREATE OR REPLACE FUNCTION plo_audit_log_signed() RETURNS trigger "
        "LANGUAGE plpgsql SET search_path = pg_catalog AS $$ BEGIN "
        "IF EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
        "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = session_user "
        f"AND g.rolname IN ({groups})) THEN "
        "NEW.username := session_user; NEW.at := now(); END IF; RETURN NEW; END $$",
        "DROP TRIGGER IF EXISTS audit_log_signed ON audit_log",
        "CREATE TRIGGER audit_log_signed BEFORE INSERT ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION plo_audit_log_signed()",
    ]


def present_tables(connection: Connection) -> list[str]:
    return list(
        connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ).scalars()
    )


def present_columns(connection: Connection) -> list[str]:
    return [
        f"{table}.{column}"
        for table, column in connection.execute(
            text(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = 'public'"
            )
        )
    ]


def setup_sql(connection: Connection, *, include_roles: bool = True) -> list[str]:
    statements = role_sql() if include_roles else []
    return statements + grant_sql(present_tables(connection), present_columns(connection))


def groups_exist(connection: Connection) -> bool:
    found = connection.execute(
        text("SELECT count(*) FROM pg_roles WHERE rolname = ANY(:names)"),
        {"names": list(GROUPS.values())},
    ).scalar_one()
    return int(found) == len(GROUPS)


def login_sql(username: str, role: str, *, create: bool, exists: bool) -> list[str]:
    """Statements giving ``username``'s login the group of ``role`` (and no other)."""
    statements: list[str] = []
    if not exists and create:
        statements.append(f"CREATE ROLE {quote(username)} LOGIN")
    for other_role, group in GROUPS.items():
        if other_role != role:
            statements.append(f"REVOKE {quote(group)} FROM {quote(username)}")
    statements.append(f"GRANT {quote(GROUPS[role])} TO {quote(username)}")
    return statements


def revoke_login_sql(username: str) -> list[str]:
    return [f"REVOKE {quote(g)} FROM {quote(username)}" for g in GROUPS.values()]


def login_exists(connection: Connection, username: str) -> bool:
    return bool(
        connection.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :name"), {"name": username}
        ).first()
    )


def refresh_if_set_up(engine: object) -> bool:
    """After an upgrade: re-grant on every table (new ones included) if db-setup was run.

    Needs the owner's login, which is the one that could run the upgrade.  Returns
    whether grants were applied.
    """
    from sqlalchemy import Engine

    assert isinstance(engine, Engine)
    if engine.dialect.name != "postgresql":
        return False
    with engine.begin() as connection:
        if not groups_exist(connection):
            return False
        for statement in grant_sql(present_tables(connection), present_columns(connection)):
            connection.execute(text(statement))
    return True
