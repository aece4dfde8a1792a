"""The errors a user can see.  ``str(error)`` is always a complete, plain message.

Anything else reaching the command line or the window is a bug: it is logged
(without personal data) and the user sees a short "something went wrong" note.
"""

from __future__ import annotations

from typing import Any

from db.errors import StaleRecordError, StoreError


class PloError(Exception):
    """A known problem with a message fit for the user."""


class ValidationError(PloError):
    """Bad input; nothing was changed."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class ExchangeError(ValidationError):
    """A case file that breaks the exchange format; nothing was imported."""

    def __init__(self, problem: str, *, case: str | None = None, path: str | None = None) -> None:
        self.case = case
        self.path = path
        self.problem = problem
        if case and path:
            where = f"Case {case}, {path}: "
        elif case:
            where = f"Case {case}: "
        elif path:
            where = f"At {path}: "
        else:
            where = ""
        super().__init__(f"Import refused, nothing was changed. {where}{problem}", field=path)


class RemovalRefused(ExchangeError):
    """An import that would remove records the database holds; nothing was imported.

    ``removed`` names each case and what it would lose (kinds and counts only).  The
    command line says to add ``--replace``; the window asks whether to go ahead.
    """

    def __init__(self, problem: str, removed: str) -> None:
        super().__init__(problem)
        self.removed = removed


class ImportConflict(ExchangeError):
    """A case changed by someone else while the import was reading it; nothing was imported.

    ``change`` says who changed what (from the audit trail), so the person importing can
    check it before importing again.
    """

    def __init__(self, problem: str, *, case: str, change: str) -> None:
        super().__init__(problem, case=case)
        self.change = change


class UnknownNames(ExchangeError):
    """An import naming teams or people the database does not have; nothing was imported.

    ``unknown`` describes each (with its case and JSON path); the window offers to add
    them as not yet registered (``--create-missing`` on the command line).
    """

    def __init__(
        self, problem: str, *, case: str | None, path: str | None, unknown: tuple[str, ...]
    ) -> None:
        super().__init__(problem, case=case, path=path)
        self.unknown = unknown


class ChronologyError(ValidationError):
    """A change that would make the case's chronology impossible; nothing was changed."""

    def __init__(self, message: str, findings: tuple[Any, ...] = ()) -> None:
        super().__init__(message, field="date")
        self.findings = findings


class ChronologyWarning(PloError):
    """A change that makes an unusual but possible order; nothing was changed yet.

    ``warnings`` are ``plo_tracker.domain.chronology.Finding``s. Save again with
    ``confirm=True`` once the user has confirmed them.
    """

    def __init__(self, message: str, warnings: tuple[Any, ...]) -> None:
        super().__init__(message)
        self.warnings = warnings


class PermissionDenied(PloError):
    pass


class NotFound(PloError):
    pass


class IdentityError(PloError):
    """The person using the app cannot be matched to a user record."""


class NotRegistered(IdentityError):
    """The person's user name is not registered in this database (``username``)."""

    def __init__(self, message: str, username: str) -> None:
        super().__init__(message)
        self.username = username


# Someone else changed the record after the user opened it.  One class whether the app's
# own version check noticed or the database's versioned UPDATE did (a race between them).
ConflictError = StaleRecordError


KNOWN_ERRORS: tuple[type[Exception], ...] = (PloError, StoreError)
