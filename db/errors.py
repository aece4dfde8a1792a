"""Errors raised by the persistence layer, each with a message a user can act on."""

from __future__ import annotations


class StoreError(Exception):
    """A known database problem; ``str(error)`` is safe to show to a user."""


class DatabaseBusyError(StoreError):
    def __init__(self) -> None:
        super().__init__(
            "The database is busy: another person or program is saving to it. "
            "Wait a moment and try again."
        )


class DatabaseUnavailableError(StoreError):
    pass


class DatabaseMissingError(DatabaseUnavailableError):
    """There is no database at the place given (nothing was created there).

    ``location`` is the file path or the URL without its password.
    """

    def __init__(self, message: str, location: str) -> None:
        super().__init__(message)
        self.location = location


class NotPloDatabaseError(DatabaseUnavailableError):
    """The file or database is not PLO Tracker's; it was not opened and not changed.

    ``reason`` says why in a few words ("it is an empty file"), for other messages.
    """

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


class SchemaTooNewError(StoreError):
    pass


class UnknownSchemaError(StoreError):
    """The database records a schema revision no PLO Tracker numbers that way."""


class UpgradeFailedError(StoreError):
    """An upgrade that failed and was rolled back: the database is as it was."""


class StaleRecordError(StoreError):
    def __init__(self, what: str = "This record") -> None:
        super().__init__(
            f"{what} was changed by someone else after you opened it, so your change was not "
            "saved and nothing was overwritten. Reload it to see the latest version, then "
            "make your change again."
        )


class DatabasePermissionError(StoreError):
    def __init__(self) -> None:
        super().__init__(
            "The database refused this change: your database login does not have permission "
            "for it. Ask your administrator if you think you should have it."
        )


class DatabaseReadOnlyError(DatabaseUnavailableError):
    """A SQLite file (or its folder) that the user may not write to."""


class StoreIntegrityError(StoreError):
    pass
