"""Roles and what each may do.  Every service that changes data checks here."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from plo_tracker.errors import PermissionDenied


class Role(StrEnum):
    SOCIAL_WORKER = "social_worker"
    TEAM_MANAGER = "team_manager"
    LEGAL_LIAISON = "legal_liaison"
    ADMINISTRATOR = "administrator"


ROLE_LABELS: dict[Role, str] = {
    Role.SOCIAL_WORKER: "social worker",
    Role.TEAM_MANAGER: "team manager",
    Role.LEGAL_LIAISON: "legal liaison",
    Role.ADMINISTRATOR: "administrator",
}


class Permission(StrEnum):
    VIEW_CASES = "view cases"
    EDIT_CASES = "create and edit cases"
    RECORD_LEGAL_EVENTS = "record letters sent and proceedings issued"
    MANAGE_OVERSIGHT = "record management oversight, extensions and decisions to issue"
    REVIEW_FLAGS = "review drift flags"
    GENERATE_LETTERS = "generate letters"
    MANAGE_TEMPLATES = "add letter templates"
    IMPORT_CASES = "import cases"
    EXPORT_CASES = "export cases"
    DELETE_CASES = "delete cases"
    VIEW_AUDIT = "view the audit trail"
    EXPORT_PERSONAL_DATA = "export a case for a subject access request"
    VIEW_REPORTS = "view performance reports"
    MANAGE_POLICY = "change the timescale policy and closure days"
    MANAGE_USERS = "manage users and teams"
    KEEP_APART = "record who must be kept apart"
    BACKUP_RESTORE = "back up and restore the database"
    VIEW_WATCH = "see the children heading for PLO (the watch list)"


_ALL = frozenset(Permission)
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.SOCIAL_WORKER: frozenset(
        {
            Permission.VIEW_CASES,
            Permission.EDIT_CASES,
            Permission.RECORD_LEGAL_EVENTS,
            Permission.VIEW_AUDIT,
            Permission.VIEW_REPORTS,
        }
    ),
    Role.TEAM_MANAGER: frozenset(
        {
            Permission.VIEW_CASES,
            Permission.EDIT_CASES,
            Permission.RECORD_LEGAL_EVENTS,
            Permission.MANAGE_OVERSIGHT,
            Permission.REVIEW_FLAGS,
            Permission.GENERATE_LETTERS,
            Permission.IMPORT_CASES,
            Permission.EXPORT_CASES,
            Permission.VIEW_AUDIT,
            Permission.EXPORT_PERSONAL_DATA,
            Permission.VIEW_REPORTS,
            Permission.MANAGE_POLICY,
            Permission.KEEP_APART,
            Permission.VIEW_WATCH,
        }
    ),
    Role.LEGAL_LIAISON: frozenset(
        {
            Permission.VIEW_CASES,
            Permission.RECORD_LEGAL_EVENTS,
            Permission.GENERATE_LETTERS,
            Permission.MANAGE_TEMPLATES,
            Permission.VIEW_AUDIT,
            Permission.VIEW_REPORTS,
            Permission.KEEP_APART,
            Permission.VIEW_WATCH,
        }
    ),
    Role.ADMINISTRATOR: _ALL,
}

# Event types a social worker may not record: they are managers' decisions.
MANAGER_EVENT_TYPES = frozenset(
    {"management_oversight", "extension_agreed", "decision_to_issue", "fgdm_not_offered"}
)
# Event types legal liaison may record without the general edit permission.
LEGAL_EVENT_TYPES = frozenset(
    {
        "letter_before_proceedings",
        "letter_of_issue",
        "proceedings_issued",
        "hearing",
        "court_extension",
        "proceedings_concluded",
    }
)


# Roles that change only their own team's cases (a person without a team is not limited).
# Team managers are not bound: they hold cases across teams, review drift and import files
# of every team (db/enforcement.py's TEAM_BOUND_GROUPS says the same to PostgreSQL).
TEAM_BOUND_ROLES = frozenset({Role.SOCIAL_WORKER})


@dataclass(frozen=True, slots=True)
class Actor:
    """The person using the app, as matched to their user record."""

    username: str
    display_name: str
    role: Role
    team: str | None = None
    user_id: int | None = None

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise PermissionDenied(
                f"You are signed in as {self.display_name} ({ROLE_LABELS[self.role]}), and a "
                f"{ROLE_LABELS[self.role]} may not {permission.value}. Nothing was changed."
            )

    def require_event_type(self, event_type: str) -> None:
        if event_type in MANAGER_EVENT_TYPES:
            self.require(Permission.MANAGE_OVERSIGHT)
        elif event_type in LEGAL_EVENT_TYPES and self.can(Permission.RECORD_LEGAL_EVENTS):
            return
        else:
            self.require(Permission.EDIT_CASES)

    def may_write_team(self, team: str | None) -> bool:
        """Whether this person may change a case of ``team`` (PostgreSQL enforces it too)."""
        return self.role not in TEAM_BOUND_ROLES or self.team is None or team == self.team

    def require_case_team(self, reference: str, team: str | None) -> None:
        if not self.may_write_team(team):
            label = ROLE_LABELS[self.role]
            raise PermissionDenied(
                f"Case {reference} belongs to {team or 'no team'}, and you are signed in as "
                f"{self.display_name} ({label}, {self.team}): a {label} may change only their "
                "own team's cases. Nothing was changed."
            )
