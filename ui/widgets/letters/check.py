"""The letters screen's second panel: each letter made in memory and checked before saving.

``CheckPanel`` makes the chosen letters in memory (``LetterService.preview``; for a batch,
every letter's readiness) and shows what each still needs before it may go out (for a
batch, every letter of it), its plain-language report with word-wrapped advice, the notes
to check before sending, and the text the reader will read.  Nothing is saved.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
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
READY_COLOUR = "color: #1b5e20;"
OTHERS_COLOUR = "color: #7a4b00;"
NOT_READY_COLOUR = "color: #b00020;"
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


def _letters(count: int, *, other: bool = False) -> str:
    word = "other " if other else ""
    return f"1 {word}letter is" if count == 1 else f"{count} {word}letters are"


class CheckPanel(QWidget):
    """2. Check the letter before saving."""

    def __init__(self, letters: LetterService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.letters = letters
        self.previews: list[LetterPreview] = []
        self.not_ready: list[LetterReadiness] = []  # every letter of the request not ready
        self.problem: str | None = None  # why no letter could be made in memory
        self.batch = False
        self.shown: LetterPreview | None = None  # the letter whose text is on show
        # Set by the screen: the council's template folder is set but cannot be read.
        self.folder_problem: str | None = None
        self.stale_text = False  # the text on show is from before the last change
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>2. Check the letter before saving</b>"))
        row = QHBoxLayout()
        self.preview_choice = QComboBox()
        self.preview_choice.setAccessibleName("Show the letter to")
        row.addWidget(labelled("Letter to:", self.preview_choice))
        row.addWidget(self.preview_choice, 1)
        layout.addLayout(row)
        self.readiness = problem_label("What this letter still needs")
        # What the letter needs, its report and the notes scroll rather than being cut off
        # when the window is small (1280x720, or 150% scaling).
        self.words = QScrollArea()
        self.words.setWidgetResizable(True)
        self.words.setFrameShape(QFrame.Shape.NoFrame)
        self.words.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        words = QWidget()
        words_layout = QVBoxLayout(words)
        words_layout.setContentsMargins(0, 0, 0, 0)
        words_layout.addWidget(self.readiness)
        self.summary = note_label("Plain-language report")
        self.summary.setText("Choose a case to see its letter.")
        words_layout.addWidget(self.summary)
        self.notes = note_label("Check before sending")
        words_layout.addWidget(self.notes)
        words_layout.addStretch(1)
        self.words.setWidget(words)
        layout.addWidget(self.words, 2)
        self.findings_model = FindingsModel(parent=self)
        self.findings = list_view(
            "Plain-language advice", self.findings_model, sortable=False, wrap=True
        )
        header = self.findings.horizontalHeader()
        resize = QHeaderView.ResizeMode
        header.setSectionResizeMode(FindingsModel.SEVERITY, resize.ResizeToContents)
        header.setSectionResizeMode(FindingsModel.ADVICE, resize.Stretch)
        header.setSectionResizeMode(FindingsModel.SENTENCE, resize.Stretch)
        header.setStretchLastSection(False)  # it stretches anyway, without a 100 px floor
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

    def others_not_ready(self, preview: LetterPreview) -> list[LetterReadiness]:
        """The letters of this request, other than ``preview``, not ready to send."""
        return [
            r
            for r in self.not_ready
            if r.recipient_key != preview.recipient_key
            or r.case_reference != preview.case_reference
        ]

    def _readiness_text(self, preview: LetterPreview) -> str:
        """What this reader's letter needs, and (so a ready letter beside a Generate that is
        off makes sense) which other letters of the request are not ready, and why."""
        to = f"The letter to {preview.recipient_name}"
        if preview.missing:
            lines = [f"{to} is not ready to send. Still missing:"]
            lines += [f"• {item}" for item in preview.missing]
        elif self.folder_problem:
            lines = [
                f"{to} has everything it needs, but would be made from PLO Tracker's own "
                "template: the council's template folder cannot be reached (see above)."
            ]
        else:
            lines = [f"{to} is ready to send: nothing is missing."]
        others = self.others_not_ready(preview)
        if others:
            if self.batch:
                lines.append(f"In the batch, {_letters(len(others), other=True)} not ready:")
            elif len(others) == 1:
                lines.append("The other letter of this case is not ready to send:")
            else:
                lines.append(f"{len(others)} other letters of this case are not ready to send:")
            for letter in others[:SHOWN_NOT_READY]:
                where = f"{letter.case_reference}, to " if self.batch else "to "
                lines.append(f"• {where}{letter.recipient_name}: " + "; ".join(letter.missing))
            if len(others) > SHOWN_NOT_READY:
                lines.append(f"• and {len(others) - SHOWN_NOT_READY} more.")
        return "\n".join(lines)

    def _show_problem(self) -> None:
        """No letter could be made in memory: say why where the letter is checked, and keep
        the last letter's text on show (marked as from before the change) rather than a
        blank page."""
        self.readiness.setText(f"Not made: {self.problem}" if self.problem else "")
        self.readiness.setStyleSheet(NOT_READY_COLOUR)
        self.notes.setText("")
        self.findings_model.set_rows([])
        if self.shown is not None and self.text.toPlainText():
            self.stale_text = True
            self.summary.setText(
                f"The text below is the letter to {self.shown.recipient_name} as it was before "
                "the last change; it is shown again once the problem above is put right."
            )
        else:
            self.summary.setText("No letter to check yet." if self.problem else "Choose a case.")
            self.text.setPlainText("")

    def _show_preview(self, _index: int = 0) -> None:
        number = self.preview_choice.currentIndex()
        if not self.previews or number < 0:
            self._show_problem()
            return
        preview = self.previews[number]
        self.shown = preview
        self.stale_text = False
        self.readiness.setText(self._readiness_text(preview))
        self.readiness.setStyleSheet(
            NOT_READY_COLOUR
            if not preview.ready
            else OTHERS_COLOUR
            if self.others_not_ready(preview) or self.folder_problem
            else READY_COLOUR
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
