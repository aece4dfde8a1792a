"""The ``plo-tracker`` command line.

Each command group lives in its own module with a ``register(subparsers)``
function; ``main`` builds the parser from ``COMMAND_MODULES``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from plo_tracker import __version__
from plo_tracker.cli.common import run_handler

COMMAND_MODULES: tuple[str, ...] = (
    "plo_tracker.cli.init_command",
    "plo_tracker.cli.case_commands",
    "plo_tracker.cli.user_commands",
    "plo_tracker.cli.admin_commands",
    "plo_tracker.cli.letter_commands",
    "plo_tracker.cli.report_commands",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="plo-tracker",
        description="Track Public Law Outline pre-proceedings cases. Without a command, "
        "opens the desktop window.",
    )
    parser.add_argument("--version", action="version", version=f"PLO Tracker {__version__}")
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database: a SQLite file path or a postgresql:// URL (default: the environment "
        "variable PLO_TRACKER_DATABASE_URL, else the SQLite file in your data folder)",
    )
    parser.add_argument(
        "--user",
        metavar="NAME",
        help="on a SQLite database, act as this registered user instead of your login name",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the desktop window on a throw-away database filled with demo cases",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(list(argv) if argv is not None else sys.argv[1:])
    if args.command is None:
        parser.print_help()
        return 0
    return run_handler(args)
