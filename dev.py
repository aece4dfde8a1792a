#!/usr/bin/env python3
"""Set up PLO Tracker in a local virtual environment, then run it or its tests.

    python3 dev.py start   # set up (first time) and open the app on your own SQLite file
    python3 dev.py demo    # set up and open the app on a throw-away demo database
    python3 dev.py test    # set up and run the whole test suite (pytest)
    python3 dev.py bench   # set up and run the benchmarks (not part of the tests)

Only Python 3.11+ is needed; everything else is installed into .venv from PyPI.
Extra arguments after the command are passed on (to plo-tracker or pytest).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".installed"


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def requirement_hash() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def setup() -> Path:
    if sys.version_info < (3, 11):
        sys.exit("PLO Tracker needs Python 3.11 or newer.")
    python = venv_python()
    if not python.exists():
        print("Creating the virtual environment in .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if not STAMP.exists() or STAMP.read_text() != requirement_hash():
        print("Installing PLO Tracker and its dependencies ...", flush=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True
        )
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test]"], check=True
        )
        STAMP.write_text(requirement_hash())
    return python


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "start"
    extra = sys.argv[2:]
    if command not in ("start", "demo", "test", "bench", "setup"):
        print(__doc__)
        return 2
    python = setup()
    env = dict(os.environ)
    if command == "setup":
        return 0
    if command == "start":
        return subprocess.call([str(python), "-m", "ui.launcher", *extra], cwd=ROOT, env=env)
    if command == "demo":
        return subprocess.call(
            [str(python), "-m", "ui.launcher", "--demo", *extra], cwd=ROOT, env=env
        )
    if command == "bench":
        return subprocess.call([str(python), "benchmarks/run.py", *extra], cwd=ROOT, env=env)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return subprocess.call([str(python), "-m", "pytest", *extra], cwd=ROOT, env=env)


if __name__ == "__main__":
    raise SystemExit(main())
