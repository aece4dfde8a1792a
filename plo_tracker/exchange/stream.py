"""Reading an exchange file as a stream, so memory stays small whatever its size.

``ijson`` (its C parser) reads the file in small pieces, and ``bounded.walk`` follows its
events with limits (nesting depth, text length, keys given twice, records per case), so any
file costs time and memory linear in its size.  The reader also refuses an escaped lone
surrogate (``"\\ud800"``), which yajl would otherwise turn into "?".  ``read_header`` walks
the whole file once: it proves the file is valid JSON and checks the top level (an object
with ``format``, ``version`` and a ``cases`` list, and nothing else), and counts the
cases.  ``cases`` then yields one checked case at a time, built from the list's items
one by one: the checks and messages are those of ``case.read_case`` (case reference and
JSON path).  An import reads the file twice this way: once to check every case before
anything is written, once to write (see ``services.exchange_service``).

A JSON syntax error in a file up to ``EXACT_ERRORS_BELOW`` bytes is reported as before
(line and column, from the standard library's parser); in a bigger file it is placed
between two line numbers, without loading the file into memory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import ijson

from plo_tracker.domain.model import CaseHistory
from plo_tracker.errors import ExchangeError
from plo_tracker.exchange import bounded
from plo_tracker.exchange.case import read_case
from plo_tracker.exchange.checker import FORMAT, VERSIONS, Checker, reject_constant

TOP_KEYS = frozenset({"format", "version", "cases"})

BOM = b"\xef\xbb\xbf"
EXACT_ERRORS_BELOW = 16 * 1024 * 1024
BUFFER = 64 * 1024
_SCALARS = {"string", "number", "boolean", "null"}
# An escaped half of a surrogate pair with no other half ("\ud800" alone): no text can hold
# it, and yajl would silently turn a lone high one into "?" (or fail on a lone low one).
_LONE_SURROGATE = re.compile(
    rb"(?<!\\)(?:\\\\)*(?:\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    rb"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2})"
)
_OVERLAP = 16
_TYPE_OF_EVENT = {
    "start_map": "an object",
    "start_array": "a list",
    "string": "text",
    "number": "a number",
    "boolean": "true/false",
    "null": "null",
}


class Reader(io.RawIOBase):
    """A binary file read from the start, without a UTF-8 BOM, hashed and line-counted."""

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__()
        self.raw = raw
        self.raw.seek(0)
        if self.raw.read(3) != BOM:
            self.raw.seek(0)
        self.sha256 = hashlib.sha256()
        self.lines_before = 0  # newlines before the last piece read
        self.lines_after = 0  # newlines up to the end of the last piece read
        self._tail = b""  # the end of the last piece, for an escape cut in two

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size == 0:  # ijson asks for nothing first, to learn bytes from text
            return b""
        data = self.raw.read(size if size > 0 else BUFFER)
        self.sha256.update(data)
        self.lines_before = self.lines_after
        self.lines_after += data.count(b"\n")
        window = self._tail + data
        found = _LONE_SURROGATE.search(window) if b"\\u" in window else None
        # A match near the end may still get its other half in the next piece.
        if found is not None and (not data or found.end() <= len(window) - 6):
            raise ExchangeError(
                "the file holds an escaped half of a character pair (a lone surrogate, such "
                f"as \\ud800), which no text may hold, between lines {self.lines_before + 1} "
                f"and {self.lines_after + 1}",
                path="$",
            )
        self._tail = data[-_OVERLAP:]
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


@dataclass(frozen=True, slots=True)
class Header:
    version: int
    count: int
    sha256: str


def _syntax_error(raw: IO[bytes], reader: Reader, error: Exception) -> ExchangeError:
    """The JSON error as the standard library words it (small files), or placed by line."""
    raw.seek(0, io.SEEK_END)
    size = raw.tell()
    if size <= EXACT_ERRORS_BELOW:
        raw.seek(0)
        data = raw.read()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as decode:
            return ExchangeError(
                f"the file is not UTF-8 text (byte {decode.start} cannot be read)", path="$"
            )
        if text.startswith("\ufeff"):
            text = text[1:]
        try:
            json.loads(text, parse_constant=reject_constant)
        except json.JSONDecodeError as decoded:
            return ExchangeError(
                f"the file is not valid JSON: {decoded.msg} at line {decoded.lineno}, "
                f"column {decoded.colno}",
                path="$",
            )
        except (ValueError, RecursionError) as decoded:
            if "integer string conversion" in str(decoded):
                return ExchangeError(
                    "the file is not valid JSON: it holds a number with more than 4300 digits",
                    path="$",
                )
            return ExchangeError(f"the file is not valid JSON: {decoded}", path="$")
    first = str(error).strip().splitlines()[0] if str(error).strip() else "it cannot be read"
    # yajl's first line is its own plain description ("parse error: premature EOF");
    # the lines after it quote the file, which may hold personal data: never shown.
    what = first.split(":", 1)[-1].strip()[:80]
    if "utf8" in first.lower() or "utf-8" in first.lower():
        return ExchangeError(
            f"the file is not UTF-8 text (between lines {reader.lines_before + 1} and "
            f"{reader.lines_after + 1})",
            path="$",
        )
    return ExchangeError(
        f"the file is not valid JSON: {what}, between lines {reader.lines_before + 1} and "
        f"{reader.lines_after + 1}",
        path="$",
    )


def read_header(raw: IO[bytes]) -> Header:
    """Check the whole file is JSON and its top level is an exchange document.

    The walk (``bounded.walk``) checks the limits of every value as it goes, so a hostile
    file is refused at the point that breaks a limit, in linear time and memory.
    """
    reader = Reader(raw)
    first: dict[str, tuple[str, Any]] = {}  # top-level key -> its value's first event
    order: list[str] = []
    top_event: str | None = None
    count = 0
    try:
        for item in bounded.walk(reader, build=False):
            if isinstance(item, bounded.CaseItem):
                count += 1
            elif top_event is None:
                top_event = item.event
                if top_event != "start_map":
                    break
            else:
                order.append(item.name)
                first[item.name] = (item.event, item.value)
    except (ijson.JSONError, ValueError) as error:
        raise _syntax_error(raw, reader, error) from None
    if top_event != "start_map":
        raise ExchangeError(
            f"must be an object, not {_TYPE_OF_EVENT.get(top_event or '', 'nothing')}", path="$"
        )
    for name in order:
        if name not in TOP_KEYS:
            raise ExchangeError(f"unknown key '{_shown_key(name)}'", path=f"$.{_shown_key(name)}")
    event, value = first.get("format", ("", None))
    if event != "string" or value != FORMAT:
        raise ExchangeError(
            f"'format' must be \"{FORMAT}\"; this file is not a PLO Tracker case file",
            path="format",
        )
    if "version" not in first:
        raise ExchangeError("'version' is required", path="version")
    event, version = first["version"]
    if event != "number" or type(version) is not int or version not in VERSIONS:
        shown = _shown_value(event, version)
        readable = " and ".join(str(v) for v in VERSIONS)
        raise ExchangeError(
            f"version {shown} is not supported; this app reads versions {readable}",
            path="version",
        )
    if "cases" not in first:
        raise ExchangeError("'cases' is required", path="cases")
    event, _value = first["cases"]
    if event != "start_array":
        raise ExchangeError(
            f"'cases' must be a list, not {_TYPE_OF_EVENT.get(event, event)}", path="cases"
        )
    return Header(version=version, count=count, sha256=reader.sha256.hexdigest())


def _shown_key(name: str) -> str:
    """A key as it may be shown: at most 40 characters, nothing unprintable."""
    return "".join(
        c if c.isprintable() and not 0xD800 <= ord(c) <= 0xDFFF else "?" for c in name[:40]
    )


def _shown_value(event: str, value: Any) -> str:
    if event not in _SCALARS:
        return _TYPE_OF_EVENT.get(event, "?")
    try:
        return json.dumps(value)[:20]
    except ValueError:  # NaN or infinity from a huge number
        return "that number"


def cases(
    raw: IO[bytes], today: dt.date, header: Header, held: frozenset[str] = frozenset()
) -> Iterator[CaseHistory]:
    """Each case of a file whose header was read, checked, in file order.

    Refuses a reference used twice (compared without regard to capitals), and a file that
    changed since its header was read.
    """
    reader = Reader(raw)
    checker = Checker(today, header.version, held=held)
    seen: dict[str, int] = {}
    index = -1
    for item in _case_items(reader):
        index = item.index
        case = read_case(checker, item.value, f"cases[{index}]")
        folded = case.reference.casefold()
        if folded in seen:
            raise ExchangeError(
                f"reference '{case.reference}' is used twice "
                f"(also at cases[{seen[folded]}]; references are compared without regard "
                "to capitals)",
                case=case.reference,
                path=f"cases[{index}].reference",
            )
        seen[folded] = index
        yield case
    while reader.read(BUFFER):  # the rest of the file, for its checksum
        pass
    if index + 1 != header.count or reader.sha256.hexdigest() != header.sha256:
        raise ExchangeError("the file changed while it was being read; import it again")


def _case_items(reader: Reader) -> Iterator[bounded.CaseItem]:
    """The built items of ``cases`` (the file was read whole once: an error here means
    it changed since)."""
    try:
        for item in bounded.walk(reader, build=True):
            if isinstance(item, bounded.CaseItem):
                yield item
    except (ijson.JSONError, ValueError):
        raise ExchangeError("the file changed while it was being read; import it again") from None


def read_all(raw: IO[bytes], today: dt.date) -> list[CaseHistory]:
    """Every case of a document, checked (for callers that want them in memory)."""
    header = read_header(raw)
    return list(cases(raw, today, header))
