"""The shipped Noto Naskh Arabic embedded in a letter that has Arabic-script text.

LibreOffice on Windows (and macOS) does not load fonts from its profile folder, but it
does load the fonts embedded in a .docx; so does Word, which then shows the letter right
on a computer without the font.  A letter with Arabic-script text carries the regular and
bold faces (about 360 kB), in the standard way (ECMA-376 Part 1, 17.8.1):

* each face an obfuscated part ``word/fonts/fontN.odttf`` (its first 32 bytes XORed with
  the bytes of a random GUID, its ``fontKey``), related from the font table;
* ``w:font w:name="Noto Naskh Arabic"`` in ``word/fontTable.xml`` with ``w:embedRegular``
  and ``w:embedBold`` naming the part and its key;
* ``w:embedTrueTypeFonts`` in the settings.
"""

from __future__ import annotations

import uuid

from docx.document import Document as DocumentObject
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

from plo_tracker.letters import fonts

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ARABIC_FONT = "Noto Naskh Arabic"
OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
FACES = (("embedRegular", "NotoNaskhArabic-Regular.ttf"), ("embedBold", "NotoNaskhArabic-Bold.ttf"))
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
# Settings that come before w:embedTrueTypeFonts (ECMA-376 order).
_SETTINGS_BEFORE = {
    "writeProtection",
    "view",
    "zoom",
    "removePersonalInformation",
    "removeDateAndTime",
    "doNotDisplayPageBoundaries",
    "displayBackgroundShape",
    "printPostScriptOverText",
    "printFractionalCharacterWidth",
    "printFormsData",
}


def obfuscate(font: bytes, key: str) -> bytes:
    """The font with its first 32 bytes XORed with the key's GUID bytes, last byte first."""
    digits = key.strip("{}").replace("-", "")
    mask = [int(digits[30 - 2 * i : 32 - 2 * i], 16) for i in range(16)]
    head = bytes(b ^ mask[i % 16] for i, b in enumerate(font[:32]))
    return head + font[32:]


def _free_partname(document: DocumentObject) -> PackURI:
    taken = {str(p.partname) for p in document.part.package.iter_parts()}
    number = 1
    while f"/word/fonts/font{number}.odttf" in taken:
        number += 1
    return PackURI(f"/word/fonts/font{number}.odttf")


def _settings(document: DocumentObject) -> None:
    settings = document.settings.element
    if settings.find(f"{{{W}}}embedTrueTypeFonts") is not None:
        return
    element = etree.SubElement(settings, f"{{{W}}}embedTrueTypeFonts")
    settings.remove(element)
    position = 0
    for index, child in enumerate(settings):
        if etree.QName(child).localname in _SETTINGS_BEFORE:
            position = index + 1
    settings.insert(position, element)


def embed_arabic_font(document: DocumentObject) -> bool:
    """Embed the shipped Noto Naskh Arabic (once); False when it is not shipped."""
    shipped = {p.name: p for p in fonts.bundled_fonts()}
    if any(name not in shipped for _, name in FACES):
        return False
    try:
        table = document.part.part_related_by(RT.FONT_TABLE)
    except KeyError:
        return False
    root = etree.fromstring(table.blob, _PARSER)
    names = {f.get(f"{{{W}}}name") for f in root.iter(f"{{{W}}}font")}
    font = None
    if ARABIC_FONT in names:
        font = next(f for f in root.iter(f"{{{W}}}font") if f.get(f"{{{W}}}name") == ARABIC_FONT)
        if font.find(f"{{{W}}}embedRegular") is not None:
            return True  # already there
    if font is None:
        font = etree.SubElement(root, f"{{{W}}}font")
        font.set(f"{{{W}}}name", ARABIC_FONT)
        for tag, value in (("charset", "00"), ("family", "auto"), ("pitch", "variable")):
            etree.SubElement(font, f"{{{W}}}{tag}").set(f"{{{W}}}val", value)
    for tag, file_name in FACES:
        key = "{" + str(uuid.uuid4()).upper() + "}"
        data = obfuscate(shipped[file_name].read_bytes(), key)
        part = Part(_free_partname(document), OBFUSCATED_FONT, data, document.part.package)
        relation = table.relate_to(part, RT.FONT)
        embedded = etree.SubElement(font, f"{{{W}}}{tag}")
        embedded.set(f"{{{R}}}id", relation)
        embedded.set(f"{{{W}}}fontKey", key)
    if hasattr(table, "_element"):  # pragma: no cover - a python-docx that parses it
        table._element = root
    else:
        table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    _settings(document)
    return True
