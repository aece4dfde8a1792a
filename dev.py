#!/usr/bin/env python3
"""Set up PLO Tracker in a local virtual environment, then run it or its tests.

    python3 dev.py start   # set up (first time) and open the app on your own SQLite file
    python3 dev.py demo    # set up and open the app on a throw-away demo database
    python3 dev.py test    # set up and run the whole test suite (pytest)
    python3 dev.py bench   # set up and run the benchmarks (not part of the tests)
    python3 dev.py package # set up and build the standalone app (dist/PLO Tracker/)

Only Python 3.11+ is needed; everything else is installed into .venv from PyPI.
Extra arguments after the command are passed on (to plo-tracker, pytest or PyInstaller).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".installed"
EXTRAS = "test,package"
SPEC = ROOT / "packaging" / "plo-tracker.spec"


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def requirement_hash() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + EXTRAS.encode()).hexdigest()


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
            [str(python), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[{EXTRAS}]"],
            check=True,
        )
        STAMP.write_text(requirement_hash())
    return python


def package(python: Path, extra: list[str], env: dict[str, str]) -> int:
    """Build the one-folder bundle with PyInstaller from packaging/plo-tracker.spec."""
    start = time.monotonic()
    code = subprocess.call(
        [
            str(python),
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level=WARN",
            "--distpath",
            str(ROOT / "dist"),
            "--workpath",
            str(ROOT / "build" / "pyinstaller"),
            *extra,
            str(SPEC),
        ],
        cwd=ROOT,
        env=env,
    )
    if code == 0:
        bundle = ROOT / "dist" / "PLO Tracker"
        files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]
        size = sum(p.stat().st_size for p in files) / 1_000_000
        print(
            f"Built {bundle} in {time.monotonic() - start:.0f} s: {size:.0f} MB in "
            f"{len(files)} files. Launchers: 'PLO Tracker' (window) and 'plo-tracker' "
            "(command line).",
            flush=True,
        )
    return code


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "start"
    extra = sys.argv[2:]
    if command not in ("start", "demo", "test", "bench", "setup", "package"):
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
    if command == "package":
        return package(python, extra, env)
    if command == "bench":
        return subprocess.call([str(python), "benchmarks/run.py", *extra], cwd=ROOT, env=env)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return subprocess.call([str(python), "-m", "pytest", *extra], cwd=ROOT, env=env)


if __name__ == "__main__":
    raise SystemExit(main())
