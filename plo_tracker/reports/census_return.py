"""The council's own CIN census return (the DfE ``Message`` XML), read and written back.

The return comes from the council's case management system (Liquidlogic, Mosaic,
Eclipse...): one ``<Child>`` per child, each with its ``<ChildIdentifiers><LAchildID>`` and
one ``<CINdetails>`` per CIN episode (``CINreferralDate``, and ``CINclosureDate`` once the
episode is closed).  ``read_return`` parses it with lxml (kept comments, processing
instructions, CDATA, namespaces and their prefixes where they were declared) and indexes
the children and their episodes; ``CouncilReturn.to_bytes`` writes the tree back.

Only what PLO Tracker adds may differ: the XML declaration and everything else before the
root element are copied byte for byte from the input, the root is written in the input's
encoding (and with its line endings, CRLF or LF), and what follows it is kept.  The XML
itself is re-serialised by lxml, so the *data* is the same element by element; only the
way XML may spell the same data can differ (``<a></a>`` is written ``<a/>``, attribute
quotes are written ``"``, a character reference such as ``&#233;`` as the character).

Element names are matched by their local name, whatever namespace (default or prefixed)
the return uses; new elements take their parent's namespace.

Sources for the element names and their order: ``docs/reports.md`` ("Merging into the
council's return").
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from plo_tracker.errors import PloError

# The CINdetails group's elements, in the order of the DfE schema (pre-proceedings last).
CINDETAILS_ORDER: tuple[str, ...] = (
    "CINreferralDate",
    "ReferralSource",
    "PrimaryNeedCode",
    "CINclosureDate",
    "ReasonForClosure",
    "DateOfInitialCPC",
    "Assessments",
    "CINPlanDates",
    "Section47",
    "ReferralNFA",
    "ChildProtectionPlans",
    "PreProceedingsandFGDM",
)
BLOCK = "PreProceedingsandFGDM"
REFERRAL = "CINreferralDate"
CLOSURE = "CINclosureDate"

_SPACE = re.compile(rb"[ \t\r\n]*")
_DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


class ReturnError(PloError):
    """The council's return cannot be read or used (a plain message saying why)."""


def local(element: Any) -> str:
    """An element's name without its namespace ('' for comments and instructions)."""
    if not isinstance(element.tag, str):
        return ""
    return etree.QName(element).localname


def elements(parent: Any, name: str | None = None) -> list[Any]:
    """The element children of ``parent`` (named ``name``, in any namespace)."""
    return [c for c in parent if isinstance(c.tag, str) and (name is None or local(c) == name)]


def child_text(parent: Any, name: str) -> str | None:
    found = elements(parent, name)
    if not found:
        return None
    return (found[0].text or "").strip()


def parse_day(text: str | None) -> dt.date | None:
    """An xs:date as the return writes it (YYYY-MM-DD); None when absent or not a date."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip()[:10]) if len(text.strip()) == 10 else None
    except ValueError:
        return None


@dataclass(eq=False)
class CinEpisode:
    """One ``<CINdetails>``: a CIN episode from referral to closure (open: no closure)."""

    position: int  # 1 for the child's first CINdetails in the return
    element: Any = field(repr=False)
    referral_text: str | None
    closure_text: str | None

    @property
    def referral(self) -> dt.date | None:
        return parse_day(self.referral_text)

    @property
    def closure(self) -> dt.date | None:
        return parse_day(self.closure_text)

    @property
    def usable(self) -> bool:
        """A referral date that is a date, and a closure (if any) that is one too."""
        return self.referral is not None and (self.closure_text is None or self.closure is not None)

    def contains(self, day: dt.date) -> bool:
        referral, closure = self.referral, self.closure
        if referral is None or not self.usable:
            return False
        return referral <= day and (closure is None or day <= closure)

    def describe(self) -> str:
        """'CIN episode 2 (referral 2026-04-02, closed 2026-08-30)' or '(…, open)'."""
        referral = self.referral_text or "no CINreferralDate"
        if self.closure_text is None:
            end = "open"
        elif self.closure is None:
            end = f"CINclosureDate '{self.closure_text[:20]}' is not a date"
        else:
            end = f"closed {self.closure_text}"
        return f"CIN episode {self.position} (referral {referral}, {end})"

    def blocks(self) -> list[Any]:
        return elements(self.element, BLOCK)


@dataclass(eq=False)
class ReturnChild:
    position: int  # 1 for the return's first <Child>
    la_child_id: str | None
    element: Any = field(repr=False)
    episodes: list[CinEpisode]
    born: str | None = None  # PersonBirthDate (or ExpectedPersonBirthDate) as written


@dataclass(eq=False)
class CouncilReturn:
    """The parsed return, its children indexed by LAchildID, and how to write it back."""

    tree: Any = field(repr=False)
    source: bytes = field(repr=False)
    encoding: str
    reference_date: dt.date
    lea: str | None
    children: list[ReturnChild]

    @property
    def root(self) -> Any:
        return self.tree.getroot()

    def by_id(self) -> dict[str, list[ReturnChild]]:
        found: dict[str, list[ReturnChild]] = {}
        for child in self.children:
            if child.la_child_id:
                found.setdefault(child.la_child_id, []).append(child)
        return found

    @property
    def episode_count(self) -> int:
        return sum(len(c.episodes) for c in self.children)

    def to_bytes(self) -> bytes:
        """The return as it stands now, written as described in the module docstring."""
        data = self.source
        body = etree.tostring(
            self.root, encoding=self.encoding, xml_declaration=False, with_tail=False
        )
        after = b"".join(
            b"\n" + etree.tostring(s, encoding=self.encoding, with_tail=False)
            for s in self.root.itersiblings()
        )
        if _crlf(data):
            body = body.replace(b"\n", b"\r\n")
            after = after.replace(b"\n", b"\r\n")
        start = _prolog_end(data)
        prolog = data[:start] if start is not None else _fallback_prolog(self)
        trailing = data[len(data.rstrip()) :] if data.rstrip() != data else b""
        return prolog + body + after + trailing


def _crlf(data: bytes) -> bool:
    newlines = data.count(b"\n")
    return newlines > 0 and data.count(b"\r\n") == newlines


def _prolog_end(data: bytes) -> int | None:
    """Where the root element's start tag begins: after the declaration, comments,
    processing instructions and the document type (None if it cannot be told)."""
    pos = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    while True:
        match = _SPACE.match(data, pos)
        pos = match.end() if match else pos
        if data.startswith(b"<?", pos):
            end = data.find(b"?>", pos + 2)
            if end < 0:
                return None
            pos = end + 2
        elif data.startswith(b"<!--", pos):
            end = data.find(b"-->", pos + 4)
            if end < 0:
                return None
            pos = end + 3
        elif data.startswith(b"<!DOCTYPE", pos):
            close = data.find(b">", pos)
            subset = data.find(b"[", pos)
            if 0 <= subset < close:
                end = data.find(b"]", subset)
                close = data.find(b">", end) if end >= 0 else -1
            if close < 0:
                return None
            pos = close + 1
        elif data.startswith(b"<", pos):
            return pos
        else:
            return None


def _fallback_prolog(council: CouncilReturn) -> bytes:
    docinfo = council.tree.docinfo
    declaration = f'<?xml version="{docinfo.xml_version or "1.0"}" encoding="{council.encoding}"?>'
    return (declaration + "\n").encode("ascii")


def _encoding_of(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE)):
        raise ReturnError(
            "The council's return is written in UTF-16 or UTF-32; save it as UTF-8 (the "
            "encoding the DfE's COLLECT expects) and try again."
        )
    head = data[3:] if data.startswith(codecs.BOM_UTF8) else data
    match = _DECLARED_ENCODING.match(head)
    encoding = match.group(1).decode("ascii") if match else "UTF-8"
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise ReturnError(
            f"The council's return declares the encoding '{encoding[:30]}', which PLO "
            "Tracker does not know; save it as UTF-8 and try again."
        ) from None
    if info.name.startswith(("utf-16", "utf-32")):
        raise ReturnError(
            "The council's return is written in UTF-16 or UTF-32; save it as UTF-8 and try again."
        )
    return encoding


def read_return(data: bytes) -> CouncilReturn:
    """Parse the council's CIN census return; ReturnError (plain words) if it is not one."""
    encoding = _encoding_of(data)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        remove_blank_text=False,
        remove_comments=False,
        remove_pis=False,
        strip_cdata=False,
        huge_tree=False,
    )
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser))
    except etree.XMLSyntaxError as error:
        line = f" (line {error.lineno})" if getattr(error, "lineno", None) else ""
        raise ReturnError(
            f"The council's return is not well-formed XML{line}: {str(error)[:160]}. "
            "Check that it is the whole file the case management system produced."
        ) from None
    internal = tree.docinfo.internalDTD
    if internal is not None and any(True for _ in internal.iterentities()):
        raise ReturnError(
            "The council's return declares XML entities in a DOCTYPE; a CIN census return "
            "has none, so PLO Tracker does not read this file. Use the file exactly as the "
            "case management system produced it."
        )
    root = tree.getroot()
    if local(root) != "Message":
        raise ReturnError(
            f"The file is not a CIN census return: its root element is <{local(root)[:40]}>, "
            "not <Message>."
        )
    header = (elements(root, "Header") or [None])[0]
    details = (elements(header, "CollectionDetails") or [None])[0] if header is not None else None
    source = (elements(header, "Source") or [None])[0] if header is not None else None
    collection = child_text(details, "Collection") if details is not None else None
    if collection is not None and collection.upper() != "CIN":
        raise ReturnError(
            f"The file is a '{collection[:20]}' return, not a CIN census return "
            "(Header/CollectionDetails/Collection)."
        )
    reference_text = child_text(details, "ReferenceDate") if details is not None else None
    reference_date = parse_day(reference_text)
    if reference_date is None:
        raise ReturnError(
            "The council's return has no census reference date "
            "(Header/CollectionDetails/ReferenceDate), so PLO Tracker cannot tell which "
            "year it is for."
        )
    lea = child_text(source, "LEA") if source is not None else None
    children_element = (elements(root, "Children") or [None])[0]
    if children_element is None:
        raise ReturnError("The council's return has no <Children> element.")
    children: list[ReturnChild] = []
    for position, child in enumerate(elements(children_element, "Child"), start=1):
        identifiers = (elements(child, "ChildIdentifiers") or [None])[0]
        la_id = child_text(identifiers, "LAchildID") if identifiers is not None else None
        episodes = [
            CinEpisode(
                number,
                cin,
                child_text(cin, REFERRAL),
                child_text(cin, CLOSURE),
            )
            for number, cin in enumerate(elements(child, "CINdetails"), start=1)
        ]
        born = None
        if identifiers is not None:
            born = child_text(identifiers, "PersonBirthDate") or child_text(
                identifiers, "ExpectedPersonBirthDate"
            )
        children.append(ReturnChild(position, la_id or None, child, episodes, born or None))
    return CouncilReturn(
        tree=tree,
        source=data,
        encoding=encoding,
        reference_date=reference_date,
        lea=lea,
        children=children,
    )


# -- adding a block --------------------------------------------------------------------------


def _space_before(element: Any) -> str | None:
    """The whitespace just before ``element`` (None if there is text, not only space)."""
    previous = element.getprevious()
    text = previous.tail if previous is not None else element.getparent().text
    text = text or ""
    return text if not text.strip() else None


def _indent_unit(details: Any, child_indent: str) -> str:
    outer = _space_before(details) or ""
    outer_line = outer.rsplit("\n", 1)[-1]
    inner_line = child_indent.rsplit("\n", 1)[-1]
    if inner_line.startswith(outer_line) and len(inner_line) > len(outer_line):
        return inner_line[len(outer_line) :]
    return "  "


def build_block(details: Any, values: list[tuple[str, str]], child_indent: str) -> Any:
    """A ``<PreProceedingsandFGDM>`` in ``details``' namespace, indented like its siblings.

    It is made as ``details``' last child (so it uses the namespace declarations already
    in scope, never declaring them again); ``insert_block`` moves it where it belongs.
    """
    namespace = etree.QName(details).namespace

    def name(tag: str) -> str:
        return f"{{{namespace}}}{tag}" if namespace else tag

    block = etree.SubElement(details, name(BLOCK))
    pretty = "\n" in child_indent
    inner = child_indent + _indent_unit(details, child_indent) if pretty else ""
    block.text = inner or None
    for index, (tag, text) in enumerate(values):
        element = etree.SubElement(block, name(tag))
        element.text = text
        element.tail = (child_indent if index == len(values) - 1 else inner) or None
    return block


def _start_of(block: Any) -> dt.date | None:
    return parse_day(child_text(block, "PPStartDate"))


def insert_block(episode: CinEpisode, values: list[tuple[str, str]], start: dt.date) -> Any:
    """Put a block into the episode's CINdetails where the schema's order wants it.

    After every element the schema puts before it (ChildProtectionPlans and all earlier
    ones) and, among blocks already there, in PPStartDate order; existing content keeps its
    order.  Returns the new element.
    """
    details = episode.element
    children = elements(details)
    later = [b for b in elements(details, BLOCK) if (_start_of(b) or dt.date.min) > start]
    if later:
        space = _space_before(later[0]) or ""
        block = build_block(details, values, space)
        block.tail = space or None
        later[0].addprevious(block)
        return block
    known = [c for c in children if local(c) in CINDETAILS_ORDER]
    anchor = known[-1] if known else (children[-1] if children else None)
    if anchor is None:  # an empty CINdetails (not valid, but nothing to keep in order)
        space = details.text if details.text and not details.text.strip() else ""
        return build_block(details, values, space)
    space = _space_before(anchor) or ""
    block = build_block(details, values, space)
    block.tail = anchor.tail
    anchor.tail = space or None
    anchor.addnext(block)
    return block
