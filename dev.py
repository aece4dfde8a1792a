#!/usr/bin/env python3
"""Set up PLO Tracker in a local virtual environment, then run it or its tests.

    python3 dev.py start   # set up (first time) and open the app on your own SQLite file
    python3 dev.py demo    # set up and open the app on a throw-away demo database
    python3 dev.py test    # set up and run the whole test suite (pytest)
    python3 dev.py bench   # set up and run the benchmarks (not part of the tests)
    python3 dev.py package # build the standalone app (dist/PLO Tracker/) from the lock files
    python3 dev.py lock    # write the lock files again from pyproject.toml's ranges

Only Python 3.11+ is needed; everything else is installed from PyPI.  start, demo, test
and bench use .venv, installed from pyproject.toml's version ranges.  package uses its own
.venv-package, installed only from the lock files requirements/app.txt and
requirements/build.txt: exact versions, every file checked against its SHA-256 hash
(pip --require-hashes), so every build uses the same code.
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
PACKAGE_VENV = ROOT / ".venv-package"
REQUIREMENTS = ROOT / "requirements"
APP_LOCK = REQUIREMENTS / "app.txt"
BUILD_LOCK = REQUIREMENTS / "build.txt"
# The tool that writes the lock files (installed into .venv by 'dev.py lock' only).
UV = "uv>=0.9,<1"


def venv_python(venv: Path = VENV) -> Path:
    if os.name == "nt":
        return venv / "Scripts" / "python.exe"
    return venv / "bin" / "python"


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


def lock_hash() -> str:
    return hashlib.sha256(APP_LOCK.read_bytes() + BUILD_LOCK.read_bytes()).hexdigest()


def package_setup() -> Path:
    """.venv-package from the lock files only: exact versions, hashes checked."""
    if sys.version_info < (3, 11):
        sys.exit("PLO Tracker needs Python 3.11 or newer.")
    for lock in (APP_LOCK, BUILD_LOCK):
        if not lock.is_file():
            sys.exit(f"{lock} is missing: run 'python3 dev.py lock' (or restore it from git).")
    python = venv_python(PACKAGE_VENV)
    stamp = PACKAGE_VENV / ".installed"
    if stamp.exists() and stamp.read_text() == lock_hash() and python.exists():
        print(f"Build environment {PACKAGE_VENV.name} matches the lock files.", flush=True)
        return python
    if PACKAGE_VENV.exists():
        import shutil

        shutil.rmtree(PACKAGE_VENV)  # never mix versions: a clean environment each time
    print(f"Creating {PACKAGE_VENV.name} from the lock files ...", flush=True)
    venv.EnvBuilder(with_pip=True).create(PACKAGE_VENV)
    print(
        f"Installing {APP_LOCK.relative_to(ROOT)} and {BUILD_LOCK.relative_to(ROOT)} "
        "(exact versions, --require-hashes) ...",
        flush=True,
    )
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--require-hashes",
            "--no-deps",
            "-r",
            str(APP_LOCK),
            "-r",
            str(BUILD_LOCK),
        ],
        check=True,
    )
    # PLO Tracker itself, built by the locked setuptools (no other download, no deps).
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-e",
            str(ROOT),
        ],
        check=True,
    )
    subprocess.run([str(python), "-m", "pip", "check"], check=True)
    stamp.write_text(lock_hash())
    return python


def lock(python: Path) -> int:
    """Write requirements/app.txt and build.txt from pyproject.toml, for every platform."""
    import tomllib

    subprocess.run([str(python), "-m", "pip", "install", "--quiet", UV], check=True, cwd=ROOT)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    build_in = REQUIREMENTS / "build.in"
    build_in.write_text(
        "# Written by 'python3 dev.py lock' from pyproject.toml: the build backend\n"
        "# ([build-system] requires) and PyInstaller (the 'package' extra).\n"
        + "".join(
            f"{r}\n"
            for r in project["build-system"]["requires"]
            + project["project"]["optional-dependencies"]["package"]
        ),
        encoding="utf-8",
    )
    common = [
        str(python), "-m", "uv", "pip", "compile", "--quiet", "--universal",
        "--generate-hashes", "--python-version", "3.11", "--no-header",
    ]  # fmt: skip
    header = (
        "# Exact versions with SHA-256 hashes, for Windows and Linux (Python 3.11+).\n"
        "# Written by 'python3 dev.py lock' from pyproject.toml; do not edit by hand.\n"
    )
    for target, sources in (
        (APP_LOCK, ["pyproject.toml"]),
        (BUILD_LOCK, [str(build_in.relative_to(ROOT)), "--constraint", str(APP_LOCK)]),
    ):
        subprocess.run([*common, *sources, "-o", str(target)], check=True, cwd=ROOT)
        target.write_text(header + target.read_text(encoding="utf-8"), encoding="utf-8")
        print(f"Wrote {target.relative_to(ROOT)}", flush=True)
    return 0


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
            f"(command line). Built with {APP_LOCK.relative_to(ROOT)} and "
            f"{BUILD_LOCK.relative_to(ROOT)} (lock {lock_hash()[:12]}).",
            flush=True,
        )
    return code


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "start"
    extra = sys.argv[2:]
    if command not in ("start", "demo", "test", "bench", "setup", "package", "lock"):
        print(__doc__)
        return 2
    env = dict(os.environ)
    if command == "package":
        return package(package_setup(), extra, env)
    python = setup()
    if command == "setup":
        return 0
    if command == "lock":
        return lock(python)
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
