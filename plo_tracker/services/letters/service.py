"""Letters: make them for a case or a batch of cases, record them, record them as sent.

A letter is made in five steps, so a failure never leaves half a job behind:

1. every letter of the request is checked: is it ready to go out (``letters.readiness``:
   for a letter before proceedings, a worry about the reader, a dated change, the help,
   their meeting; for the others, a case in the matching state; the council's details)?
   If any is not, nothing is made and ``LetterNotReady`` lists everything missing, unless
   the request is for drafts;
2. every letter is rendered in memory (template checked first when it is a council's
   own), each searched for the parts of other people's confidential addresses,
   reporting ``progress(done, total)`` and stopping when ``cancelled()`` says so.  A
   draft is then marked DRAFT on every page, with what is missing;
3. the .docx files are written, owner-only, to new names in the output folder;
4. when PDFs are asked for, one LibreOffice run converts them all (tagged PDFs; if
   LibreOffice is missing or fails, the .docx letters stand and ``pdf_note`` says why);
5. one transaction records every letter on its case (template, recipient, who, when,
   file names and SHA-256 hashes, draft or not), audited like every other change, and
   adds the action to read the letter with a person who needs that (a ready letter only).

If step 3 or 5 fails, the files already written are removed; a cancelled request
writes nothing.  Settings and preferences: ``settings``; templates:
``templates``; the letters' records and "sent": ``records``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from db.models import Letter as LetterRow
from plo_tracker import clock
from plo_tracker.domain import meetings
from plo_tracker.domain.model import Booking, CaseHistory, Party
from plo_tracker.errors import NotFound, PloError, ValidationError
from plo_tracker.letters import pdf as pdf_conversion
from plo_tracker.letters.context import build_context, letter_notes
from plo_tracker.letters.draft import mark_draft
from plo_tracker.letters.errors import LetterNotReady, PdfError
from plo_tracker.letters.options import LetterOptions
from plo_tracker.letters.privacy import address_parts, recipients
from plo_tracker.letters.readability import ReadabilityReport, check_docx_file
from plo_tracker.letters.readiness import (
    LetterReadiness,
    missing_items,
    not_ready_message,
    reader_meeting,
    reading_action,
)
from plo_tracker.letters.render import LetterEnvironment, make_environment, render_letter
from plo_tracker.letters.templates import TemplateSpec
from plo_tracker.permissions import Permission
from plo_tracker.services.base import log, now, today
from plo_tracker.services.cases import load_case_row
from plo_tracker.services.letters.additions import add_reading_action, book_meeting
from plo_tracker.services.letters.files import (
    check_folder,
    make_folder,
    remove_files,
    safe_file_part,
    sha256_of,
    write_new_private,
)
from plo_tracker.services.letters.records import (
    LetterRecord,
    LetterRecordsMixin,
    case_ids,
    record_from_row,
)
from plo_tracker.services.letters.results import (
    GeneratedLetter,
    GenerationResult,
    LetterJob,
    LetterPreview,
    check_options,
    check_typed_for_one,
)
from plo_tracker.services.letters.settings import (
    LetterSettings,
    LetterSettingsMixin,
    easy_read_readers,
    load_settings,
)
from plo_tracker.services.letters.templates import (
    ChosenTemplate,
    LetterTemplatesMixin,
)
from plo_tracker.services.records import history_from_row, load_histories
from plo_tracker.validation import check_arg, shown

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

MAX_BATCH_CASES = 5000


def _readers_if_any(case: CaseHistory, kind: str) -> tuple[Party, ...]:
    """The readers of a case's letter, or none (a case with nobody to write to yet)."""
    try:
        return recipients(case, None, kind)
    except ValidationError:
        return ()


# -- the service ---------------------------------------------------------------------------------


class LetterService(LetterSettingsMixin, LetterTemplatesMixin, LetterRecordsMixin):
    def _load(
        self, references: Sequence[str], *, one: bool = False
    ) -> tuple[dict[str, CaseHistory], LetterSettings, dict[str, frozenset[str]]]:
        """The cases, the settings and who wants easy read, in one read transaction
        (``one``: a single case, NotFound when there is none)."""
        with self.db.read() as session:
            if one:
                cases = {references[0]: history_from_row(load_case_row(session, references[0]))}
            else:
                cases = {c.reference: c for c in load_histories(session, references=references)}
            settings = load_settings(session)
            easy = easy_read_readers(session, cases)
        return cases, settings, easy

    def _plan(
        self,
        work: list[tuple[CaseHistory, Party]],
        chosen: ChosenTemplate,
        settings: LetterSettings,
        options: LetterOptions,
        easy: dict[str, frozenset[str]],
        *,
        with_reading: bool,
    ) -> list[LetterJob]:
        jobs = []
        day = options.letter_date or today()
        for case, reader in work:
            template = self._for_reader(
                chosen, reader.id in easy.get(case.reference, frozenset()), settings.folder
            )
            missing = missing_items(
                case,
                reader,
                template.spec,
                council=settings.council,
                options=options,
                today=today(),
                policy=settings.policy,
                calendar=settings.calendar,
            )
            reading = None
            if with_reading:
                meeting = reader_meeting(case, reader, template.spec, options, day)
                reading = reading_action(
                    case, reader, day, settings.calendar, meeting.date if meeting else None
                )
            if reading is not None:
                case = replace(case, plan_actions=(*case.plan_actions, reading))
            booking, refused = self._given_meeting(case, reader, template.spec, options, settings)
            missing.extend(f"a separate meeting that can be booked: {why}" for why in refused)
            jobs.append(LetterJob(case, reader, template, tuple(missing), reading, booking))
        return jobs

    def _given_meeting(
        self,
        case: CaseHistory,
        reader: Party,
        spec: TemplateSpec,
        options: LetterOptions,
        settings: LetterSettings,
    ) -> tuple[Booking | None, list[str]]:
        """The separate meeting given for this letter, to be booked on the case with it, and
        why it cannot be (it must be still to come, and never with or too close to someone
        kept apart from the reader): then the letter is not ready."""
        given = options.meeting
        if given is None or not spec.meetings:
            return None, []
        booking = Booking(spec.meetings[0], given.date, given.time, given.place, (reader.id,))
        if any(b == booking for b in case.scheduled):
            return None, []  # already booked, exactly so
        problems = meetings.check_booking(
            case, booking, now=now(), policy=settings.policy, calendar=settings.calendar
        )
        refused = [p.message for p in problems if not p.confirm]
        return (None if refused else booking), refused

    def _render(
        self,
        job: LetterJob,
        settings: LetterSettings,
        options: LetterOptions,
        env: LetterEnvironment,
    ) -> None:
        spec = job.template.spec
        context = build_context(
            job.case,
            job.reader,
            spec,
            council=settings.council,
            wording=settings.wording,
            options=options,
            today=today(),
            language_lines=settings.languages,
            logo=settings.logo,
            policy=settings.policy,
        )
        rendered = render_letter(
            job.template.data,
            job.template.name,
            context,
            forbidden=address_parts(job.case, job.reader, council_address=settings.council.address),
            terms=settings.terms,
            environment=env,
        )
        job.data, job.report, job.text = rendered.data, rendered.report, rendered.text
        job.notes = tuple(
            letter_notes(
                job.case,
                job.reader,
                spec,
                council=settings.council,
                options=options,
                today=today(),
                language_lines=settings.languages,
            )
        )

    # -- what a request would make -------------------------------------------------------------
    def readiness(
        self,
        reference: str,
        template: str | None,
        *,
        party: str | None = None,
        options: LetterOptions | None = None,
        template_file: Path | None = None,
    ) -> list[LetterReadiness]:
        """What each letter of a request still needs before it may go out (nothing saved)."""
        self.actor.require(Permission.GENERATE_LETTERS)
        check_arg("Case reference", reference, str)
        check_arg("Person", party, str, type(None))
        options = check_options(options)
        cases, settings, easy = self._load([reference], one=True)
        case = cases[reference]
        chosen = self._template(template, template_file, settings.folder)
        work = [(case, reader) for reader in recipients(case, party, chosen.spec.kind)]
        jobs = self._plan(work, chosen, settings, options, easy, with_reading=False)
        return [job.readiness for job in jobs]

    def readiness_batch(
        self,
        references: Sequence[str],
        template: str | None,
        *,
        options: LetterOptions | None = None,
        template_file: Path | None = None,
    ) -> list[LetterReadiness]:
        """What each letter of a batch (one per person with PR in each case) still needs,
        read in one transaction; nothing saved.  Unknown references are left out."""
        self.actor.require(Permission.GENERATE_LETTERS)
        if isinstance(references, str) or not isinstance(references, Sequence):
            raise ValidationError("Cases: must be a list of case references.")
        for reference in references:
            check_arg("Case reference", reference, str)
        options = check_options(options)
        found, settings, easy = self._load(list(dict.fromkeys(references)))
        chosen = self._template(template, template_file, settings.folder)
        work = [
            (case, reader)
            for case in found.values()
            for reader in _readers_if_any(case, chosen.spec.kind)
        ]
        jobs = self._plan(work, chosen, settings, options, easy, with_reading=False)
        return [job.readiness for job in jobs]

    def preview(
        self,
        reference: str,
        template: str | None,
        *,
        party: str | None = None,
        options: LetterOptions | None = None,
        template_file: Path | None = None,
    ) -> list[LetterPreview]:
        """The letters a request would make, with their plain-language check and what each
        still needs; nothing saved."""
        self.actor.require(Permission.GENERATE_LETTERS)
        check_arg("Case reference", reference, str)
        check_arg("Person", party, str, type(None))
        options = check_options(options)
        cases, settings, easy = self._load([reference], one=True)
        case = cases[reference]
        chosen = self._template(template, template_file, settings.folder)
        readers = recipients(case, party, chosen.spec.kind)
        check_typed_for_one(options, len(readers))
        jobs = self._plan(
            [(case, r) for r in readers], chosen, settings, options, easy, with_reading=True
        )
        env = make_environment()
        previews = []
        for job in jobs:
            self._render(job, settings, options, env)
            assert job.report is not None
            previews.append(
                LetterPreview(
                    case_reference=case.reference,
                    template=job.template.name,
                    template_title=job.template.title,
                    recipient_key=job.reader.id,
                    recipient_name=job.reader.name,
                    text=job.text,
                    report=job.report,
                    notes=job.notes,
                    missing=job.missing,
                )
            )
        return previews

    # -- making letters ------------------------------------------------------------------------
    def generate(
        self,
        reference: str,
        template: str | None,
        out_dir: Path,
        *,
        party: str | None = None,
        pdf: bool = False,
        draft: bool = False,
        options: LetterOptions | None = None,
        template_file: Path | None = None,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> GenerationResult:
        """The letters of one case: for ``party``, else one per person with PR.

        Refused (``LetterNotReady``, nothing made) while any of them is not ready, unless
        ``draft``: then each is made marked DRAFT on every page, never to be sent.
        """
        self.actor.require(Permission.GENERATE_LETTERS)
        check_arg("Case reference", reference, str)
        check_arg("Person", party, str, type(None))
        check_arg("PDF", pdf, bool)
        check_arg("Draft", draft, bool)
        options = check_options(options)
        folder = check_folder(out_dir)
        cases, settings, easy = self._load([reference], one=True)
        case = cases[reference]
        chosen = self._template(template, template_file, settings.folder)
        readers = recipients(case, party, chosen.spec.kind)
        check_typed_for_one(options, len(readers))
        jobs = self._plan(
            [(case, r) for r in readers], chosen, settings, options, easy, with_reading=not draft
        )
        return self._make(jobs, settings, options, folder, pdf, draft, progress, cancelled)

    def generate_batch(
        self,
        references: Sequence[str],
        template: str | None,
        out_dir: Path,
        *,
        pdf: bool = False,
        draft: bool = False,
        options: LetterOptions | None = None,
        template_file: Path | None = None,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> GenerationResult:
        """One letter per person with PR in each case; all of them or none.

        ``progress(done, total)`` counts letters rendered (plus one last step for the
        PDFs when asked for); ``cancelled()`` is asked before each letter, and a
        cancelled batch saves nothing.  Refused while any letter is not ready, unless
        ``draft``.
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
        check_arg("Draft", draft, bool)
        options = check_options(options)
        folder = check_folder(out_dir)
        found, settings, easy = self._load(wanted)
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
            (found[ref], reader)
            for ref in wanted
            for reader in recipients(found[ref], None, chosen.spec.kind)
        ]
        check_typed_for_one(options, len(work))
        jobs = self._plan(work, chosen, settings, options, easy, with_reading=not draft)
        return self._make(
            jobs, settings, options, folder, pdf, draft, progress, cancelled, batch=True
        )

    def _make(
        self,
        jobs: list[LetterJob],
        settings: LetterSettings,
        options: LetterOptions,
        folder: Path,
        pdf: bool,
        draft: bool,
        progress: Progress | None,
        cancelled: Cancelled | None,
        *,
        batch: bool = False,
    ) -> GenerationResult:
        # 1. Every letter ready, or drafts asked for.
        if not draft and any(job.missing for job in jobs):
            raise LetterNotReady(
                not_ready_message([job.readiness for job in jobs]),
                tuple(job.readiness for job in jobs),
            )
        total = len(jobs) + (1 if pdf else 0)
        env = make_environment()
        stamp = (options.letter_date or today()).isoformat()
        # 2. Render everything in memory.
        for done, job in enumerate(jobs, start=1):
            if cancelled is not None and cancelled():
                log.info("letters cancelled after %s of %s", done - 1, len(jobs))
                return GenerationResult(cancelled=True, draft=draft)
            try:
                self._render(job, settings, options, env)
            except PloError as error:
                if batch:
                    raise PloError(
                        f"No letters were made. Case {job.case.reference}, letter to "
                        f"{job.reader.id}: {error}"
                    ) from error
                raise
            if draft:
                job.data = mark_draft(job.data, job.template.name, job.missing)
            if progress is not None:
                progress(done, total)
        # 3. Write the .docx files (owner-only, never over an existing file).
        make_folder(folder)
        try:
            for job in jobs:
                parts = [
                    safe_file_part(job.case.reference),
                    safe_file_part(job.template.name, 64),
                    safe_file_part(job.reader.id),
                    stamp,
                ]
                if draft:
                    parts.append("DRAFT")
                job.path = write_new_private(folder, "_".join(parts), ".docx", job.data)
        except OSError as error:
            remove_files(p for job in jobs for p in (job.path, job.pdf_path))
            raise PloError(
                f"Cannot save the letters in {folder}: {error.strerror}. No letters were saved."
            ) from None
        except BaseException:
            remove_files(p for job in jobs for p in (job.path, job.pdf_path))
            raise
        # 4. PDFs, in one LibreOffice run.
        pdf_note = None
        if pdf:
            if cancelled is not None and cancelled():
                remove_files(job.path for job in jobs)
                return GenerationResult(cancelled=True, draft=draft)
            try:
                made = pdf_conversion.convert([job.path for job in jobs if job.path])
                for job in jobs:
                    if job.path in made:
                        job.pdf_path = made[job.path]
                        job.pdf_data = job.pdf_path.read_bytes()
            except PdfError as error:
                pdf_note = str(error)
            except BaseException:
                remove_files(p for job in jobs for p in (job.path, job.pdf_path))
                raise
            if progress is not None:
                progress(total, total)
        # 5. Record them all (and the reading actions), in one transaction.
        try:
            records = self._record_all(jobs, draft, options.letter_date or today())
        except BaseException:
            remove_files(p for job in jobs for p in (job.path, job.pdf_path))
            raise
        log.info(
            "letters made: %s (pdf %s, draft %s)", len(jobs), bool(pdf and not pdf_note), draft
        )
        common = [n for n in jobs[0].notes if all(n in job.notes for job in jobs)] if jobs else []
        return GenerationResult(
            letters=tuple(
                GeneratedLetter(
                    record,
                    job.path,  # type: ignore[arg-type]
                    job.pdf_path,
                    job.report,  # type: ignore[arg-type]
                    tuple(n for n in job.notes if n not in common),
                    job.missing if draft else (),
                )
                for record, job in zip(records, jobs, strict=True)
            ),
            pdf_note=pdf_note,
            warnings=tuple(common),
            draft=draft,
            booked=tuple(
                f"{meetings.describe(job.case, job.booking)[:1].upper()}"
                f"{meetings.describe(job.case, job.booking)[1:]} was booked on case "
                f"{job.case.reference}."
                for job in jobs
                if job.booking is not None and not draft
            ),
        )

    def _record_all(
        self, jobs: list[LetterJob], draft: bool, letter_day: dt.date
    ) -> list[LetterRecord]:
        made_at = clock.utc_now()  # the app's day
        with self.db.write(self.actor.username) as session:
            ids = case_ids(session, {j.case.reference for j in jobs})
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
                    template=job.template.name,
                    template_title=job.template.title,
                    recipient_key=job.reader.id,
                    recipient_name=job.reader.name,
                    generated_by=self.actor.username,
                    generated_at=made_at,
                    file_name=job.path.name,
                    sha256=sha256_of(job.data),
                    pdf_file_name=job.pdf_path.name if job.pdf_path else None,
                    pdf_sha256=sha256_of(job.pdf_data) if job.pdf_data is not None else None,
                    draft=draft,
                    letter_date=letter_day,
                )
                session.add(row)
                if (job.booking is not None or job.reading is not None) and not draft:
                    # Booking or adding an action changes the case: checked as any edit is.
                    self.require_case_team(session, job.case.reference, job.case.team)
                if job.booking is not None and not draft:
                    book_meeting(session, case_id, job.booking)
                rows.append((row, job.case.reference))
                if job.reading is not None and not draft:
                    add_reading_action(session, case_id, job.reader, job.reading)
            session.flush()
            return [record_from_row(row, reference) for row, reference in rows]

    # -- checking any letter -------------------------------------------------------------------
    def check_file(self, path: Path) -> ReadabilityReport:
        """The plain-language report of any .docx, with the council's jargon too."""
        if not isinstance(path, Path):
            raise ValidationError("Letter: must be a file path.")
        return check_docx_file(path, self.jargon_terms())
