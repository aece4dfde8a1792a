"""Window benchmarks for benchmarks/run.py: opening time against a bare window, sorting,
filtering and peak memory.  Each start is a new process (benchmarks/window_probe.py),
timed from launch to the moment the window is shown (and, for the app, its case list
filled).  Both use the offscreen Qt platform, so they start the same way."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PROBE = ROOT / "benchmarks" / "window_probe.py"


def start(*args: str) -> tuple[float, dict[str, Any]]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    began = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(PROBE), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    ready = None
    result: dict[str, Any] = {}
    for line in process.stdout:
        if line.strip() == "READY" and ready is None:
            ready = time.perf_counter() - began
        elif line.startswith("{"):
            result = json.loads(line)
    process.wait(timeout=600)
    if ready is None or process.returncode != 0:
        raise RuntimeError(f"the window probe failed ({' '.join(args)})")
    return ready, result


def run(
    report: Any,
    row: Callable[..., Any],
    sizes: list[int],
    runs: int,
    demo_database: Callable[[int], Path],
) -> None:
    bare_times, bare_inside = [], []
    for _ in range(runs):
        seconds, result = start("bare")
        bare_times.append(seconds)
        bare_inside.append(result["in_process_s"])
    bare = statistics.median(bare_times)
    bare_in = statistics.median(bare_inside)
    report.add(
        row("bare window with an empty table: launch to shown", "", bare, "s", "", "", bare_times)
    )
    report.add(
        row(
            "bare window: Qt application to shown (inside the process)",
            "",
            bare_in,
            "s",
            "",
            "",
            bare_inside,
        )
    )
    for size in sizes:
        db = demo_database(size)
        opens, inside, sorts, filters, memory = [], [], [], [], []
        start("app", str(db), "bench")  # the first start after building keeps the list rows
        for _ in range(runs):
            seconds, result = start("app", str(db), "bench")
            opens.append(seconds)
            inside.append(result["in_process_s"])
            sorts.append(result["sort_median_s"])
            filters.append(result["filter_median_s"])
            memory.append(result["peak_mb"])
        at_10k = size == 10_000
        value = statistics.median(opens)
        ratio = value / bare
        report.add(
            row("main window: launch to case list filled", f"{size:,}", value, "s", "", "", opens)
        )
        report.add(
            row(
                "  ... as a multiple of the bare window (launch to shown)",
                f"{size:,}",
                ratio,
                "x",
                "<= 2x at 10,000" if at_10k else "",
                ("PASS" if ratio <= 2 else "MISS") if at_10k else "",
                [],
            )
        )
        value = statistics.median(inside)
        report.add(
            row(
                "main window: Qt application to case list filled (inside the process)",
                f"{size:,}",
                value,
                "s",
                "",
                "",
                inside,
            )
        )
        report.add(
            row(
                "  ... of which the case list and database (minus the bare window)",
                f"{size:,}",
                value - bare_in,
                "s",
                "",
                "",
                [],
            )
        )
        value = statistics.median(sorts)
        report.add(
            row(
                "sort the case list (median over all columns, both ways)",
                f"{size:,}",
                value * 1000,
                "ms",
                "< 100 ms at 10,000" if at_10k else "",
                ("PASS" if value < 0.1 else "MISS") if at_10k else "",
                [s * 1000 for s in sorts],
            )
        )
        value = statistics.median(filters)
        report.add(
            row(
                "filter the case list (text, drifting)",
                f"{size:,}",
                value * 1000,
                "ms",
                "< 100 ms at 10,000" if at_10k else "",
                ("PASS" if value < 0.1 else "MISS") if at_10k else "",
                [f * 1000 for f in filters],
            )
        )
        value = max(memory)
        report.add(
            row(
                "peak memory of the window process (its own VmHWM)",
                f"{size:,}",
                value,
                "MB",
                "< 400 MB at 10,000" if at_10k else "",
                ("PASS" if value < 400 else "MISS") if at_10k else "",
                memory,
            )
        )
