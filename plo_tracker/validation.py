"""Checks on text typed or imported by users: length, blanks, control characters."""

from __future__ import annotations

import re
import unicodedata

LIMITS: dict[str, int] = {"reference": 64, "code": 40, "name": 200, "text": 4000}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
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


def clean_optional(value: str | None) -> str | None:
    """Strip a typed value; empty becomes None."""
    if value is None:
        return None
    value = value.strip()
    return value or None
