"""Letter settings on the command line (registered by ``letter_commands``).

``letter-settings``      show or change the council's details, wording, jargon, the first
                         line per language and the logo
``letter-preference``    show or change a person's letter preference (easy read)

Every option of earlier versions still works; every setting added since has a default
(how to find a solicitor, the advice line), so a council that set the older options can
make complete letters.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plo_tracker.cli.common import EXIT_OK, print_table
from plo_tracker.errors import PloError

if TYPE_CHECKING:
    from plo_tracker.app import AppContext

_COUNCIL_OPTIONS = {
    "council_name": "name",
    "phone": "phone",
    "email": "email",
    "lawyer_name": "lawyer_name",
    "lawyer_phone": "lawyer_phone",
    "lawyer_email": "lawyer_email",
    "signatory": "signatory",
    "signatory_role": "signatory_role",
}
_WORDING_OPTIONS = {
    "default_worry": "worries",
    "default_help_given": "help_given",
    "find_solicitor": "find_solicitor",
    "advice_line": "advice_line",
}


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "letter-settings",
        help="show or change the council details, wording, jargon, languages and logo used "
        "in letters",
    )
    for option, help_text in (
        ("--council-name", "the council's name"),
        ("--phone", "the phone number parents call"),
        ("--email", "the email address parents write to"),
        ("--lawyer-name", "the council's lawyer (for parents' solicitors)"),
        ("--lawyer-phone", "the lawyer's phone number"),
        ("--lawyer-email", "the lawyer's email"),
        ("--signatory", "who signs when the case has no team manager"),
        ("--signatory-role", "their job title"),
    ):
        p.add_argument(option, metavar="TEXT", help=help_text)
    p.add_argument(
        "--address",
        action="append",
        metavar="LINE",
        help="the council's address, one line per option (replaces the address)",
    )
    for option, help_text in (
        (
            "--default-worry",
            "default worry sentences, for drafts of cases with none recorded ({children} = "
            "the children's names)",
        ),
        ("--default-help-given", "default sentences about help already given"),
        (
            "--find-solicitor",
            "how to find a children law solicitor (replaces the default: the Law Society's "
            "Find a Solicitor and its Children Law Accreditation)",
        ),
        (
            "--advice-line",
            "a free advice line for families (replaces the default: Family Rights Group)",
        ),
    ):
        p.add_argument(option, action="append", metavar="TEXT", help=help_text + " (repeatable)")
    p.add_argument(
        "--add-jargon",
        action="append",
        default=[],
        metavar="TERM=PLAIN",
        help="flag TERM in letters and suggest PLAIN instead (repeatable)",
    )
    p.add_argument("--remove-jargon", action="append", default=[], metavar="TERM")
    p.add_argument(
        "--language-line",
        action="append",
        default=[],
        metavar="LANGUAGE=LINE",
        help="the council's checked first line in a language: 'this letter is important; "
        "call {phone} for an interpreter' (repeatable)",
    )
    p.add_argument("--remove-language-line", action="append", default=[], metavar="LANGUAGE")
    logo = p.add_mutually_exclusive_group()
    logo.add_argument("--logo", type=Path, metavar="FILE", help="the council's logo (PNG or JPEG)")
    logo.add_argument("--no-logo", action="store_true", help="stop printing a logo")
    p.set_defaults(handler=cmd_letter_settings)

    p = subparsers.add_parser(
        "letter-preference",
        help="show or change how a person's letters are made (easy read)",
    )
    p.add_argument("case", metavar="CASE")
    p.add_argument("--party", metavar="ID", help="the person (their ID in the case)")
    choice = p.add_mutually_exclusive_group()
    choice.add_argument(
        "--easy-read",
        action="store_true",
        help="this person gets the easy-read version of every letter",
    )
    choice.add_argument(
        "--standard",
        action="store_true",
        help="this person gets the standard letters (even if their needs say easy read)",
    )
    p.set_defaults(handler=cmd_letter_preference)


def _pairs(values: list[str], option: str, example: str) -> list[tuple[str, str]]:
    pairs = []
    for pair in values:
        left, sep, right = pair.partition("=")
        if not sep or not left.strip():
            raise PloError(f"{option} '{pair}': write {example}. Nothing was changed.")
        pairs.append((left.strip(), right))
    return pairs


def _change_jargon(ctx: AppContext, args: argparse.Namespace) -> None:
    letters = ctx.letters
    entries = letters.extra_jargon()
    removing = {t.strip().lower() for t in args.remove_jargon}
    unknown = removing - {e["term"].lower() for e in entries}
    if unknown:
        raise PloError(
            f"'{sorted(unknown)[0]}' is not in the council's jargon list, so it cannot be "
            "removed. Nothing was changed."
        )
    entries = [e for e in entries if e["term"].lower() not in removing]
    example = '"core group=the group of people who help your family"'
    for term, plain in _pairs(args.add_jargon, "--add-jargon", f"TERM=PLAIN, e.g. {example}"):
        entries = [e for e in entries if e["term"].lower() != term.lower()]
        entries.append({"term": term, "suggestion": plain})
    letters.set_extra_jargon(entries)


def _change_languages(ctx: AppContext, args: argparse.Namespace) -> None:
    from plo_tracker.letters.options import LanguageLines

    lines = ctx.letters.language_lines()
    for language in args.remove_language_line:
        if lines.line_for(language) is None:
            raise PloError(
                f"There is no first line for '{language}' to remove. Nothing was changed."
            )
        lines = lines.with_line(language, None)
    example = 'LANGUAGE=LINE, e.g. "Polish=..." (the council\'s checked wording)'
    for language, line in _pairs(args.language_line, "--language-line", example):
        lines = lines.with_line(language, line)
    ctx.letters.set_language_lines(LanguageLines.from_json(lines.to_json()))


def cmd_letter_settings(ctx: AppContext, args: argparse.Namespace) -> int:
    from plo_tracker.letters.options import CouncilDetails, Wording

    letters = ctx.letters
    changes = {
        field: getattr(args, option)
        for option, field in _COUNCIL_OPTIONS.items()
        if getattr(args, option) is not None
    }
    if args.address is not None:
        changes["address"] = list(args.address)
    changed = False
    if changes:
        council = letters.council().to_json()
        council.update(changes)
        letters.set_council(CouncilDetails.from_json(council))
        changed = True
    wording_changes = {
        key: list(getattr(args, option))
        for option, key in _WORDING_OPTIONS.items()
        if getattr(args, option)
    }
    if wording_changes:
        wording = letters.wording().to_json()
        wording.update(wording_changes)
        letters.set_wording(Wording.from_json(wording))
        changed = True
    if args.add_jargon or args.remove_jargon:
        _change_jargon(ctx, args)
        changed = True
    if args.language_line or args.remove_language_line:
        _change_languages(ctx, args)
        changed = True
    if args.logo is not None or args.no_logo:
        letters.set_logo(None if args.no_logo else args.logo)
        changed = True
    council = letters.council()
    wording = letters.wording()
    logo = letters.logo()
    languages = letters.language_lines()
    rows = [
        ["Council name", council.name],
        ["Address", ", ".join(council.address) or "(not set)"],
        ["Phone", council.phone],
        ["Email", council.email or "(not set)"],
        ["Lawyer", council.lawyer_name],
        ["Lawyer's phone", council.lawyer_phone],
        ["Lawyer's email", council.lawyer_email or "(not set)"],
        ["Signed by (no team manager)", f"{council.signatory}, {council.signatory_role}"],
        ["Default worries", " ".join(wording.worries)],
        ["Default help given", " ".join(wording.help_given)],
        ["How to find a solicitor", " ".join(wording.find_solicitor)],
        ["Advice line", " ".join(wording.advice_line)],
        [
            "Extra jargon",
            "; ".join(f"{e['term']} = {e['suggestion']}" for e in letters.extra_jargon())
            or "(none)",
        ],
        [
            "First line per language",
            "; ".join(f"{name}: {line}" for name, line in languages.lines)
            or "(none: readers of another language get it in English)",
        ],
        ["Logo", f"{logo.file_name} ({len(logo.data)} bytes)" if logo else "(none)"],
    ]
    print_table(["Setting", "Value"], rows)
    missing = council.missing_for(has_team_manager=False)
    if missing:
        print(
            "\nStill to set (letters are not ready to send until then): " + ", ".join(missing) + "."
        )
    if changed:
        print("\nSaved.")
    return EXIT_OK


def cmd_letter_preference(ctx: AppContext, args: argparse.Namespace) -> int:
    if args.easy_read or args.standard:
        if not args.party:
            raise PloError("Say whose preference to change: --party ID.")
        ctx.letters.set_easy_read(args.case, args.party, bool(args.easy_read))
    case = ctx.cases.get(args.case)
    easy = {p.party_key for p in ctx.letters.preferences(args.case) if p.easy_read}
    rows = [
        [p.id, p.name, "easy read" if p.id in easy else "standard"]
        for p in case.parties
        if not args.party or p.id == args.party
    ]
    print_table(["ID", "Name", "Letters"], rows)
    if args.easy_read or args.standard:
        print("\nSaved.")
    return EXIT_OK
