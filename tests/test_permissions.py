"""The app's permission table and the PostgreSQL grants say the same thing."""

from __future__ import annotations

import pytest

from db.grants import GROUPS, PRIVILEGES
from plo_tracker.permissions import ROLE_PERMISSIONS, Permission, Role

PAIRS = [
    (Permission.EDIT_CASES, "children", "INSERT"),
    (Permission.EDIT_CASES, "assessments", "DELETE"),
    (Permission.REVIEW_FLAGS, "flag_reviews", "INSERT"),
    (Permission.MANAGE_POLICY, "closure_days", "INSERT"),
    (Permission.MANAGE_USERS, "users", "INSERT"),
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
