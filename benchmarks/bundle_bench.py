"""The standalone bundle (issue 16) next to the virtual environment, for benchmarks/run.py.

Builds the bundle from scratch (a fresh PyInstaller work folder, so the build time is a
full build), reports its size and file count, then times the same commands in the bundle
and in the venv, interleaved, medians of the runs, bytecode cached for the venv:

* ``--help``; ``flags --format json`` on the 10,000-case demo database;
* the window from launch until it is mapped on an X server (Xvfb), when Xvfb is there.

    .venv/bin/python benchmarks/run.py --only bundle --sizes 10000
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "PLO Tracker"
WORK = ROOT / "build" / "bench-pyinstaller"
MAP_NOTIFY = 19
SUBSTRUCTURE_NOTIFY_MASK = 1 << 19


def build() -> float:
    shutil.rmtree(WORK, ignore_errors=True)
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level=ERROR",
            "--distpath",
            str(ROOT / "dist"),
            "--workpath",
            str(WORK),
            str(ROOT / "packaging" / "plo-tracker.spec"),
        ],
        cwd=ROOT,
        check=True,
    )
    return time.perf_counter() - start


def size() -> tuple[float, int]:
    files = [p for p in BUNDLE.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files) / 1_000_000, len(files)


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


class XServer:
    """An Xvfb display, and a way to wait for a new top-level window to be mapped."""

    def __init__(self) -> None:
        self.display = ":73"
        self.process = subprocess.Popen(
            ["Xvfb", self.display, "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(1.0)
        library = ctypes.util.find_library("X11")
        if library is None:
            raise RuntimeError("libX11 not found")
        self.x11 = ctypes.CDLL(library)
        self.x11.XOpenDisplay.restype = ctypes.c_void_p
        self.x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self.x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        self.x11.XDefaultRootWindow.restype = ctypes.c_ulong
        self.x11.XSelectInput.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_long]
        self.x11.XNextEvent.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
        self.x11.XPending.argtypes = [ctypes.c_void_p]
        self.x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
        self.connection = self.x11.XOpenDisplay(self.display.encode())
        if not self.connection:
            raise RuntimeError("cannot connect to Xvfb")
        root = self.x11.XDefaultRootWindow(self.connection)
        self.x11.XSelectInput(self.connection, root, SUBSTRUCTURE_NOTIFY_MASK)

    def launch_to_mapped(self, command: list[str], env: dict[str, str]) -> float:
        """Seconds from launching ``command`` until it maps its first top-level window."""
        while self.x11.XPending(self.connection):  # forget earlier windows' events
            self.x11.XNextEvent(self.connection, ctypes.create_string_buffer(192))
        event = ctypes.create_string_buffer(192)
        start = time.perf_counter()
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**env, "DISPLAY": self.display, "QT_QPA_PLATFORM": "xcb"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while time.perf_counter() - start < 120:
                while self.x11.XPending(self.connection):
                    self.x11.XNextEvent(self.connection, event)
                    if ctypes.c_int.from_buffer(event).value == MAP_NOTIFY:
                        return time.perf_counter() - start
                if process.poll() is not None:
                    raise RuntimeError(f"{command[0]} ended without showing a window")
                time.sleep(0.002)
            raise RuntimeError(f"{command[0]} showed no window within 120 s")
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()

    def close(self) -> None:
        self.x11.XCloseDisplay(self.connection)
        self.process.terminate()
        self.process.wait(timeout=10)


def run(
    report: Any,
    row: Callable[..., Any],
    sizes: list[int],
    runs: int,
    demo_database: Callable[[int], Path],
) -> None:
    seconds = build()
    megabytes, files = size()
    report.add(row("bundle: full build (PyInstaller, one folder)", "", seconds, "s", "", "", []))
    report.add(row("bundle: size on disk", "", megabytes, "MB", "", "", [], f"{files} files"))
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    db = demo_database(10_000)
    cli = str(BUNDLE / "plo-tracker")
    venv = [sys.executable, "-m", "plo_tracker"]
    flags = ["--db", str(db), "--user", "bench", "flags", "--format", "json"]
    commands = {
        "--help, bundle": [cli, "--help"],
        "--help, venv": [*venv, "--help"],
        "flags at 10,000, bundle": [cli, *flags],
        "flags at 10,000, venv": [*venv, *flags],
    }
    for command in commands.values():
        timed(command, env)
    found: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            found[name].append(timed(command, env))
    for name, values in found.items():
        report.add(row(f"start-up: {name}", "", statistics.median(values), "s", "", "", values))
    if not shutil.which("Xvfb"):
        report.add(row("window: launch to mapped", "", 0.0, "", "", "SKIP", [], "no Xvfb"))
        return
    server = XServer()
    try:
        window = {
            "bundle": [str(BUNDLE / "PLO Tracker"), "--db", str(db), "--user", "bench"],
            "venv": [sys.executable, "-m", "ui.launcher", "--db", str(db), "--user", "bench"],
        }
        for command in window.values():
            server.launch_to_mapped(command, env)
        times: dict[str, list[float]] = {name: [] for name in window}
        for _ in range(runs):
            for name, command in window.items():
                times[name].append(server.launch_to_mapped(command, env))
        for name, values in times.items():
            report.add(
                row(
                    f"window at 10,000 cases, launch to mapped (Xvfb), {name}",
                    "10,000",
                    statistics.median(values),
                    "s",
                    "",
                    "",
                    values,
                )
            )
    finally:
        server.close()
