"""Letters in any script: the font for Arabic-script text, right-to-left lines, en-GB.

Applied to every finished letter (``render_letter``), whatever the template:

* a run holding Arabic-script text (Urdu, Arabic, Persian...) gets the shipped font
  Noto Naskh Arabic as its complex-script font (``w:rFonts w:cs``, which Word and
  LibreOffice use for those characters only: Latin letters in the same run keep the
  template's font), its language (``w:lang w:bidi``: Urdu when it has a letter only Urdu
  uses, Persian likewise, else Arabic), and ``w:rtl`` when it has no left-to-right letters;
* a paragraph whose first letter is right-to-left reads right to left (``w:bidi``);
* bold, italic and size in the styles apply to complex-script text too (``w:bCs``,
  ``w:iCs``, ``w:szCs``: Word keeps them apart from the Latin ones);
* a letter with Arabic-script text carries the font, embedded (``embed.py``: LibreOffice
  on Windows loads no fonts from its profile, and Word shows it right without the font);
* the document's language is British English (``w:lang w:val="en-GB"`` in the default
  run properties, and in place of en-US anywhere), so the tagged PDF says en-GB.

The parts' XML is edited in place (``prepare_document``, before the letter is saved).
"""

from __future__ import annotations

import re
import unicodedata

from docx.document import Document as DocumentObject
from lxml import etree

from plo_tracker.letters.embed import ARABIC_FONT, embed_arabic_font

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
LANGUAGE = "en-GB"
_TEXT_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u0870-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_URDU_ONLY = set("ٹڈڑںھہۂۃےۓ۔")
_PERSIAN = set("پچژگکی")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)


def _names(text: str) -> list[str]:
    return text.split()


# Where an element goes among its siblings (ECMA-376 order): the ones after it.
_RPR_ORDER = _names(
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
    "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u "
    "effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
)
_PPR_ORDER = _names(
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers "
    "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
    "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
    "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle "
    "rPr sectPr pPrChange"
)


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def _child(parent: etree._Element, name: str, order: list[str]) -> etree._Element:
    """The child ``w:name`` of parent, made in its schema place when missing."""
    found = parent.find(w(name))
    if found is not None:
        return found
    element = etree.Element(w(name))
    later = set(order[order.index(name) + 1 :])
    for index, sibling in enumerate(parent):
        if etree.QName(sibling).localname in later:
            parent.insert(index, element)
            return element
    parent.append(element)
    return element


def _first(parent: etree._Element, name: str) -> etree._Element:
    """The child ``w:name`` of parent, made as its first child when missing."""
    found = parent.find(w(name))
    if found is None:
        found = etree.Element(w(name))
        parent.insert(0, found)
    return found


def _strong_direction(text: str) -> str | None:
    """ "L" or "R" for the first letter with a direction, None when there is none."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "L"
        if kind in ("R", "AL"):
            return "R"
    return None


def bidi_language(text: str) -> str:
    letters = set(text)
    if letters & _URDU_ONLY:
        return "ur-PK"
    if letters & _PERSIAN:
        return "fa-IR"
    return "ar-SA"


def _run_text(run: etree._Element) -> str:
    return "".join(t.text or "" for t in run.iter(w("t")))


_TEXTS = etree.XPath("//w:t/text()", namespaces={"w": W})


def _mark_run(run: etree._Element, text: str) -> None:
    props = _first(run, "rPr")
    fonts = _child(props, "rFonts", _RPR_ORDER)
    fonts.set(w("cs"), ARABIC_FONT)
    fonts.attrib.pop(w("cstheme"), None)
    if not any(unicodedata.bidirectional(c) == "L" for c in text):
        _child(props, "rtl", _RPR_ORDER)
    _child(props, "lang", _RPR_ORDER).set(w("bidi"), bidi_language(text))


def _mark_text_part(root: etree._Element) -> bool:
    """Set the part's Arabic-script runs; False when it has none."""
    if not any(_ARABIC.search(text) for text in _TEXTS(root)):
        return False
    for paragraph in root.iter(w("p")):
        runs = [r for r in paragraph.iter(w("r"))]
        texts = [_run_text(r) for r in runs]
        arabic = False
        for run, text in zip(runs, texts, strict=True):
            if _ARABIC.search(text):
                _mark_run(run, text)
                arabic = True
        if arabic and _strong_direction("".join(texts)) == "R":
            _child(_first(paragraph, "pPr"), "bidi", _PPR_ORDER)
    return True


_NS = {"w": W}
_ENGLISH_US = etree.XPath(
    "//w:lang[translate(@w:val, 'US', 'us') = 'en-us' or "
    "translate(@w:eastAsia, 'US', 'us') = 'en-us']",
    namespaces=_NS,
)
_LATIN_ONLY = {
    name: etree.XPath(f"//w:rPr[w:{name} and not(w:{name}Cs)]/w:{name}", namespaces=_NS)
    for name in ("b", "i")
}
_SIZE_ONLY = etree.XPath("//w:rPr[w:sz and not(w:szCs)]/w:sz", namespaces=_NS)


def _british(root: etree._Element) -> None:
    for lang in _ENGLISH_US(root):
        for key in (w("val"), w("eastAsia")):
            if lang.get(key, "").lower() == "en-us":
                lang.set(key, LANGUAGE)


def _styles(root: etree._Element) -> None:
    defaults = _first(root, "docDefaults")
    run_default = _first(defaults, "rPrDefault")
    props = _first(run_default, "rPr")
    _child(props, "lang", _RPR_ORDER).set(w("val"), LANGUAGE)
    _british(root)
    found = [(e, "bCs") for e in _LATIN_ONLY["b"](root)]
    found += [(e, "iCs") for e in _LATIN_ONLY["i"](root)]
    found += [(e, "szCs") for e in _SIZE_ONLY(root)]
    for given, complex_script in found:
        copy = _child(given.getparent(), complex_script, _RPR_ORDER)
        for key, value in given.attrib.items():
            copy.set(key, value)


def _settings(root: etree._Element) -> None:
    for lang in root.iter(w("themeFontLang")):
        lang.set(w("val"), LANGUAGE)


def _prepare(name: str, root: etree._Element) -> bool | None:
    """Change one part's XML: None when the part is not one to change, else whether it
    has Arabic-script text."""
    if name == "word/styles.xml":
        _styles(root)
    elif name == "word/settings.xml":
        _settings(root)
    elif _TEXT_PARTS.fullmatch(name):
        _british(root)
        return _mark_text_part(root)
    else:
        return None
    return False


def prepare_document(document: DocumentObject) -> None:
    """Set the letter's Arabic-script runs for the shipped font (embedded when there are
    any), and en-GB, in place (before it is saved: nothing is parsed or packed again)."""
    arabic = False
    for part in list(document.part.package.iter_parts()):
        name = str(part.partname).lstrip("/")
        element = getattr(part, "_element", None)
        if element is not None:
            arabic = bool(_prepare(name, element)) or arabic
        elif name == "word/settings.xml" or _TEXT_PARTS.fullmatch(name):
            root = etree.fromstring(part.blob, _PARSER)
            found = _prepare(name, root)
            if found is not None:
                arabic = found or arabic
                part._blob = etree.tostring(  # a part python-docx keeps as bytes
                    root, xml_declaration=True, encoding="UTF-8", standalone=True
                )
    if arabic:
        embed_arabic_font(document)
