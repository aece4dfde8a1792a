"""Command-line start-up against its floor (issue 15), for benchmarks/run.py.

Measured in one run, each a new process, medians of the runs, with bytecode cached
(``PYTHONDONTWRITEBYTECODE`` removed and every command run once first):

* the floor: ``python -c "import sqlalchemy.orm"``, the least any command that reads the
  database must load;
* ``plo-tracker --help``                 target <= 0.5x the floor;
* ``plo-tracker flags`` at 10,000 cases  target <= 2x the floor;
* ``plo-tracker flags`` at 50,000 cases  target <= 5.5x the 10,000 figure.

    .venv/bin/python benchmarks/run.py --only startup --sizes 10000,50000
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # measure what users get: cached bytecode
    return env


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def medians(
    runs: int, commands: dict[str, list[str]], env: dict[str, str]
) -> dict[str, list[float]]:
    """Each command ``runs`` times, interleaved (so a slow moment hurts all alike)."""
    for command in commands.values():  # warm: bytecode written, OS caches filled
        timed(command, env)
    found: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            found[name].append(timed(command, env))
    return found


def run(
    report: Any,
    row: Callable[..., Any],
    sizes: list[int],
    runs: int,
    demo_database: Callable[[int], Path],
) -> None:
    env = environment()
    python = sys.executable
    plo = [python, "-m", "plo_tracker"]
    commands: dict[str, list[str]] = {
        "floor": [python, "-c", "import sqlalchemy.orm"],
        "help": [*plo, "--help"],
    }
    flag_sizes = [s for s in sizes if s in (10_000, 50_000)] or [10_000]
    for size in flag_sizes:
        db = demo_database(size)
        commands[f"flags {size}"] = [
            *plo,
            "--db",
            str(db),
            "--user",
            "bench",
            "flags",
            "--format",
            "json",
        ]
    times = medians(runs, commands, env)
    value = {name: statistics.median(values) for name, values in times.items()}
    floor = value["floor"]
    report.add(
        row('floor: python -c "import sqlalchemy.orm"', "", floor, "s", "", "", times["floor"])
    )
    report.add(row("plo-tracker --help", "", value["help"], "s", "", "", times["help"]))
    ratio = value["help"] / floor
    report.add(
        row(
            "  --help as a multiple of the floor",
            "",
            ratio,
            "x",
            "<= 0.5x",
            "PASS" if ratio <= 0.5 else "MISS",
            [],
        )
    )
    for size in flag_sizes:
        name = f"flags {size}"
        report.add(
            row(
                "plo-tracker flags --format json",
                f"{size:,}",
                value[name],
                "s",
                "",
                "",
                times[name],
            )
        )
        if size == 10_000:
            ratio = value[name] / floor
            report.add(
                row(
                    "  flags at 10,000 as a multiple of the floor",
                    "10,000",
                    ratio,
                    "x",
                    "<= 2x",
                    "PASS" if ratio <= 2.0 else "MISS",
                    [],
                )
            )
    if "flags 10000" in value and "flags 50000" in value:
        growth = value["flags 50000"] / value["flags 10000"]
        report.add(
            row(
                "  flags at 50,000 as a multiple of 10,000",
                "50,000",
                growth,
                "x",
                "<= 5.5x",
                "PASS" if growth <= 5.5 else "MISS",
                [],
            )
        )
