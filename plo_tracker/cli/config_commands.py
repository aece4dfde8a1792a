"""``plo-tracker config``: which settings are in force, where each one comes from, what IT
has locked, and every place a setting could come from (first wins)."""

from __future__ import annotations

import argparse
import json
import os
from typing import Any

from plo_tracker import config, config_sources
from plo_tracker.cli.common import EXIT_ERROR, EXIT_OK, print_table, utf8_stdout

_HEADER = """\
# PLO Tracker settings: {path}
# Every line is optional. Values are text in quotes; a Windows path is easiest in
# single quotes, which keep backslashes as they are.
"""
EXAMPLE_WINDOWS = (
    _HEADER
    + """\
database_url = "postgresql://plo-db.council.local/plo"
template_folder = '\\\\fileserver\\PLO\\Letter templates'
log_folder = '%LOCALAPPDATA%\\PLO Tracker\\logs'
# Only in this computer's file: settings nobody can change with --db, the environment
# or their own file.
locked = ["database_url"]
"""
)
EXAMPLE_POSIX = (
    _HEADER
    + """\
database_url = "postgresql://plo-db.council.local/plo"
template_folder = '/mnt/plo/Letter templates'
log_folder = '$HOME/.local/state/PLO Tracker/log'
# Only in this computer's file: settings nobody can change with --db, the environment
# or their own file.
locked = ["database_url"]
"""
)


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "config",
        help="show the settings in force (database, template folder, log folder) and where "
        "each comes from",
        description="Shows each setting and its source: the --db option, the environment, "
        "your settings file, this computer's settings file (set by IT for every user), or "
        "the default; what IT has locked; and every place each setting could come from. "
        "Changes nothing. Exits with 1 when PLO Tracker would not start with these settings.",
    )
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--example", action="store_true", help="print an example settings file and stop")
    p.set_defaults(handler=cmd_config, needs_app=False)


def cmd_config(args: argparse.Namespace) -> int:
    out = utf8_stdout()
    if args.example:
        example = EXAMPLE_WINDOWS if os.name == "nt" else EXAMPLE_POSIX
        out.write(example.format(path=config.site_config_path()))
        return EXIT_OK
    sources = config_sources.describe_sources(args.db)
    if args.format == "json":
        document = {
            "settings": [
                {
                    "setting": s.key,
                    "value": s.shown if s.value is not None else None,
                    "source": s.source,
                    "from": s.where,
                    "locked": s.locked,
                }
                for s in sources.settings
            ],
            "precedence": [
                {
                    "setting": layer.key,
                    "source": layer.source,
                    "from": layer.where,
                    "value": layer.shown if layer.value is not None else None,
                    "state": layer.state,
                }
                for layer in sources.layers
            ],
            "files": [
                {"scope": scope, "path": str(path), "exists": exists}
                for scope, path, exists in sources.files
            ],
            "starts": not sources.stops,
            "problems": list(sources.problems),
        }
        out.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return EXIT_ERROR if sources.problems else EXIT_OK
    print_table(
        ["Setting", "Value", "From"],
        [[s.label, s.shown, s.source_words] for s in sources.settings],
        out,
    )
    out.write(
        "\nWhere each setting can come from, first wins (a setting locked by IT comes "
        "only from this computer's file):\n"
    )
    print_table(
        ["Setting", "Source", "Value", "State"],
        [
            [config.SETTING_LABELS[layer.key], _source_label(layer), layer.shown, layer.state]
            for layer in sources.layers
        ],
        out,
    )
    out.write("\nSettings files:\n")
    for scope, path, exists in sources.files:
        who = "yours" if scope == config.USER_FILE else "this computer's, for every user"
        out.write(f"  {path} ({who}): {'present' if exists else 'not present'}\n")
    marker = config.required_marker()
    if marker is not None:
        out.write(f"  This installation requires this computer's file ({marker}).\n")
    for problem in sources.problems:
        out.write(f"\nProblem: {problem}\n")
    if sources.stops:
        which = "problems above are" if len(sources.problems) > 1 else "problem above is"
        out.write(f"\nPLO Tracker will not open a database until the {which} fixed.\n")
    return EXIT_ERROR if sources.problems else EXIT_OK


def _source_label(layer: config_sources.Layer) -> str:
    if layer.source == config.OPTION:
        return "--db option"
    if layer.source == config.ENVIRONMENT:
        return layer.where.removeprefix("the environment variable ")
    if layer.source == config.USER_FILE:
        return "your file"
    if layer.source == config.SITE_FILE:
        return "computer's file"
    return "default"
