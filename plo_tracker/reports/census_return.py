"""The council's own CIN census return (the DfE ``Message`` XML), read as a stream.

The return comes from the council's case management system (Liquidlogic, Mosaic,
Eclipse...): one ``<Child>`` per child, each with its ``<ChildIdentifiers><LAchildID>`` and
one ``<CINdetails>`` per CIN episode (``CINreferralDate``, and ``CINclosureDate`` once the
episode is closed).  ``read_return`` reads it once, in chunks, with the standard library's
expat parser (no tree is built, so memory stays small whatever the file's size), and keeps
an index: the header, every child PLO Tracker asked about (``Wanted``) with its CIN episodes
and the ``<PreProceedingsandFGDM>`` blocks already in them, and for each episode the byte
offsets where a new block would go.  The merged return is then the council's file copied
byte for byte with the new blocks put in at those offsets (``census_blocks``): nothing
else in it changes, not even the spelling of the XML.

Dates are read as the DfE's validator reads them: ``YYYY-MM-DD``, also with a time of
midnight (``2026-06-30T00:00:00``); an empty ``<CINclosureDate/>`` is no closure date (the
episode is open).  Element names are matched by their local name, whatever namespace
prefix the return uses.  Sources: ``docs/reports.md`` ("Merging into the council's return").
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from xml.parsers import expat

from plo_tracker.reports.census_return_index import (
    BLOCK,
    CHUNK,
    CINDETAILS_ORDER,
    CLOSURE,
    REFERRAL,
    CinEpisode,
    CouncilReturn,
    ReturnBlock,
    ReturnChild,
    ReturnError,
    Wanted,
    day_problem,
    mismatched_lea,
    mismatched_year,
    parse_day,
)

# The index's types are named here too, where the rest of the app finds the return.
__all__ = [
    "BLOCK",
    "CINDETAILS_ORDER",
    "CinEpisode",
    "CouncilReturn",
    "ReturnBlock",
    "ReturnChild",
    "ReturnError",
    "Wanted",
    "day_problem",
    "mismatched_lea",
    "mismatched_year",
    "parse_day",
    "read_return",
]

_DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_ASCII_PROBE = (
    b"<?xml version='1.0'?>\"/ \t\r\n:-_.ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    b"0123456789"
)
_WHITESPACE = b" \t\r\n"
_IDENTIFIERS = frozenset({"LAchildID", "PersonBirthDate", "ExpectedPersonBirthDate"})
_KNOWN = frozenset(CINDETAILS_ORDER)

# -- the encoding --------------------------------------------------------------------------------

_UTF16_32 = (
    "The council's return is written in {what}; PLO Tracker does not write a return in "
    "another encoding than it came in: save it as UTF-8 (the encoding the DfE's COLLECT "
    "expects) and try again."
)


def _encoding_of(head: bytes) -> str:
    """The return's encoding from its first bytes; ReturnError for one PLO Tracker cannot keep.

    The new blocks are ASCII and are put into the file as they are, so the encoding must
    write ASCII as ASCII (UTF-8, ISO-8859-1, Windows-1252...).  UTF-16 and UTF-32, with or
    without a byte-order mark, are refused rather than rewritten.
    """
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise ReturnError(_UTF16_32.format(what="UTF-32"))
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ReturnError(_UTF16_32.format(what="UTF-16"))
    if head[:4] in (b"\x00\x00\x00<", b"<\x00\x00\x00"):
        raise ReturnError(_UTF16_32.format(what="UTF-32 (without a byte-order mark)"))
    if head[:2] in (b"\x00<", b"<\x00"):
        raise ReturnError(_UTF16_32.format(what="UTF-16 (without a byte-order mark)"))
    body = head[3:] if head.startswith(codecs.BOM_UTF8) else head
    match = _DECLARED_ENCODING.match(body)
    encoding = match.group(1).decode("ascii") if match else "UTF-8"
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise ReturnError(
            f"The council's return declares the encoding '{encoding[:30]}', which PLO "
            "Tracker does not know; save it as UTF-8 and try again."
        ) from None
    if info.name.startswith(("utf-16", "utf-32")):
        raise ReturnError(_UTF16_32.format(what=info.name.upper()))
    text = _ASCII_PROBE.decode("ascii")
    try:
        compatible = _ASCII_PROBE.decode(encoding) == text and text.encode(encoding) == _ASCII_PROBE
    except (UnicodeError, LookupError):
        compatible = False
    if not compatible:
        raise ReturnError(
            f"The council's return is written in {encoding[:30]}, which PLO Tracker cannot "
            "add to without rewriting the whole file; save it as UTF-8 and try again."
        )
    return encoding


# -- reading -------------------------------------------------------------------------------------


class _Reader:
    """expat's handlers: the header, the children asked about, their episodes and blocks."""

    def __init__(
        self, wanted: Wanted | None, source: bytes | Path, expect: tuple[dt.date | None, str | None]
    ) -> None:
        self.wanted = wanted
        self.source = source
        self.expect_date, self.expect_lea = expect
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.ordered_attributes = True
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.EntityDeclHandler = self.entity
        parser.ExternalEntityRefHandler = self.external
        self.parser = parser
        self.stack: list[str] = []
        self.window = b""  # the bytes around where the parser is (to read offsets)
        self.base = 0  # the window's offset in the file
        self.header: dict[str, str] = {}
        self.seen_children = False
        self.capture: list[str] | None = None
        self.capture_key = ""
        self.capture_depth = -1
        # the child being read
        self.children: list[ReturnChild] = []
        self.children_count = 0
        self.episode_count = 0
        self.births: dict[str, list[str]] = {}
        self.child_values: dict[str, str] = {}
        self.child_episodes: list[CinEpisode] = []
        self.episode: CinEpisode | None = None
        self.detail = False  # recording offsets for this child's episodes
        self.element_start = 0
        self.element_space: bytes | None = None
        self.last_end: int | None = None
        self.last_space: bytes | None = None
        self.block: list[tuple[str, str]] | None = None

    # -- bytes around the parser ------------------------------------------------------------
    def read_at(self, offset: int, size: int) -> bytes:
        start = offset - self.base
        if start >= 0 and start + size <= len(self.window):
            return self.window[start : start + size]
        if isinstance(self.source, bytes):
            return self.source[max(offset, 0) : offset + size]
        with self.source.open("rb") as handle:
            handle.seek(max(offset, 0))
            return handle.read(size)

    def space_before(self, offset: int) -> bytes | None:
        """The whitespace just before ``offset`` (None if text, not only space, is there)."""
        low = max(0, offset - 512)
        before = self.read_at(low, offset - low)
        kept = before.rstrip(_WHITESPACE)
        space = before[len(kept) :]
        if kept and not kept.endswith(b">"):
            return None
        return space

    def start_tag_end(self, offset: int) -> int:
        """Where the start tag beginning at ``offset`` ends (after its '>')."""
        size = 1024
        while True:
            data = self.read_at(offset, size)
            quote = 0
            for index in range(1, len(data)):
                byte = data[index]
                if quote:
                    if byte == quote:
                        quote = 0
                elif byte in (0x22, 0x27):
                    quote = byte
                elif byte == 0x3E:
                    return offset + index + 1
            if len(data) < size:
                raise ReturnError("The council's return ends inside a tag.")
            size *= 4

    def element_end(self, start: int, at: int) -> int:
        """The end of an element whose end event came at byte ``at``."""
        if self.read_at(at, 2) != b"</":
            return at  # an empty-element tag: the event comes after it
        if self.read_at(at - 2, 2) == b"/>" and self.start_tag_end(start) == at:
            return at  # an empty-element tag just before its parent's end tag
        tail = self.read_at(at, 1024)
        close = tail.find(b">")
        if close < 0:
            raise ReturnError("The council's return has an end tag that does not close.")
        return at + close + 1

    # -- handlers ---------------------------------------------------------------------------
    def entity(self, *_args: object) -> None:
        raise ReturnError(
            "The council's return declares XML entities in a DOCTYPE; a CIN census return "
            "has none, so PLO Tracker does not read this file. Use the file exactly as the "
            "case management system produced it."
        )

    def external(self, *_args: object) -> int:
        self.entity()
        return 0

    def start_capture(self, key: str, depth: int) -> None:
        self.capture = []
        self.capture_key = key
        self.capture_depth = depth
        self.parser.CharacterDataHandler = self.capture.append

    def start(self, name: str, _attributes: list[str]) -> None:
        stack = self.stack
        depth = len(stack)
        local = name[name.find(":") + 1 :]
        stack.append(local)
        if depth == 4:
            parent = stack[3]
            if parent == "CINdetails" and self.episode is not None and stack[2] == "Child":
                if self.detail:
                    self.element_start = at = self.parser.CurrentByteIndex
                    self.element_space = self.space_before(at)
                if local == BLOCK:
                    self.block = []
                elif local in (REFERRAL, CLOSURE) and local not in self.child_values:
                    self.start_capture(local, depth)
            elif (
                parent == "ChildIdentifiers"
                and local in _IDENTIFIERS
                and stack[2] == "Child"
                and local not in self.child_values
            ):
                self.start_capture(local, depth)
        elif depth == 5:
            if self.block is not None and stack[4] == BLOCK:
                self.start_capture(local, depth)
        elif depth == 3:
            if stack[1] == "Children" and stack[2] == "Child" and local == "CINdetails":
                self.open_episode(name)
            elif stack[1] == "Header" and local in ("Collection", "ReferenceDate", "LEA"):
                parent = stack[2]
                if parent in ("CollectionDetails", "Source") and local not in self.header:
                    self.start_capture(local, depth)
        elif depth == 2:
            if stack[1] == "Children" and local == "Child":
                self.children_count += 1
                self.child_values = {}
                self.child_episodes = []
        elif depth == 1:
            if local == "Children":
                self.seen_children = True
        elif depth == 0 and local != "Message":
            raise ReturnError(
                f"The file is not a CIN census return: its root element is <{local[:40]}>, "
                "not <Message>."
            )

    def open_episode(self, name: str) -> None:
        self.episode_count += 1
        la_id = self.child_values.get("LAchildID")
        wanted = self.wanted
        self.detail = wanted is None or la_id is None or la_id in wanted.ids
        at = self.parser.CurrentByteIndex
        self.episode = CinEpisode(
            len(self.child_episodes) + 1,
            None,
            None,
            prefix=name[: name.find(":") + 1],
            space=self.space_before(at) if self.detail else None,
        )
        self.last_end = self.last_space = None
        self.child_values.pop(REFERRAL, None)
        self.child_values.pop(CLOSURE, None)

    def end(self, _name: str) -> None:
        stack = self.stack
        local = stack.pop()
        depth = len(stack)
        if depth == self.capture_depth and self.capture is not None:
            text = "".join(self.capture)
            self.capture = None
            self.capture_depth = -1
            self.parser.CharacterDataHandler = None
            if depth == 5 and self.block is not None:
                self.block.append((local, text.strip()))
            elif depth == 3 and stack[1] == "Header":
                self.header[self.capture_key] = text.strip()
            else:
                self.child_values[self.capture_key] = text
        if depth == 4 and self.episode is not None and stack[3] == "CINdetails":
            self.end_episode_element(local)
        elif depth == 3 and local == "CINdetails" and self.episode is not None:
            self.close_episode()
        elif depth == 2 and local == "Child" and stack[1] == "Children":
            self.close_child()
        elif depth == 1 and local == "Header":
            self.check_header()

    def end_episode_element(self, local: str) -> None:
        episode = self.episode
        assert episode is not None
        if local == BLOCK and self.block is not None:
            episode.blocks.append(
                ReturnBlock(tuple(self.block), self.element_start, self.element_space)
            )
            self.block = None
        elif local == REFERRAL and episode.referral_text is None:
            episode.referral_text = self.child_values.get(REFERRAL, "").strip() or None
        elif local == CLOSURE and episode.closure_text is None:
            episode.closure_text = self.child_values.get(CLOSURE, "").strip() or None
        if self.detail:
            end = self.element_end(self.element_start, self.parser.CurrentByteIndex)
            self.last_end, self.last_space = end, self.element_space
            if local in _KNOWN:
                episode.anchor_end, episode.anchor_space = end, self.element_space

    def close_episode(self) -> None:
        episode = self.episode
        assert episode is not None
        if episode.anchor_end is None and self.last_end is not None:
            episode.anchor_end, episode.anchor_space = self.last_end, self.last_space
        self.child_episodes.append(episode)
        self.episode = None

    def close_child(self) -> None:
        values = self.child_values
        la_id = values.get("LAchildID", "").strip() or None
        born = values.get("PersonBirthDate") or values.get("ExpectedPersonBirthDate") or ""
        born = born.strip()
        wanted = self.wanted
        if wanted is None or (la_id is not None and la_id in wanted.ids):
            self.children.append(
                ReturnChild(self.children_count, la_id, self.child_episodes, born or None)
            )
        day = parse_day(born)
        if la_id is not None and day is not None:
            key = day.isoformat()
            if wanted is None or key in wanted.births:
                self.births.setdefault(key, []).append(la_id)
        self.child_episodes = []

    def check_header(self) -> None:
        collection = self.header.get("Collection")
        if collection is not None and collection.upper() != "CIN":
            raise ReturnError(
                f"The file is a '{collection[:20]}' return, not a CIN census return "
                "(Header/CollectionDetails/Collection)."
            )
        reference = self.reference_date()
        expected = self.expect_date
        if expected is not None and reference != expected:
            raise ReturnError(mismatched_year(reference, expected))
        lea, ours = self.header.get("LEA"), self.expect_lea
        if ours and lea and lea != ours:
            raise ReturnError(mismatched_lea(lea, ours))

    def reference_date(self) -> dt.date:
        reference = parse_day(self.header.get("ReferenceDate"))
        if reference is None:
            raise ReturnError(
                "The council's return has no census reference date "
                "(Header/CollectionDetails/ReferenceDate), so PLO Tracker cannot tell which "
                "year it is for."
            )
        return reference


def _parse(reader: _Reader, chunks: Iterable[bytes], encoding: str) -> None:
    parser = reader.parser
    previous = b""
    offset = 0
    try:
        for chunk in chunks:
            if isinstance(reader.source, bytes):
                reader.window, reader.base = reader.source, 0
            else:
                reader.window, reader.base = previous + chunk, offset - len(previous)
            parser.Parse(chunk, False)
            offset += len(chunk)
            previous = chunk
        parser.Parse(b"", True)
    except ValueError:  # pyexpat reads no multi-byte encoding but UTF-8 and UTF-16
        raise ReturnError(
            f"The council's return is written in {encoding[:30]}, which PLO Tracker cannot "
            "read; save it as UTF-8 and try again."
        ) from None
    except expat.ExpatError as error:
        if error.code == expat.errors.codes[expat.errors.XML_ERROR_UNKNOWN_ENCODING]:
            raise ReturnError(
                f"The council's return declares the encoding '{encoding[:30]}', which PLO "
                "Tracker cannot read; save it as UTF-8 and try again."
            ) from None
        raise ReturnError(
            f"The council's return is not well-formed XML (line {error.lineno}): "
            f"{str(error)[:160]}. Check that it is the whole file the case management system "
            f"produced, written in the encoding it declares ({encoding[:30]})."
        ) from None


def read_return(
    source: bytes | Path,
    wanted: Wanted | None = None,
    *,
    reference_date: dt.date | None = None,
    la_code: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CouncilReturn:
    """Read the council's CIN census return; ReturnError (plain words) if it is not one.

    ``source`` is the file's bytes or its path (read in chunks).  With ``wanted``, only those
    children (and birth dates) are indexed, so memory does not grow with the file; with
    ``reference_date`` (and ``la_code``), a return for another year (or council) is refused
    as soon as its header has been read.  ``progress(bytes_read, size)`` is called as it goes.
    """
    if isinstance(source, bytes):
        size = len(source)
        head = source[:4096]
    else:
        size = source.stat().st_size
        with source.open("rb") as handle:
            head = handle.read(4096)
    encoding = _encoding_of(head)
    reader = _Reader(wanted, source, (reference_date, la_code))
    report = progress or (lambda _done, _total: None)

    def chunks() -> Iterator[bytes]:
        if isinstance(source, bytes):
            yield source
            report(size, size)
            return
        done = 0
        with source.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk
                done += len(chunk)
                report(done, size)

    _parse(reader, chunks(), encoding)
    if not reader.seen_children:
        raise ReturnError("The council's return has no <Children> element.")
    return CouncilReturn(
        source=source,
        size=size,
        encoding=encoding,
        reference_date=reader.reference_date(),
        lea=reader.header.get("LEA"),
        children=reader.children,
        children_count=reader.children_count,
        episode_count=reader.episode_count,
        births=reader.births,
        wanted=wanted,
    )
