"""Letters in Urdu, Polish and Welsh: the shipped fonts, and no PDF with empty boxes.

Before a PDF is made every character of the letter is checked against the fonts
LibreOffice will use; a character without one refuses the PDFs (the .docx letters stay)
and the message names it and the font package to install.  Arabic-script text gets the
shipped Noto Naskh Arabic, right to left; the letters and their PDFs are in en-GB.

Some tests give LibreOffice (and the check) a computer whose only font is Noto Sans,
through fontconfig's FONTCONFIG_FILE: then Urdu can only be drawn with the font PLO
Tracker ships, and an emoji with none.  The tests with the real LibreOffice skip when it
is missing, and fail instead when PLO_TEST_REQUIRE_PDF=1 (as in test_pdf.py).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from plo_tracker.app import AppContext
from plo_tracker.domain.model import CaseHistory, Concern
from plo_tracker.letters import fonts, glyphs, pdf
from plo_tracker.letters.embed import obfuscate
from plo_tracker.letters.errors import PdfError
from plo_tracker.letters.options import LanguageLines
from plo_tracker.letters.scripts import ARABIC_FONT

from .helpers import OPTIONS, family_case, make_docx, with_examples
from .test_pdf import fake_soffice, pdf_text
from .test_recipient_rules import HIS_MEETING, letter

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
URDU = "یہ خط بہت اہم ہے۔ اگر آپ کو ترجمان کی ضرورت ہے تو ہمیں {phone} پر کال کریں۔ یہ مفت ہے۔"
POLISH = "Ten list jest ważny. Zadzwoń pod {phone}, aby otrzymać tłumacza. Gęś, Łódź, żółć, mąż."
WELSH = "Mae'r llythyr hwn yn bwysig. Ffoniwch ni ar {phone}. Dŵr, tŷ, ŵyr a ŷd."
LINES = LanguageLines.from_json({"Urdu": URDU, "Polish": POLISH, "Welsh": WELSH})
EMOJI = "\U0001f642"  # 🙂
needs_fontconfig = pytest.mark.skipif(
    not fonts.fontconfig_available(), reason="fontconfig (fc-list) is not installed"
)


@pytest.fixture
def soffice() -> str:
    found = pdf.find_soffice()
    if found is None:
        if os.environ.get("PLO_TEST_REQUIRE_PDF") == "1":
            pytest.fail("PLO_TEST_REQUIRE_PDF=1 but LibreOffice (soffice) is not installed")
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


def family(mother: str = "Urdu", father: str = "Welsh") -> CaseHistory:
    case = family_case()
    parties = [
        replace(p, language=mother)
        if p.id == "mother"
        else replace(p, language=father)
        if p.id == "father"
        else p
        for p in case.parties
    ]
    return replace(case, parties=tuple(parties))


def letters_of(case: CaseHistory, folder: Path) -> dict[str, Path]:
    """The letter before proceedings for the mother and the father, as .docx files."""
    folder.mkdir(exist_ok=True)
    made = {}
    for key, options in (("mother", {}), ("father", {"meeting": HIS_MEETING})):
        path = folder / f"{key}.docx"
        path.write_bytes(letter(case, key, languages=LINES, **options).data)
        made[key] = path
    return made


def only_fonts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *files: Path) -> None:
    """A computer whose fonts are these files only (fontconfig, for the check and for
    LibreOffice alike)."""
    folder = tmp_path / "computer-fonts"
    folder.mkdir()
    for file in files:
        shutil.copyfile(file, folder / file.name)
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{folder}</dir>\n  <cachedir>{tmp_path / 'fc-cache'}</cachedir>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))


def shipped(name: str) -> Path:
    (found,) = [p for p in fonts.bundled_fonts() if p.name == name]
    return found


def pdf_fonts(path: Path) -> str | None:
    if shutil.which("pdffonts") is None:
        return None
    return subprocess.run(
        ["pdffonts", str(path)], capture_output=True, check=True, timeout=60
    ).stdout.decode("utf-8", "replace")


def catalog_language(path: Path) -> str:
    """The /Lang of the PDF's catalog (the document's language for screen readers)."""
    data = path.read_bytes()
    catalog = re.search(rb"/Type\s*/Catalog\b(.*?)endobj", data, re.S)
    assert catalog is not None, "LibreOffice writes the catalog uncompressed"
    language = re.search(rb"/Lang\s*\(([^)]*)\)", catalog.group(1))
    assert language is not None, "the PDF says its language"
    return language.group(1).decode("ascii")


# -- the .docx: Arabic script in the shipped font, right to left, en-GB ----------------------


def test_an_urdu_line_is_set_in_the_shipped_font_right_to_left_and_the_letter_is_en_gb() -> None:
    made = letter(family(), "mother", languages=LINES)
    document = Document(io.BytesIO(made.data))
    first = document.paragraphs[0]
    assert first.text.startswith("یہ خط بہت اہم ہے۔")
    assert first._p.find(f"{W}pPr/{W}bidi") is not None  # the line reads right to left
    urdu_runs = [r for r in first.runs if "ہ" in r.text]
    assert urdu_runs
    for run in urdu_runs:
        props = run._r.find(f"{W}rPr")
        assert props.find(f"{W}rFonts").get(f"{W}cs") == ARABIC_FONT
        assert props.find(f"{W}lang").get(f"{W}bidi") == "ur-PK"
    # The English text keeps the template's font and direction.
    body = next(p for p in document.paragraphs if p.text.startswith("Dear "))
    assert body._p.find(f"{W}pPr/{W}bidi") is None
    assert all(r._r.find(f"{W}rPr/{W}rtl") is None for r in body.runs)
    with zipfile.ZipFile(io.BytesIO(made.data)) as archive:
        styles = etree.fromstring(archive.read("word/styles.xml"))
        settings = archive.read("word/settings.xml")
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert default.get(f"{W}val") == "en-GB"
    assert b"en-US" not in etree.tostring(styles) and b"en-US" not in settings
    # The line's style is bold: bold for the Urdu letters too (Word keeps them apart).
    language_style = styles.xpath(
        "//w:style[w:name/@w:val='Language line']", namespaces={"w": W[1:-1]}
    )
    assert language_style[0].find(f"{W}rPr/{W}bCs") is not None


def test_an_urdu_name_inside_english_text_keeps_the_line_left_to_right() -> None:
    worry = "You asked us to call you سارہ in letters, and we will."
    case = replace(family(mother="English"), concerns=(Concern(worry),))
    made = letter(case, "mother")
    document = Document(io.BytesIO(made.data))
    (paragraph,) = [p for p in document.paragraphs if p.text == worry]
    assert paragraph._p.find(f"{W}pPr/{W}bidi") is None  # it starts in English
    (run,) = [r for r in paragraph.runs if "سارہ" in r.text]
    props = run._r.find(f"{W}rPr")
    assert props.find(f"{W}rFonts").get(f"{W}cs") == ARABIC_FONT  # for the Urdu letters only
    assert props.find(f"{W}rtl") is None  # the English words stay left to right
    assert glyphs.missing_in(made.data, system=False) == []


def test_every_character_of_the_urdu_polish_and_welsh_letters_has_a_shipped_font() -> None:
    case = family(mother="Urdu", father="Welsh")
    urdu = letter(case, "mother", languages=LINES)
    welsh = letter(case, "father", languages=LINES, meeting=HIS_MEETING)
    polish = letter(family(mother="Polish"), "mother", languages=LINES)
    # With the fonts PLO Tracker ships and nothing else.
    for made in (urdu, welsh, polish):
        assert glyphs.missing_in(made.data, system=False) == []
    codes = glyphs.letter_text(urdu.data).codes
    assert {ord(c) for c in "ےہ۔"} <= codes
    assert {ord(c) for c in "ŵŷ"} <= glyphs.letter_text(welsh.data).codes
    assert {ord(c) for c in "ąęłńśźż"} <= glyphs.letter_text(polish.data).codes


def test_a_character_no_font_has_is_named_with_the_package_to_install(tmp_path: Path) -> None:
    document = make_docx(tmp_path / "a.docx", f"Thank you {EMOJI}", "ے is fine")
    missing = glyphs.missing_in(document.read_bytes(), system=False)
    assert missing == [0x1F642]
    message = glyphs.refusal({document: missing})
    assert f"{EMOJI} (U+1F642)" in message
    assert "fonts-noto-color-emoji" in message
    assert "a.docx" in message and "The .docx letters were saved" in message
    assert "U+06D2" not in message  # the shipped Noto Naskh Arabic has ے
    # Characters never drawn are not checked: joiners, direction marks, soft hyphens.
    invisible = make_docx(tmp_path / "b.docx", "Os\u00adwestry\u200d\u200f\ufe0f")
    assert glyphs.missing_in(invisible.read_bytes(), system=False) == []


def test_the_characters_of_headers_footers_and_tables_are_checked(tmp_path: Path) -> None:
    document = Document()
    document.sections[0].footer.paragraphs[0].text = f"Footer {EMOJI}"
    document.add_table(rows=1, cols=1).cell(0, 0).text = "\U0001f600"
    document.sections[0].header.paragraphs[0].text = "\u2603"
    path = tmp_path / "parts.docx"
    document.save(str(path))
    assert glyphs.missing_in(path.read_bytes(), system=False) == [0x2603, 0x1F600, 0x1F642]


# -- the check before LibreOffice, through the letter service -------------------------------------


@pytest.fixture
def letters_app(sqlite_app: AppContext) -> AppContext:
    return with_examples(sqlite_app)


@needs_fontconfig
@pytest.mark.skipif(sys.platform == "win32", reason="shell script stand-in")
def test_an_emoji_refuses_the_pdf_before_libreoffice_runs_and_keeps_the_docx(
    letters_app: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    only_fonts(tmp_path, monkeypatch, shipped("NotoSans-Regular.ttf"))
    script = fake_soffice(tmp_path, "exit 0\n")
    monkeypatch.setenv(pdf.SOFFICE_ENV, str(script))
    reference = "PLO-2024-0007"
    letters_app.cases.save_concern(
        reference,
        Concern(f"You sent us this {EMOJI} when we asked about the heating."),
        confirm=True,
    )
    result = letters_app.letters.generate(
        reference, "letter_before_proceedings", tmp_path / "out", pdf=True, options=OPTIONS
    )
    note = result.pdf_note
    assert note is not None and note.startswith("No PDF was made")
    assert f"{EMOJI} (U+1F642)" in note and "fonts-noto-color-emoji" in note
    assert not (tmp_path / "calls.log").exists(), "LibreOffice was never started"
    for made in result.letters:
        assert made.path.exists() and made.pdf_path is None
        assert made.record.pdf_sha256 is None
        assert made.path.name in note
    assert list((tmp_path / "out").glob("*.pdf")) == []


@needs_fontconfig
def test_without_the_shipped_fonts_urdu_would_be_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    only_fonts(tmp_path, monkeypatch, shipped("NotoSans-Regular.ttf"))
    made = letters_of(family(), tmp_path / "letters")
    data = made["mother"].read_bytes()
    monkeypatch.setattr(fonts, "bundled_fonts", list)  # as if nothing were shipped
    missing = glyphs.missing_in(data)
    assert {ord(c) for c in "ےہ۔"} <= set(missing)
    assert "fonts-noto-core" in glyphs.refusal({made["mother"]: missing})
    assert glyphs.missing_in(made["father"].read_bytes()) == []  # Welsh: Noto Sans has ŵŷ


# -- the real LibreOffice -----------------------------------------------------------------------


def assert_urdu_pdf(path: Path) -> None:
    text = pdf_text(path)
    if text is not None:
        for word in ("ترجمان", "مفت", "ے", "ہ", "۔"):
            assert word in text
        assert "Dear Kelly Jones," in text
    used = pdf_fonts(path)
    if used is not None:
        assert "NotoNaskhArabic" in used, used
    assert catalog_language(path) == "en-GB"


def test_an_urdu_letter_carries_the_font_embedded_and_an_english_one_does_not() -> None:
    urdu = letter(family(), "mother", languages=LINES)
    english = letter(family(mother="English"), "mother", languages=LINES)
    with zipfile.ZipFile(io.BytesIO(english.data)) as archive:
        assert not [n for n in archive.namelist() if n.startswith("word/fonts/")]
    with zipfile.ZipFile(io.BytesIO(urdu.data)) as archive:
        table = etree.fromstring(archive.read("word/fontTable.xml"))
        rels = etree.fromstring(archive.read("word/_rels/fontTable.xml.rels"))
        settings = etree.fromstring(archive.read("word/settings.xml"))
        (font,) = [f for f in table.iter(f"{W}font") if f.get(f"{W}name") == ARABIC_FONT]
        targets = {r.get("Id"): r.get("Target") for r in rels}
        for tag, file_name in (
            ("embedRegular", "NotoNaskhArabic-Regular.ttf"),
            ("embedBold", "NotoNaskhArabic-Bold.ttf"),
        ):
            embedded = font.find(f"{W}{tag}")
            part = "word/" + targets[embedded.get(f"{R}id")]
            key = embedded.get(f"{W}fontKey")
            stored = archive.read(part)
            assert stored != shipped(file_name).read_bytes()  # obfuscated, as the standard says
            assert obfuscate(stored, key) == shipped(file_name).read_bytes()
        assert settings.find(f"{W}embedTrueTypeFonts") is not None


@needs_fontconfig
def test_urdu_and_welsh_pdfs_on_a_computer_with_no_font_but_noto_sans(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, soffice: str
) -> None:
    only_fonts(tmp_path, monkeypatch, shipped("NotoSans-Regular.ttf"))
    made = letters_of(family(mother="Urdu", father="Welsh"), tmp_path / "letters")
    pdfs = pdf.convert(list(made.values()))
    assert_urdu_pdf(pdfs[made["mother"]])  # only the shipped Noto Naskh Arabic has Urdu
    welsh = pdfs[made["father"]]
    text = pdf_text(welsh)
    if text is not None:
        assert "Dŵr, tŷ, ŵyr a ŷd." in text
    assert catalog_language(welsh) == "en-GB"


@needs_fontconfig
def test_libreoffice_draws_urdu_with_the_embedded_font_when_it_loads_none_from_its_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, soffice: str
) -> None:
    """As on Windows, where LibreOffice loads no fonts from its profile folder."""
    only_fonts(tmp_path, monkeypatch, shipped("NotoSans-Regular.ttf"))
    monkeypatch.setattr(fonts, "install_for_run", lambda profile: None)
    made = letters_of(family(), tmp_path / "letters")
    assert_urdu_pdf(pdf.convert([made["mother"]])[made["mother"]])


def test_urdu_polish_and_welsh_pdfs_with_this_computers_fonts(tmp_path: Path, soffice: str) -> None:
    made = letters_of(family(mother="Urdu", father="Welsh"), tmp_path / "a")
    made |= {
        f"polish-{k}": v for k, v in letters_of(family(mother="Polish"), tmp_path / "b").items()
    }
    renamed = {}
    for key, path in made.items():  # one batch needs distinct names
        target = tmp_path / f"{key}.docx"
        path.rename(target)
        renamed[key] = target
    pdfs = pdf.convert(list(renamed.values()))
    assert_urdu_pdf(pdfs[renamed["mother"]])
    polish = pdf_text(pdfs[renamed["polish-mother"]])
    welsh = pdf_text(pdfs[renamed["father"]])
    if polish is not None and welsh is not None:
        polish, welsh = " ".join(polish.split()), " ".join(welsh.split())
        assert "Gęś, Łódź, żółć, mąż." in polish and "tłumacza" in polish
        assert "Dŵr, tŷ, ŵyr a ŷd." in welsh
    for path in pdfs.values():
        assert catalog_language(path) == "en-GB"


@needs_fontconfig
def test_a_rare_script_refuses_the_real_conversion_naming_the_character(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, soffice: str
) -> None:
    only_fonts(tmp_path, monkeypatch, shipped("NotoSans-Regular.ttf"))
    toto = "\U0001e290\U0001e291"  # Toto script (Unicode 14): no font here has it
    document = make_docx(tmp_path / "toto.docx", f"Dear {toto},", "ے")
    with pytest.raises(PdfError) as refused:
        pdf.convert([document])
    message = str(refused.value)
    assert "\U0001e290 (U+1E290)" in message and "\U0001e291 (U+1E291)" in message
    assert "fonts-noto-core" in message and "toto.docx" in message
    assert document.exists() and not (tmp_path / "toto.pdf").exists()
