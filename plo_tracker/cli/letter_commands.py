"""Commands for letters: make them, check them, templates, settings, history, sent.

``letter CASE TEMPLATE``       the letters of one case (one per person with PR, or --party)
``letters --template T --cases REF...``   a batch, with a progress bar on a terminal
``check-letter FILE.docx``     the plain-language report of any .docx (text or JSON)
``templates``                  list and check the templates (shipped and the council's)
``letter-settings``            the council details, wording, jargon, languages, logo
``letter-preference CASE``     a person's letter preference (easy read)
``letter-history CASE``        the letters made for a case
``letter-sent LETTER_ID``      record a letter as sent (adds the case event for LBP/issue)

``letter`` and ``letters`` refuse, with one message listing everything missing and exit
status 1, while a letter is not ready to go out; ``--draft`` makes drafts instead, marked
DRAFT on every page, which can never be recorded as sent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plo_tracker.cli import letter_settings
from plo_tracker.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    ProgressBar,
    date_argument,
    print_table,
    utf8_stdout,
)
from plo_tracker.domain.dates import long_date
from plo_tracker.errors import PloError
from plo_tracker.letters.templates import FIELDS, TEMPLATE_NAMES

if TYPE_CHECKING:
    from plo_tracker.app import AppContext
    from plo_tracker.letters.errors import LetterNotReady
    from plo_tracker.letters.options import LetterOptions
    from plo_tracker.letters.readability import ReadabilityReport
    from plo_tracker.services.letters import GenerationResult, TemplateInfo

# python-docx, Jinja and textstat are imported by the handlers that use them (through the
# letter service), never to parse a command line.

EXIT_PDF_MISSING = EXIT_ERROR  # letters saved, but the PDFs asked for were not made


def time_argument(text: str) -> dt.time:
    try:
        hours, minutes = text.split(":")
        if not (hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
            raise ValueError
        return dt.time(int(hours), int(minutes))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a time written HH:MM (for example 10:30 or 14:00)"
        ) from None


def _template_arguments(p: argparse.ArgumentParser, *, positional: bool) -> None:
    names = ", ".join(TEMPLATE_NAMES)
    if positional:
        p.add_argument(
            "template",
            nargs="?",
            metavar="TEMPLATE",
            help=f"the template: {names}, or a template in the council's template folder",
        )
    else:
        p.add_argument("--template", metavar="TEMPLATE", help=f"the template: {names}, ...")
    p.add_argument(
        "--template-file",
        type=Path,
        metavar="PATH.docx",
        help="use a council's own .docx template (it is checked first)",
    )
    p.add_argument("--out", type=Path, default=None, metavar="DIR", help="folder to save in")
    p.add_argument(
        "--pdf", action="store_true", help="save a PDF of each letter too (needs LibreOffice)"
    )
    p.add_argument(
        "--date",
        type=date_argument,
        metavar="DATE",
        help="the date printed on the letter (default today); meetings booked after it",
    )
    p.add_argument(
        "--draft",
        action="store_true",
        help="make the letters even if they are not ready: marked DRAFT on every page, with "
        "what is missing; a draft can never be recorded as sent",
    )


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "letter",
        help="make the letters of one case (one per person with parental responsibility)",
    )
    p.add_argument("case", metavar="CASE", help="the case reference")
    _template_arguments(p, positional=True)
    p.add_argument(
        "--party", metavar="ID", help="only this person (their ID in the case, e.g. mother)"
    )
    p.add_argument(
        "--worry",
        action="append",
        default=[],
        metavar="TEXT",
        help="a worry, in words the parent will recognise (repeatable; default: the council's "
        "wording)",
    )
    p.add_argument(
        "--help-given",
        action="append",
        default=[],
        metavar="TEXT",
        help="help already given (repeatable; default: the council's wording)",
    )
    p.add_argument("--hearing-date", type=date_argument, metavar="DATE", help="first hearing")
    p.add_argument("--hearing-time", type=time_argument, metavar="HH:MM")
    p.add_argument("--hearing-place", metavar="TEXT", help="the court")
    p.add_argument(
        "--meeting-date",
        type=date_argument,
        metavar="DATE",
        help="a separate meeting for this person (with --party), booked on the case with the "
        "letter: when someone in the case has a confidential address or is kept apart",
    )
    p.add_argument("--meeting-time", type=time_argument, metavar="HH:MM")
    p.add_argument("--meeting-place", metavar="TEXT")
    p.add_argument(
        "--confirm-time",
        action="store_true",
        help="the meeting's time outside 08:00-18:00 is right (it needs confirming)",
    )
    p.add_argument(
        "--preview",
        action="store_true",
        help="show the letter text and its plain-language check; save nothing",
    )
    p.set_defaults(handler=cmd_letter)

    p = subparsers.add_parser("letters", help="make one kind of letter for many cases")
    _template_arguments(p, positional=False)
    p.add_argument("--cases", nargs="+", required=True, metavar="REF", help="case references")
    p.set_defaults(handler=cmd_letters)

    p = subparsers.add_parser("check-letter", help="the plain-language check of any .docx letter")
    p.add_argument("file", type=Path, metavar="FILE.docx")
    p.add_argument("--format", choices=("text", "json"), default="text")
    # It only reads the file: a database (for the council's own jargon) is used if there.
    p.set_defaults(handler=cmd_check_letter, needs_app=False)

    p = subparsers.add_parser("templates", help="list and check the letter templates")
    p.add_argument("--fields", action="store_true", help="list the fields templates may use")
    p.add_argument("--check", type=Path, metavar="FILE.docx", help="check a template file")
    p.add_argument(
        "--add",
        type=Path,
        metavar="FILE.docx",
        help="check a council template and add it to the template folder",
    )
    p.add_argument("--name", help="with --add: the template's name (default: the file's name)")
    p.add_argument("--replace", action="store_true", help="with --add: replace one of that name")
    folder = p.add_mutually_exclusive_group()
    folder.add_argument("--folder", type=Path, metavar="DIR", help="set the template folder")
    folder.add_argument("--no-folder", action="store_true", help="stop using a template folder")
    p.set_defaults(handler=cmd_templates)

    letter_settings.register(subparsers)

    p = subparsers.add_parser("letter-history", help="the letters made for a case")
    p.add_argument("case", metavar="CASE")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(handler=cmd_letter_history)

    p = subparsers.add_parser(
        "letter-sent",
        help="record a letter as sent (a letter before proceedings or of issue adds the event)",
    )
    p.add_argument("letter_id", type=int, metavar="LETTER_ID")
    p.add_argument("--on", type=date_argument, metavar="DATE", help="date sent (default today)")
    p.set_defaults(handler=cmd_letter_sent)


# -- making letters ------------------------------------------------------------------------------


def _options(args: argparse.Namespace) -> LetterOptions:
    from plo_tracker.letters.options import Hearing, LetterOptions, SeparateMeeting

    hearing = None
    hearing_date = getattr(args, "hearing_date", None)
    if hearing_date is not None:
        hearing = Hearing(hearing_date, args.hearing_time, args.hearing_place)
    elif getattr(args, "hearing_time", None) or getattr(args, "hearing_place", None):
        raise PloError("Give the hearing's date (--hearing-date) with its time or place.")
    meeting = None
    meeting_date = getattr(args, "meeting_date", None)
    if meeting_date is not None:
        meeting = SeparateMeeting(meeting_date, args.meeting_time, args.meeting_place)
    elif getattr(args, "meeting_time", None) or getattr(args, "meeting_place", None):
        raise PloError("Give the separate meeting's date (--meeting-date) with its time or place.")
    return LetterOptions(
        worries=tuple(getattr(args, "worry", ()) or ()),
        help_given=tuple(getattr(args, "help_given", ()) or ()),
        hearing=hearing,
        letter_date=args.date,
        meeting=meeting,
        confirmed_hours=bool(getattr(args, "confirm_time", False)),
    )


def _not_ready(error: LetterNotReady) -> LetterNotReady:
    """The service's message, with the command line's way to do what it suggests."""
    from plo_tracker.letters.errors import LetterNotReady

    hints = ["On the command line, --draft makes the letters as drafts."]
    if "separate meeting" in str(error):
        hints.append(
            "Give a person a separate meeting in a letter of their own: --party ID "
            "--meeting-date DATE --meeting-time HH:MM --meeting-place TEXT."
        )
    return LetterNotReady(f"{error}\n" + " ".join(hints), error.letters)


def _template_choice(args: argparse.Namespace) -> tuple[str | None, Path | None]:
    if args.template and args.template_file:
        raise PloError("Give either a template name or --template-file, not both.")
    if not args.template and not args.template_file:
        raise PloError(
            "Say which letter to make: one of " + ", ".join(TEMPLATE_NAMES) + ", or "
            "--template-file PATH.docx for a council's own template."
        )
    return args.template, args.template_file


def _score(report: ReadabilityReport) -> str:
    text = f"reading ease {report.reading_ease:.0f}, grade {report.grade:.1f}"
    if report.long_sentences:
        text += f", {len(report.long_sentences)} long sentence(s)"
    if report.jargon:
        text += f", {len(report.jargon)} jargon term(s)"
    return text


def _print_result(result: GenerationResult) -> int:
    from plo_tracker.letters.readability import READING_EASE_TARGET

    for letter in result.letters:
        record = letter.record
        kind = "DRAFT " if record.draft else ""
        print(
            f"Saved {kind}{letter.path} (letter {record.id}, {record.case_reference}, to "
            f"{record.recipient_name} [{record.recipient_key}]; {_score(letter.report)})"
        )
        if letter.pdf_path is not None:
            print(f"  and {letter.pdf_path}")
        for item in letter.missing:
            print(f"  Missing: {item}")
        for note in letter.notes:
            print(f"  Note: {note}")
    for booked in result.booked:
        print(booked)
    if result.warnings:
        print("Notes for every letter:")
        for note in result.warnings:
            print(f"  - {note}")
    plain = [
        letter
        for letter in result.letters
        if letter.report.reading_ease < READING_EASE_TARGET or letter.report.long_sentences
    ]
    if plain:
        print(
            f"{len(plain)} letter(s) fall short of the plain-language targets; see "
            "'plo-tracker check-letter FILE' for the sentences."
        )
    if result.draft:
        print(
            f"{len(result.letters)} draft(s) saved and recorded. Drafts are marked DRAFT on "
            "every page and can never be recorded as sent."
        )
    else:
        print(f"{len(result.letters)} letter(s) saved and recorded.")
    if result.pdf_note:
        print(f"PDF: {result.pdf_note}", file=sys.stderr)
        return EXIT_PDF_MISSING
    return EXIT_OK


def cmd_letter(ctx: AppContext, args: argparse.Namespace) -> int:
    from plo_tracker.letters.errors import LetterNotReady

    template, template_file = _template_choice(args)
    ctx.lookup.require_cases([args.case])
    options = _options(args)
    if args.preview:
        previews = ctx.letters.preview(
            args.case, template, party=args.party, options=options, template_file=template_file
        )
        out = utf8_stdout()
        for preview in previews:
            out.write(
                f"=== {preview.template_title}: {preview.case_reference}, to "
                f"{preview.recipient_name} [{preview.recipient_key}] ===\n"
            )
            out.write(preview.text + "\n\n")
            if preview.missing:
                out.write("NOT READY to send. Still missing:\n")
                out.writelines(f"  - {item}\n" for item in preview.missing)
            _write_report(out, preview.report)
            for note in preview.notes:
                out.write(f"Note: {note}\n")
            out.write("\n")
        print("Preview only: nothing was saved.")
        return EXIT_OK
    try:
        result = ctx.letters.generate(
            args.case,
            template,
            args.out or Path.cwd(),
            party=args.party,
            pdf=args.pdf,
            draft=args.draft,
            options=options,
            template_file=template_file,
            progress=ProgressBar("Letters"),
        )
    except LetterNotReady as error:
        raise _not_ready(error) from None
    return _print_result(result)


def cmd_letters(ctx: AppContext, args: argparse.Namespace) -> int:
    from plo_tracker.letters.errors import LetterNotReady

    template, template_file = _template_choice(args)
    if args.out is None:
        raise PloError("Say which folder to save the letters in (--out DIR).")
    ctx.lookup.require_cases(args.cases)
    try:
        result = ctx.letters.generate_batch(
            args.cases,
            template,
            args.out,
            pdf=args.pdf,
            draft=args.draft,
            options=_options(args),
            template_file=template_file,
            progress=ProgressBar("Letters"),
        )
    except LetterNotReady as error:
        raise _not_ready(error) from None
    return _print_result(result)


# -- the plain-language check -------------------------------------------------------------------


def _write_report(out: Any, report: ReadabilityReport) -> None:
    from plo_tracker.letters.readability import READING_EASE_TARGET

    out.write(
        f"Reading ease {report.reading_ease:.1f} (aim for {READING_EASE_TARGET:.0f} or more); "
        f"grade {report.grade:.1f}; {report.sentence_count} sentences, "
        f"{report.word_count} words.\n"
    )
    findings = report.findings()
    if not findings:
        out.write("No problems found.\n")
        return
    for finding in findings:
        out.write(f"- {finding.message}\n")
        if finding.sentence:
            out.write(f'    "{finding.sentence}"\n')


def _council_terms(args: argparse.Namespace) -> tuple[Any, str | None]:
    """The council's jargon list from the database, when there is one that opens; else the
    shipped list, and a note saying so."""
    from plo_tracker import config
    from plo_tracker.errors import KNOWN_ERRORS
    from plo_tracker.letters.jargon import DEFAULT_TERMS

    try:
        from plo_tracker.app import open_app

        ctx = open_app(config.resolve_database_url(args.db), username=args.user, upgrade=False)
    except KNOWN_ERRORS:
        return DEFAULT_TERMS, (
            "No PLO Tracker database could be opened, so the council's own jargon list was "
            "not used (the shipped list was)."
        )
    try:
        return ctx.letters.jargon_terms(), None
    finally:
        ctx.close()


def cmd_check_letter(args: argparse.Namespace) -> int:
    """The plain-language report of any .docx; needs no database (it only reads the file)."""
    from plo_tracker.errors import ValidationError
    from plo_tracker.letters.readability import check_docx_file

    if not isinstance(args.file, Path):
        raise ValidationError("Letter: must be a file path.")
    terms, note = _council_terms(args)
    report = check_docx_file(args.file, terms)
    if note:
        print(note, file=sys.stderr)
    out = utf8_stdout()
    if args.format == "json":
        out.write(json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    out.write(f"{args.file.name}\n")
    _write_report(out, report)
    return EXIT_OK


# -- templates ----------------------------------------------------------------------------------


def _template_row(info: TemplateInfo) -> list[str]:
    if info.check.ok:
        state = "ok" + (" (with warnings)" if info.check.warnings else "")
    else:
        state = "REFUSED"
    source = info.source + (" (replaces the shipped one)" if info.replaces_shipped else "")
    return [info.name, info.title, source, state]


def cmd_templates(ctx: AppContext, args: argparse.Namespace) -> int:
    letters = ctx.letters
    if args.fields:
        rows = []
        for field in FIELDS:
            rows.append([field.name, field.kind, field.meaning])
            for attribute, meaning in field.attributes:
                rows.append([f"  {field.name}.{attribute}", "", meaning])
        print_table(["Field", "Kind", "Meaning"], rows)
        return EXIT_OK
    if args.folder is not None or args.no_folder:
        folder = letters.set_template_folder(None if args.no_folder else args.folder)
        print(f"Template folder: {folder}." if folder else "No template folder is used now.")
    if args.check is not None:
        check = letters.check_template_file(args.check)
        _print_check(check.name, check.ok, check.problems, check.warnings, check.unknown_fields)
        return EXIT_OK if check.ok else EXIT_ERROR
    if args.add is not None:
        info = letters.add_template(args.add, args.name, replace=args.replace)
        print(f"Added the template '{info.name}' ({info.title}) as {info.path}.")
        for warning in info.check.warnings:
            print(f"  Warning: {warning}")
        return EXIT_OK
    if args.name or args.replace:
        raise PloError("--name and --replace go with --add FILE.docx.")
    templates = letters.templates()
    folder = letters.template_folder()
    print_table(["Name", "Title", "Source", "Check"], [_template_row(i) for i in templates])
    print(f"\nCouncil template folder: {folder if folder else 'not set'}.")
    if folder is not None and not folder.is_dir():
        print(
            "  This folder cannot be found, so the council's templates are not used until it "
            "is back (or set another with --folder)."
        )
    refused = [i for i in templates if not i.check.ok]
    for info in templates:
        if info.check.problems or info.check.warnings:
            _print_check(
                info.name,
                info.check.ok,
                info.check.problems,
                info.check.warnings,
                info.check.unknown_fields,
            )
    return EXIT_ERROR if refused else EXIT_OK


def _print_check(
    name: str,
    ok: bool,
    problems: tuple[str, ...],
    warnings: tuple[str, ...],
    unknown: tuple[str, ...],
) -> None:
    print(f"{name}: {'can be used' if ok else 'refused'}")
    for problem in problems:
        print(f"  Problem: {problem}")
    if unknown:
        print(f"  Fields PLO Tracker does not know: {', '.join(unknown)}")
    for warning in warnings:
        print(f"  Warning: {warning}")


# -- settings, history, sent --------------------------------------------------------------------


def cmd_letter_history(ctx: AppContext, args: argparse.Namespace) -> int:
    ctx.lookup.require_cases([args.case])
    records = ctx.letters.history(args.case)
    names = ctx.audit.names()
    out = utf8_stdout()
    if args.format == "json":
        document = [
            {
                "id": r.id,
                "case": r.case_reference,
                "template": r.template,
                "recipient": r.recipient_key,
                "recipient_name": r.recipient_name,
                "generated_by": r.generated_by,
                "generated_by_name": names.get(r.generated_by, r.generated_by),
                "generated_at": r.generated_at.isoformat(),
                "file_name": r.file_name,
                "sha256": r.sha256,
                "pdf_file_name": r.pdf_file_name,
                "pdf_sha256": r.pdf_sha256,
                "sent_on": r.sent_on.isoformat() if r.sent_on else None,
                "draft": r.draft,
            }
            for r in records
        ]
        out.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    if not records:
        print(f"No letters have been made for {args.case}.")
        return EXIT_OK
    rows = [  # people's names, not their logins
        [
            r.id,
            r.generated_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            r.template,
            f"{r.recipient_name} [{r.recipient_key}]",
            names.get(r.generated_by, r.generated_by),
            "draft (never sent)"
            if r.draft
            else long_date(r.sent_on)
            if r.sent_on
            else "not recorded",
            r.file_name,
        ]
        for r in records
    ]
    print_table(["ID", "Made", "Template", "To", "By", "Sent", "File"], rows)
    return EXIT_OK


def cmd_letter_sent(ctx: AppContext, args: argparse.Namespace) -> int:
    from plo_tracker.services.base import today

    sent_on = args.on or today()
    record = ctx.letters.record_sent(args.letter_id, sent_on)
    event = record.sent_event
    added = f" The case event '{event}' was added." if event else ""
    print(
        f"Letter {record.id} ({record.template}, {record.case_reference}, to "
        f"{record.recipient_key}) recorded as sent on {long_date(sent_on)}.{added}"
    )
    return EXIT_OK
