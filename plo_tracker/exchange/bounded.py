"""Walking an exchange file's JSON with limits, so any input costs bounded memory and time.

``ijson.basic_parse`` (yajl, in C) turns the bytes into events (``start_map``, ``map_key``,
``string``...) without keeping any path; ``walk`` follows them with a stack of its own and
refuses, at the event that breaks it and naming the limit:

* nesting deeper than ``MAX_DEPTH`` (the deepest valid file is 7 levels deep; a file of
  nested brackets used to cost memory growing with the square of its depth);
* text (a value or a key) longer than ``MAX_TEXT`` characters (no field may be longer);
* an object with a key given twice, anywhere (JSON parsers silently keep the last one);
* an object with more than ``MAX_KEYS`` keys, a list inside a case with more items than
  its bound (``CASE_LIST_LIMITS`` for a case's own lists, ``MAX_INNER_ITEMS`` below them);
* a number the file cannot mean (more than ``MAX_NUMBER_DIGITS`` digits).

Work and memory are linear in the file: each event costs a constant, and only the case
being read is held in memory (at most one case's bounded lists). The items of ``cases``
are built one at a time (``build=True``) or only checked (``build=False``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import ijson

from plo_tracker.errors import ExchangeError
from plo_tracker.validation import LIMITS

MAX_DEPTH = 16
MAX_TEXT = LIMITS["text"]
MAX_KEYS = 64
MAX_INNER_ITEMS = 200
MAX_NUMBER_DIGITS = 40
BUFFER = 64 * 1024

# The most of each kind of record one case may hold (docs/exchange-format.md). A real case
# holds far fewer; these stop one case from holding the memory of a whole file.
CASE_LIST_LIMITS: dict[str, int] = {
    "children": 30,
    "parties": 100,
    "events": 2000,
    "assessments": 200,
    "plan_actions": 500,
    "scheduled": 500,
    "concerns": 200,
    "strengths": 200,
    "keep_apart": 100,
}

_WORDS = {"children": "children", "parties": "people", "events": "events"}


@dataclass(frozen=True, slots=True)
class TopKey:
    """A key of the top-level object and the first event of its value."""

    name: str
    event: str
    value: Any


@dataclass(frozen=True, slots=True)
class CaseItem:
    """One item of ``cases``: its index, and its value when built (else None)."""

    index: int
    value: Any


class _Frame:
    __slots__ = ("count", "is_map", "key", "keys", "limit", "limit_name", "value")

    def __init__(self, is_map: bool, value: Any, limit: int, limit_name: str) -> None:
        self.is_map = is_map
        self.key: str | None = None
        self.keys: set[str] | None = set() if is_map else None
        self.count = 0  # items of a list, or keys of an object
        self.value = value
        self.limit = limit
        self.limit_name = limit_name


def _path(stack: list[_Frame]) -> str:
    """The JSON path of the value the walk is at (``cases[3].events[2].date``)."""
    parts: list[str] = []
    for frame in stack:
        if frame.is_map:
            if frame.key is not None:
                parts.append(("." if parts else "") + frame.key[:40])
        else:
            parts.append(f"[{max(frame.count - 1, 0)}]")
    return "".join(parts) or "$"


def _fail(stack: list[_Frame], problem: str) -> ExchangeError:
    return ExchangeError(problem, path=_path(stack))


def _limit_for(stack: list[_Frame]) -> tuple[int, str]:
    """The most items a list opened here may hold, and what to call it."""
    depth = len(stack)  # the new list's depth will be depth + 1
    if depth == 1:
        return -1, "cases"  # the cases list itself: no bound (read as a stream)
    if depth == 3:
        key = stack[-1].key or ""
        if key in CASE_LIST_LIMITS:
            return CASE_LIST_LIMITS[key], _WORDS.get(key, key.replace("_", " "))
    return MAX_INNER_ITEMS, "items"


def _check_number(stack: list[_Frame], value: Any) -> Any:
    text = str(value) if isinstance(value, int) else None
    if text is not None and len(text) > MAX_NUMBER_DIGITS:
        raise _fail(stack, f"a number with more than {MAX_NUMBER_DIGITS} digits is not allowed")
    return value


def walk(raw: IO[bytes], *, build: bool) -> Iterator[TopKey | CaseItem]:
    """The top-level keys and the items of ``cases``, checked against the limits as read.

    Raises ``ExchangeError`` at the first limit broken; ``ijson.JSONError`` (and
    ``ValueError`` for an unreadable number) for a file that is not JSON.
    """
    stack: list[_Frame] = []
    case_index = -1
    building = False  # inside an item of the top-level "cases" list, building it
    in_cases = False  # the top-level key being read is "cases"
    for event, value in ijson.basic_parse(raw, use_float=True, buf_size=BUFFER):
        depth = len(stack)
        if event == "map_key":
            frame = stack[-1]
            if len(value) > MAX_TEXT:
                raise _fail(stack, f"has a key longer than {MAX_TEXT} characters")
            assert frame.keys is not None
            if value in frame.keys:
                frame.key = value
                raise _fail(stack, f"the key '{value[:40]}' is given twice in one object")
            frame.count += 1
            if frame.count > MAX_KEYS:
                frame.key = value
                raise _fail(stack, f"an object may have at most {MAX_KEYS} keys")
            frame.keys.add(value)
            frame.key = value
            if depth == 1:
                in_cases = value == "cases"
            continue
        if event == "end_map" or event == "end_array":
            done = stack.pop()
            if building:
                if depth == 3:  # a whole case
                    building = False
                    yield CaseItem(case_index, done.value)
                else:
                    _attach(stack[-1], done.value)
            elif depth == 3 and in_cases:
                yield CaseItem(case_index, None)
            continue
        # a value: a scalar, or the start of an object or list
        if depth:
            parent = stack[-1]
            if not parent.is_map:
                parent.count += 1
                if 0 <= parent.limit < parent.count:
                    raise _fail(
                        stack,
                        f"may hold at most {parent.limit} {parent.limit_name}"
                        + (" in one case" if depth == 4 and parent.limit_name != "items" else ""),
                    )
        if event == "start_map" or event == "start_array":
            if depth + 1 > MAX_DEPTH:
                raise _fail(
                    stack,
                    f"is nested more than {MAX_DEPTH} levels deep (lists and objects inside "
                    "each other); no case file needs more",
                )
            if depth <= 1:
                yield TopKey(stack[0].key or "" if depth else "", event, None)
            if depth == 2 and in_cases:
                case_index += 1
                building = build
            limit, name = _limit_for(stack) if event == "start_array" else (-1, "")
            container: Any = None
            if building:
                container = {} if event == "start_map" else []
            stack.append(_Frame(event == "start_map", container, limit, name))
            continue
        if event == "string" and len(value) > MAX_TEXT:
            raise _fail(
                stack,
                f"is too long ({len(value)} characters; no field may be longer than {MAX_TEXT})",
            )
        if event == "number":
            value = _check_number(stack, value)
        if depth == 0:
            yield TopKey("", event, value)
        elif depth == 1:
            yield TopKey(stack[0].key or "", event, value)
        elif depth == 2 and in_cases:
            case_index += 1
            yield CaseItem(case_index, value if build else None)
        elif building:
            _attach(stack[-1], value)
    if stack:  # pragma: no cover - yajl reports a premature end first
        raise _fail(stack, "the file ends in the middle of the data")


def _attach(parent: _Frame, value: Any) -> None:
    if parent.is_map:
        parent.value[parent.key] = value
    else:
        parent.value.append(value)
