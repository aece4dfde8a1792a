"""Starting the demo (fictional cases) in a process and a window of its own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def demo_command() -> list[str]:
    """How to start the demo in a process of its own (a packaged app runs itself)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--demo"]
    return [sys.executable, "-m", "ui.launcher", "--demo"]


def launch_demo() -> bool:
    """Start the demo in a window of its own; False if it could not be started."""
    try:
        subprocess.Popen(  # noqa: S603 - our own program, fixed arguments
            demo_command(),
            cwd=str(Path(__file__).resolve().parents[1]),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        return False
    return True
