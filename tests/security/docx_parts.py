"""Building hostile .docx templates: a plain Word document, with parts added or changed."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from docx import Document

RELS = "word/_rels/document.xml.rels"
IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
OLE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject"
ATTACHED = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"


def plain(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def patched(
    data: bytes,
    *,
    add: dict[str, bytes] | None = None,
    edit: dict[str, Callable[[bytes], bytes]] | None = None,
) -> bytes:
    """``data`` with parts added (or replaced) and parts edited."""
    add = dict(add or {})
    edit = edit or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename in add:
                continue
            content = source.read(info)
            if info.filename in edit:
                content = edit[info.filename](content)
            target.writestr(info.filename, content)
        for name, content in add.items():
            target.writestr(name, content)
    return out.getvalue()


def relationship(rel_id: str, reltype: str, target: str, *, external: bool = True) -> bytes:
    mode = ' TargetMode="External"' if external else ""
    return f'<Relationship Id="{rel_id}" Type="{reltype}" Target="{target}"{mode}/>'.encode()


def with_relationship(data: bytes, rels_part: str, rel: bytes) -> bytes:
    def add_rel(xml: bytes) -> bytes:
        return xml.replace(b"</Relationships>", rel + b"</Relationships>")

    return patched(data, edit={rels_part: add_rel})


def body(data: bytes, xml: bytes) -> bytes:
    """``data`` with ``xml`` added at the start of the document's body."""

    def add(document: bytes) -> bytes:
        start = document.index(b"<w:body>") + len(b"<w:body>")
        return document[:start] + xml + document[start:]

    return patched(data, edit={"word/document.xml": add})


def linked_picture(url: str) -> bytes:
    """A document whose one picture is fetched from ``url`` when it is shown."""
    picture = (
        b'<w:p><w:r><w:drawing><wp:inline><wp:extent cx="952500" cy="952500"/>'
        b'<wp:docPr id="7" name="pixel"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/'
        b'drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/'
        b'2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/'
        b'picture"><pic:nvPicPr><pic:cNvPr id="7" name="pixel"/><pic:cNvPicPr/></pic:nvPicPr>'
        b'<pic:blipFill><a:blip r:link="rIdPixel"/><a:stretch><a:fillRect/></a:stretch>'
        b'</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="952500" cy="952500"/>'
        b'</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
        b"</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )
    data = body(plain("Dear {{ recipient_name }},"), picture)
    return with_relationship(data, RELS, relationship("rIdPixel", IMAGE, url))


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
