"""The council's letter settings, and each person's letter preference (easy read).

Settings (all keys start ``letters.``, written with the ``MANAGE_TEMPLATES`` permission):

* ``letters.council``: name, address, phones, our lawyer, the default signatory;
* ``letters.wording``: default sentences, how to find a solicitor, the advice line;
* ``letters.jargon_extra``: the council's own jargon, with plain alternatives;
* ``letters.template_folder``: the folder of the council's own templates;
* ``letters.language_lines``: the council's checked first line per language;
* ``letters.logo``: the council's logo (PNG or JPEG, kept in the database so every user
  prints the same one).

A person's letter preference (``letter_preferences``, app-side because the case exchange
format has no field for it) says whether they get the easy-read version of every letter
(with none set, their recorded needs decide: ``easy_read_readers``).  Social workers,
managers, legal liaison and administrators may set it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Case as CaseRow
from db.models import LetterPreference as PreferenceRow
from plo_tracker import config
from plo_tracker.domain.model import CaseHistory
from plo_tracker.domain.policy import Policy
from plo_tracker.domain.working_days import WorkingCalendar
from plo_tracker.errors import ConflictError, NotFound, PermissionDenied, PloError, ValidationError
from plo_tracker.letters.jargon import JargonTerm, check_extra, terms_with
from plo_tracker.letters.options import CouncilDetails, LanguageLines, Logo, Wording
from plo_tracker.letters.readiness import needs_easy_read
from plo_tracker.permissions import Permission
from plo_tracker.services.base import Service, log
from plo_tracker.services.cases import load_case_row
from plo_tracker.services.records import history_from_row
from plo_tracker.services.settings import (
    SettingsService,
    get_setting,
    load_calendar,
    load_policy,
)
from plo_tracker.validation import LIMITS, check_arg, shown, text_problem

COUNCIL_KEY = "letters.council"
WORDING_KEY = "letters.wording"
JARGON_KEY = "letters.jargon_extra"
FOLDER_KEY = "letters.template_folder"
LANGUAGES_KEY = "letters.language_lines"
LOGO_KEY = "letters.logo"


@dataclass(frozen=True, slots=True)
class LetterSettings:
    """Everything the letters of one request are made with, read in one transaction."""

    council: CouncilDetails
    wording: Wording
    terms: tuple[JargonTerm, ...]
    folder: Path | None
    languages: LanguageLines
    logo: Logo | None
    calendar: WorkingCalendar
    policy: Policy = field(default_factory=Policy)


@dataclass(frozen=True, slots=True)
class LetterPreference:
    """How one person in a case wants their letters."""

    case_reference: str
    party_key: str
    easy_read: bool
    version: int | None = None


def folder_setting(session: Session) -> Path | None:
    # A folder set in a settings file (IT's, for this computer) wins over the database's.
    from_file = config.template_folder()
    if from_file is not None:
        return from_file
    value = get_setting(session, FOLDER_KEY)
    return Path(value) if isinstance(value, str) and value else None


def load_settings(session: Session) -> LetterSettings:
    return LetterSettings(
        council=CouncilDetails.from_json(get_setting(session, COUNCIL_KEY)),
        wording=Wording.from_json(get_setting(session, WORDING_KEY)),
        terms=terms_with(check_extra(get_setting(session, JARGON_KEY))),
        folder=folder_setting(session),
        languages=LanguageLines.from_json(get_setting(session, LANGUAGES_KEY)),
        logo=Logo.from_json(get_setting(session, LOGO_KEY)),
        calendar=load_calendar(session),
        policy=load_policy(session),
    )


def easy_read_keys(session: Session, case_id: int) -> frozenset[str]:
    return frozenset(
        session.scalars(
            select(PreferenceRow.party_key).where(
                PreferenceRow.case_id == case_id, PreferenceRow.easy_read.is_(True)
            )
        )
    )


def easy_read_readers(session: Session, cases: dict[str, CaseHistory]) -> dict[str, frozenset[str]]:
    """Who gets easy-read letters, by case reference: each person whose letter preference
    says easy read, and each person with no preference set whose recorded needs say they
    need easy read (``needs_easy_read``); a preference for standard letters wins."""
    ids = {case.id: ref for ref, case in cases.items() if case.id is not None}
    chosen: dict[str, dict[str, bool]] = {ref: {} for ref in cases}
    if ids:
        for case_id, key, easy in session.execute(
            select(PreferenceRow.case_id, PreferenceRow.party_key, PreferenceRow.easy_read).where(
                PreferenceRow.case_id.in_(sorted(ids))
            )
        ):
            chosen[ids[case_id]][key] = bool(easy)
    return {
        ref: frozenset(p.id for p in case.parties if chosen[ref].get(p.id, needs_easy_read(p)))
        for ref, case in cases.items()
    }


class LetterSettingsMixin(Service):
    """Reading and changing the council's letter settings and people's preferences."""

    def _put(self, key: str, value: object) -> None:
        self.actor.require(Permission.MANAGE_TEMPLATES)
        SettingsService(self.db, self.actor).put(key, value, Permission.MANAGE_TEMPLATES)

    def council(self) -> CouncilDetails:
        with self.db.read() as session:
            return CouncilDetails.from_json(get_setting(session, COUNCIL_KEY))

    def set_council(self, details: CouncilDetails) -> CouncilDetails:
        """Store the council's details printed in letters (name, address, phones, lawyer)."""
        self.actor.require(Permission.MANAGE_TEMPLATES)
        if not isinstance(details, CouncilDetails):
            raise ValidationError("Council details: expected the council's details.")
        checked = CouncilDetails.from_json(details.to_json())
        self._put(COUNCIL_KEY, checked.to_json())
        log.info("letter council details changed")
        return checked

    def wording(self) -> Wording:
        with self.db.read() as session:
            return Wording.from_json(get_setting(session, WORDING_KEY))

    def set_wording(self, wording: Wording) -> Wording:
        """Store the council's sentences: default worries and help, finding a solicitor,
        the advice line."""
        self.actor.require(Permission.MANAGE_TEMPLATES)
        if not isinstance(wording, Wording):
            raise ValidationError("Letter wording: expected the default sentences.")
        checked = Wording.from_json(wording.to_json())
        self._put(WORDING_KEY, checked.to_json())
        log.info("letter wording changed")
        return checked

    def extra_jargon(self) -> list[dict[str, str]]:
        with self.db.read() as session:
            return check_extra(get_setting(session, JARGON_KEY))

    def set_extra_jargon(self, entries: Sequence[dict[str, str]]) -> list[dict[str, str]]:
        """Replace the council's own jargon list (each ``{"term", "suggestion"}``)."""
        self.actor.require(Permission.MANAGE_TEMPLATES)
        cleaned = check_extra(list(entries) if isinstance(entries, list | tuple) else entries)
        self._put(JARGON_KEY, cleaned)
        log.info("extra jargon list changed (%s terms)", len(cleaned))
        return cleaned

    def jargon_terms(self) -> tuple[JargonTerm, ...]:
        """The terms the plain-language check flags: the default list plus the council's."""
        with self.db.read() as session:
            return terms_with(check_extra(get_setting(session, JARGON_KEY)))

    def language_lines(self) -> LanguageLines:
        with self.db.read() as session:
            return LanguageLines.from_json(get_setting(session, LANGUAGES_KEY))

    def set_language_lines(self, lines: LanguageLines) -> LanguageLines:
        """Store the council's checked first line for each language."""
        self.actor.require(Permission.MANAGE_TEMPLATES)
        if not isinstance(lines, LanguageLines):
            raise ValidationError("Language lines: expected the lines per language.")
        checked = LanguageLines.from_json(lines.to_json())
        self._put(LANGUAGES_KEY, checked.to_json())
        log.info("letter language lines changed (%s languages)", len(checked.lines))
        return checked

    def logo(self) -> Logo | None:
        with self.db.read() as session:
            return Logo.from_json(get_setting(session, LOGO_KEY))

    def set_logo(self, path: Path | None) -> Logo | None:
        """Set the council's logo from a PNG or JPEG file (None removes it)."""
        self.actor.require(Permission.MANAGE_TEMPLATES)
        logo = None
        if path is not None:
            if not isinstance(path, Path):
                raise ValidationError("Logo: must be a file path.")
            try:
                data = path.expanduser().read_bytes()
            except OSError as error:
                raise ValidationError(f"Logo: cannot read {path}: {error.strerror}.") from None
            logo = Logo.checked(path.name, data)
        self._put(LOGO_KEY, logo.to_json() if logo else None)
        log.info("letter logo %s", "set" if logo else "removed")
        return logo

    def template_folder(self) -> Path | None:
        with self.db.read() as session:
            return folder_setting(session)

    def set_template_folder(self, folder: Path | None) -> Path | None:
        """Set (or with None, clear) the folder holding the council's own templates."""
        self.actor.require(Permission.MANAGE_TEMPLATES)
        setting = config.template_folder_setting()
        if setting.value is not None:
            raise PloError(
                f"The template folder is set to {setting.value} in {setting.where}, which wins "
                "over the app's own setting. Change it there (ask your IT team)."
            )
        if folder is not None:
            if not isinstance(folder, Path):
                raise ValidationError("Template folder: must be a folder path.")
            folder = folder.expanduser().resolve()
            problem = text_problem(str(folder), LIMITS["text"])
            if problem:
                raise ValidationError(f"Template folder: {problem}.")
            if not folder.is_dir():
                raise ValidationError(f"Template folder: {folder} is not a folder.")
        self._put(FOLDER_KEY, str(folder) if folder else "")
        log.info("letter template folder changed")
        return folder

    # -- each person's preference ----------------------------------------------------------
    def preferences(self, reference: str) -> list[LetterPreference]:
        """The letter preferences recorded for the people in a case."""
        self.actor.require(Permission.VIEW_CASES)
        check_arg("Case reference", reference, str)
        with self.db.read() as session:
            case_id = session.scalar(select(CaseRow.id).where(CaseRow.reference == reference))
            if case_id is None:
                raise NotFound(f"There is no case with the reference {shown(reference, 70)}.")
            rows = session.scalars(
                select(PreferenceRow)
                .where(PreferenceRow.case_id == case_id)
                .order_by(PreferenceRow.party_key)
            )
            return [LetterPreference(reference, r.party_key, r.easy_read, r.version) for r in rows]

    def set_easy_read(
        self,
        reference: str,
        party: str,
        easy_read: bool,
        *,
        expected_version: int | None = None,
    ) -> LetterPreference:
        """Say whether this person gets the easy-read version of every letter (False: the
        standard letters, whatever their recorded needs say)."""
        if not (
            self.actor.can(Permission.EDIT_CASES) or self.actor.can(Permission.GENERATE_LETTERS)
        ):
            raise PermissionDenied(
                f"You are signed in as {self.actor.display_name}, who may not change how a "
                "person's letters are made. Nothing was changed."
            )
        check_arg("Case reference", reference, str)
        check_arg("Person", party, str)
        check_arg("Easy read", easy_read, bool)
        check_arg("Version", expected_version, int, type(None))
        with self.db.write(self.actor.username) as session:
            row = load_case_row(session, reference)
            case = history_from_row(row)
            if case.party(party) is None:
                known = ", ".join(p.id for p in case.parties) or "nobody"
                raise ValidationError(
                    f"Case {reference} has no person with the ID '{shown(party)}'. The people "
                    f"in it are: {known}."
                )
            pref = session.scalar(
                select(PreferenceRow).where(
                    PreferenceRow.case_id == row.id, PreferenceRow.party_key == party
                )
            )
            if pref is None:
                pref = PreferenceRow(case_id=row.id, party_key=party, easy_read=easy_read)
                session.add(pref)
            else:
                if expected_version is not None and pref.version != expected_version:
                    raise ConflictError("This letter preference")
                pref.easy_read = easy_read
            session.flush()
            log.info("letter preference changed (case id %s)", row.id)
            return LetterPreference(reference, party, pref.easy_read, pref.version)
