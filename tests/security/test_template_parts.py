"""Hostile templates: refused by name at ``templates --check`` and when a letter is made.

A template is a document, nothing more (``plo_tracker/letters/parts.py``): nothing fetched
from outside, no macros, ActiveX controls or embedded objects; and the work one letter may
cost is bounded (``plo_tracker/letters/bounds.py``), with the limit named in the refusal.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from tests.letters.test_cli import CASE, run

from . import docx_parts as parts
from .docx_parts import ATTACHED, HYPERLINK, IMAGE, OLE, RELS, relationship

SETTINGS_RELS = "word/_rels/settings.xml.rels"
EMPTY_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b"</Relationships>"
)


def _rel(reltype: str, target: str, part: str = RELS) -> bytes:
    data = parts.plain("Dear {{ recipient_name }},")
    if part != RELS:
        data = parts.patched(data, add={part: EMPTY_RELS})
    return parts.with_relationship(data, part, relationship("rIdX", reltype, target))


def _content_type(content_type: str, extension: str) -> bytes:
    def add(xml: bytes) -> bytes:
        entry = f'<Default Extension="{extension}" ContentType="{content_type}"/>'.encode()
        return xml.replace(b"</Types>", entry + b"</Types>")

    return parts.patched(
        parts.plain("Dear {{ recipient_name }},"), edit={"[Content_Types].xml": add}
    )


def _main_type_docm() -> bytes:
    def swap(xml: bytes) -> bytes:
        return xml.replace(
            b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            b"application/vnd.ms-word.document.macroEnabled.main+xml",
        )

    return parts.patched(parts.plain("Hello"), edit={"[Content_Types].xml": swap})


FIELD = (
    b'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
    b' INCLUDEPICTURE "http://tracker.example/p.png" \\d </w:instrText></w:r><w:r>'
    b'<w:fldChar w:fldCharType="end"/></w:r></w:p>'
)

HOSTILE_PARTS = {
    "remote image": (_rel(IMAGE, "https://tracker.example/p.png"), "an image taken from outside"),
    "attached template": (
        _rel(ATTACHED, "https://evil.example/normal.dotm", SETTINGS_RELS),
        "an attached template taken from outside",
    ),
    "UNC hyperlink": (_rel(HYPERLINK, "\\\\server\\share\\x"), "a network share (UNC path)"),
    "file hyperlink": (_rel(HYPERLINK, "file:///etc/passwd"), "a hyperlink to 'file:' address"),
    "external OLE": (
        _rel(OLE, "\\\\server\\share\\sheet.xlsx"),
        "an OLE object taken from outside",
    ),
    "hidden vbaProject.bin": (
        parts.patched(parts.plain("Hello"), add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}),
        "macros (word/vbaProject.bin)",
    ),
    "docm content type": (_main_type_docm(), "macros (content type"),
    "ActiveX": (
        parts.patched(parts.plain("Hello"), add={"word/activeX/activeX1.xml": b"<ax/>"}),
        "ActiveX controls (word/activeX/activeX1.xml)",
    ),
    "embedded object": (
        parts.patched(parts.plain("Hello"), add={"word/embeddings/oleObject1.bin": b"x"}),
        "an embedded object (word/embeddings/oleObject1.bin)",
    ),
    "embedded OLE relationship": (
        parts.with_relationship(
            parts.plain("Hello"), RELS, relationship("rIdO", OLE, "x.bin", external=False)
        ),
        "an OLE object embedded in it",
    ),
    "OLE content type": (
        _content_type("application/vnd.openxmlformats-officedocument.oleObject", "bin"),
        "embedded objects (content type",
    ),
    "INCLUDEPICTURE field": (parts.body(parts.plain("Hello"), FIELD), "a INCLUDEPICTURE field"),
}


@pytest.mark.parametrize("kind", list(HOSTILE_PARTS))
def test_templates_check_refuses_each_external_part_by_name(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    data, named = HOSTILE_PARTS[kind]
    path = parts.write(tmp_path / "hostile.docx", data)
    code, out, err = run(db, "templates", "--check", str(path), capsys=capsys)
    assert code == 1, (out, err)
    assert named in out + err, out + err
    assert "Traceback" not in out + err


def test_a_web_link_is_allowed(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A hyperlink to the council's web page is opened only if the reader clicks it."""
    for target in ("https://www.example.gov.uk/plo", "mailto:plo@example.gov.uk"):
        path = parts.write(tmp_path / "linked.docx", _rel(HYPERLINK, target))
        code, out, err = run(db, "templates", "--check", str(path), capsys=capsys)
        assert code == 0, out + err


def _council_template(db: Path, tmp_path: Path, data: bytes, capsys) -> None:
    """``data`` placed in the council folder as review_invitation (never checked by --add)."""
    folder = tmp_path / "council"
    folder.mkdir(exist_ok=True)
    code, _, err = run(db, "templates", "--folder", str(folder), capsys=capsys)
    assert code == 0, err
    (folder / "review_invitation.docx").write_bytes(data)


def _letter(db: Path, tmp_path: Path, capsys) -> tuple[int, str]:
    out_dir = tmp_path / "letters"
    code, out, err = run(
        db,
        "letter",
        CASE,
        "review_invitation",
        "--party",
        "mother",
        "--date",
        "2024-03-04",
        "--out",
        str(out_dir),
        capsys=capsys,
    )
    made = list(out_dir.glob("*")) if out_dir.exists() else []
    assert made == [], "no letter is saved"
    return code, out + err


def test_a_template_with_a_remote_image_is_refused_when_a_letter_is_made(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _council_template(db, tmp_path, parts.linked_picture("http://tracker.example/p.png"), capsys)
    code, text = _letter(db, tmp_path, capsys)
    assert code == 1 and "an image taken from outside" in text and "tracker.example" in text


def test_a_template_with_macros_is_refused_when_a_letter_is_made(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = parts.patched(
        parts.plain("Dear {{ recipient_name }},"), add={"word/vbaProject.bin": b"x"}
    )
    _council_template(db, tmp_path, data, capsys)
    code, text = _letter(db, tmp_path, capsys)
    assert code == 1 and "macros (word/vbaProject.bin)" in text


# -- bounded work ---------------------------------------------------------------------------

LOOPS = {
    "nested range(9999)": (
        "{% for i in range(9999) %}{% for j in range(9999) %}{{ recipient_name }}"
        "{% endfor %}{% endfor %}",
        "range() may give at most 1,000 numbers",
    ),
    "a million loop turns": (
        "{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}",
        "more than 100,000 steps",
    ),
    "a list made to loop over": (
        "{% for i in ('x' * 9999)|list %}{% for j in ('x' * 9999)|list %}{% endfor %}{% endfor %}",
        "more than 100,000 steps",
    ),
    "a macro calling itself": (
        "{% macro m(n) %}{{ m(n) }}{% endmacro %}{{ m(1) }}",
        "",
    ),
    "huge output": (
        "{% for i in range(1000) %}{% for j in range(90) %}{{ 'x' * 9999 }}{% endfor %}"
        "{% endfor %}",
        "grew past 30,000,000 characters",
    ),
}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("kind", list(LOOPS))
def test_templates_check_bounds_the_work_of_a_letter(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    source, named = LOOPS[kind]
    path = parts.write(tmp_path / "loops.docx", parts.plain("Dear {{ recipient_name }},", source))
    code, out, err = run(db, "templates", "--check", str(path), capsys=capsys)
    assert code == 1, out + err
    assert "was stopped" in out + err and named in out + err, out + err


@pytest.mark.timeout(60)
def test_nested_loops_are_stopped_when_a_letter_is_made(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = LOOPS["a list made to loop over"][0]
    _council_template(db, tmp_path, parts.plain("Dear {{ recipient_name }},", source), capsys)
    code, text = _letter(db, tmp_path, capsys)
    assert code == 1 and "more than 100,000 steps" in text


def three_million_paragraphs() -> bytes:
    """A small file (about 50 KB packed) whose document has 3 million empty paragraphs."""

    def fill(document: bytes) -> bytes:
        start = document.index(b"<w:body>") + len(b"<w:body>")
        return document[:start] + b"<w:p/>" * 3_000_000 + document[start:]

    return parts.patched(parts.plain("Hello"), edit={"word/document.xml": fill})


@pytest.mark.timeout(60)
def test_a_template_of_three_million_paragraphs_is_refused_naming_the_limit(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = three_million_paragraphs()
    assert len(data) < 400_000
    path = parts.write(tmp_path / "many.docx", data)
    code, out, err = run(db, "templates", "--check", str(path), capsys=capsys)
    assert code == 1
    assert "3,000,001 paragraphs (a template may have at most 20,000)" in out + err


@pytest.mark.timeout(60)
def test_a_part_too_large_unpacked_is_refused(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    padding = b"<!--" + b" " * (25 * 1024 * 1024) + b"-->"
    assert len(zlib.compress(padding)) < 100_000

    def pad(document: bytes) -> bytes:
        return document.replace(b"<w:body>", b"<w:body>" + padding, 1)

    data = parts.patched(parts.plain("Hello"), edit={"word/document.xml": pad})
    path = parts.write(tmp_path / "big.docx", data)
    code, out, err = run(db, "templates", "--check", str(path), capsys=capsys)
    assert code == 1 and "a part larger than 20 MB unpacked (word/document.xml)" in out + err
