"""The ``plo-tracker`` command line.

Each command group lives in its own module with a ``register(subparsers)`` function that
only declares the commands: the modules import no database, Qt, letter or spreadsheet
library at load time, and each handler imports the services it uses when it runs.  So
``--help``, ``--version`` and ``COMMAND --help`` load none of them (a test checks).

``COMMAND_MODULES`` names each module with the commands it declares.  To run a command
only its own module is loaded; the full list (``--help``, an unknown command) loads them
all.  A module that cannot be loaded never makes its commands vanish: they stay listed,
and running one says which part of PLO Tracker is missing (and logs it).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from plo_tracker.cli.common import EXIT_ERROR, log_load_failure, run_handler, setup_logging

COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "plo_tracker.cli.init_command": ("init",),
    "plo_tracker.cli.case_commands": (
        "import",
        "export",
        "flags",
        "policy",
        "migrate",
        "demo-data",
    ),
    "plo_tracker.cli.user_commands": ("users",),
    "plo_tracker.cli.team_commands": ("teams",),
    "plo_tracker.cli.admin_commands": (
        "backup",
        "restore",
        "db-setup",
        "audit",
        "sar-export",
        "delete-case",
    ),
    "plo_tracker.cli.letter_commands": (
        "letter",
        "letters",
        "check-letter",
        "templates",
        "letter-settings",
        "letter-preference",
        "letter-history",
        "letter-sent",
    ),
    "plo_tracker.cli.report_commands": ("report", "census", "census-settings"),
    "plo_tracker.cli.config_commands": ("config",),
    "plo_tracker.cli.watch_commands": ("cp-plans", "watch"),
}

# Options of the main parser that take a value (to find the command name in argv).
_VALUE_OPTIONS = ("--db", "--user", "--check-screens")


@dataclass(frozen=True)
class LoadFailure:
    module: str
    commands: tuple[str, ...]
    error: BaseException

    def message(self) -> str:
        return (
            f"The command(s) {', '.join(self.commands)} cannot be used: part of PLO Tracker "
            f"({self.module}) could not be loaded ({type(self.error).__name__}: {self.error}). "
            "The installation is incomplete or damaged; please tell your IT team."
        )


class _VersionAction(argparse.Action):
    """``--version``: the version and database schemas, worked out only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        from plo_tracker.about import version_text

        argv = getattr(parser, "plo_argv", sys.argv[1:])
        print(version_text(getattr(namespace, "db", None) or _option_in(argv, "--db")))
        parser.exit()


def _option_in(argv: Sequence[str], name: str) -> str | None:
    for index, item in enumerate(argv):
        if item == name and index + 1 < len(argv):
            return argv[index + 1]
        if item.startswith(name + "="):
            return item.split("=", 1)[1]
    return None


def command_name(argv: Sequence[str]) -> str | None:
    """The command named in ``argv`` (the first word that is not a main option)."""
    skip = False
    for item in argv:
        if skip:
            skip = False
            continue
        if item == "--":
            continue
        if item in _VALUE_OPTIONS:
            skip = True
            continue
        if item.startswith("-"):
            continue
        return item
    return None


def modules_for(argv: Sequence[str] | None) -> list[str]:
    """The command modules needed to parse ``argv``: the named command's module; none when
    no command is named (the window opens); all of them to list them (``--help``) or to
    say a command is unknown."""
    if argv is None:
        return list(COMMAND_MODULES)
    name = command_name(argv)
    if name is None and not any(a in ("-h", "--help") for a in argv):
        return []
    for module, commands in COMMAND_MODULES.items():
        if name in commands:
            return [module]
    return list(COMMAND_MODULES)


def _unavailable(failure: LoadFailure, subparsers: Any) -> None:
    for command in failure.commands:
        p = subparsers.add_parser(
            command,
            help="(not available: part of PLO Tracker could not be loaded)",
            description=failure.message(),
        )
        p.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
        p.set_defaults(handler=_report_failure(failure), needs_app=False)


def _report_failure(failure: LoadFailure) -> Any:
    def handler(_args: argparse.Namespace) -> int:
        print(f"Error: {failure.message()}", file=sys.stderr)
        return EXIT_ERROR

    return handler


def build_parser(
    argv: Sequence[str] | None = None, failures: list[LoadFailure] | None = None
) -> argparse.ArgumentParser:
    """The parser; with ``argv``, only the modules that command needs are loaded."""
    parser = argparse.ArgumentParser(
        prog="plo-tracker",
        description="Track Public Law Outline pre-proceedings cases. Without a command, "
        "opens the desktop window.",
    )
    parser.add_argument(
        "--version",
        action=_VersionAction,
        help="show the version, the database schema it uses and that of your database",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database: a SQLite file path or a postgresql:// URL (default: the environment "
        "variable PLO_TRACKER_DATABASE_URL, else the settings files, else the SQLite file in "
        "your data folder; see 'plo-tracker config')",
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
    parser.add_argument(
        "--check-screens",
        metavar="REPORT.json",
        help="open the desktop window, show each screen in turn, write what was shown to "
        "REPORT.json (with a screenshot of each) and close: checks an installation",
    )
    parser.plo_argv = list(argv) if argv is not None else sys.argv[1:]  # type: ignore[attr-defined]
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in modules_for(argv):
        try:
            module = importlib.import_module(name)
            module.register(subparsers)
        except Exception as error:  # any failure: the commands stay listed, with the reason
            failure = LoadFailure(name, COMMAND_MODULES[name], error)
            if failures is not None:
                failures.append(failure)
            _unavailable(failure, subparsers)
    return parser


def parse(argv: Sequence[str]) -> tuple[argparse.ArgumentParser, argparse.Namespace]:
    """Parse a command line, logging any command module that could not be loaded."""
    failures: list[LoadFailure] = []
    parser = build_parser(argv, failures)
    if failures:
        setup_logging()
        for failure in failures:
            log_load_failure(failure.module, failure.error)
            print(f"Warning: {failure.message()}", file=sys.stderr)
    return parser, parser.parse_args(list(argv))


def main(argv: Sequence[str] | None = None) -> int:
    _parser, args = parse(list(argv) if argv is not None else sys.argv[1:])
    if args.command is None:
        build_parser().print_help()
        return 0
    return run_handler(args)
