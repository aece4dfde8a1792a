#!/usr/bin/env python3
"""PLO Tracker benchmarks: speed and memory at council scale, measured side by side.

    python3 dev.py bench                       # everything, report in benchmarks/results/
    .venv/bin/python benchmarks/run.py --sizes 1000,10000 --runs 3 --only flags

Builds demo databases (``plo-tracker demo-data``) at each size, then reports the median of
several runs for each measurement, with the targets from the benchmark issue and the
machine's details.  PostgreSQL is measured when PLO_TEST_POSTGRES_URL (or --postgres)
names a server database the script may create databases next to.  Not part of the tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
CACHE = RESULTS / "cache"
sys.path.insert(0, str(ROOT))


@dataclass
class Row:
    measure: str
    size: str
    median: float
    unit: str
    target: str = ""
    verdict: str = ""
    runs: list[float] = field(default_factory=list)
    note: str = ""


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        runs = ", ".join(f"{r:.3f}" for r in row.runs)
        print(
            f"{row.measure:<55} {row.size:>8} {row.median:>10.3f} {row.unit:<4} "
            f"{row.verdict:<5} [{runs}] {row.note}",
            flush=True,
        )
        return row


def median_of(runs: int, action: Callable[[], float]) -> tuple[float, list[float]]:
    values = [action() for _ in range(runs)]
    return statistics.median(values), values


def plo(*args: str, env: dict[str, str] | None = None) -> float:
    """Run plo-tracker in a new process; wall time in seconds."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "plo_tracker", *args],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        env=env,
    )
    return time.perf_counter() - start


def demo_database(size: int) -> Path:
    """A demo database of ``size`` cases (cached per day and demo code version)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    code = (ROOT / "plo_tracker" / "demo.py").stat().st_mtime_ns
    path = CACHE / f"demo-{size}-{dt.date.today().isoformat()}-{code}.db"
    if not path.exists():
        for old in CACHE.glob(f"demo-{size}-*.db*"):
            old.unlink()
        print(f"building a demo database of {size} cases ...", flush=True)
        start = time.perf_counter()
        plo("--db", str(path), "--user", "bench", "demo-data", "--cases", str(size))
        print(f"  built in {time.perf_counter() - start:.1f} s", flush=True)
    return path


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "os": platform.platform(),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }


# -- measurements ------------------------------------------------------------------------------


def bench_flags(report: Report, sizes: list[int], runs: int) -> None:
    from plo_tracker.app import open_app

    service: dict[int, float] = {}
    command: dict[int, float] = {}
    for size in sizes:
        db = demo_database(size)
        plo("--db", str(db), "--user", "bench", "flags", "--format", "json")  # warm the cache
        value, values = median_of(
            runs, lambda db=db: plo("--db", str(db), "--user", "bench", "flags", "--format", "json")
        )
        command[size] = value
        target = "< 1 s at 10,000" if size == 10_000 else ""
        verdict = ("PASS" if value < 1.0 else "MISS") if size == 10_000 else ""
        report.add(
            Row(
                "flags, whole command (new process)",
                f"{size:,}",
                value,
                "s",
                target,
                verdict,
                values,
            )
        )
        context = open_app(f"sqlite:///{db}", username="bench")
        try:
            context.flags.flags()

            def call(context=context) -> float:
                start = time.perf_counter()
                context.flags.flags()
                return time.perf_counter() - start

            value, values = median_of(runs, call)
            service[size] = value
            report.add(
                Row("flags, service call (loaded app)", f"{size:,}", value, "s", "", "", values)
            )
        finally:
            context.close()
    if 10_000 in service and 50_000 in service:
        for label, found in (("whole command", command), ("service call alone", service)):
            growth = found[50_000] / found[10_000]
            report.add(
                Row(
                    f"flags growth 10,000 -> 50,000 (x5 cases), {label}",
                    "",
                    growth,
                    "x",
                    "<= 5 (linear)",
                    "PASS" if growth <= 5.0 else "MISS",
                    [],
                )
            )


def bench_exchange(report: Report, runs: int, postgres: str | None) -> None:
    source = demo_database(10_000)
    exported = CACHE / "export-10000.json"
    plo("--db", str(source), "--user", "bench", "export", str(exported))
    value, values = median_of(
        runs,
        lambda: plo(
            "--db", str(source), "--user", "bench", "export", str(CACHE / "export-again.json")
        ),
    )
    report.add(Row("export 10,000 cases, SQLite", "10,000", value, "s", "", "", values))

    def import_sqlite() -> float:
        target = CACHE / f"import-{uuid.uuid4().hex[:6]}.db"
        try:
            return plo("--db", str(target), "--user", "bench", "import", str(exported))
        finally:
            for extra in ("", "-wal", "-shm"):
                Path(str(target) + extra).unlink(missing_ok=True)

    value, values = median_of(runs, import_sqlite)
    report.add(
        Row("import 10,000 cases into a new SQLite file", "10,000", value, "s", "", "", values)
    )
    if not postgres:
        report.add(
            Row(
                "import/export on PostgreSQL",
                "",
                0.0,
                "",
                "",
                "SKIP",
                [],
                "set PLO_TEST_POSTGRES_URL to measure",
            )
        )
        return
    from sqlalchemy import create_engine, make_url, text

    base = make_url(postgres).set(drivername="postgresql+psycopg")
    admin = create_engine(base, isolation_level="AUTOCOMMIT")

    def fresh() -> str:
        name = f"plo_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        return name

    def drop(name: str) -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def import_pg() -> float:
        name = fresh()
        try:
            url = base.set(database=name).render_as_string(hide_password=False)
            plo("--db", url, "migrate")
            return plo("--db", url, "import", str(exported))
        finally:
            drop(name)

    value, values = median_of(runs, import_pg)
    report.add(Row("import 10,000 cases into PostgreSQL", "10,000", value, "s", "", "", values))
    name = fresh()
    try:
        url = base.set(database=name).render_as_string(hide_password=False)
        plo("--db", url, "import", str(exported))
        value, values = median_of(
            runs, lambda: plo("--db", url, "export", str(CACHE / "export-pg.json"))
        )
        report.add(Row("export 10,000 cases, PostgreSQL", "10,000", value, "s", "", "", values))
    finally:
        drop(name)
        admin.dispose()


# Optional measurements that live in their own modules, each with
# ``run(report, Row, sizes, runs, demo_database)``.
EXTRA: dict[str, str] = {
    "startup": "benchmarks.cli_bench",
    "window": "benchmarks.window_bench",
    "letters": "benchmarks.letters_speed",
    "glyphs": "benchmarks.glyph_bench",
    "bundle": "benchmarks.bundle_bench",
}


def write_report(report: Report, info: dict[str, str], path: Path) -> None:
    lines = ["# PLO Tracker benchmark report", "", "## Machine", ""]
    lines += [f"- {k}: {v}" for k, v in info.items()]
    lines += [
        "",
        "## Results (median of the runs)",
        "",
        "| measure | cases | median | unit | target | verdict | runs |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in report.rows:
        runs = ", ".join(f"{r:.3f}" for r in row.runs)
        note = f" ({row.note})" if row.note else ""
        lines.append(
            f"| {row.measure}{note} | {row.size} | {row.median:.3f} | {row.unit} | "
            f"{row.target} | {row.verdict} | {runs} |"
        )
    path.write_text("\n".join(lines) + "\n")
    (path.with_suffix(".json")).write_text(
        json.dumps({"machine": info, "rows": [row.__dict__ for row in report.rows]}, indent=1)
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--only",
        action="append",
        choices=["flags", "exchange", *EXTRA],
        help="run only these parts",
    )
    parser.add_argument("--postgres", default=os.environ.get("PLO_TEST_POSTGRES_URL"))
    parser.add_argument("--out", type=Path, default=RESULTS / "report.md")
    args = parser.parse_args()
    os.environ.setdefault("PLO_TRACKER_DATA_DIR", str(CACHE / "data"))
    # What users get: bytecode written once and then read, not compiled on every start.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    parts = args.only or ["flags", "exchange", *EXTRA]
    info = machine()
    print(json.dumps(info, indent=1))
    report = Report()
    if "flags" in parts:
        bench_flags(report, sizes, args.runs)
    if "exchange" in parts:
        bench_exchange(report, args.runs, args.postgres)
    for part, module_name in EXTRA.items():
        if part in parts:
            import importlib

            try:
                module = importlib.import_module(module_name)
            except ImportError as error:
                report.add(Row(f"{part} benchmarks", "", 0.0, "", "", "SKIP", [], str(error)))
                continue
            module.run(report, Row, sizes, args.runs, demo_database)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_report(report, info, args.out)
    print(f"\nreport written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
