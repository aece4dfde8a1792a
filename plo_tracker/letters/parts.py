"""A template is a document, nothing more: what its package may hold, and how big.

Checked on every .docx before python-docx opens it (``docxfile.check_package``), so at
``templates --check``, when a template is added, and each time a letter is made. Refused,
each by name:

* **anything fetched from outside**: a relationship with ``TargetMode="External"`` (a
  remote or linked image, an attached template, a linked OLE object, a frame, a
  sub-document...), and fields that fetch (``INCLUDEPICTURE``, ``INCLUDETEXT``, ``LINK``,
  ``DDE``, ``DDEAUTO``, ``IMPORT``). The one exception: a **hyperlink** to an ``https:``,
  ``http:`` or ``mailto:`` address (a council's web page in the footer), which nothing opens
  unless the reader clicks it. A hyperlink to ``file:``, a UNC path (``\\\\server\\share``)
  or any other scheme is refused;
* **macros**: a ``vbaProject.bin`` (or any VBA part) anywhere, a macro-enabled (.docm or
  .dotm) content type;
* **ActiveX controls** and **embedded objects** (OLE objects, embedded packages, "alt
  chunks" holding another document);
* **size**: more than ``MAX_PART_BYTES`` in one part, or more than ``MAX_PARAGRAPHS``
  paragraphs, ``MAX_ROWS`` table rows or ``MAX_ELEMENTS`` XML elements in its XML parts.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from urllib.parse import urlsplit

from lxml import etree

MAX_PART_BYTES = 20 * 1024 * 1024
MAX_PARAGRAPHS = 20_000
MAX_ROWS = 10_000
MAX_ELEMENTS = 1_000_000

_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_HYPERLINK = "/hyperlink"
_SAFE_SCHEMES = ("https", "http", "mailto")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)

_MACRO_NAME = re.compile(r"(?i)(^|/)(vbaproject\.bin|vbadata\.xml)$|(^|/)vba/")
_MACRO_TYPE = re.compile(r"(?i)macroenabled|vbaproject|vbadata")
_ACTIVEX = re.compile(r"(?i)(^|/)activex/|activex")
_EMBEDDED_NAME = re.compile(r"(?i)(^|/)embeddings/")
_EMBEDDED_TYPE = re.compile(r"(?i)oleobject|/package$|\.package|afchunk")
_EMBEDDED_REL = re.compile(r"(?i)/(oleobject|package|afchunk|control|activexcontrol)$")
_FETCHING_FIELD = re.compile(
    rb"(?i)(?:instrText[^>]*>|instr=\"|instr=')\s*(INCLUDEPICTURE|INCLUDETEXT|LINK|DDEAUTO|DDE|IMPORT)\b"
)
_PARAGRAPH_TAGS = (b"<w:p>", b"<w:p ", b"<w:p/>")
_ROW_TAGS = (b"<w:tr>", b"<w:tr ", b"<w:tr/>")

_WHAT = {
    "image": "an image",
    "attachedTemplate": "an attached template",
    "oleObject": "an OLE object",
    "frame": "a frame",
    "subDocument": "a sub-document",
    "package": "an embedded package",
    "aFChunk": "another document (an alt chunk)",
    "video": "a video",
    "audio": "a sound",
}


def _kind(reltype: str) -> str:
    last = reltype.rsplit("/", 1)[-1]
    return _WHAT.get(last, f"a '{last[:40]}' part")


def _shown(target: str) -> str:
    text = "".join(c if c.isprintable() else "?" for c in target)
    return text if len(text) <= 80 else text[:79] + "…"


def _external_problem(reltype: str, target: str) -> str | None:
    """Why an external relationship is refused, or None (a plain web or mail link)."""
    if reltype.endswith(_HYPERLINK):
        unc = target.startswith(("\\\\", "//"))
        scheme = urlsplit(target).scheme.lower() if not unc else ""
        if scheme in _SAFE_SCHEMES:
            return None
        where = "a network share (UNC path)" if unc else f"'{scheme or 'no'}:' address"
        return (
            f"a hyperlink to {where} ({_shown(target)}); only https, http and mailto links "
            "are allowed"
        )
    return f"{_kind(reltype)} taken from outside the document ({_shown(target)})"


def _rels_problems(name: str, data: bytes) -> Iterator[str]:
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        yield f"a damaged relationships part ({name})"
        return
    for rel in root.iter(f"{{{_REL_NS}}}Relationship"):
        reltype = rel.get("Type") or ""
        target = rel.get("Target") or ""
        if (rel.get("TargetMode") or "").lower() == "external":
            problem = _external_problem(reltype, target)
            if problem:
                yield problem
        elif _EMBEDDED_REL.search(reltype):
            yield f"{_kind(reltype)} embedded in it ({_shown(target)})"


def _content_type_problems(data: bytes) -> Iterator[str]:
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        yield "a damaged list of content types"
        return
    for item in root:
        content_type = item.get("ContentType") or ""
        if _MACRO_TYPE.search(content_type):
            yield f"macros (content type {_shown(content_type)}; a .docm is not a template)"
        elif _ACTIVEX.search(content_type):
            yield f"ActiveX controls (content type {_shown(content_type)})"
        elif _EMBEDDED_TYPE.search(content_type):
            yield f"embedded objects (content type {_shown(content_type)})"


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with archive.open(info) as handle:
        return handle.read(MAX_PART_BYTES + 1)


def package_problems(archive: zipfile.ZipFile) -> list[str]:
    """What a .docx package holds that a letter template may not, each named (empty: none)."""
    problems: list[str] = []
    paragraphs = rows = elements = 0
    for info in archive.infolist():
        name = info.filename
        if info.file_size > MAX_PART_BYTES:
            problems.append(
                f"a part larger than {MAX_PART_BYTES // (1024 * 1024)} MB unpacked ({_shown(name)})"
            )
            continue
        if _MACRO_NAME.search(name):
            problems.append(f"macros ({_shown(name)})")
        elif _ACTIVEX.search(name):
            problems.append(f"ActiveX controls ({_shown(name)})")
        elif _EMBEDDED_NAME.search(name):
            problems.append(f"an embedded object ({_shown(name)})")
        lowered = name.lower()
        if lowered.endswith(".rels"):
            problems.extend(_rels_problems(name, _read(archive, info)))
        elif lowered == "[content_types].xml":
            problems.extend(_content_type_problems(_read(archive, info)))
        elif lowered.endswith(".xml"):
            data = _read(archive, info)
            if len(data) > MAX_PART_BYTES:
                problems.append(f"a part larger than {MAX_PART_BYTES // (1024 * 1024)} MB unpacked")
                continue
            field = _FETCHING_FIELD.search(data)
            if field:
                problems.append(
                    f"a {field.group(1).decode().upper()} field, which fetches content from "
                    "outside the document"
                )
            # Counted with bytes.count (C speed, no objects): a file of 3 million empty
            # paragraphs is refused in a fraction of a second. Tags under another prefix
            # are still bounded by the count of all elements.
            paragraphs += sum(data.count(tag) for tag in _PARAGRAPH_TAGS)
            rows += sum(data.count(tag) for tag in _ROW_TAGS)
            elements += data.count(b"<")
    if paragraphs > MAX_PARAGRAPHS:
        problems.append(
            f"{paragraphs:,} paragraphs (a template may have at most {MAX_PARAGRAPHS:,})"
        )
    if elements > MAX_ELEMENTS:
        problems.append(f"{elements:,} XML elements (a template may have at most {MAX_ELEMENTS:,})")
    if rows > MAX_ROWS:
        problems.append(f"{rows:,} table rows (a template may have at most {MAX_ROWS:,})")
    return list(dict.fromkeys(problems))
