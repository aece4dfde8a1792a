"""The letters screen's second panel: each letter made in memory and checked before saving.

``CheckPanel`` makes the chosen letters in memory (``LetterService.preview``; for a batch,
every letter's readiness) and shows what each still needs before it may go out (for a
batch, every letter of it), its plain-language report with word-wrapped advice, the notes
to check before sending, and the text the reader will read.  Nothing is saved.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from plo_tracker.errors import KNOWN_ERRORS, ValidationError
from plo_tracker.letters.readability import READING_EASE_TARGET
from plo_tracker.letters.readiness import LetterReadiness
from plo_tracker.services.letters import LetterPreview, LetterService
from ui import errors
from ui.models.letters import FindingsModel
from ui.widgets.letters.choose import LetterRequest
from ui.widgets.letters.parts import labelled, note_label, problem_label
from ui.widgets.tables import list_view

SHOWN_NOT_READY = 8
ONE_PERSON = (
    "Worries typed here, and a separate meeting, are for one person's letter: tick only that "
    "person under Recipients."
)


def report_summary(preview: LetterPreview) -> str:
    report = preview.report
    verdict = (
        "plain enough"
        if report.plain_enough
        else "needs work before it is sent"
        if report.reading_ease < READING_EASE_TARGET - 10 or report.long_sentences
        else "nearly there"
    )
    return (
        f"Letter to {preview.recipient_name}: reading ease {report.reading_ease:.0f} "
        f"(aim for {READING_EASE_TARGET:.0f} or more), grade {report.grade:.1f}, "
        f"{report.sentence_count} sentences, {len(report.long_sentences)} too long, "
        f"{len(report.jargon)} jargon. This letter is {verdict}."
    )


class CheckPanel(QWidget):
    """2. Check the letter before saving."""

    def __init__(self, letters: LetterService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.letters = letters
        self.previews: list[LetterPreview] = []
        self.not_ready: list[LetterReadiness] = []  # every letter of the request not ready
        self.problem: str | None = None  # why no letter could be made in memory
        self.batch = False
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>2. Check the letter before saving</b>"))
        row = QHBoxLayout()
        self.preview_choice = QComboBox()
        self.preview_choice.setAccessibleName("Show the letter to")
        row.addWidget(labelled("Letter to:", self.preview_choice))
        row.addWidget(self.preview_choice, 1)
        layout.addLayout(row)
        self.readiness = problem_label("What this letter still needs")
        layout.addWidget(self.readiness)
        self.summary = note_label("Plain-language report")
        self.summary.setText("Choose a case to see its letter.")
        layout.addWidget(self.summary)
        self.notes = note_label("Check before sending")
        layout.addWidget(self.notes)
        self.findings_model = FindingsModel(parent=self)
        self.findings = list_view(
            "Plain-language advice", self.findings_model, sortable=False, wrap=True
        )
        header = self.findings.horizontalHeader()
        resize = QHeaderView.ResizeMode
        header.setSectionResizeMode(FindingsModel.SEVERITY, resize.ResizeToContents)
        header.setSectionResizeMode(FindingsModel.ADVICE, resize.Stretch)
        header.setSectionResizeMode(FindingsModel.SENTENCE, resize.Stretch)
        layout.addWidget(self.findings, 1)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName("The letter's text")
        self.text.setTabChangesFocus(True)
        layout.addWidget(self.text, 2)
        self.preview_choice.currentIndexChanged.connect(self._show_preview)

    def check(self, request: LetterRequest) -> None:
        """Re-make the request's letters in memory and show what they need and their report."""
        self.previews = []
        self.not_ready = []
        self.problem = None
        self.batch = request.batch
        if request.case is None or request.template is None:
            self.problem = "Choose a case first." if request.case is None else "Choose a template."
        elif not request.batch and not request.chosen:
            self.problem = "Recipients: tick at least one person to write to."
        else:
            try:
                self._preview(request)
            except KNOWN_ERRORS as error:
                self.problem = str(error)
            except Exception as error:
                self.problem = errors.describe(error, "letter preview")
        self.preview_choice.blockSignals(True)
        self.preview_choice.clear()
        for preview in self.previews:
            self.preview_choice.addItem(
                f"{preview.recipient_name} ({preview.case_reference})", preview.recipient_key
            )
        self.preview_choice.blockSignals(False)
        self._show_preview()

    def _preview(self, request: LetterRequest) -> None:
        assert request.case is not None and request.template is not None
        reference, template = request.case.reference, request.template.name
        options = request.options()
        if request.batch:
            self.previews = self.letters.preview(reference, template, options=options)
            batch = self.letters.readiness_batch(
                list(request.references), template, options=options
            )
            self.not_ready = [letter for letter in batch if not letter.ready]
            return
        typed = bool(options.worries) or options.meeting is not None
        if typed and len(request.chosen) > 1:
            raise ValidationError(ONE_PERSON)
        for party in request.parties:
            self.previews.extend(
                self.letters.preview(reference, template, party=party, options=options)
            )
        self.not_ready = [
            LetterReadiness(
                p.case_reference,
                p.recipient_key,
                p.recipient_name,
                "",
                p.template,
                p.template_title,
                p.missing,
            )
            for p in self.previews
            if not p.ready
        ]

    def _readiness_text(self, preview: LetterPreview) -> str:
        if preview.missing:
            lines = ["Not ready to send. Still missing:"]
            lines += [f"• {item}" for item in preview.missing]
        else:
            lines = ["Ready to send: nothing is missing."]
        others = [
            r
            for r in self.not_ready
            if r.recipient_key != preview.recipient_key
            or r.case_reference != preview.case_reference
        ]
        if others and self.batch:
            lines.append(f"In the batch, {len(others)} other letter(s) are not ready:")
            for letter in others[:SHOWN_NOT_READY]:
                lines.append(
                    f"• {letter.case_reference}, to {letter.recipient_name}: "
                    + "; ".join(letter.missing)
                )
            if len(others) > SHOWN_NOT_READY:
                lines.append(f"• and {len(others) - SHOWN_NOT_READY} more.")
        return "\n".join(lines)

    def _show_preview(self, _index: int = 0) -> None:
        number = self.preview_choice.currentIndex()
        if not self.previews or number < 0:
            self.summary.setText("No letter to check yet." if self.problem else "Choose a case.")
            self.readiness.setText("")
            self.notes.setText("")
            self.findings_model.set_rows([])
            self.text.setPlainText("")
            return
        preview = self.previews[number]
        self.readiness.setText(self._readiness_text(preview))
        self.readiness.setStyleSheet(
            "" if preview.ready and not self.not_ready else "color: #b00020;"
        )
        batch = " (the first case of the batch; the others are checked as they are made)"
        self.summary.setText(report_summary(preview) + (batch if self.batch else ""))
        self.notes.setText(
            "Check before sending:\n" + "\n".join(f"• {note}" for note in preview.notes)
            if preview.notes
            else ""
        )
        self.findings_model.set_findings(preview.report.findings())
        self.findings.resizeRowsToContents()
        self.text.setPlainText(preview.text)
