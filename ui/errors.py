"""Turning an exception into what the user is told.

Known errors (``plo_tracker.errors.KNOWN_ERRORS``) carry a complete, plain message.
Anything else is a bug: it is logged (the core's logging scrubs personal data)
under a short reference, and the user sees a generic note with that reference.
"""

from __future__ import annotations

import logging
import sys
import uuid
from types import TracebackType

from plo_tracker.errors import KNOWN_ERRORS
from plo_tracker.logs import Safe

log = logging.getLogger("plo_tracker.ui")


def is_known(error: BaseException) -> bool:
    return isinstance(error, KNOWN_ERRORS)


def unexpected_message(reference: str) -> str:
    from plo_tracker import config  # imported when needed: it loads the database code

    return (
        "Something went wrong that PLO Tracker did not expect. Nothing was half-saved. "
        f"The details are in the log file in {config.log_dir()} under reference {reference}; "
        "please pass the reference to your IT team."
    )


def log_unexpected(
    error: BaseException, traceback: TracebackType | None = None, where: str = "window"
) -> str:
    reference = uuid.uuid4().hex[:8]
    log.error(
        "unexpected error in the %s, reference %s",
        Safe(where),
        Safe(reference),
        exc_info=(type(error), error, traceback or error.__traceback__),
    )
    return reference


def describe(error: BaseException, where: str = "window") -> str:
    """The message to show for ``error`` (logging it first if it is unexpected)."""
    if is_known(error):
        return str(error)
    return unexpected_message(log_unexpected(error, where=where))


def install_excepthook() -> None:
    """Unexpected errors anywhere in the window: a generic dialog, details to the log."""

    def hook(
        kind: type[BaseException], error: BaseException, traceback: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, traceback)
            return
        from ui import dialogs

        if is_known(error):
            message = str(error)
        else:
            message = unexpected_message(log_unexpected(error, traceback))
        try:
            dialogs.show_error(None, "Something went wrong", message)
        except Exception:
            sys.__excepthook__(kind, error, traceback)

    sys.excepthook = hook
