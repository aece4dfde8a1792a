#!/usr/bin/env python3
"""The window's start-up against a bare PySide6 window, measured side by side in one run.

    .venv/bin/python benchmarks/window_bench.py            # 10,000 cases, medians of 5
    .venv/bin/python benchmarks/window_bench.py --cases 1000,10000 --runs 5

Each start is a new process (benchmarks/window_probe.py), timed from launch to the
window's first paint and, for the app, to its case list holding every case.  The bare
window is the floor: the same offscreen Qt, a QApplication and a main window with a
menu and an empty table.  Bytecode is cached (PYTHONDONTWRITEBYTECODE is unset for the
probes and each is run once before measuring), bare and app starts alternate, and the
median of the runs is reported with every run.  Target (issue 15): first paint at
10,000 cases no more than twice the bare window's.

The results go into their own section of benchmarks/results/report.md (between the
``window-bench`` markers); the rest of that file is written by benchmarks/run.py, which
may also call ``run()`` here to add the same rows to its own table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PROBE = ROOT / "benchmarks" / "window_probe.py"
RESULTS = ROOT / "benchmarks" / "results"
CACHE = RESULTS / "cache"
REPORT = RESULTS / "report.md"
START_MARK = "<!-- window-bench:start -->"
END_MARK = "<!-- window-bench:end -->"
USER = "bench"
TARGET_RATIO = 2.0


@dataclass
class Start:
    painted: float  # launch to first paint, seconds
    filled: float | None  # launch to the case list filled (the app only)
    inside: dict[str, Any] = field(default_factory=dict)


def probe_env() -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # bytecode cached, as on a user's machine
    env.setdefault("PLO_TRACKER_DATA_DIR", str(CACHE / "data"))
    return env


def launch(*args: str) -> Start:
    began = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(PROBE), *args],
        cwd=ROOT,
        env=probe_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    painted = filled = None
    inside: dict[str, Any] = {}
    for line in process.stdout:
        line = line.strip()
        if line == "PAINTED" and painted is None:
            painted = time.perf_counter() - began
        elif line == "FILLED" and filled is None:
            filled = time.perf_counter() - began
        elif line.startswith("{"):
            inside = json.loads(line)
    process.wait(timeout=600)
    if painted is None or process.returncode != 0:
        raise RuntimeError(f"the window probe failed ({' '.join(args)})")
    return Start(painted, filled, inside)


def demo_database(size: int) -> Path:
    """A demo database of ``size`` cases (kept in benchmarks/results/cache for the day)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    code = (ROOT / "plo_tracker" / "demo.py").stat().st_mtime_ns
    path = CACHE / f"window-demo-{size}-{dt.date.today().isoformat()}-{code}.db"
    if not path.exists():
        for old in CACHE.glob(f"window-demo-{size}-*.db*"):
            old.unlink()
        print(f"building a demo database of {size:,} cases ...", flush=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "plo_tracker",
                "--db",
                str(path),
                "--user",
                USER,
                "demo-data",
                "--cases",
                str(size),
            ],
            cwd=ROOT,
            env=probe_env(),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return path


@dataclass
class Measured:
    size: int
    bare: list[float]
    painted: list[float]
    filled: list[float]
    inside_painted: list[float]
    inside_filled: list[float]
    sort_ms: float
    filter_ms: float
    peak_mb: float

    @property
    def ratio(self) -> float:
        return statistics.median(self.painted) / statistics.median(self.bare)


def measure(db: Path, size: int, runs: int) -> Measured:
    launch("bare")  # bytecode written, caches warm
    launch("app", str(db), USER)  # the case list rows kept for today
    bare, painted, filled, inside_painted, inside_filled = [], [], [], [], []
    for _ in range(runs):
        bare.append(launch("bare").painted)
        start = launch("app", str(db), USER)
        painted.append(start.painted)
        assert start.filled is not None and start.inside.get("rows") == size
        filled.append(start.filled)
        inside_painted.append(start.inside["painted_in_process_s"])
        inside_filled.append(start.inside["filled_in_process_s"])
    extra = launch("app", str(db), USER, "--measure").inside
    return Measured(
        size,
        bare,
        painted,
        filled,
        inside_painted,
        inside_filled,
        extra["sort_median_s"] * 1000,
        extra["filter_median_s"] * 1000,
        extra["peak_mb"],
    )


def rows_of(found: Measured) -> list[tuple[str, str, float, str, str, str, list[float]]]:
    """(measure, cases, median, unit, target, verdict, runs)."""
    size = f"{found.size:,}"
    at_10k = found.size == 10_000
    bare = statistics.median(found.bare)
    painted = statistics.median(found.painted)
    filled = statistics.median(found.filled)
    verdict = ("PASS" if found.ratio <= TARGET_RATIO else "MISS") if at_10k else ""
    return [
        ("bare PySide6 window: launch to first paint", "", bare, "s", "", "", found.bare),
        ("main window: launch to first paint", size, painted, "s", "", "", found.painted),
        (
            "  ... first paint as a multiple of the bare window",
            size,
            found.ratio,
            "x",
            "<= 2x at 10,000" if at_10k else "",
            verdict,
            [],
        ),
        ("main window: launch to case list filled", size, filled, "s", "", "", found.filled),
        (
            "  ... filled list as a multiple of the bare window",
            size,
            filled / bare,
            "x",
            "",
            "",
            [],
        ),
        (
            "main window: first paint, inside the process (from interpreter start)",
            size,
            statistics.median(found.inside_painted),
            "s",
            "",
            "",
            found.inside_painted,
        ),
        (
            "main window: case list filled, inside the process",
            size,
            statistics.median(found.inside_filled),
            "s",
            "",
            "",
            found.inside_filled,
        ),
        (
            "sort the case list (median over all columns, both ways)",
            size,
            found.sort_ms,
            "ms",
            "",
            "",
            [],
        ),
        ("filter the case list (median of 5 searches)", size, found.filter_ms, "ms", "", "", []),
        ("peak memory of the window process", size, found.peak_mb, "MB", "", "", []),
    ]


# -- for benchmarks/run.py ----------------------------------------------------------------------


def run(
    report: Any,
    row: Callable[..., Any],
    sizes: list[int],
    runs: int,
    demo: Callable[[int], Path],
) -> None:
    """Add the window's rows to run.py's report (same measurements as ``main``)."""
    for size in sizes:
        found = measure(demo(size), size, runs)
        for measure_name, cases, median, unit, target, verdict, values in rows_of(found):
            report.add(row(measure_name, cases, median, unit, target, verdict, values))


# -- on its own ---------------------------------------------------------------------------------


def section(results: list[Measured], runs: int) -> str:
    lines = [
        START_MARK,
        "## Window start-up (issue 15: the window first, the data after)",
        "",
        f"- measured: {dt.datetime.now().isoformat(timespec='seconds')} by "
        "`benchmarks/window_bench.py`, "
        f"Python {platform.python_version()}, offscreen Qt, medians of {runs} runs, "
        "bytecode cached, bare and app starts alternating in one run",
        "- first paint: the main window (title, menus, the case list saying it is loading) "
        "drawn; filled: the case list holds every case (SQLite demo database, kept rows)",
        "",
        "| measure | cases | median | unit | target | verdict | runs |",
        "|---|---|---|---|---|---|---|",
    ]
    for found in results:
        for measure_name, cases, median, unit, target, verdict, values in rows_of(found):
            shown = ", ".join(f"{v:.3f}" for v in values)
            lines.append(
                f"| {measure_name} | {cases} | {median:.3f} | {unit} | {target} | {verdict} | "
                f"{shown} |"
            )
    lines += ["", END_MARK]
    return "\n".join(lines) + "\n"


def write_section(text: str, path: Path = REPORT) -> None:
    """Put the window section into the report, replacing an earlier one (nothing else)."""
    old = path.read_text() if path.exists() else "# PLO Tracker benchmark report\n"
    if START_MARK in old and END_MARK in old:
        before, rest = old.split(START_MARK, 1)
        after = rest.split(END_MARK, 1)[1].lstrip("\n")
        new = before + text + ("\n" + after if after else "")
    else:
        new = old.rstrip("\n") + "\n\n" + text
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default="10000", help="comma-separated sizes")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=REPORT)
    options = parser.parse_args()
    sizes = [int(s) for s in options.cases.split(",") if s]
    results = []
    for size in sizes:
        db = demo_database(size)
        found = measure(db, size, options.runs)
        results.append(found)
        for name, cases, median, unit, _target, verdict, values in rows_of(found):
            shown = ", ".join(f"{v:.3f}" for v in values)
            print(f"{name:<70} {cases:>7} {median:9.3f} {unit:<2} {verdict:<4} [{shown}]")
    text = section(results, options.runs)
    write_section(text, options.out)
    print(f"\nwindow section written to {options.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
