"""The ``plo-tracker`` entry point: a command runs the command line; no command
opens the desktop window.  Qt is only imported when the window is wanted."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Sequence
from types import FrameType


def _stopped_while_starting(_signal: int, _frame: FrameType | None) -> None:
    """Ctrl-C while the program is still loading: one line, no traceback.  Nothing has
    been saved yet; a command (and the window) install their own handling once running."""
    os.write(2, b"\nStopped (Ctrl-C) while starting: nothing was saved.\n")
    os._exit(130)


def main(argv: Sequence[str] | None = None) -> int:
    # First of all: loading the core (and Qt) takes a moment, and Ctrl-C then must not
    # print a traceback.
    previous = signal.signal(signal.SIGINT, _stopped_while_starting)
    try:
        return _main(argv)
    finally:
        signal.signal(signal.SIGINT, previous)


def _main(argv: Sequence[str] | None) -> int:
    from plo_tracker.cli import build_parser
    from plo_tracker.cli import main as cli_main

    args_list = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(args_list)
    if args.command is not None:
        return cli_main(args_list)
    try:
        from ui.app import run
    except ImportError as error:
        print(
            f"Error: the desktop window cannot start because Qt could not be loaded ({error}). "
            "The command line still works: try 'plo-tracker --help'.",
            file=sys.stderr,
        )
        return 1
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
