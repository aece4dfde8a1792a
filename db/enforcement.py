"""What PostgreSQL itself enforces beyond table grants (issue 22): teams, derived rows, audit.

``db.grants`` decides which *tables* each group may write; this module adds, for the tables
present, what a hand-written SQL client (psql, Excel, Access) with a person's own login
must not get round:

* **Rows by team and role** (row-level security).  A social worker's login writes a case,
  and anything in it (children, people, events, assessments, plan actions, bookings,
  worries, strengths, keep-apart arrangements), only when the case belongs to that
  person's team (``users.team`` of the login), and records no managers' decisions.  A
  person without a team is not limited to one (give every social worker a team).  Team
  managers write every team's cases, as in the app (they hold cases across teams, review
  drift and import).  Legal liaison writes
  only letters and letter-type events, removes only the events they recorded themselves,
  and adds a plan action or booking only of the kind a letter makes (the reading action,
  a meeting for one person).  Administrators write everything.
* **Derived rows** (``case_status``, the case list's cache) are written only by the
  database owner's function ``plo_keep_case_status`` (SECURITY DEFINER), which signs every
  row with the caller's login; each login reads only its own rows, so nobody can make a
  drifting case show green to anyone else.
* **Audit by trigger** on every table that holds case data: a change made outside the app
  becomes an ``audit_log`` row (action ``sql_insert``/``sql_update``/``sql_delete``, the
  table, the row's id, the case, the whole row before and after as JSON, and the login,
  signed by ``audit_log_signed``).  The app audits its own changes (db/audit.py, one row per
  change in words the audit trail shows) and marks its transactions with
  ``SET LOCAL plo.audited = on`` (db/session.py), so its changes are not recorded twice.
  The mark is no secret (anything the app does, its login can do by hand), so a statement
  trigger records each changing statement of a marked transaction in ``audit_statements``
  (login, transaction, table, kind, time): a login that sets the mark itself is still on
  record, and a marked transaction whose login wrote no audit entry stands out.

The functions are SECURITY DEFINER with a fixed ``search_path`` and name their tables with
their schema, so a login cannot slip its own objects under them.  SQLite has no logins:
a SQLite file is one person's, protected by its file permissions.
"""

from __future__ import annotations

from collections.abc import Iterable

# Kept in step with plo_tracker.letters.readiness (reading_action, READING_SUPPORT).
READING_ACTION_PREFIX = "Go through our letter of "
READING_SUPPORT = "Your social worker will read it with you and explain it"

# Tables whose rows belong to one case (``case_id``): a social worker writes their team's.
CASE_PARTS = (
    "children",
    "parties",
    "assessments",
    "plan_actions",
    "bookings",
    "concerns",
    "strengths",
    "keep_apart",
)
# Every table holding case data: each change outside the app is audited by a trigger.
AUDITED_TABLES = (
    "cases",
    *CASE_PARTS,
    "events",
    "letters",
    "letter_preferences",
    "flag_reviews",
    "watch_reviews",
    "cp_plans",
    "cp_plan_imports",
)
APP_MARK = "plo.audited"  # the app's transactions set it (SET LOCAL), see db/session.py
SQL_ACTIONS = ("sql_insert", "sql_update", "sql_delete")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _in_list(values: Iterable[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


_DEFINER = "LANGUAGE {lang} STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp"


def functions_sql() -> list[str]:
    """The helpers row-level security asks: may this login write that case?"""
    return [
        # Whether the login's person may write a case of ``case_team``: a registered, active
        # user whose team it is (a person without a team is not limited to one).
        "CREATE OR REPLACE FUNCTION plo_team_allows(case_team text) RETURNS boolean "
        + _DEFINER.format(lang="sql")
        + " AS $$ SELECT EXISTS (SELECT 1 FROM public.users u WHERE u.username = session_user "
        "AND u.active AND u.registered AND (u.team IS NULL OR u.team = case_team)) $$",
        "CREATE OR REPLACE FUNCTION plo_case_writable(which_case bigint) RETURNS boolean "
        + _DEFINER.format(lang="sql")
        + " AS $$ SELECT COALESCE((SELECT public.plo_team_allows(c.team) FROM public.cases c "
        "WHERE c.id = which_case), false) $$",
    ]


def _policy(table: str, name: str, command: str, roles: str, using: str, check: str) -> list[str]:
    clauses = ""
    if command in ("ALL", "UPDATE", "DELETE", "SELECT"):
        clauses += f" USING ({using})"
    if command in ("ALL", "UPDATE", "INSERT"):
        clauses += f" WITH CHECK ({check})"
    return [
        f"DROP POLICY IF EXISTS {name} ON {_q(table)}",
        f"CREATE POLICY {name} ON {_q(table)} FOR {command} TO {roles}{clauses}",
    ]


def row_policies(
    tables: set[str],
    groups: dict[str, str],
    manager_events: Iterable[str],
    legal_events: Iterable[str],
    has: dict[str, bool],
) -> list[str]:
    """Row-level security for cases, their parts and events, by team and role."""
    # Administrators and team managers write any team's cases (as the app lets them).
    admin = f"{_q(groups['administrator'])}, {_q(groups['team_manager'])}"
    worker, legal = (_q(groups[r]) for r in ("social_worker", "legal_liaison"))
    staff = worker  # bound to their own team (plo_tracker.permissions.TEAM_BOUND_ROLES)
    s: list[str] = []

    def secured(table: str) -> None:
        s.append(f"ALTER TABLE {_q(table)} ENABLE ROW LEVEL SECURITY")
        s.extend(_policy(table, f"plo_{table}_read", "SELECT", "PUBLIC", "true", "true"))
        s.extend(_policy(table, f"plo_{table}_admin", "ALL", admin, "true", "true"))

    if "cases" in tables:
        secured("cases")
        mine = "public.plo_team_allows(team)"
        s += _policy("cases", "plo_cases_team", "ALL", staff, mine, mine)
        # Any write to a case bumps its revision (db/revisions.py): legal liaison's too.
        s += _policy("cases", "plo_cases_legal_revision", "UPDATE", legal, "true", "true")
    for table in CASE_PARTS:
        if table not in tables:
            continue
        secured(table)
        writable = "public.plo_case_writable(case_id)"
        s += _policy(table, f"plo_{table}_team", "ALL", staff, writable, writable)
    if "plan_actions" in tables and has["reading_action"]:
        # Making a letter for someone who needs it read with them adds that action.
        reading = (
            f"party_id IS NOT NULL AND completed IS NULL AND action LIKE "
            f"{_in_list([READING_ACTION_PREFIX + '%'])} AND support = "
            f"{_in_list([READING_SUPPORT])}"
        )
        s += _policy("plan_actions", "plo_plan_actions_letter", "INSERT", legal, "", reading)
    if "bookings" in tables and has["own_meeting"]:
        # Giving a person their own meeting in a letter books it, for them alone.
        alone = "attendees IS NOT NULL AND json_array_length(attendees) = 1"
        s += _policy("bookings", "plo_bookings_letter", "INSERT", legal, "", alone)
    if "keep_apart" in tables:
        s += _policy("keep_apart", "plo_keep_apart_legal", "ALL", legal, "true", "true")
    if "events" in tables:
        for old in ("plo_events_managers", "plo_events_social_workers", "plo_events_legal"):
            s.append(f"DROP POLICY IF EXISTS {old} ON events")
        s.append("DROP POLICY IF EXISTS plo_events_manager ON events")
        secured("events")
        writable = "public.plo_case_writable(case_id)"
        not_managers = f"type NOT IN ({_in_list(manager_events)}) AND {writable}"
        s += _policy("events", "plo_events_worker", "ALL", worker, not_managers, not_managers)
        letters = f"type IN ({_in_list(legal_events)})"
        s += _policy("events", "plo_events_legal_add", "INSERT", legal, "", letters)
        s += _policy("events", "plo_events_legal_change", "UPDATE", legal, letters, letters)
        if has["legal_remove"]:
            own = f"{letters} AND recorded_by = session_user"
            s += _policy("events", "plo_events_legal_remove", "DELETE", legal, own, "")
    return s


def case_status_sql(groups: dict[str, str]) -> list[str]:
    """The only way a login writes ``case_status``: rows signed with its own login."""
    names = ", ".join(_q(g) for g in groups.values())
    columns = (
        "revision integer, policy_stamp text, computed_for date, children text, stage text, "
        "weeks integer, next_due date, rag text, overdue integer, due_soon integer, "
        "is_open boolean, overdue_rules text, due_soon_rules text"
    )
    kept = [c.split()[0] for c in columns.split(", ")]
    return [
        "CREATE OR REPLACE FUNCTION plo_keep_case_status(kept_rows jsonb) RETURNS integer "
        "LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp "
        "AS $$ DECLARE written integer; BEGIN "
        "INSERT INTO public.case_status (case_id, computed_by, " + ", ".join(kept) + ") "
        "SELECT r.case_id, session_user, "
        + ", ".join(f"r.{c}" for c in kept)
        + f" FROM jsonb_to_recordset(kept_rows) AS r(case_id integer, {columns}) "
        "WHERE EXISTS (SELECT 1 FROM public.cases c WHERE c.id = r.case_id) "
        "ON CONFLICT (case_id, computed_by) DO UPDATE SET "
        + ", ".join(f"{c} = excluded.{c}" for c in kept)
        + "; GET DIAGNOSTICS written = ROW_COUNT; RETURN written; END $$",
        "REVOKE ALL ON FUNCTION plo_keep_case_status(jsonb) FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION plo_keep_case_status(jsonb) TO {names}",
    ]


def audit_trigger_sql(tables: set[str]) -> list[str]:
    """A row trigger on every table holding case data: changes outside the app audited."""
    s = [
        "CREATE OR REPLACE FUNCTION plo_audit_outside_app() RETURNS trigger "
        "LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ "
        "DECLARE before jsonb; after jsonb; found jsonb; ref text; person text; BEGIN "
        f"IF current_setting('{APP_MARK}', true) = 'on' THEN RETURN NULL; END IF; "
        "IF TG_OP <> 'INSERT' THEN before := to_jsonb(OLD); END IF; "
        "IF TG_OP <> 'DELETE' THEN after := to_jsonb(NEW); END IF; "
        "IF before = after THEN RETURN NULL; END IF; "
        "found := COALESCE(before, after); "
        "IF TG_TABLE_NAME = 'cases' THEN ref := found->>'reference'; "
        "ELSE SELECT c.reference INTO ref FROM public.cases c "
        "WHERE c.id = (found->>'case_id')::bigint; END IF; "
        "SELECT u.display_name INTO person FROM public.users u "
        "WHERE u.username = session_user; "
        "INSERT INTO public.audit_log (at, username, action, entity, entity_id, "
        "case_reference, changes) VALUES (now(), session_user, 'sql_' || lower(TG_OP), "
        "TG_TABLE_NAME, left(found->>'id', 64), left(ref, 64), jsonb_build_object("
        "'outside_app', true, 'login', session_user, 'user', person, "
        "'before', before, 'after', after)::json); "
        "RETURN NULL; END $$",
    ]
    statements = "audit_statements" in tables
    if statements:
        s.append(
            "CREATE OR REPLACE FUNCTION plo_audit_app_statement() RETURNS trigger "
            "LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ "
            f"BEGIN IF current_setting('{APP_MARK}', true) = 'on' THEN "
            "INSERT INTO public.audit_statements (at, login, txid, entity, action) "
            "VALUES (now(), session_user, txid_current(), TG_TABLE_NAME, lower(TG_OP)); "
            "END IF; RETURN NULL; END $$"
        )
    for table in AUDITED_TABLES:
        if table in tables:
            s += [
                f"DROP TRIGGER IF EXISTS plo_audit_outside_app ON {_q(table)}",
                f"CREATE TRIGGER plo_audit_outside_app AFTER INSERT OR UPDATE OR DELETE ON "
                f"{_q(table)} FOR EACH ROW EXECUTE FUNCTION plo_audit_outside_app()",
            ]
            if statements:
                s += [
                    f"DROP TRIGGER IF EXISTS plo_audit_app_statements ON {_q(table)}",
                    "CREATE TRIGGER plo_audit_app_statements AFTER INSERT OR UPDATE OR "
                    f"DELETE ON {_q(table)} FOR EACH STATEMENT EXECUTE FUNCTION "
                    "plo_audit_app_statement()",
                ]
    return s


# The columns each piece needs (an older schema, before an upgrade, gets what fits it).
_NEEDED = {
    "rows": ("users.team", "users.active", "users.registered", "cases.team"),
    "legal_remove": ("events.recorded_by",),
    "reading_action": ("plan_actions.party_id", "plan_actions.support"),
    "own_meeting": ("bookings.attendees",),
    "case_status": ("case_status.computed_by",),
}


def enforcement_sql(
    tables: Iterable[str],
    columns: Iterable[str],
    groups: dict[str, str],
    manager_events: Iterable[str],
    legal_events: Iterable[str],
) -> list[str]:
    present = set(tables) | set(columns)
    has = {piece: all(c in present for c in needed) for piece, needed in _NEEDED.items()}
    s: list[str] = []
    if has["rows"]:
        s += functions_sql()
        s += row_policies(present, groups, manager_events, legal_events, has)
    if has["case_status"]:
        s += case_status_sql(groups)
    if "audit_log" in present:
        s += audit_trigger_sql(present)
    return s
