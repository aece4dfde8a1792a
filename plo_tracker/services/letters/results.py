"""What making letters returns, and one letter of a request on its way to being made."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from plo_tracker.domain.model import Booking, CaseHistory, Party, PlanAction
from plo_tracker.errors import ValidationError
from plo_tracker.letters.options import LetterOptions
from plo_tracker.letters.readability import ReadabilityReport
from plo_tracker.letters.readiness import LetterReadiness
from plo_tracker.services.letters.records import LetterRecord
from plo_tracker.services.letters.templates import ChosenTemplate

# -- what the service returns --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GeneratedLetter:
    record: LetterRecord
    path: Path
    pdf_path: Path | None
    report: ReadabilityReport
    notes: tuple[str, ...] = ()  # things to check before sending (beyond ``warnings``)
    missing: tuple[str, ...] = ()  # for a draft: what it still needs before it may go out


@dataclass(frozen=True, slots=True)
class GenerationResult:
    """What a request made.

    ``pdf_note`` explains PDFs asked for but not made; ``warnings`` are the notes that
    apply to every letter made (each letter's own notes are on the letter); ``draft`` is
    true when the letters were made as drafts.
    """

    letters: tuple[GeneratedLetter, ...] = ()
    pdf_note: str | None = None
    warnings: tuple[str, ...] = ()
    cancelled: bool = False
    draft: bool = False
    # The separate meetings booked on the case with the letters, in words.
    booked: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LetterPreview:
    """A letter rendered but not saved: what the reader would read, its check, and what it
    still needs before it may go out (``missing``; empty when it is ready)."""

    case_reference: str
    template: str
    template_title: str
    recipient_key: str
    recipient_name: str
    text: str
    report: ReadabilityReport
    notes: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()

    @property
    def ready(self) -> bool:
        return not self.missing


@dataclass
class LetterJob:
    """One letter of a request: planned, then rendered, then written and recorded."""

    case: CaseHistory  # with the reading action added when one is due
    reader: Party
    template: ChosenTemplate
    missing: tuple[str, ...]
    reading: PlanAction | None = None
    # The separate meeting given for this letter, booked on the case with the letter.
    booking: Booking | None = None
    data: bytes = field(default=b"", repr=False)
    text: str = field(default="", repr=False)
    report: ReadabilityReport | None = None
    notes: tuple[str, ...] = ()
    path: Path | None = None
    pdf_path: Path | None = None
    pdf_data: bytes | None = field(default=None, repr=False)

    @property
    def readiness(self) -> LetterReadiness:
        return LetterReadiness(
            self.case.reference,
            self.reader.id,
            self.reader.name,
            self.reader.relationship,
            self.template.name,
            self.template.title,
            self.missing,
        )


def check_options(options: LetterOptions | None) -> LetterOptions:
    if options is None:
        return LetterOptions()
    if not isinstance(options, LetterOptions):
        raise ValidationError("Letter options: expected the letter's options.")
    return options.checked()


def check_typed_for_one(options: LetterOptions, readers: int) -> None:
    """Typed worries and a separate meeting belong to one person's letter."""
    if readers > 1 and options.worries:
        raise ValidationError(
            "Worries typed for a letter go to everyone it is written to, so they can only be "
            "typed for one person's letter. Record worries on the case (each about the people "
            "it concerns), or make this person's letter on its own."
        )
    if readers > 1 and options.meeting is not None:
        raise ValidationError(
            "A separate meeting is for one person: make that person's letter on its own."
        )
