"""The app's permission table and the PostgreSQL grants say the same thing."""

from __future__ import annotations

import pytest

from db.grants import GROUPS, PRIVILEGES, UNREGISTERED_PERSON, UNREGISTERED_TEAM, grant_sql
from plo_tracker.permissions import ROLE_PERMISSIONS, Permission, Role

PAIRS = [
    (Permission.EDIT_CASES, "children", "INSERT"),
    (Permission.EDIT_CASES, "assessments", "DELETE"),
    (Permission.REVIEW_FLAGS, "flag_reviews", "INSERT"),
    (Permission.REVIEW_FLAGS, "watch_reviews", "INSERT"),
    (Permission.IMPORT_CASES, "cp_plans", "INSERT"),
    (Permission.IMPORT_CASES, "cp_plan_imports", "DELETE"),
    (Permission.MANAGE_POLICY, "closure_days", "INSERT"),
    # Changing users and teams is the administrators' (adding them is not only theirs: an
    # import adds people and teams not yet registered, see below).
    (Permission.MANAGE_USERS, "users", "UPDATE"),
    (Permission.MANAGE_USERS, "teams", "UPDATE"),
    (Permission.MANAGE_USERS, "teams", "DELETE"),
    (Permission.DELETE_CASES, "cases", "DELETE"),
    (Permission.GENERATE_LETTERS, "letters", "INSERT"),
    (Permission.RECORD_LEGAL_EVENTS, "events", "INSERT"),
]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("permission", "table", "privilege"), PAIRS)
def test_grants_follow_permissions(
    role: Role, permission: Permission, table: str, privilege: str
) -> None:
    allowed_in_app = permission in ROLE_PERMISSIONS[role]
    granted = privilege in PRIVILEGES[role.value].get(table, "")
    assert allowed_in_app == granted, (role, permission, table)


def test_every_role_has_a_group_and_nobody_may_change_the_audit_log() -> None:
    assert set(GROUPS) == {r.value for r in Role}
    for role in Role:
        assert PRIVILEGES[role.value]["audit_log"] == "INSERT"


@pytest.mark.parametrize("role", list(Role))
def test_who_may_import_may_add_people_and_teams_not_yet_registered(role: Role) -> None:
    """An import names teams and staff; whoever may import may add the missing ones, as
    not yet registered. Inserting anything else is the administrators' (MANAGE_USERS)."""
    may_import = Permission.IMPORT_CASES in ROLE_PERMISSIONS[role]
    for table in ("users", "teams"):
        assert ("INSERT" in PRIVILEGES[role.value].get(table, "")) == may_import, (role, table)
    statements = grant_sql(
        ["users", "teams", "cases", "audit_log", "events", "settings"], ["users.registered"]
    )
    group = f'"{GROUPS[role.value]}"'
    inserts = [s for s in statements if "FOR INSERT" in s and f"TO {group}" in s]
    if Permission.MANAGE_USERS in ROLE_PERMISSIONS[role]:
        assert all("WITH CHECK (true)" in s for s in inserts)
    elif may_import:
        # Row-level security limits the grant to rows not yet registered, on both tables.
        assert sorted(inserts) == sorted(
            [
                f'CREATE POLICY plo_users_import ON "users" FOR INSERT TO {group} '
                f"WITH CHECK ({UNREGISTERED_PERSON})",
                f'CREATE POLICY plo_teams_import ON "teams" FOR INSERT TO {group} '
                f"WITH CHECK ({UNREGISTERED_TEAM})",
            ]
        )
        assert "ALTER TABLE users ENABLE ROW LEVEL SECURITY" in statements
        assert "ALTER TABLE teams ENABLE ROW LEVEL SECURITY" in statements
    else:
        assert inserts == []
