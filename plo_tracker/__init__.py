"""PLO Tracker core: domain rules, services, letters and the command line (no Qt).

``__version__`` comes from ``pyproject.toml``: read from the checkout when running from one,
else from the installed package's metadata; a frozen bundle has it baked in at build time
(``packaging/plo-tracker.spec`` writes ``_build_version.txt``).  It is worked out on first
use, so importing the package stays cheap.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

DISTRIBUTION = "plo-tracker"
BUILD_VERSION_FILE = "_build_version.txt"


@cache
def version() -> str:
    here = Path(__file__).resolve().parent
    if getattr(sys, "frozen", False):
        try:
            return (here / BUILD_VERSION_FILE).read_text(encoding="utf-8").strip()
        except OSError:
            pass
    pyproject = here.parent / "pyproject.toml"
    if pyproject.is_file():
        import tomllib

        try:
            project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        except (OSError, tomllib.TOMLDecodeError):
            project = {}
        if project.get("name") == DISTRIBUTION and isinstance(project.get("version"), str):
            return str(project["version"])
    from importlib import metadata

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "0+unknown"


def __getattr__(name: str) -> str:
    if name == "__version__":
        return version()
    raise AttributeError(f"module 'plo_tracker' has no attribute {name!r}")
