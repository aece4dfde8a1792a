"""Heading for PLO: ``cp-plans`` (the CP plans from the council's CIN return) and ``watch``
(the children who may need a legal planning meeting, and managers' reviews)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plo_tracker.cli.common import EXIT_OK, csv_text, date_argument, print_table, utf8_stdout
from plo_tracker.domain.dates import long_date, short_date

if TYPE_CHECKING:
    from plo_tracker.app import AppContext
    from plo_tracker.services.watch import HeldImport, WatchList

RULE_NAMES = ("cp_plan_long", "repeat_cp_plan", "back_after_step_down")


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "cp-plans",
        help="show or import the child protection plans from the council's CIN return",
        description="Without an action: what is held, from which file and when. 'import' "
        "reads every child's child protection plans (LA child id, date of birth, plan "
        "dates, number of previous plans; the return holds no names) and replaces what is "
        "held, all or nothing.",
    )
    actions = p.add_subparsers(dest="cp_action", metavar="ACTION")
    s = actions.add_parser("import", help="replace the held CP plans with a CIN return's")
    s.add_argument("file", type=Path, metavar="RETURN.xml")
    s.add_argument(
        "--replace-newer",
        action="store_true",
        help="let a return older than the one held replace it",
    )
    p.set_defaults(handler=cmd_cp_plans)

    p = subparsers.add_parser(
        "watch",
        help="list the children heading for PLO (long or repeat CP plans, back after a "
        "step-down) with no legal planning meeting",
    )
    p.add_argument(
        "--as-of",
        type=date_argument,
        metavar="DATE",
        help="the list as of this date (default today); later plans and meetings are ignored",
    )
    p.add_argument("--team", help="only children held by this team's cases")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    actions = p.add_subparsers(dest="watch_action", metavar="ACTION")
    s = actions.add_parser("review", help="record a manager's review of a watch-list item")
    s.add_argument("la_child_id", metavar="LA_CHILD_ID")
    s.add_argument("rule", metavar="RULE", choices=RULE_NAMES)
    s.add_argument("--rationale", required=True, help="why the child is not yet at a meeting")
    s.add_argument(
        "--until", type=date_argument, metavar="DATE", help="the review holds until this date"
    )
    p.set_defaults(handler=cmd_watch)


def held_lines(held: HeldImport | None) -> list[str]:
    if held is None:
        return [
            "No child protection plans are held. Import the council's CIN census return "
            "with: plo-tracker cp-plans import RETURN.xml"
        ]
    made = f", made {held.file_datetime:%d %B %Y %H:%M}" if held.file_datetime else ""
    return [
        f"Held: {held.describe()}, {held.open_plans} open today.",
        f"From {held.file_name}: the CIN census return for "
        f"{short_date(held.reference_date)}{made} (LA {held.lea or 'not given'}).",
        f"Imported by {held.imported_by} on {held.imported_at:%d %B %Y at %H:%M} UTC.",
    ]


def cmd_cp_plans(ctx: AppContext, args: argparse.Namespace) -> int:
    if args.cp_action == "import":
        held = ctx.watch.import_return(args.file, replace_newer=args.replace_newer)
        print(
            f"Imported {args.file.name}: {held.children} child(ren) read, "
            f"{held.children_with_plans} with child protection plans, {held.plans} plan(s) "
            "kept. The previous import was replaced."
        )
        return EXIT_OK
    for line in held_lines(ctx.watch.held()):
        print(line)
    return EXIT_OK


def _reviewed(item: Any) -> str:
    review = item.reviewed
    if review is None:
        return ""
    text = f"{review.by} {review.on.isoformat()}"
    return text + (f" until {review.until.isoformat()}" if review.until else "")


def cmd_watch(ctx: AppContext, args: argparse.Namespace) -> int:
    if args.watch_action == "review":
        review = ctx.watch.review(
            args.la_child_id, args.rule, rationale=args.rationale, until=args.until
        )
        until = f" until {long_date(review.until)}" if review.until else ""
        print(f"Reviewed {review.la_child_id} ({review.rule}) on {long_date(review.on)}{until}.")
        return EXIT_OK
    if args.team is not None:
        ctx.lookup.require_team(args.team)
    found = ctx.watch.watch_list(args.as_of, args.team)
    out = utf8_stdout()
    if args.format == "json":
        document = {"as_of": found.as_of.isoformat(), "items": [i.to_json() for i in found.items]}
        out.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    headers = ["Child", "Rule", "Since", "Due", "Case", "Reviewed", "Message"]
    rows = [
        [
            i.la_child_id,
            i.rule,
            i.since.isoformat(),
            i.due.isoformat(),
            i.case or "",
            _reviewed(i),
            i.message,
        ]
        for i in found.items
    ]
    if args.format == "csv":
        out.write(csv_text(headers, rows))
        return EXIT_OK
    if found.held is None:
        print(held_lines(None)[0])
        return EXIT_OK
    if rows:
        print_table(headers, rows, out)
        print()
    print(summary(found, args.team))
    return EXIT_OK


def summary(found: WatchList, team: str | None) -> str:
    children = len({i.la_child_id for i in found.items})
    where = f" held by {team}'s cases" if team else ""
    held = found.held
    assert held is not None
    text = (
        f"{len(found.items)} item(s) for {children} child(ren){where} as of "
        f"{long_date(found.as_of)}, from the CP plans of {held.file_name} (the return for "
        f"{short_date(held.reference_date)})."
    )
    figures = found.indicators
    if figures is not None:
        text += (
            f"\nOpen CP plans: {figures.open_plans}; second or subsequent: "
            f"{figures.repeat_plans}; lasting 2 years or more: {figures.long_plans}."
        )
    return text
