"""The letter service: make letters for a case or a batch, record them, record them as sent.

Its parts: ``service`` (``LetterService``, making letters in five steps), ``settings``
(the council's letter settings, each person's easy-read preference), ``templates`` (the
shipped templates and the council's own), ``records`` (the letters made, and "sent"),
``results`` (what making letters returns) and ``files`` (the output folder, owner-only
files). The rules a letter must meet (readiness, the per-reader privacy guard, rendering)
are pure and live in ``plo_tracker.letters``.
"""

from __future__ import annotations

from plo_tracker.letters.readiness import LetterReadiness
from plo_tracker.services.letters.records import LetterRecord
from plo_tracker.services.letters.results import GeneratedLetter, GenerationResult, LetterPreview
from plo_tracker.services.letters.service import LetterService
from plo_tracker.services.letters.settings import (
    COUNCIL_KEY,
    FOLDER_KEY,
    JARGON_KEY,
    LANGUAGES_KEY,
    LOGO_KEY,
    WORDING_KEY,
    LetterPreference,
    LetterSettings,
)
from plo_tracker.services.letters.templates import TemplateInfo

__all__ = [
    "COUNCIL_KEY",
    "FOLDER_KEY",
    "JARGON_KEY",
    "LANGUAGES_KEY",
    "LOGO_KEY",
    "WORDING_KEY",
    "GeneratedLetter",
    "GenerationResult",
    "LetterPreference",
    "LetterPreview",
    "LetterReadiness",
    "LetterRecord",
    "LetterService",
    "LetterSettings",
    "TemplateInfo",
]
