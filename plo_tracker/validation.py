"""Checks on text typed or imported by users: length, blanks, control characters."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import types
import typing
import unicodedata
from typing import Any

from plo_tracker.domain.dates import short_date

LIMITS: dict[str, int] = {"reference": 64, "code": 40, "name": 200, "text": 4000}
# Control characters, line/paragraph separators, and bidirectional overrides (which can make
# text display differently from what is stored).
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]"
)
_NEWLINES = re.compile(r"[\r\n\t]")


def text_problem(value: str, limit: int, *, required: bool = True) -> str | None:
    """What is wrong with ``value`` as a text field, or None."""
    if required and not value.strip():
        return "must not be empty"
    if len(value) > limit:
        return f"is too long ({len(value)} characters; at most {limit})"
    multiline = limit >= LIMITS["text"]
    if _CONTROL.search(value) or (not multiline and _NEWLINES.search(value)):
        return (
            "contains control characters (such as a line break or a null) that are not allowed here"
        )
    for char in value:
        if unicodedata.category(char) == "Cs":
            return "contains characters that cannot be stored"
    return None


# A case reference names the case in file names (letters, exports) and on screen: letters,
# digits, and - _ . or a space inside; no "..", no Windows device name (CON, NUL, COM1...).
_REFERENCE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9 ._-]*[A-Za-z0-9])?")
_DEVICE_NAMES = re.compile(r"(?i)(?:CON|PRN|AUX|NUL|CLOCK\$|COM[0-9]|LPT[0-9])(?:\..*)?")


def reference_problem(value: str) -> str | None:
    """What is wrong with ``value`` (already trimmed) as a case reference, or None."""
    problem = text_problem(value, LIMITS["reference"])
    if problem:
        return problem
    if not _REFERENCE.fullmatch(value) or ".." in value:
        return (
            f"'{shown(value, 40)}' is not a usable case reference: use letters, digits, and "
            "- _ . or a space between them (no / \\ or ..)"
        )
    if _DEVICE_NAMES.fullmatch(value):
        return f"'{value}' is a name Windows keeps for a device; it cannot be a case reference"
    return None


def clean_optional(value: str | None) -> str | None:
    """Strip a typed value; empty becomes None."""
    if value is None:
        return None
    value = value.strip()
    return value or None


# -- types and ranges at the service boundary ------------------------------------------------

EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)

_TYPE_WORDS = {
    str: "text",
    int: "a whole number",
    bool: "yes or no",
    dt.date: "a date",
    dt.time: "a time",
    tuple: "a list",
}


def date_problem(value: dt.date) -> str | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        return (
            f"{short_date(value)} is outside the dates PLO Tracker accepts "
            f"({EARLIEST_DATE.year} to {LATEST_DATE.year})"
        )
    return None


def _allowed(annotation: Any) -> tuple[type, ...]:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        found: list[type] = []
        for arg in typing.get_args(annotation):
            found.extend(_allowed(arg))
        return tuple(found)
    if annotation is type(None):
        return (type(None),)
    if origin is not None:
        return (origin,)
    return (annotation,) if isinstance(annotation, type) else (object,)


def _matches(value: Any, allowed: tuple[type, ...]) -> bool:
    for kind in allowed:
        if kind is dt.date and isinstance(value, dt.datetime):
            continue  # a datetime is not a date for our purposes
        if kind is int and isinstance(value, bool):
            continue
        if isinstance(value, kind):
            return True
    return False


def check_record(record: Any, labels: dict[str, str] | None = None) -> None:
    """Raise ValidationError if a field of a domain record has the wrong type or range.

    Services call this first, so a caller passing text where a date belongs (or a
    date in the year 9999) gets a clear message instead of a crash deep inside.
    """
    from plo_tracker.errors import ValidationError

    hints = typing.get_type_hints(type(record))
    for field in dataclasses.fields(record):
        value = getattr(record, field.name)
        label = (labels or {}).get(field.name, field.name.replace("_", " ").capitalize())
        allowed = _allowed(hints[field.name])
        if not _matches(value, allowed):
            wanted = " or ".join(
                _TYPE_WORDS.get(k, "empty" if k is type(None) else k.__name__) for k in allowed
            )
            raise ValidationError(f"{label}: must be {wanted}.", field=field.name)
        if isinstance(value, dt.date):
            problem = date_problem(value)
            if problem:
                raise ValidationError(f"{label}: {problem}.", field=field.name)
        if isinstance(value, tuple):
            for item in value:
                if dataclasses.is_dataclass(item):
                    check_record(item, labels)
                elif not isinstance(item, str):
                    raise ValidationError(f"{label}: every entry must be text.", field=field.name)
        elif dataclasses.is_dataclass(value):
            check_record(value, labels)


def check_arg(label: str, value: Any, *allowed: type) -> None:
    """The same check for a single argument (a service's plain parameters)."""
    from plo_tracker.errors import ValidationError

    if not _matches(value, allowed):
        wanted = " or ".join(
            _TYPE_WORDS.get(k, "empty" if k is type(None) else k.__name__) for k in allowed
        )
        raise ValidationError(f"{label}: must be {wanted}.")
    if isinstance(value, dt.date):
        problem = date_problem(value)
        if problem:
            raise ValidationError(f"{label}: {problem}.")


def shown(value: object, limit: int = 40) -> str:
    """A user's value, shortened and made printable, for quoting in a message."""
    text = str(value)
    text = _CONTROL.sub("?", _NEWLINES.sub(" ", text))
    return text if len(text) <= limit else text[: limit - 1] + "…"
