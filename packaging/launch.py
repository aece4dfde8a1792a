"""The bundle's entry point: both launchers ("PLO Tracker" and plo-tracker) start here.

A windowed launcher on Windows has no console, so ``sys.stdout`` and ``sys.stderr`` are
None; they are pointed at nothing rather than let a print fail.
"""

from __future__ import annotations

import os
import sys


def _ensure_streams() -> None:
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


if __name__ == "__main__":
    _ensure_streams()
    from ui.launcher import main

    raise SystemExit(main())
