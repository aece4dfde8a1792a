"""A new ``<PreProceedingsandFGDM>`` block as bytes, where it goes, and the merged file.

The merged return is the council's file copied byte for byte, with each new block put in
at one byte offset (an ``Insertion``), so taking the new blocks out again gives back the
council's file exactly.  Where a block goes inside ``<CINdetails>``: after every element the
schema puts before the group (``census_return.CINDETAILS_ORDER``: after
``ChildProtectionPlans`` and all earlier ones) and, among blocks already there, in
``PPStartDate`` order.  It is written with the prefix its ``<CINdetails>`` is written with
(so in the same namespace, never declaring it again) and indented like its siblings, with
the file's own line endings (nothing added in a return written without line breaks).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from plo_tracker.reports.census_return_index import BLOCK, CinEpisode


@dataclass(frozen=True, slots=True, order=True)
class Insertion:
    """Bytes to put into the council's file at ``offset`` (``sequence`` orders two at one
    offset: blocks for one episode go in start-date order)."""

    offset: int
    sequence: int
    data: bytes = field(compare=False, repr=False)


def _indent_unit(outer: bytes, inner: bytes) -> bytes:
    """One level of the file's indentation: what the block's lines add to <CINdetails>'."""
    outer_line = outer.rsplit(b"\n", 1)[-1]
    inner_line = inner.rsplit(b"\n", 1)[-1]
    if inner_line.startswith(outer_line) and len(inner_line) > len(outer_line):
        return inner_line[len(outer_line) :]
    return b"  "


def block_bytes(
    prefix: str, values: Sequence[tuple[str, str]], child_indent: bytes, outer: bytes | None
) -> bytes:
    """``<PreProceedingsandFGDM>`` with its elements, indented one level below ``child_indent``
    (the whitespace before the block's siblings) when the file has line breaks."""
    pretty = b"\n" in child_indent
    inner = child_indent + _indent_unit(outer or b"", child_indent) if pretty else b""
    parts = [f"<{prefix}{BLOCK}>".encode("ascii")]
    for index, (tag, text) in enumerate(values):
        parts.append(inner)
        parts.append(f"<{prefix}{tag}>{escape(text)}</{prefix}{tag}>".encode("ascii"))
        if index == len(values) - 1:
            parts.append(child_indent)
    parts.append(f"</{prefix}{BLOCK}>".encode("ascii"))
    return b"".join(parts)


def plan_insertion(
    episode: CinEpisode, values: Sequence[tuple[str, str]], start: dt.date, sequence: int
) -> Insertion:
    """Where and how a block starting on ``start`` goes into ``episode``'s ``<CINdetails>``."""
    later = [b for b in episode.blocks if (b.start or dt.date.min) > start]
    if later:
        space = later[0].space or b""
        data = block_bytes(episode.prefix, values, space, episode.space) + space
        return Insertion(later[0].offset, sequence, data)
    if episode.anchor_end is None:
        raise ValueError(f"{episode.describe()} was not read with its offsets")
    space = episode.anchor_space or b""
    data = space + block_bytes(episode.prefix, values, space, episode.space)
    return Insertion(episode.anchor_end, sequence, data)


def splice(
    chunks: Iterable[bytes], insertions: Iterable[Insertion], write: Callable[[bytes], object]
) -> None:
    """Write ``chunks`` (the council's file) with each insertion put in at its offset."""
    pending = sorted(insertions)
    index = 0
    offset = 0
    for chunk in chunks:
        end = offset + len(chunk)
        view = memoryview(chunk)
        position = 0
        while index < len(pending) and pending[index].offset <= end:
            cut = pending[index].offset - offset
            write(view[position:cut])
            write(pending[index].data)
            position = cut
            index += 1
        write(view[position:])
        offset = end
    if index < len(pending):
        raise ValueError("an insertion lies beyond the end of the council's file")


def spliced(data: bytes, insertions: Iterable[Insertion]) -> bytes:
    """The council's file (in memory) with the insertions put in."""
    parts: list[bytes] = []
    splice([data], insertions, lambda part: parts.append(bytes(part)))
    return b"".join(parts)
