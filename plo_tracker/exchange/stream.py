"""Reading an exchange file as a stream, so memory stays small whatever its size.

``ijson`` (its C parser) reads the file in small pieces.  ``read_header`` walks the
whole file once: it proves the file is valid JSON and checks the top level (an object
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
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import ijson

from plo_tracker.domain.model import CaseHistory
from plo_tracker.errors import ExchangeError
from plo_tracker.exchange.case import read_case
from plo_tracker.exchange.checker import FORMAT, VERSIONS, Checker, reject_constant

TOP_KEYS = frozenset({"format", "version", "cases"})

BOM = b"\xef\xbb\xbf"
EXACT_ERRORS_BELOW = 16 * 1024 * 1024
BUFFER = 64 * 1024
_SCALARS = {"string", "number", "boolean", "null"}
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

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size == 0:  # ijson asks for nothing first, to learn bytes from text
            return b""
        data = self.raw.read(size if size > 0 else BUFFER)
        self.sha256.update(data)
        self.lines_before = self.lines_after
        self.lines_after += data.count(b"\n")
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
    """Check the whole file is JSON and its top level is an exchange document."""
    reader = Reader(raw)
    first: dict[str, tuple[str, Any]] = {}  # top-level key -> its value's first event
    order: list[str] = []
    top_event: str | None = None
    count = 0
    key: str | None = None
    try:
        for prefix, event, value in ijson.parse(reader, use_float=True, buf_size=BUFFER):
            if prefix == "":
                if top_event is None:
                    top_event = event
                if event == "map_key":
                    key = value
                    if key in first or key in order:
                        raise ExchangeError(f"'{str(key)[:40]}' is given twice", path=str(key)[:40])
                    order.append(key)
            elif prefix == key and key not in first:
                first[key] = (event, value)
            elif prefix == "cases.item" and event in ("start_map", "start_array", *_SCALARS):
                count += 1
    except ijson.JSONError as error:
        raise _syntax_error(raw, reader, error) from None
    if top_event != "start_map":
        raise ExchangeError(
            f"must be an object, not {_TYPE_OF_EVENT.get(top_event, 'nothing')}", path="$"
        )
    for name in order:
        if name not in TOP_KEYS:
            raise ExchangeError(f"unknown key '{str(name)[:40]}'", path=f"$.{str(name)[:40]}")
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
        shown = json.dumps(version) if event in _SCALARS else _TYPE_OF_EVENT.get(event, "?")
        readable = " and ".join(str(v) for v in VERSIONS)
        raise ExchangeError(
            f"version {shown[:20]} is not supported; this app reads versions {readable}",
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


def cases(raw: IO[bytes], today: dt.date, header: Header) -> Iterator[CaseHistory]:
    """Each case of a file whose header was read, checked, in file order.

    Refuses a reference used twice, and a file that changed since its header was read.
    """
    reader = Reader(raw)
    checker = Checker(today, header.version)
    seen: dict[str, int] = {}
    index = -1
    for index, item in enumerate(
        ijson.items(reader, "cases.item", use_float=True, buf_size=BUFFER)
    ):
        case = read_case(checker, item, f"cases[{index}]")
        if case.reference in seen:
            raise ExchangeError(
                f"reference '{case.reference}' is used twice "
                f"(also at cases[{seen[case.reference]}])",
                case=case.reference,
                path=f"cases[{index}].reference",
            )
        seen[case.reference] = index
        yield case
    while reader.read(BUFFER):  # the rest of the file, for its checksum
        pass
    if index + 1 != header.count or reader.sha256.hexdigest() != header.sha256:
        raise ExchangeError("the file changed while it was being read; import it again")


def read_all(raw: IO[bytes], today: dt.date) -> list[CaseHistory]:
    """Every case of a document, checked (for callers that want them in memory)."""
    header = read_header(raw)
    return list(cases(raw, today, header))
