"""The letters screen's lists: cases to write for, a case's letters, and the plain-language
advice on a letter."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from PySide6.QtGui import QColor

from plo_tracker.letters.readability import Finding
from plo_tracker.services.cases import CaseSummary
from plo_tracker.services.letters import LetterRecord
from ui import formats
from ui.models.base import Column, RowTableModel, SortProxy

SEVERITY_TEXT = {"strong": "Must fix", "warning": "Should fix", "advice": "Advice"}
SEVERITY_ORDER = {"strong": 0, "warning": 1, "advice": 2}
SEVERITY_COLOURS = {
    "strong": QColor("#c62828"),
    "warning": QColor("#ef8f00"),
    "advice": QColor("#1565c0"),
}


def local_time(value: dt.datetime) -> dt.datetime:
    return value.astimezone() if value.tzinfo is not None else value


def made_text(record: LetterRecord) -> str:
    when = local_time(record.generated_at)
    return f"{formats.short_date(when.date())} {when:%H:%M}"


def files_text(record: LetterRecord) -> str:
    return record.file_name + (" + PDF" if record.pdf_file_name else "")


def sent_text(record: LetterRecord) -> str:
    if record.draft:
        return "Draft (never sent)"
    if record.sent_on is None:
        return "Not recorded"
    return formats.short_date(record.sent_on)


class LetterCaseModel(RowTableModel):
    """The cases a letter can be made for (``CaseSummary`` rows)."""

    REFERENCE, CHILDREN, STAGE, WORKER = range(4)
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("Reference", lambda r: r.reference),
        Column("Children", lambda r: r.children),
        Column("Stage", lambda r: r.stage),
        Column("Social worker", lambda r: r.social_worker),
    )

    def find(self, reference: str) -> int | None:
        for number, row in enumerate(self._rows):
            if row.reference == reference:
                return number
        return None


class LetterCaseProxy(SortProxy):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.only_open = True
        self.keep: set[str] = set()  # always shown (the cases chosen)

    def accepts(self, row: CaseSummary) -> bool:
        if row.reference in self.keep:
            return True
        if self.only_open and not row.is_open:
            return False
        if self.text:
            haystack = " ".join((row.reference, row.children, row.social_worker)).casefold()
            return all(word in haystack for word in self.text.casefold().split())
        return True


class LetterHistoryModel(RowTableModel):
    """The letters made for a case (``LetterRecord``), oldest first."""

    MADE, LETTER, RECIPIENT, MADE_BY, FILES, SENT = range(6)
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("Made", made_text, sort=lambda r: r.generated_at),
        Column("Letter", lambda r: ("DRAFT: " if r.draft else "") + r.template_title),
        Column("To", lambda r: r.recipient_name),
        Column("Made by", lambda r: r.generated_by),
        Column("Files", files_text, tooltip=lambda r: f"SHA-256 {r.sha256}"),
        Column(
            "Sent",
            sent_text,
            sort=lambda r: r.sent_on,
            tooltip=lambda r: f"Recorded by {r.sent_recorded_by}" if r.sent_recorded_by else "",
        ),
    )

    def find(self, letter_id: int) -> int | None:
        for number, row in enumerate(self._rows):
            if row.id == letter_id:
                return number
        return None


class FindingsModel(RowTableModel):
    """The plain-language advice on one letter (``Finding``), most serious first."""

    SEVERITY, ADVICE, SENTENCE = range(3)
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column(
            "How serious",
            lambda r: SEVERITY_TEXT.get(r.severity, r.severity),
            sort=lambda r: SEVERITY_ORDER.get(r.severity, 9),
            colour=lambda r: SEVERITY_COLOURS.get(r.severity),
        ),
        Column("Advice", lambda r: r.message, tooltip=lambda r: r.message),
        Column("Sentence", lambda r: r.sentence, tooltip=lambda r: r.sentence),
    )

    def set_findings(self, findings: list[Finding]) -> None:
        self.set_rows(sorted(findings, key=lambda f: SEVERITY_ORDER.get(f.severity, 9)))
