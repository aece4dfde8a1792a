"""Before a PDF is made: every character of the letter has a font that can draw it.

A character no font has prints as an empty box, with no warning (Urdu did, before the
shipped Noto Naskh Arabic).  So the whole text of each .docx (body, tables, headers,
footers, footnotes) is checked against the fonts LibreOffice will use
(``letters.fonts``); one that lacks a font refuses the PDFs, the .docx letters stay,
and the message names the characters (``ے (U+06D2)``) and the font package to install.

Characters that are never drawn are not checked: controls, format characters (joiners,
direction marks, soft hyphens) and variation selectors.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from plo_tracker.letters import fonts

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_TEXT_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_NEVER_DRAWN = {"Cc", "Cf", "Zl", "Zp", "Cs"}
SHOWN = 12  # characters named in a message, at most

# Where to get a font, by Unicode range (Debian/Ubuntu package names).
_PACKAGES: tuple[tuple[int, int, str], ...] = (
    (0x1F000, 0x1FAFF, "fonts-noto-color-emoji"),
    (0x2600, 0x27BF, "fonts-noto-color-emoji"),
    (0x2E80, 0x9FFF, "fonts-noto-cjk"),
    (0xAC00, 0xD7AF, "fonts-noto-cjk"),
    (0xF900, 0xFAFF, "fonts-noto-cjk"),
    (0x20000, 0x3FFFF, "fonts-noto-cjk"),
)
DEFAULT_PACKAGE = "fonts-noto-core"


def font_package(code: int) -> str:
    for first, last, package in _PACKAGES:
        if first <= code <= last:
            return package
    return DEFAULT_PACKAGE


def describe(code: int) -> str:
    """``ے (U+06D2)``."""
    return f"{chr(code)} (U+{code:04X})"


def drawn(char: str) -> bool:
    code = ord(char)
    if 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
        return False  # variation selectors
    return unicodedata.category(char) not in _NEVER_DRAWN


@dataclass(frozen=True)
class LetterText:
    """The characters a .docx shows and the font names it uses."""

    codes: frozenset[int]
    families: frozenset[str]


_TEXTS = etree.XPath("//w:t/text()", namespaces={"w": W})
_FAMILIES = re.compile(rb'w:(?:ascii|hAnsi|cs|eastAsia)="([^"]+)"')


def letter_text(data: bytes) -> LetterText:
    codes: set[int] = set()
    families: set[str] = set()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            is_text = _TEXT_PARTS.fullmatch(name) is not None
            if not is_text and name != "word/styles.xml":
                continue
            content = archive.read(name)
            families.update(f.decode("utf-8", "replace") for f in _FAMILIES.findall(content))
            if is_text:
                shown = "".join(_TEXTS(etree.fromstring(content, _PARSER)))
                codes.update(ord(c) for c in set(shown) if drawn(c))
    return LetterText(frozenset(codes), frozenset(families))


def missing_in(
    data: bytes,
    *,
    soffice: str | None = None,
    env: Mapping[str, str] | None = None,
    system: bool = True,
) -> list[int]:
    """The characters of this .docx no font can draw, in code point order."""
    text = letter_text(data)
    return sorted(
        fonts.missing_characters(text.codes, text.families, soffice=soffice, env=env, system=system)
    )


def _listing(codes: Sequence[int]) -> str:
    shown = ", ".join(describe(c) for c in codes[:SHOWN])
    if len(codes) > SHOWN:
        shown += f" and {len(codes) - SHOWN} more"
    return shown


def refusal(missing: Mapping[Path, Sequence[int]]) -> str:
    """The message for letters with characters no font has (``missing``: per .docx)."""
    letters = "; ".join(f"{path.name}: {_listing(codes)}" for path, codes in missing.items())
    every = sorted({c for codes in missing.values() for c in codes})
    packages: dict[str, list[int]] = {}
    for code in every:
        packages.setdefault(font_package(code), []).append(code)
    named = [
        f"{package} (for {' '.join(chr(c) for c in codes[:SHOWN])})"
        for package, codes in sorted(packages.items())
    ]
    install = ("the packages " if len(named) > 1 else "the package ") + " and ".join(named)
    count = len(every)
    return (
        f"No PDF was made: {count} character{'s' if count != 1 else ''} in the letters "
        f"{'have' if count != 1 else 'has'} no font on this computer and would print as empty "
        f"boxes ({letters}). The .docx letters were saved. To make the PDFs, ask your IT team "
        f"to install a font that has {'them' if count != 1 else 'it'}: on Debian or Ubuntu "
        f"{install}; on Windows or a Mac, the Noto font for that script "
        "(notofonts.github.io). Or change the text in the case."
    )


def check(
    documents: Iterable[Path],
    *,
    soffice: str | None = None,
    env: Mapping[str, str] | None = None,
) -> dict[Path, list[int]]:
    """{.docx: its characters no font has}, for the letters that have any."""
    found: dict[Path, list[int]] = {}
    for document in documents:
        missing = missing_in(Path(document).read_bytes(), soffice=soffice, env=env)
        if missing:
            found[Path(document)] = missing
    return found
