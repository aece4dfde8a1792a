"""``plo-tracker users``: who may use this database, and in which role."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from plo_tracker.cli.common import EXIT_OK, print_table
from plo_tracker.permissions import ROLE_LABELS, Permission, Role

if TYPE_CHECKING:
    from plo_tracker.app import AppContext


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("users", help="list users, add them and set their roles")
    actions = p.add_subparsers(dest="users_action", metavar="ACTION")
    actions.add_parser("list", help="list the users")
    a = actions.add_parser("add", help="add a user")
    a.add_argument("username", help="their login name (the database login on PostgreSQL)")
    a.add_argument("--name", required=True, help="their full name, as shown in the app")
    a.add_argument("--role", required=True, choices=[r.value for r in Role])
    a.add_argument("--team")
    a.add_argument(
        "--create-login",
        action="store_true",
        help="PostgreSQL: also create their database login (without a password; "
        "set one or use your council's sign-in method)",
    )
    a.set_defaults(creates=True)  # the first user of a new database
    a = actions.add_parser("set-role", help="change a user's role")
    a.add_argument("username")
    a.add_argument("role", choices=[r.value for r in Role])
    a = actions.add_parser("set-team", help="change a user's team")
    a.add_argument("username")
    a.add_argument("team", help='one of the teams (plo-tracker teams list; "" for none)')
    a = actions.add_parser(
        "set-name", help="correct a user's name (the cases that name them follow)"
    )
    a.add_argument("username")
    a.add_argument("name")
    a = actions.add_parser(
        "confirm",
        help="give a person not yet registered (found on cases) their login, and let them "
        "use the app",
    )
    a.add_argument("person", help="their name as listed (plo-tracker users list)")
    a.add_argument("--username", required=True, help="their login name")
    a.add_argument("--role", choices=[r.value for r in Role], help="default: as found")
    a.add_argument("--team", help="default: as found")
    a.add_argument("--name", help="their name, if it was written differently on the cases")
    a.add_argument(
        "--create-login",
        action="store_true",
        help="PostgreSQL: also create their database login",
    )
    a = actions.add_parser(
        "merge",
        help="a person not yet registered is someone already listed: their cases name that "
        "user instead, and the extra record goes",
    )
    a.add_argument("person", help="the name not yet registered")
    a.add_argument("into", help="the user's login name (or name)")
    a = actions.add_parser("deactivate", help="stop a user from using the app")
    a.add_argument("username")
    a = actions.add_parser("activate", help="let a deactivated user use the app again")
    a.add_argument("username")
    actions.add_parser("whoami", help="show who you are signed in as")
    p.set_defaults(handler=cmd_users)


def cmd_users(ctx: AppContext, args: argparse.Namespace) -> int:
    action = args.users_action or "list"
    users = ctx.users
    if action == "whoami":
        actor = ctx.actor
        print(
            f"{actor.display_name} ({actor.username}), {ROLE_LABELS[actor.role]}"
            + (f", {actor.team}" if actor.team else "")
        )
        return EXIT_OK
    if action == "list":
        ctx.actor.require(Permission.VIEW_CASES)
        found = users.list()
        print_table(
            ["User name", "Name", "Role", "Team", "Active"],
            [
                [
                    u.username,
                    u.display_name,
                    ROLE_LABELS[u.role],
                    u.team or "",
                    _state(u),
                ]
                for u in found
            ],
            wrap_last=False,
        )
        waiting = sum(1 for u in found if not u.registered)
        if waiting:
            print(
                f"\n{waiting} person(s) not yet registered (found on cases): give each their "
                'login with plo-tracker users confirm "NAME" --username LOGIN (or merge them '
                'into someone listed: plo-tracker users merge "NAME" LOGIN).'
            )
        return EXIT_OK
    if action == "add":
        record = users.add(args.username, args.name, args.role, args.team)
        print(f"Added {record.username} as a {ROLE_LABELS[record.role]}.")
        _team_note(ctx, record.team)
        _sync(ctx, record.username, create=args.create_login)
        return EXIT_OK
    if action == "confirm":
        record = users.confirm(
            args.person, args.username, role=args.role, team=args.team, display_name=args.name
        )
        print(
            f"Confirmed {record.display_name}: user name {record.username}, "
            f"{ROLE_LABELS[record.role]}" + (f", {record.team}" if record.team else "") + "."
        )
        _sync(ctx, record.username, create=args.create_login)
        return EXIT_OK
    if action == "merge":
        record = users.merge(args.person, args.into)
        print(
            f"Merged {args.person} into {record.display_name} ({record.username}): the cases "
            "that named them now name this user."
        )
        return EXIT_OK
    known = [u.username for u in users.list()]
    if args.username not in known:
        from plo_tracker.services.lookup import unknown

        raise unknown("user called", args.username, known, plural="users")
    record = users.get(args.username)
    if action == "set-role":
        record = users.update(args.username, record.version, role=args.role)
        print(f"{record.username} is now a {ROLE_LABELS[record.role]}.")
        _sync(ctx, record.username)
    elif action == "set-team":
        record = users.update(args.username, record.version, team=args.team.strip())
        if record.team:
            print(f"{record.username} is now in the team {record.team}.")
        else:
            print(f"{record.username} is now in no team (their team views show every team).")
        _team_note(ctx, record.team)
    elif action == "set-name":
        record = users.update(args.username, record.version, display_name=args.name)
        print(f"{record.username} is now called {record.display_name} (on their cases too).")
    elif action == "deactivate":
        users.update(args.username, record.version, active=False)
        print(f"{record.username} can no longer use the app.")
        _sync(ctx, record.username)
    elif action == "activate":
        users.update(args.username, record.version, active=True)
        print(f"{record.username} can use the app again.")
        _sync(ctx, record.username)
    return EXIT_OK


def _state(user: Any) -> str:
    if not user.registered:
        return "not yet registered"
    return "yes" if user.active else "no"


def _team_note(ctx: AppContext, team: str | None) -> None:
    """Say so when no case belongs to the team (a typo would leave their views empty)."""
    note = ctx.lookup.team_note(team)
    if note:
        print(note)


def _sync(ctx: AppContext, username: str, *, create: bool = False) -> None:
    """On PostgreSQL, give the person's database login the group of their role."""
    if not ctx.db.is_postgresql:
        return
    pending = ctx.users.sync_login(username, create=create)
    if pending:
        print(
            "Your database login may not change database roles. Ask your database "
            "administrator to run:"
        )
        for statement in pending:
            print(f"  {statement};")
    else:
        print("Their database login now has the matching database role.")
