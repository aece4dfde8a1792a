"""The ``plo-tracker`` entry point: a command runs the command line; no command
opens the desktop window.  Qt is only imported when the window is wanted."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
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
