"""Reading values out of one case of an exchange document, with the JSON path of each.

``Checker`` walks a case; every problem becomes an ``ExchangeError`` naming the case
reference, the JSON path (``cases[3].events[2].date``) and what is wrong.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from plo_tracker.domain.dates import parse_iso_date
from plo_tracker.errors import ExchangeError
from plo_tracker.validation import LIMITS, date_problem, text_problem

FORMAT = "plo-tracker-cases"
VERSION = 3  # what export writes
VERSIONS = (1, 2, 3)  # what import reads

_MISSING = object()


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON")


class Checker:
    """Walks one case, reading values and raising errors with the path."""

    def __init__(
        self,
        today: dt.date,
        version: int = VERSION,
        *,
        reference_rules: bool = True,
        held: frozenset[str] = frozenset(),
    ) -> None:
        self.today = today
        self.version = version
        self.case_ref: str | None = None
        # A new reference (a file's, a new case's) is trimmed and must be in the safe set;
        # an edit of a case already held keeps the reference it has.
        self.reference_rules = reference_rules
        # References the database already holds outside the safe set (made before it): a
        # file naming one exactly still means that case, so an export imports again.
        self.held = held

    def fail(self, path: str, problem: str) -> ExchangeError:
        return ExchangeError(problem, case=self.case_ref, path=path)

    def obj(self, value: Any, path: str, allowed: set[str] | frozenset[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, f"must be an object, not {type_name(value)}")
        for key in value:
            if key not in allowed:
                raise self.fail(f"{path}.{key}", f"unknown key '{str(key)[:40]}'")
        return value

    def get(self, data: dict[str, Any], key: str, path: str, *, required: bool) -> Any:
        value = data.get(key, _MISSING)
        if value is _MISSING or (value is None and not required):
            if required:
                raise self.fail(f"{path}.{key}", "is required but missing")
            return None
        return value

    def text(
        self, data: dict[str, Any], key: str, path: str, *, required: bool, limit: str = "name"
    ) -> str | None:
        value = self.get(data, key, path, required=required)
        if value is None:
            if required:
                raise self.fail(f"{path}.{key}", "is required but is null")
            return None
        if not isinstance(value, str):
            raise self.fail(f"{path}.{key}", f"must be text, not {type_name(value)}")
        problem = text_problem(value, LIMITS[limit], required=required)
        if problem:
            raise self.fail(f"{path}.{key}", problem)
        return value

    def boolean(self, data: dict[str, Any], key: str, path: str, *, required: bool) -> bool | None:
        value = self.get(data, key, path, required=required)
        if value is None:
            if required:
                raise self.fail(f"{path}.{key}", "is required but is null")
            return None
        if not isinstance(value, bool):
            raise self.fail(f"{path}.{key}", f"must be true or false, not {type_name(value)}")
        return value

    def date(
        self,
        data: dict[str, Any],
        key: str,
        path: str,
        *,
        required: bool,
        nullable: bool = False,
        past: bool = False,
    ) -> dt.date | None:
        value = data.get(key, _MISSING)
        if value is _MISSING:
            if required:
                raise self.fail(f"{path}.{key}", "is required but missing")
            return None
        if value is None:
            if required and not nullable:
                raise self.fail(f"{path}.{key}", "is required but is null")
            return None
        if not isinstance(value, str):
            raise self.fail(
                f"{path}.{key}", f"must be a date written YYYY-MM-DD, not {type_name(value)}"
            )
        try:
            day = parse_iso_date(value)
        except ValueError:
            shown = value if len(value) <= 40 else value[:40] + "..."
            raise self.fail(
                f"{path}.{key}", f"'{shown}' is not a real date written YYYY-MM-DD"
            ) from None
        problem = date_problem(day)
        if problem:
            raise self.fail(f"{path}.{key}", problem)
        if past and day > self.today:
            raise self.fail(
                f"{path}.{key}",
                f"{value} is in the future (today is {self.today.isoformat()}); only what has "
                "happened can be recorded",
            )
        return day

    def items(self, data: dict[str, Any], key: str, path: str, *, required: bool) -> list[Any]:
        value = self.get(data, key, path, required=required)
        if value is None:
            if required:
                raise self.fail(f"{path}.{key}", "is required but is null")
            return []
        if not isinstance(value, list):
            raise self.fail(f"{path}.{key}", f"must be a list, not {type_name(value)}")
        return value

    def choice(
        self, data: dict[str, Any], key: str, path: str, options: tuple[str, ...], *, required: bool
    ) -> str | None:
        value = self.text(data, key, path, required=required, limit="code")
        if value is not None and value not in options:
            raise self.fail(f"{path}.{key}", f"'{value[:40]}' is not one of: {', '.join(options)}")
        return value

    def ids(
        self,
        data: dict[str, Any],
        key: str,
        path: str,
        known: set[str],
        what: str,
    ) -> tuple[str, ...] | None:
        """A list of party or child ids that must exist in the case, each at most once.

        None when the key is absent (or null); a tuple (possibly empty) when it is given.
        """
        if data.get(key) is None:
            return None
        found: list[str] = []
        for i, item in enumerate(self.items(data, key, path, required=False)):
            item_path = f"{path}.{key}[{i}]"
            if not isinstance(item, str):
                raise self.fail(item_path, f"must be a {what} id (text), not {type_name(item)}")
            if item not in known:
                raise self.fail(item_path, f"{what} '{item[:40]}' does not exist in this case")
            if item in found:
                raise self.fail(item_path, f"{what} '{item[:40]}' is named twice")
            found.append(item)
        return tuple(found)

    def require_version(self, data: dict[str, Any], keys: tuple[str, ...], path: str) -> None:
        """Keys of version 3 are unknown keys (errors) in a version 1 or 2 file."""
        if self.version >= 3:
            return
        for key in keys:
            if key in data:
                raise self.fail(
                    f"{path}.{key}",
                    f"unknown key '{key}' (it belongs to version 3 of the format; this file "
                    f"says version {self.version})",
                )
