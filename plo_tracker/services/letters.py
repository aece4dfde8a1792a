"""Letters: make them for a case or a batch of cases, record them, record them as sent.

A letter is made in four steps, so a failure never leaves half a job behind:

1. every letter of the request is rendered in memory (template checked first when it
   is a council's own), reporting ``progress(done, total)`` and stopping when
   ``cancelled()`` says so;
2. the .docx files are written, owner-only, to new names in the output folder;
3. when PDFs are asked for, one LibreOffice run converts them all (if LibreOffice is
   missing or fails, the .docx letters stand and ``pdf_note`` says why);
4. one transaction records every letter on its case (template, recipient, who, when,
   file names and SHA-256 hashes), audited like every other change.

If step 2 or 4 fails, the files already written are removed; a cancelled request
writes nothing.  Recording a letter as sent claims the letter first (so two people
cannot both record it), then records the case event (``letter_before_proceedings``
or ``letter_of_issue``) through ``CaseService.save_event``, with the usual event
permission rules.

Council settings used here (all keys start ``letters.``, written with the
``MANAGE_TEMPLATES`` permission): ``letters.council`` (name, address, phones, lawyer),
``letters.wording`` (default sentences where the case has no data),
``letters.jargon_extra`` (the council's own jargon) and ``letters.template_folder``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.audit import write_entry
from db.models import Case as CaseRow
from db.models import Letter as LetterRow
from db.models import utcnow
from plo_tracker import config
from plo_tracker.domain.dates import long_date
from plo_tracker.domain.model import CaseHistory, Event, Party
from plo_tracker.errors import ConflictError, NotFound, PloError, ValidationError
from plo_tracker.letters import pdf as pdf_conversion
from plo_tracker.letters.context import (
    CouncilDetails,
    LetterOptions,
    Wording,
    build_context,
    confidential_lines,
    letter_notes,
    recipients,
)
from plo_tracker.letters.docxfile import check_package, read_bytes
from plo_tracker.letters.errors import NotADocxError, PdfError, TemplateError
from plo_tracker.letters.jargon import JargonTerm, check_extra, terms_with
from plo_tracker.letters.readability import ReadabilityReport, check_docx_file
from plo_tracker.letters.render import (
    LetterEnvironment,
    RenderedLetter,
    TemplateCheck,
    check_template,
    make_environment,
    render_letter,
)
from plo_tracker.letters.templates import (
    SHIPPED,
    SHIPPED_BY_NAME,
    TemplateSpec,
    check_name,
    shipped_bytes,
    spec_for,
)
from plo_tracker.permissions import Permission
from plo_tracker.services.base import Service, log, today
from plo_tracker.services.cases import CaseService, load_case_row
from plo_tracker.services.records import history_from_row, load_histories
from plo_tracker.services.settings import SettingsService, get_setting
from plo_tracker.validation import LIMITS, check_arg, shown, text_problem

COUNCIL_KEY = "letters.council"
WORDING_KEY = "letters.wording"
JARGON_KEY = "letters.jargon_extra"
FOLDER_KEY = "letters.template_folder"

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

MAX_BATCH_CASES = 5000
_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9._-]+")


# -- what the service returns --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LetterRecord:
    """One letter made for a case, as recorded."""

    id: int
    case_reference: str
    template: str
    template_title: str
    recipient_key: str
    recipient_name: str
    generated_by: str
    generated_at: dt.datetime
    file_name: str
    sha256: str
    pdf_file_name: str | None
    pdf_sha256: str | None
    sent_on: dt.date | None
    sent_recorded_by: str | None
    version: int

    @property
    def sent_event(self) -> str | None:
        """The case event recording this letter as sent, if its kind has one."""
        return spec_for(self.template).sent_event


@dataclass(frozen=True, slots=True)
class GeneratedLetter:
    record: LetterRecord
    path: Path
    pdf_path: Path | None
    report: ReadabilityReport
    notes: tuple[str, ...] = ()  # things to check before sending (beyond ``warnings``)


@dataclass(frozen=True, slots=True)
class GenerationResult:
    """What a request made.

    ``pdf_note`` explains PDFs asked for but not made; ``warnings`` are the notes that
    apply to every letter made (each letter's own notes are on the letter).
    """

    letters: tuple[GeneratedLetter, ...] = ()
    pdf_note: str | None = None
    warnings: tuple[str, ...] = ()
    cancelled: bool = False


@dataclass(frozen=True, slots=True)
class LetterPreview:
    """A letter rendered but not saved: what the reader would read, and its check."""

    case_reference: str
    template: str
    template_title: str
    recipient_key: str
    recipient_name: str
    text: str
    report: ReadabilityReport
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TemplateInfo:
    """One template the app can use, and what checking it found."""

    name: str
    title: str
    source: str  # "shipped", "council" (the template folder) or "file"
    path: str | None
    replaces_shipped: bool
    check: TemplateCheck
    sent_event: str | None


@dataclass(frozen=True, slots=True)
class _Template:
    """A template ready to use: its bytes and what kind of letter it is."""

    name: str
    title: str
    spec: TemplateSpec
    data: bytes
    source: str


@dataclass(frozen=True, slots=True)
class _Settings:
    council: CouncilDetails
    wording: Wording
    terms: tuple[JargonTerm, ...]
    folder: Path | None


@dataclass
class _Job:
    """One letter of a request, rendered, waiting to be written and recorded."""

    case: CaseHistory
    reader: Party
    data: bytes
    report: ReadabilityReport
    notes: tuple[str, ...] = ()
    path: Path | None = None
    pdf_path: Path | None = None
    pdf_data: bytes | None = field(default=None, repr=False)


# -- helpers -------------------------------------------------------------------------------------


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _utc(value: dt.datetime) -> dt.datetime:
    """A stored time as an aware UTC time (SQLite gives it back without the zone)."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _record(row: LetterRow, reference: str) -> LetterRecord:
    return LetterRecord(
        id=row.id,
        case_reference=reference,
        template=row.template,
        template_title=row.template_title,
        recipient_key=row.recipient_key,
        recipient_name=row.recipient_name,
        generated_by=row.generated_by,
        generated_at=_utc(row.generated_at),
        file_name=row.file_name,
        sha256=row.sha256,
        pdf_file_name=row.pdf_file_name,
        pdf_sha256=row.pdf_sha256,
        sent_on=row.sent_on,
        sent_recorded_by=row.sent_recorded_by,
        version=row.version,
    )


def safe_file_part(text: str, limit: int = 60) -> str:
    """Text usable in a file name on every system (no personal names are put there)."""
    cleaned = _UNSAFE_FILE_CHARS.sub("_", text).strip("._-")
    return cleaned[:limit] or "x"


def template_name_for_file(path: Path) -> str:
    """The template name a council's file gets: its file name, made safe."""
    name = re.sub(r"[^a-z0-9_-]+", "_", path.stem.lower()).strip("_-")
    return (name or "council_letter")[:64]


def _write_new_private(folder: Path, stem: str, suffix: str, data: bytes) -> Path:
    """Write ``data`` to a new owner-only file (never replacing one); returns its path."""
    counter = 1
    while True:
        name = f"{stem}{suffix}" if counter == 1 else f"{stem}-{counter}{suffix}"
        path = folder / name
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            counter += 1
            continue
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return path


def check_folder(folder: Path) -> Path:
    """The output folder, checked before any work: a folder (or one that can be made there)
    that the user may write in."""
    if not isinstance(folder, Path):
        raise ValidationError("Output folder: must be a folder path.")
    folder = folder.expanduser()
    if folder.exists() and not folder.is_dir():
        raise PloError(f"{folder} is a file, not a folder to save letters in.")
    existing = folder if folder.exists() else folder.parent
    if not existing.is_dir():
        raise PloError(f"The folder {folder.parent} does not exist.")
    if not os.access(existing, os.W_OK):
        raise PloError(f"You do not have permission to save files in {existing}.")
    return folder


def make_folder(folder: Path) -> None:
    """Make the (checked) output folder, owner-only, when letters are about to be saved."""
    if folder.is_dir():
        return
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        if not folder.is_dir():
            raise PloError(f"{folder} is a file, not a folder to save letters in.") from None
    except OSError as error:
        raise PloError(f"Cannot make the folder {folder}: {error.strerror}.") from None


def _check_options(options: LetterOptions | None) -> LetterOptions:
    if options is None:
        return LetterOptions()
    if not isinstance(options, LetterOptions):
        raise ValidationError("Letter options: expected the letter's options.")
    return options.checked()


def _check_party(party: str | None) -> None:
    check_arg("Person", party, str, type(None))


# -- the service ---------------------------------------------------------------------------------


class LetterService(Service):
    # -- council settings ----------------------------------------------------------------------
    def _settings(self, session: Session) -> _Settings:
        council = CouncilDetails.from_json(get_setting(session, COUNCIL_KEY))
        wording = Wording.from_json(get_setting(session, WORDING_KEY))
        extra = check_extra(get_setting(session, JARGON_KEY))
        folder_value = get_setting(session, FOLDER_KEY)
        folder = Path(folder_value) if isinstance(folder_value, str) and folder_value else None
        return _Settings(council, wording, terms_with(extra), folder)

    def council(self) -> CouncilDetails:
        with self.db.read() as session:
            return CouncilDetails.from_json(get_setting(session, COUNCIL_KEY))

    def set_council(self, details: CouncilDetails) -> CouncilDetails:
        """Store the council's details printed in letters (name, address, phones, lawyer)."""
        self.actor.require(Permission.MANAGE_TEMPLATES)
        if not isinstance(details, CouncilDetails):
            raise ValidationError("Council details: expected the council's details.")
        checked = CouncilDetails.from_json(details.to_json())
        SettingsService(self.db, self.actor).put(
            COUNCIL_KEY, checked.to_json(), Permission.MANAGE_TEMPLATES
        )
        log.info("letter council details changed")
        return checked

    def wording(self) -> Wording:
        with self.db.read() as session:
            return Wording.from_json(get_setting(session, WORDING_KEY))

    def set_wording(self, wording: Wording) -> Wording:
        """Store the default sentences used where the case has no data (worries, help)."""
        self.actor.require(Permission.MANAGE_TEMPLATES)
        if not isinstance(wording, Wording):
            raise ValidationError("Letter wording: expected the default sentences.")
        checked = Wording.from_json(wording.to_json())
        SettingsService(self.db, self.actor).put(
            WORDING_KEY, checked.to_json(), Permission.MANAGE_TEMPLATES
        )
        log.info("letter wording changed")
        return checked

    def extra_jargon(self) -> list[dict[str, str]]:
        with self.db.read() as session:
            return check_extra(get_setting(session, JARGON_KEY))

    def set_extra_jargon(self, entries: Sequence[dict[str, str]]) -> list[dict[str, str]]:
        """Replace the council's own jargon list (each ``{"term", "suggestion"}``)."""
        self.actor.require(Permission.MANAGE_TEMPLATES)
        cleaned = check_extra(list(entries) if isinstance(entries, list | tuple) else entries)
        SettingsService(self.db, self.actor).put(JARGON_KEY, cleaned, Permission.MANAGE_TEMPLATES)
        log.info("extra jargon list changed (%s terms)", len(cleaned))
        return cleaned

    def jargon_terms(self) -> tuple[JargonTerm, ...]:
        """The terms the plain-language check flags: the default list plus the council's."""
        with self.db.read() as session:
            return terms_with(check_extra(get_setting(session, JARGON_KEY)))

    def template_folder(self) -> Path | None:
        with self.db.read() as session:
            return self._settings_folder(session)

    @staticmethod
    def _settings_folder(session: Session) -> Path | None:
        # A folder set in a settings file (IT's, for this computer) wins over the database's.
        from_file = config.template_folder()
        if from_file is not None:
            return from_file
        value = get_setting(session, FOLDER_KEY)
        return Path(value) if isinstance(value, str) and value else None

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
        SettingsService(self.db, self.actor).put(
            FOLDER_KEY, str(folder) if folder else "", Permission.MANAGE_TEMPLATES
        )
        log.info("letter template folder changed")
        return folder

    # -- templates -----------------------------------------------------------------------------
    def templates(self) -> list[TemplateInfo]:
        """Every template the app can use (shipped, then the council's), each checked."""
        with self.db.read() as session:
            folder = self._settings_folder(session)
        council = self._council_files(folder)
        found: list[TemplateInfo] = []
        for spec in SHIPPED:
            if spec.name in council:
                continue
            data = shipped_bytes(spec.name)
            found.append(
                TemplateInfo(
                    spec.name,
                    spec.title,
                    "shipped",
                    None,
                    False,
                    check_template(data, spec.name, spec),
                    spec.sent_event,
                )
            )
        for name, path in sorted(council.items()):
            found.append(self._council_info(name, path))
        return found

    @staticmethod
    def _council_files(folder: Path | None) -> dict[str, Path]:
        if folder is None or not folder.is_dir():
            return {}
        files: dict[str, Path] = {}
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            return {}
        for path in entries:
            if (
                path.suffix.lower() == ".docx"
                and path.is_file()
                and not path.name.startswith(("~$", "."))
            ):
                files[path.stem] = path
        return files

    def _council_info(self, name: str, path: Path) -> TemplateInfo:
        replaces = name in SHIPPED_BY_NAME
        try:
            check_name(name)
            spec = spec_for(name)
            check = check_template(read_bytes(path), name, spec)
        except PloError as error:
            spec = spec_for("council_letter")
            check = TemplateCheck(name, False, problems=(str(error),))
        return TemplateInfo(
            name, spec.title, "council", str(path), replaces, check, spec.sent_event
        )

    def check_template_file(self, path: Path) -> TemplateCheck:
        """Check any .docx as a template (no permission needed: nothing is changed)."""
        if not isinstance(path, Path):
            raise ValidationError("Template: must be a file path.")
        name = template_name_for_file(path)
        data = read_bytes(path)
        try:
            check_package(data, path.name)
        except NotADocxError as error:
            return TemplateCheck(name, False, problems=(str(error),))
        return check_template(data, name, spec_for(name))

    def add_template(
        self, path: Path, name: str | None = None, *, replace: bool = False
    ) -> TemplateInfo:
        """Check a council's template and copy it into the template folder.

        A template using fields PLO Tracker does not know is refused, and the message
        lists them.  ``name`` (default: the file's name) decides what kind of letter it
        is: a shipped template's name replaces that template.
        """
        self.actor.require(Permission.MANAGE_TEMPLATES)
        if not isinstance(path, Path):
            raise ValidationError("Template: must be a file path.")
        check_arg("Template name", name, str, type(None))
        name = check_name(name.strip() if name else template_name_for_file(path))
        with self.db.read() as session:
            folder = self._settings_folder(session)
        if folder is None:
            raise ValidationError(
                "Set the council's template folder first (plo-tracker templates --folder DIR); "
                "added templates are kept there."
            )
        if not folder.is_dir():
            raise PloError(f"The council's template folder {folder} does not exist any more.")
        data = read_bytes(path)
        check_package(data, path.name)
        spec = spec_for(name)
        check = check_template(data, name, spec)
        if not check.ok:
            unknown = (
                " Fields PLO Tracker does not know: " + ", ".join(check.unknown_fields) + "."
                if check.unknown_fields
                else ""
            )
            raise TemplateError(
                f"The template '{name}' was not added: " + " ".join(check.problems) + unknown,
                template=name,
            )
        target = folder / f"{name}.docx"
        if target.exists() and not replace:
            raise ValidationError(
                f"The template folder already has a template called '{name}'. Choose another "
                "name, or replace it (--replace)."
            )
        temp = folder / f".{name}.partial-{os.getpid()}"
        try:
            temp.write_bytes(data)
            os.replace(temp, target)
        except OSError as error:
            raise PloError(f"Cannot write to the template folder: {error.strerror}.") from None
        finally:
            temp.unlink(missing_ok=True)
        with self.db.write(self.actor.username) as session:
            write_entry(
                session,
                action="update" if replace else "create",
                entity="letter_template",
                entity_id=name,
                changes={"file": [None, target.name], "sha256": [None, sha256_of(data)]},
            )
        log.info("council letter template added")
        return TemplateInfo(
            name,
            spec.title,
            "council",
            str(target),
            name in SHIPPED_BY_NAME,
            check,
            spec.sent_event,
        )

    def _template(
        self, name: str | None, template_file: Path | None, folder: Path | None
    ) -> _Template:
        """The template to use, checked first unless it is one the app ships."""
        if template_file is not None:
            if not isinstance(template_file, Path):
                raise ValidationError("Template file: must be a file path.")
            file_name = template_name_for_file(template_file)
            data = read_bytes(template_file)
            check_package(data, template_file.name)
            spec = spec_for(file_name)
            check_template(data, file_name, spec).raise_if_refused()
            title = f"{spec.title} ({template_file.name})"[: LIMITS["name"]]
            return _Template(file_name, title, spec, data, "file")
        if not isinstance(name, str) or not name.strip():
            raise ValidationError("Template: give a template name or a template file.")
        name = name.strip()
        council = self._council_files(folder)
        if name in council:
            check_name(name)
            spec = spec_for(name)
            data = read_bytes(council[name])
            check_package(data, council[name].name)
            check_template(data, name, spec).raise_if_refused()
            return _Template(name, spec.title, spec, data, "council")
        if name not in SHIPPED_BY_NAME:
            names = [s.name for s in SHIPPED] + sorted(
                n for n in council if n not in SHIPPED_BY_NAME
            )
            raise TemplateError(
                f"There is no template called '{shown(name)}'. The templates are: "
                + ", ".join(names)
                + ".",
                template=name,
            )
        spec = SHIPPED_BY_NAME[name]
        return _Template(name, spec.title, spec, shipped_bytes(name), "shipped")

    # -- making letters ------------------------------------------------------------------------
    def preview(
        self,
        reference: str,
        template: str | None,
        *,
        party: str | None = None,
        options: LetterOptions | None = None,
        template_file: Path | None = None,
    ) -> list[LetterPreview]:
        """The letters a request would make, with their plain-language check; nothing saved."""
        self.actor.require(Permission.GENERATE_LETTERS)
        check_arg("Case reference", reference, str)
        _check_party(party)
        options = _check_options(options)
        with self.db.read() as session:
            case = history_from_row(load_case_row(session, reference))
            settings = self._settings(session)
        chosen = self._template(template, template_file, settings.folder)
        readers = self._readers(case, party)
        env = make_environment()
        previews = []
        for reader in readers:
            rendered = self._render(case, reader, chosen, settings, options, env)
            previews.append(
                LetterPreview(
                    case_reference=case.reference,
                    template=chosen.name,
                    template_title=chosen.title,
                    recipient_key=reader.id,
                    recipient_name=reader.name,
                    text=rendered.text,
                    report=rendered.report,
                    notes=self._notes(case, reader, chosen, settings, options),
                )
            )
        return previews

    def generate(
        self,
        reference: str,
        template: str | None,
        out_dir: Path,
        *,
        party: str | None = None,
        pdf: bool = False,
        options: LetterOptions | None = None,
        template_file: Path | None = None,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> GenerationResult:
        """The letters of one case: for ``party``, else one per person with PR."""
        self.actor.require(Permission.GENERATE_LETTERS)
        check_arg("Case reference", reference, str)
        _check_party(party)
        check_arg("PDF", pdf, bool)
        options = _check_options(options)
        folder = check_folder(out_dir)
        with self.db.read() as session:
            case = history_from_row(load_case_row(session, reference))
            settings = self._settings(session)
        chosen = self._template(template, template_file, settings.folder)
        work = [(case, reader) for reader in self._readers(case, party)]
        return self._make(work, chosen, settings, options, folder, pdf, progress, cancelled)

    def generate_batch(
        self,
        references: Sequence[str],
        template: str | None,
        out_dir: Path,
        *,
        pdf: bool = False,
        options: LetterOptions | None = None,
        template_file: Path | None = None,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> GenerationResult:
        """One letter per person with PR in each case; all of them or none.

        ``progress(done, total)`` counts letters rendered (plus one last step for the
        PDFs when asked for); ``cancelled()`` is asked before each letter, and a
        cancelled batch saves nothing.
        """
        self.actor.require(Permission.GENERATE_LETTERS)
        if isinstance(references, str) or not isinstance(references, Sequence):
            raise ValidationError("Cases: must be a list of case references.")
        wanted: list[str] = []
        for reference in references:
            check_arg("Case reference", reference, str)
            if reference not in wanted:
                wanted.append(reference)
        if not wanted:
            raise ValidationError("Cases: name at least one case.")
        if len(wanted) > MAX_BATCH_CASES:
            raise ValidationError(f"Cases: at most {MAX_BATCH_CASES} cases in one batch.")
        check_arg("PDF", pdf, bool)
        options = _check_options(options)
        folder = check_folder(out_dir)
        with self.db.read() as session:
            found = {c.reference: c for c in load_histories(session, references=wanted)}
            settings = self._settings(session)
        missing = [r for r in wanted if r not in found]
        if missing:
            raise NotFound(
                "No letters were made: there is no case with the reference "
                + ", ".join(shown(r, 70) for r in missing[:10])
                + (f" (and {len(missing) - 10} more)" if len(missing) > 10 else "")
                + "."
            )
        chosen = self._template(template, template_file, settings.folder)
        work = [
            (found[ref], reader) for ref in wanted for reader in self._readers(found[ref], None)
        ]
        return self._make(
            work, chosen, settings, options, folder, pdf, progress, cancelled, batch=True
        )

    @staticmethod
    def _readers(case: CaseHistory, party: str | None) -> tuple[Party, ...]:
        return recipients(case, party)

    @staticmethod
    def _notes(
        case: CaseHistory,
        reader: Party,
        chosen: _Template,
        settings: _Settings,
        options: LetterOptions,
    ) -> tuple[str, ...]:
        return tuple(
            letter_notes(
                case, reader, chosen.spec, council=settings.council, options=options, today=today()
            )
        )

    def _render(
        self,
        case: CaseHistory,
        reader: Party,
        chosen: _Template,
        settings: _Settings,
        options: LetterOptions,
        env: LetterEnvironment,
    ) -> RenderedLetter:
        context = build_context(
            case,
            reader,
            chosen.spec,
            council=settings.council,
            wording=settings.wording,
            options=options,
            today=today(),
        )
        return render_letter(
            chosen.data,
            chosen.name,
            context,
            forbidden_lines=confidential_lines(case, reader),
            terms=settings.terms,
            environment=env,
        )

    def _make(
        self,
        work: list[tuple[CaseHistory, Party]],
        chosen: _Template,
        settings: _Settings,
        options: LetterOptions,
        folder: Path,
        pdf: bool,
        progress: Progress | None,
        cancelled: Cancelled | None,
        *,
        batch: bool = False,
    ) -> GenerationResult:
        total = len(work) + (1 if pdf else 0)
        env = make_environment()
        jobs: list[_Job] = []
        stamp = (options.letter_date or today()).isoformat()
        # 1. Render everything in memory.
        for done, (case, reader) in enumerate(work, start=1):
            if cancelled is not None and cancelled():
                log.info("letters cancelled after %s of %s", done - 1, len(work))
                return GenerationResult(cancelled=True)
            try:
                rendered = self._render(case, reader, chosen, settings, options, env)
            except PloError as error:
                if batch:
                    raise PloError(
                        f"No letters were made. Case {case.reference}, letter to "
                        f"{reader.id}: {error}"
                    ) from error
                raise
            notes = self._notes(case, reader, chosen, settings, options)
            jobs.append(_Job(case, reader, rendered.data, rendered.report, notes))
            if progress is not None:
                progress(done, total)
        # 2. Write the .docx files (owner-only, never over an existing file).
        make_folder(folder)
        try:
            for job in jobs:
                stem = "_".join(
                    (
                        safe_file_part(job.case.reference),
                        safe_file_part(chosen.name, 64),
                        safe_file_part(job.reader.id),
                        stamp,
                    )
                )
                job.path = _write_new_private(folder, stem, ".docx", job.data)
        except OSError as error:
            _remove(jobs)
            raise PloError(
                f"Cannot save the letters in {folder}: {error.strerror}. No letters were saved."
            ) from None
        except BaseException:
            _remove(jobs)
            raise
        # 3. PDFs, in one LibreOffice run.
        pdf_note = None
        if pdf:
            if cancelled is not None and cancelled():
                _remove(jobs)
                return GenerationResult(cancelled=True)
            try:
                made = pdf_conversion.convert([job.path for job in jobs if job.path])
                for job in jobs:
                    if job.path in made:
                        job.pdf_path = made[job.path]
                        job.pdf_data = job.pdf_path.read_bytes()
            except PdfError as error:
                pdf_note = str(error)
            except BaseException:
                _remove(jobs)
                raise
            if progress is not None:
                progress(total, total)
        # 4. Record them all, in one transaction.
        try:
            records = self._record_all(jobs, chosen)
        except BaseException:
            _remove(jobs)
            raise
        log.info("letters made: %s (pdf %s)", len(jobs), bool(pdf and pdf_note is None))
        common = [n for n in jobs[0].notes if all(n in job.notes for job in jobs)] if jobs else []
        return GenerationResult(
            letters=tuple(
                GeneratedLetter(
                    record,
                    job.path,  # type: ignore[arg-type]
                    job.pdf_path,
                    job.report,
                    tuple(n for n in job.notes if n not in common),
                )
                for record, job in zip(records, jobs, strict=True)
            ),
            pdf_note=pdf_note,
            warnings=tuple(common),
        )

    def _record_all(self, jobs: list[_Job], chosen: _Template) -> list[LetterRecord]:
        now = utcnow()
        with self.db.write(self.actor.username) as session:
            ids = dict(
                session.execute(
                    select(CaseRow.reference, CaseRow.id).where(
                        CaseRow.reference.in_(sorted({j.case.reference for j in jobs}))
                    )
                ).all()
            )
            rows: list[tuple[LetterRow, str]] = []
            for job in jobs:
                case_id = ids.get(job.case.reference)
                if case_id is None:
                    raise NotFound(
                        f"Case {job.case.reference} was deleted while its letters were being "
                        "made. No letters were saved."
                    )
                assert job.path is not None
                row = LetterRow(
                    case_id=case_id,
                    template=chosen.name,
                    template_title=chosen.title,
                    recipient_key=job.reader.id,
                    recipient_name=job.reader.name,
                    generated_by=self.actor.username,
                    generated_at=now,
                    file_name=job.path.name,
                    sha256=sha256_of(job.data),
                    pdf_file_name=job.pdf_path.name if job.pdf_path else None,
                    pdf_sha256=sha256_of(job.pdf_data) if job.pdf_data is not None else None,
                )
                session.add(row)
                rows.append((row, job.case.reference))
            session.flush()
            return [_record(row, reference) for row, reference in rows]

    # -- the letters of a case -----------------------------------------------------------------
    def history(self, reference: str) -> list[LetterRecord]:
        """The letters made for a case, oldest first."""
        self.actor.require(Permission.VIEW_CASES)
        check_arg("Case reference", reference, str)
        with self.db.read() as session:
            case_id = session.scalar(select(CaseRow.id).where(CaseRow.reference == reference))
            if case_id is None:
                raise NotFound(f"There is no case with the reference {shown(reference, 70)}.")
            rows = session.scalars(
                select(LetterRow)
                .where(LetterRow.case_id == case_id)
                .order_by(LetterRow.generated_at, LetterRow.id)
            ).all()
            return [_record(row, reference) for row in rows]

    def get(self, letter_id: int) -> LetterRecord:
        self.actor.require(Permission.VIEW_CASES)
        check_arg("Letter", letter_id, int)
        with self.db.read() as session:
            row, reference = self._letter_row(session, letter_id)
            return _record(row, reference)

    @staticmethod
    def _letter_row(session: Session, letter_id: int) -> tuple[LetterRow, str]:
        row = session.get(LetterRow, letter_id)
        if row is None:
            raise NotFound(f"There is no letter number {letter_id}; it may have been deleted.")
        reference = session.scalar(select(CaseRow.reference).where(CaseRow.id == row.case_id))
        return row, str(reference)

    def record_sent(
        self, letter_id: int, sent_on: dt.date, expected_version: int | None = None
    ) -> LetterRecord:
        """Record that a letter was sent on ``sent_on``.

        A letter before proceedings (or letter of issue) also adds that event to the case,
        for the recipient, through ``CaseService.save_event`` (its permission rules apply).
        Needs the permission to make letters too, since it changes the letter's record.
        """
        check_arg("Letter", letter_id, int)
        check_arg("Date sent", sent_on, dt.date)
        check_arg("Version", expected_version, int, type(None))
        self.actor.require(Permission.GENERATE_LETTERS)
        if sent_on > today():
            raise ValidationError("Date sent: cannot be in the future.", field="sent_on")
        with self.db.read() as session:
            row, reference = self._letter_row(session, letter_id)
            current = _record(row, reference)
            case = history_from_row(load_case_row(session, reference))
        event_type = current.sent_event
        if event_type is not None:
            self.actor.require_event_type(event_type)
        if expected_version is not None and current.version != expected_version:
            raise ConflictError("This letter")
        if current.sent_on is not None:
            raise ValidationError(
                f"This letter was already recorded as sent on {long_date(current.sent_on)}."
            )
        if sent_on < current.generated_at.astimezone().date():
            raise ValidationError(
                "Date sent: cannot be before the letter was made "
                f"({long_date(current.generated_at.astimezone().date())})."
            )
        if event_type is not None and case.party(current.recipient_key) is None:
            raise ValidationError(
                f"The person this letter is for ({current.recipient_key}) is no longer part of "
                f"case {reference}, so the {event_type.replace('_', ' ')} event cannot be "
                "recorded for them. Nothing was changed."
            )
        # Claim the letter first: two people cannot both record it as sent.
        claimed = self._set_sent(letter_id, current.version, sent_on)
        if event_type is None:
            return claimed
        event = Event(
            type=event_type,
            date=sent_on,
            party=current.recipient_key,
            fgdm_offered=True if event_type == "letter_before_proceedings" else None,
        )
        try:
            CaseService(self.db, self.actor).save_event(reference, event)
        except BaseException:
            self._set_sent(letter_id, claimed.version, None)
            raise
        log.info("letter %s recorded as sent", letter_id)
        return claimed

    def _set_sent(self, letter_id: int, version: int, sent_on: dt.date | None) -> LetterRecord:
        with self.db.write(self.actor.username) as session:
            row, reference = self._letter_row(session, letter_id)
            if row.version != version:
                raise ConflictError("This letter")
            row.sent_on = sent_on
            row.sent_recorded_by = self.actor.username if sent_on else None
            session.flush()
            return _record(row, reference)

    # -- checking any letter -------------------------------------------------------------------
    def check_file(self, path: Path) -> ReadabilityReport:
        """The plain-language report of any .docx, with the council's jargon too."""
        if not isinstance(path, Path):
            raise ValidationError("Letter: must be a file path.")
        return check_docx_file(path, self.jargon_terms())


def _remove(jobs: Sequence[_Job]) -> None:
    for job in jobs:
        for path in (job.path, job.pdf_path):
            if path is not None:
                path.unlink(missing_ok=True)
