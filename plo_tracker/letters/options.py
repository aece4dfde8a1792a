"""What letters are made with besides the case: the council's settings and per-letter options.

* ``CouncilDetails`` (setting ``letters.council``): name, address, phones, our lawyer,
  the default signatory.  Unset details are ``[placeholders]``; a letter is not ready
  until they are set (``missing_for``).
* ``Wording`` (setting ``letters.wording``): the council's default sentences where the
  case data has none, and the advice every letter before proceedings gives: how to find a
  solicitor and an independent advice line.  Every key has a shipped default, so a
  council that set only the older keys still gets complete letters.
* ``LanguageLines`` (setting ``letters.language_lines``): the council's checked wording,
  per language, of the first line "this letter is important; you can have an
  interpreter".  None is shipped: wording in another language must be checked by the
  council.  A reader whose language has no line gets the English fallback.
* ``Logo`` (setting ``letters.logo``): the council's logo (PNG or JPEG), printed at the top
  of the first page.
* ``LetterOptions``: what the person making a letter adds (typed worries for one reader,
  help already given, the first court hearing, a separate meeting, the letter's date).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from plo_tracker.errors import ValidationError
from plo_tracker.validation import LIMITS, date_problem, shown, text_problem

ENGLISH = frozenset({"english", "en", "english (uk)", "en-gb", "british english"})
MAX_LOGO_BYTES = 1024 * 1024


def _check_text(label: str, value: str, limit: str, *, required: bool = True) -> None:
    problem = text_problem(value, LIMITS[limit], required=required)
    if problem:
        raise ValidationError(f"{label}: {problem}")


def check_lines(label: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise ValidationError(f"{label}: must be a list of sentences.")
    lines: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise ValidationError(f"{label}: every entry must be text.")
        _check_text(label, item, "text")
        lines.append(" ".join(item.split()))
    return tuple(lines)


# -- the council's details ---------------------------------------------------------------------

# The details a letter cannot go out without, in plain words (for "what is missing").
COUNCIL_DETAIL_WORDS = {
    "name": "the council's name",
    "address": "the council's address",
    "phone": "the council's phone number",
    "lawyer_name": "our lawyer's name",
    "lawyer_phone": "our lawyer's phone number",
    "signatory": "who signs letters for cases with no team manager",
}


@dataclass(frozen=True, slots=True)
class CouncilDetails:
    """The council's details printed in letters (setting ``letters.council``)."""

    name: str = "[council name]"
    address: tuple[str, ...] = ()
    phone: str = "[council phone number]"
    email: str = ""
    lawyer_name: str = "[council lawyer's name]"
    lawyer_phone: str = "[council lawyer's phone number]"
    lawyer_email: str = ""
    signatory: str = "[name of the person signing]"
    signatory_role: str = "Team manager"

    def missing(self) -> list[str]:
        """The details still showing a [placeholder]."""
        return [f.name for f in fields(self) if str(getattr(self, f.name)).startswith("[")]

    def missing_for(self, *, has_team_manager: bool) -> list[str]:
        """The details a letter needs and the council has not set, in plain words.

        The council's default signatory is needed only when the case has no team manager
        (who otherwise signs).
        """
        missing = [name for name in self.missing() if name in COUNCIL_DETAIL_WORDS]
        if has_team_manager:
            missing = [name for name in missing if name != "signatory"]
        if not self.address:
            missing.insert(1 if "name" in missing else 0, "address")
        return [COUNCIL_DETAIL_WORDS[name] for name in missing]

    def to_json(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            values[item.name] = list(value) if isinstance(value, tuple) else value
        return values

    @classmethod
    def from_json(cls, value: Any) -> CouncilDetails:
        if value is None:
            return cls()
        if not isinstance(value, Mapping):
            raise ValidationError("Council details: must be a set of named values.")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(value) - known)
        if unknown:
            raise ValidationError(
                f"Council details: '{unknown[0]}' is not a council detail. Known: "
                + ", ".join(sorted(known))
            )
        values: dict[str, Any] = {}
        for key, item in value.items():
            if key == "address":
                if not isinstance(item, list | tuple) or not all(isinstance(x, str) for x in item):
                    raise ValidationError("Council details, address: must be a list of lines.")
                for line in item:
                    _check_text(
                        f"Council details, address line '{shown(line)}'",
                        line,
                        "name",
                        required=False,
                    )
                values[key] = tuple(line.strip() for line in item if line.strip())
            else:
                if not isinstance(item, str):
                    raise ValidationError(f"Council details, {key}: must be text.")
                _check_text(f"Council details, {key}", item, "name", required=False)
                values[key] = item.strip()
        return cls(**values)


# -- default wording ---------------------------------------------------------------------------

WORDING_DEFAULTS: dict[str, tuple[str, ...]] = {
    "worries": (
        "Your social worker has talked with you about our worries.",
        "We are worried that {children} may not be safe or well cared for at home.",
    ),
    "help_given": (
        "Your social worker has been working with you and your family.",
        "They will go through the help you have had so far.",
    ),
    # How to find a solicitor: the Law Society's "Find a Solicitor" search and its Children
    # Law Accreditation (a quality mark for children law solicitors).
    "find_solicitor": (
        "To find a solicitor, search online for the Law Society's Find a Solicitor.",
        "Choose one with the Children Law Accreditation. This means they know about cases "
        "like this.",
    ),
    # Family Rights Group's free advice line for parents and relatives (frg.org.uk,
    # checked 2026-11-30: 0808 801 0366).
    "advice_line": (
        "Family Rights Group is a charity that gives free advice to families. You can call "
        "them on 0808 801 0366.",
    ),
}
WORDING_LABELS = {
    "worries": "Default worries",
    "help_given": "Default help given",
    "find_solicitor": "How to find a solicitor",
    "advice_line": "Advice line",
}


@dataclass(frozen=True, slots=True)
class Wording:
    """The council's sentences for what the case data has no field for (``letters.wording``).

    ``{children}`` in a sentence becomes the children's names ("your baby" before birth).
    """

    worries: tuple[str, ...] = WORDING_DEFAULTS["worries"]
    help_given: tuple[str, ...] = WORDING_DEFAULTS["help_given"]
    find_solicitor: tuple[str, ...] = WORDING_DEFAULTS["find_solicitor"]
    advice_line: tuple[str, ...] = WORDING_DEFAULTS["advice_line"]

    def to_json(self) -> dict[str, list[str]]:
        return {key: list(getattr(self, key)) for key in WORDING_DEFAULTS}

    @classmethod
    def from_json(cls, value: Any) -> Wording:
        if value is None:
            return cls()
        if not isinstance(value, Mapping):
            raise ValidationError("Letter wording: must be a set of named sentences.")
        unknown = sorted(set(value) - set(WORDING_DEFAULTS))
        if unknown:
            raise ValidationError(
                f"Letter wording: '{unknown[0]}' is not a wording the letters use. Known: "
                + ", ".join(sorted(WORDING_DEFAULTS))
            )
        values = {key: check_lines(f"Letter wording, {key}", item) for key, item in value.items()}
        for key, lines in values.items():
            if not lines:
                raise ValidationError(f"Letter wording, {key}: give at least one sentence.")
        return cls(**values)


# -- the first line in the reader's language ---------------------------------------------------

ENGLISH_LANGUAGE_LINE = (
    "This letter is important. If you need an interpreter, please call us on {phone}. "
    "We will get one for you. It is free."
)


def language_key(language: str | None) -> str:
    """A recorded language as a lookup key ("" for none or English)."""
    key = " ".join((language or "").split()).casefold()
    return "" if key in ENGLISH else key


@dataclass(frozen=True, slots=True)
class LanguageLines:
    """The council's checked first line per language (``letters.language_lines``).

    Each line says, in that language, that the letter is important and how to get an
    interpreter; ``{phone}`` in it becomes the council's phone number.
    """

    lines: tuple[tuple[str, str], ...] = ()  # (language as recorded, line)

    def line_for(self, language: str | None) -> str | None:
        key = language_key(language)
        if not key:
            return None
        for name, line in self.lines:
            if language_key(name) == key:
                return line
        return None

    def with_line(self, language: str, line: str | None) -> LanguageLines:
        kept = [(n, t) for n, t in self.lines if language_key(n) != language_key(language)]
        if line is not None:
            kept.append((" ".join(language.split()), line))
        return LanguageLines.from_json(dict(sorted(kept, key=lambda item: item[0].casefold())))

    def to_json(self) -> dict[str, str]:
        return dict(self.lines)

    @classmethod
    def from_json(cls, value: Any) -> LanguageLines:
        if value is None:
            return cls()
        if not isinstance(value, Mapping):
            raise ValidationError("Language lines: must be a set of language = line pairs.")
        found: dict[str, tuple[str, str]] = {}
        for language, line in value.items():
            if not isinstance(language, str) or not isinstance(line, str):
                raise ValidationError("Language lines: every language and line must be text.")
            _check_text("Language lines, language", language, "code")
            if not language_key(language):
                raise ValidationError(
                    "Language lines: English needs no extra line (the letter is in English)."
                )
            _check_text(f"Language lines, {shown(language)}", line, "name")
            rest = line.replace("{phone}", "")
            if "{" in rest or "}" in rest:
                raise ValidationError(
                    f"Language lines, {shown(language)}: the only field a line may use is "
                    "{phone} (the council's phone number)."
                )
            found[language_key(language)] = (" ".join(language.split()), " ".join(line.split()))
        return cls(tuple(found.values()))


# -- the council's logo ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Logo:
    """The council's logo, printed at the top of a letter's first page."""

    file_name: str
    data: bytes = field(repr=False)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def __bool__(self) -> bool:
        return bool(self.data)

    def to_json(self) -> dict[str, str]:
        return {
            "file_name": self.file_name,
            "sha256": self.sha256,
            "data": base64.b64encode(self.data).decode("ascii"),
        }

    @classmethod
    def from_json(cls, value: Any) -> Logo | None:
        if not value:
            return None
        if not isinstance(value, Mapping) or not isinstance(value.get("data"), str):
            raise ValidationError("Logo: the stored logo is damaged; set it again.")
        try:
            data = base64.b64decode(value["data"], validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError("Logo: the stored logo is damaged; set it again.") from None
        return cls.checked(str(value.get("file_name") or "logo"), data)

    @classmethod
    def checked(cls, file_name: str, data: bytes) -> Logo:
        """A logo file, refused unless it is a PNG or JPEG picture of at most 1 MB."""
        if len(data) > MAX_LOGO_BYTES:
            raise ValidationError("Logo: the picture is larger than 1 MB; use a smaller one.")
        if not (data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff")):
            raise ValidationError("Logo: use a PNG or JPEG picture.")
        from docx.image.image import Image  # python-docx reads its size, as Word will

        try:
            image = Image.from_blob(data)
            if image.px_width <= 0 or image.px_height <= 0:
                raise ValueError
        except Exception:  # python-docx raises many kinds for a damaged picture
            raise ValidationError(
                "Logo: the picture could not be read; it may be damaged."
            ) from None
        _check_text("Logo file name", file_name, "name")
        return cls(file_name, data)

    def stream(self) -> io.BytesIO:
        return io.BytesIO(self.data)


# -- what the person making a letter adds ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Hearing:
    """The first court hearing, when known (there is no field for it in the case data)."""

    date: dt.date
    time: dt.time | None = None
    place: str | None = None


@dataclass(frozen=True, slots=True)
class SeparateMeeting:
    """A meeting for one reader on their own, given when making their letter: the letter
    service books it on the case (attended by that reader only) before the letter is made,
    so it is in the chronology, the start pages and later letters."""

    date: dt.date
    time: dt.time | None = None
    place: str | None = None


@dataclass(frozen=True, slots=True)
class LetterOptions:
    """What the person making the letter adds to the case data."""

    worries: tuple[str, ...] = ()
    help_given: tuple[str, ...] = ()
    hearing: Hearing | None = None
    letter_date: dt.date | None = None
    meeting: SeparateMeeting | None = None
    # The meeting's time outside 08:00-18:00 was confirmed as right for this letter.
    confirmed_hours: bool = False

    def checked(self) -> LetterOptions:
        worries = check_lines("Worries", self.worries)
        help_given = check_lines("Help already given", self.help_given)
        for label, value, kind in (
            ("Hearing", self.hearing, Hearing),
            ("Separate meeting", self.meeting, SeparateMeeting),
        ):
            if value is None:
                continue
            if not isinstance(value, kind):
                raise ValidationError(f"{label}: expected its date, time and place.")
            if not isinstance(value.date, dt.date):
                raise ValidationError(f"{label} date: must be a date.")
            problem = date_problem(value.date)
            if problem:
                raise ValidationError(f"{label} date: {problem}")
            if value.time is not None and not isinstance(value.time, dt.time):
                raise ValidationError(f"{label} time: must be a time.")
            if value.place is not None:
                _check_text(f"{label} place", value.place, "name")
        if self.letter_date is not None:
            if not isinstance(self.letter_date, dt.date):
                raise ValidationError("Letter date: must be a date.")
            problem = date_problem(self.letter_date)
            if problem:
                raise ValidationError(f"Letter date: {problem}")
        return LetterOptions(
            tuple(worries),
            tuple(help_given),
            self.hearing,
            self.letter_date,
            self.meeting,
            bool(self.confirmed_hours),
        )
