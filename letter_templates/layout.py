"""Building blocks of the shipped letter templates: page, letterhead, paragraphs, tables.

The layout a council would post:

* A4, 2.2 cm margins, Arial; the council's logo (when set) at the top of the first page;
* on every page, in the footer: the case reference, the letter's date and "Page x of y"
  (Word's PAGE and NUMPAGES fields, so any viewer counts the pages itself);
* headings kept with the text after them; the signature block kept together on one page
  ("Yours sincerely", the name and the job title);
* tables whose heading row repeats on each page and whose rows never split across pages;
* a first line in the reader's language when they read another one (style "Language
  line", which the plain-language check leaves out: it is not English).
"""

from __future__ import annotations

from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

FONT = "Arial"
LANGUAGE_STYLE = "Language line"


def _no_theme_font(style: Any) -> None:
    """Word prefers a style's theme font to its named font; drop the theme font."""
    fonts = style.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    if fonts is not None:
        for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{attribute}"), None)


def _field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A Word field (``PAGE``, ``NUMPAGES``) in a paragraph; ``shown`` until it is updated."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "18")
    props.append(size)
    run.append(props)
    text = OxmlElement("w:t")
    text.text = shown
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _footer(part: Any, doc: DocumentObject) -> None:
    paragraph = part.paragraphs[0]
    paragraph.style = doc.styles["Normal"]
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run("Our reference: {{ case_reference }}   {{ letter_date }}   Page ")
    run.font.size = Pt(9)
    _field(paragraph, "PAGE", "1")
    run = paragraph.add_run(" of ")
    run.font.size = Pt(9)
    _field(paragraph, "NUMPAGES", "1")


def new_document(
    title: str, *, size: int = 12, heading_sizes: tuple[int, int] = (16, 13)
) -> DocumentObject:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.2))
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(size)
    normal.paragraph_format.space_after = Pt(8)
    normal.paragraph_format.line_spacing = 1.15
    for name, heading_size in zip(("Heading 1", "Heading 2"), heading_sizes, strict=True):
        style = doc.styles[name]
        style.font.name = FONT
        _no_theme_font(style.element)
        style.font.size = Pt(heading_size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(14)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
    address = doc.styles.add_style("Address", WD_STYLE_TYPE.PARAGRAPH)
    address.base_style = normal
    address.paragraph_format.space_after = Pt(0)
    language = doc.styles.add_style(LANGUAGE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    language.base_style = normal
    language.font.bold = True
    bullet_style = doc.styles["List Bullet"]
    bullet_style.font.name = FONT
    bullet_style.font.size = Pt(size)
    bullet_style.paragraph_format.space_after = Pt(4)
    props = doc.core_properties
    props.title = title
    props.author = "PLO Tracker"
    props.subject = "PLO Tracker letter template"
    props.comments = "The fields this template uses are listed in fields.md."
    props.keywords = ""
    props.last_modified_by = "PLO Tracker"
    props.revision = 1
    # First page: the logo; every page: reference, date, page x of y.
    section.different_first_page_header_footer = True
    logo = section.first_page_header.paragraphs[0]
    logo.text = "{% if council_logo %}{{ council_logo }}{% endif %}"
    _footer(section.footer, doc)
    _footer(section.first_page_footer, doc)
    return doc


def para(
    doc: DocumentObject,
    text: str,
    *,
    bold: bool = False,
    style: str | None = None,
    keep_with_next: bool = False,
) -> Paragraph:
    paragraph = doc.add_paragraph(style=style)
    run = paragraph.add_run(text)
    run.bold = bold
    if keep_with_next:
        paragraph.paragraph_format.keep_with_next = True
    return paragraph


def tag(doc: DocumentObject, text: str) -> None:
    """A paragraph holding one {%p ... %} tag (it disappears from the letter)."""
    doc.add_paragraph(text)


def heading(doc: DocumentObject, text: str, level: int = 2) -> None:
    doc.add_heading(text, level=level)


def bullet(doc: DocumentObject, text: str, *, keep_with_next: bool = False) -> None:
    paragraph = doc.add_paragraph(text, style="List Bullet")
    if keep_with_next:
        paragraph.paragraph_format.keep_with_next = True


def lines(doc: DocumentObject, items: list[str], *, keep_with_next: bool = False) -> None:
    for text in items:
        paragraph: Paragraph = doc.add_paragraph(text, style="Address")
        paragraph.paragraph_format.space_after = Pt(0)
        if keep_with_next:
            paragraph.paragraph_format.keep_with_next = True


def spacer(doc: DocumentObject, *, keep_with_next: bool = False) -> None:
    paragraph = doc.add_paragraph("", style="Address")
    if keep_with_next:
        paragraph.paragraph_format.keep_with_next = True


def language_line(doc: DocumentObject) -> None:
    """The reader's-language first line, at the very top (only for a language not English)."""
    tag(doc, "{%p if language_line %}")
    paragraph = doc.add_paragraph("{{ language_line }}", style=LANGUAGE_STYLE)
    paragraph.paragraph_format.space_after = Pt(12)
    tag(doc, "{%p endif %}")


def letterhead(doc: DocumentObject) -> None:
    language_line(doc)
    para(doc, "{{ council_name }}", bold=True, style="Address")
    tag(doc, "{%p for line in council_address %}")
    lines(doc, ["{{ line }}"])
    tag(doc, "{%p endfor %}")
    lines(doc, ["Phone: {{ council_phone }}"])
    tag(doc, "{%p if council_email %}")
    lines(doc, ["Email: {{ council_email }}"])
    tag(doc, "{%p endif %}")
    spacer(doc)
    lines(doc, ["{{ recipient_name }}"])
    tag(doc, "{%p for line in recipient_address %}")
    lines(doc, ["{{ line }}"])
    tag(doc, "{%p endfor %}")
    spacer(doc)
    lines(doc, ["Our reference: {{ case_reference }}", "{{ letter_date }}"])
    spacer(doc)
    para(doc, "Dear {{ recipient_name }},")


def sign_off(doc: DocumentObject, enclosed: list[str], *, enclosed_if: str | None = None) -> None:
    """Questions, the signature block (kept together on one page), enclosures, copy line."""
    para(
        doc,
        "If you have any questions, please call {% if social_worker %}{{ social_worker }}, "
        "your social worker,{% else %}your social worker{% endif %} on {{ council_phone }}.",
        keep_with_next=True,
    )
    para(doc, "Yours sincerely,", keep_with_next=True)
    spacer(doc, keep_with_next=True)
    lines(doc, ["{{ signed_by }}"], keep_with_next=True)
    lines(doc, ["{{ signed_by_role }}, {{ council_name }}"])
    spacer(doc)
    if enclosed:
        if enclosed_if:
            tag(doc, f"{{%p if {enclosed_if} %}}")
        para(doc, "With this letter:", style="Address", keep_with_next=True)
        for item in enclosed:
            bullet(doc, item)
        if enclosed_if:
            tag(doc, "{%p endif %}")
    tag(doc, "{%p if solicitor %}")
    para(
        doc,
        "Copy to: {{ solicitor.name }}{% if solicitor.firm %}, {{ solicitor.firm }}{% endif %}",
    )
    tag(doc, "{%p endif %}")


def _row_properties(row: Any, *, header: bool) -> None:
    """Rows never split across pages; the heading row repeats on each page."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def table(
    doc: DocumentObject, headers: list[str], loop: str, cells: list[str], widths: list[float]
) -> None:
    """A table with a heading row and one row repeated for each item of a list."""
    grid = doc.add_table(rows=4, cols=len(headers))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)
    for cell, text in zip(grid.rows[0].cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    grid.rows[1].cells[0].text = loop
    for cell, text in zip(grid.rows[2].cells, cells, strict=True):
        cell.text = text
    grid.rows[3].cells[0].text = "{%tr endfor %}"
    for number, row in enumerate(grid.rows):
        _row_properties(row, header=number == 0)
