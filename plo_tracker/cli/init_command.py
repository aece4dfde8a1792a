"""``plo-tracker init``: start a new, empty PLO Tracker database.

Besides ``init``, only ``import``, ``demo-data``, ``restore``, ``migrate`` and
``users add`` may make a database; every other command refuses a missing one.
"""

from __future__ import annotations

import argparse
from typing import Any

from plo_tracker.cli.common import EXIT_OK


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "init",
        help="start a new, empty database where --db (or the default) points",
        description="Creates a new PLO Tracker database: a SQLite file (its folder must "
        "exist), or the tables in an empty PostgreSQL database. You become its "
        "administrator. An existing PLO Tracker database is left as it is; anything else "
        "is refused untouched.",
    )
    p.set_defaults(handler=cmd_init, needs_app=False, creates=True)


def cmd_init(args: argparse.Namespace) -> int:
    from plo_tracker import config
    from plo_tracker.app import database_exists, location, open_app
    from plo_tracker.permissions import ROLE_LABELS

    url = config.resolve_database_url(args.db)
    where = location(url)
    if database_exists(url):
        context = open_app(url, username=args.user)
        try:
            count = len(context.cases.references())
        finally:
            context.close()
        print(f"{where} is already a PLO Tracker database ({count} cases); nothing was changed.")
        return EXIT_OK
    context = open_app(url, username=args.user, create=True)
    actor = context.actor
    context.close()
    print(
        f"Created a new PLO Tracker database at {where}. You ({actor.username}) are its "
        f"{ROLE_LABELS[actor.role].lower()}; add the people who will use it with "
        "'plo-tracker users add'."
    )
    return EXIT_OK
