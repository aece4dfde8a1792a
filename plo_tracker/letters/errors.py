"""The problems a letter template can have, each with a message fit for the user."""

from __future__ import annotations

from plo_tracker.errors import PloError


class TemplateError(PloError):
    """A template that cannot be used, or a letter that cannot be made from it."""

    def __init__(self, message: str, *, template: str | None = None) -> None:
        super().__init__(message)
        self.template = template


class NotADocxError(TemplateError):
    """The file is not a Word .docx document (or is damaged)."""


class TemplateSyntaxProblem(TemplateError):
    """A ``{{ }}`` or ``{% %}`` tag is broken."""


class UnknownFieldError(TemplateError):
    """The template uses a field PLO Tracker does not know (``field`` names it)."""

    def __init__(self, message: str, *, field: str, template: str | None = None) -> None:
        super().__init__(message, template=template)
        self.field = field


class MissingValueError(TemplateError):
    """The template prints a field that has no value for this letter (``field`` names it)."""

    def __init__(self, message: str, *, field: str, template: str | None = None) -> None:
        super().__init__(message, template=template)
        self.field = field


class UnsafeTemplateError(TemplateError):
    """The template tries to reach beyond the letter fields (Python internals, files)."""


class PrivacyError(PloError):
    """A letter would tell its reader something that is not theirs to know (another
    person's facts, a child they have no tie to, someone kept apart from them); nothing was
    made, drafts included."""


class ConfidentialAddressError(PrivacyError):
    """The letter would show part of an address its reader must not learn."""


class PdfError(PloError):
    """PDF conversion failed or is not available; the .docx letters are unaffected."""


class LetterNotReady(PloError):
    """Letters that may not go out yet; ``letters`` says what each one still needs.

    ``str()`` is one message listing everything missing (``readiness.not_ready_message``).
    """

    def __init__(self, message: str, letters: tuple[object, ...]) -> None:
        super().__init__(message)
        self.letters = letters
