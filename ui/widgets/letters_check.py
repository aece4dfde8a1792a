"""The letters screen's second part: each letter made in memory and checked before saving.

A mixin of ``LettersWidget``: what each letter still needs before it may go out (for a
batch, every letter of it), its plain-language report with word-wrapped advice, the notes
to check before sending, and the text the reader will read.  Nothing is saved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from plo_tracker.errors import KNOWN_ERRORS, ValidationError
from plo_tracker.letters.readiness import LetterReadiness
from plo_tracker.services.letters import LetterPreview, TemplateInfo
from ui import errors
from ui.widgets.letters_panels import report_summary

if TYPE_CHECKING:
    from ui.widgets.letters import LettersWidget

    _Base = LettersWidget
else:
    _Base = object

SHOWN_NOT_READY = 8
ONE_PERSON = (
    "Worries typed here, and a separate meeting, are for one person's letter: tick only that "
    "person under Recipients."
)


class LetterCheckActions(_Base):
    """Making the request's letters in memory and showing what they need."""

    # -- checking before anything is saved ---------------------------------------------------
    def preview_now(self) -> None:
        """Re-make the letters in memory and show what they need and their report."""
        self.preview_timer.stop()
        self.previews = []
        self.not_ready = []
        self.preview_problem = None
        info = self.template_info()
        if self.case is None or info is None:
            self.preview_problem = (
                "Choose a case first." if self.case is None else "Choose a template."
            )
        elif not self.is_batch() and not self.chosen_parties():
            self.preview_problem = "Recipients: tick at least one person to write to."
        else:
            try:
                self._preview(info)
            except KNOWN_ERRORS as error:
                self.preview_problem = str(error)
            except Exception as error:
                self.preview_problem = errors.describe(error, "letter preview")
        self.preview_choice.blockSignals(True)
        self.preview_choice.clear()
        for preview in self.previews:
            self.preview_choice.addItem(
                f"{preview.recipient_name} ({preview.case_reference})", preview.recipient_key
            )
        self.preview_choice.blockSignals(False)
        self._show_preview()
        self._update_buttons()

    def _preview(self, info: TemplateInfo) -> None:
        assert self.case is not None
        options = self.options()
        if self.is_batch():
            self.previews = self.letters.preview(self.case.reference, info.name, options=options)
            batch = self.letters.readiness_batch(
                self.selected_references(), info.name, options=options
            )
            self.not_ready = [letter for letter in batch if not letter.ready]
            return
        typed = bool(options.worries) or options.meeting is not None
        if typed and len(self.chosen_parties()) > 1:
            raise ValidationError(ONE_PERSON)
        for party in self._parties_argument():
            self.previews.extend(
                self.letters.preview(self.case.reference, info.name, party=party, options=options)
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
        if others and self.is_batch():
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
            self.summary.setText(
                "No letter to check yet." if self.preview_problem else "Choose a case."
            )
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
        self.summary.setText(report_summary(preview) + (batch if self.is_batch() else ""))
        self.notes.setText(
            "Check before sending:\n" + "\n".join(f"• {note}" for note in preview.notes)
            if preview.notes
            else ""
        )
        self.findings_model.set_findings(preview.report.findings())
        self.findings.resizeRowsToContents()
        self.text.setPlainText(preview.text)
