"""``plo-tracker teams``: the council's teams, as records (administrators change them)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from plo_tracker.cli.common import EXIT_OK, print_table

if TYPE_CHECKING:
    from plo_tracker.app import AppContext


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "teams",
        help="list the teams; add, rename, retire and confirm them",
        description="Cases and users belong to one of the council's teams. Renaming a team "
        "renames it on every case and user; a retired team keeps its cases but is offered "
        "for no new case. Teams 'not yet registered' were found on cases (an upgrade or an "
        "import) and wait for an administrator to confirm them.",
    )
    actions = p.add_subparsers(dest="teams_action", metavar="ACTION")
    actions.add_parser("list", help="list the teams (the default)")
    a = actions.add_parser("add", help="add a team")
    a.add_argument("name")
    a = actions.add_parser("rename", help="rename a team, on every case and user too")
    a.add_argument("old")
    a.add_argument("new")
    a = actions.add_parser(
        "retire",
        help="offer a team for no new case (its cases keep it); refused while anyone who "
        "uses PLO Tracker is in it",
    )
    a.add_argument("name")
    a = actions.add_parser("reinstate", help="offer a retired team again")
    a.add_argument("name")
    a = actions.add_parser("confirm", help="confirm a team not yet registered")
    a.add_argument("name")
    a = actions.add_parser(
        "merge",
        help="two names of one team: move every case and user of the first to the second "
        "and remove the first",
    )
    a.add_argument("name")
    a.add_argument("into")
    p.set_defaults(handler=cmd_teams)


def cmd_teams(ctx: AppContext, args: argparse.Namespace) -> int:
    action = args.teams_action or "list"
    teams = ctx.teams
    if action == "list":
        found = teams.list()
        if not found:
            print("No teams are recorded yet. Add one with: plo-tracker teams add NAME")
            return EXIT_OK
        print_table(
            ["Team", "Status", "Cases", "People"],
            [[t.name, t.status, t.cases, t.members] for t in found],
            wrap_last=False,
        )
        waiting = sum(1 for t in found if not t.registered)
        if waiting:
            print(
                f"\n{waiting} team(s) not yet registered: confirm each with "
                "'plo-tracker teams confirm NAME' (or rename, merge or retire it)."
            )
        return EXIT_OK
    if action == "add":
        record = teams.add(args.name)
        print(f"Added the team {record.name}.")
    elif action == "rename":
        record = teams.rename(args.old, args.new)
        print(f"Renamed the team to {record.name}, on {_cases(record.cases)} and its people too.")
    elif action == "retire":
        record = teams.retire(args.name)
        print(
            f"Retired the team {record.name}: it is offered for no new case or user; "
            f"{_cases(record.cases)} keep it."
        )
    elif action == "reinstate":
        record = teams.reinstate(args.name)
        print(f"The team {record.name} is offered again.")
    elif action == "confirm":
        record = teams.confirm(args.name)
        print(f"Confirmed the team {record.name}.")
    elif action == "merge":
        record = teams.merge(args.name, args.into)
        print(
            f"Merged {args.name} into {record.name}, which now has {_cases(record.cases)}; "
            f"{args.name} is removed (the audit trail keeps it)."
        )
    return EXIT_OK


def _cases(count: int) -> str:
    return f"{count} case" if count == 1 else f"{count} cases"
