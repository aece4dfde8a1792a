"""Peak memory of importing a big exchange file (issue 12: under 1 GB for 512 MB).

    .venv/bin/python benchmarks/import_memory.py              # a 512 MB file in /tmp
    .venv/bin/python benchmarks/import_memory.py --mb 64      # a smaller one

The file is made in a temporary folder (never in the repository) from demo cases,
each repeated under new references until it reaches the size asked for.  The import
runs as ``plo-tracker import`` in a fresh process into a new SQLite file; that process
reports its own peak resident memory (VmHWM, which starts afresh at exec) and the
time taken.  For scale, the same process's memory after loading the app but before
importing (the floor) is reported too.  Results go to benchmarks/results/import_memory.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "import_memory.md"
TARGET_MB = 1024  # the ceiling for a 512 MB file

PROBE = r"""
import sys, time
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
import plo_tracker.cli, plo_tracker.services.exchange_service, ijson  # the floor: app loaded
floor = hwm()
start = time.perf_counter()
code = plo_tracker.cli.main(sys.argv[1:])
took = time.perf_counter() - start
print(f"PROBE floor_mb={floor:.1f} peak_mb={hwm():.1f} seconds={took:.1f} code={code}",
      file=sys.stderr)
"""


def make_file(path: Path, megabytes: int) -> int:
    """An exchange file of about ``megabytes`` MB; returns its number of cases."""
    from plo_tracker.demo import generate
    from plo_tracker.exchange import FORMAT, VERSION, case_to_json

    target = megabytes * 1024 * 1024
    base = [case_to_json(c) for c in generate(2000, today=dt.date.today(), seed=7)]
    count = 0
    size = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(f'{{\n "format": "{FORMAT}",\n "version": {VERSION},\n "cases": [\n')
        round_ = 0
        while True:
            for case in base:
                item = dict(case, reference=f"{case['reference']}-R{round_}")
                text = json.dumps(item, ensure_ascii=False, indent=1)
                if size + len(text) + 2 > target - 64:
                    out.write("\n ]\n}\n")
                    return count
                out.write((",\n" if count else "") + text)
                size += len(text) + 2
                count += 1
            round_ += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=512, help="file size in MB (default 512)")
    parser.add_argument("--keep", action="store_true", help="keep the file and database")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="plo-import-memory-"))
    source = folder / f"cases-{args.mb}mb.json"
    print(f"making {source} ...", flush=True)
    count = make_file(source, args.mb)
    size_mb = source.stat().st_size / 1024 / 1024
    print(f"{size_mb:.0f} MB, {count:,} cases; importing ...", flush=True)
    env = dict(os.environ, PLO_TRACKER_DATA_DIR=str(folder / "data"), PLO_TRACKER_USER="bench")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "--db", str(folder / "bench.db"), "import", str(source)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    probe = next((line for line in result.stderr.splitlines() if line.startswith("PROBE")), "")
    if result.returncode != 0 or not probe:
        print(result.stdout, result.stderr, sep="\n")
        return 1
    values = dict(part.split("=") for part in probe.split()[1:])
    peak = float(values["peak_mb"])
    verdict = "PASS" if peak < TARGET_MB else "MISS"
    lines = [
        "# Import memory (benchmarks/import_memory.py)",
        "",
        f"- date: {dt.datetime.now().isoformat(timespec='seconds')}",
        f"- file: {size_mb:.0f} MB, {count:,} cases (demo cases repeated), into a new SQLite file",
        f"- output: {result.stdout.strip()}",
        "",
        "| measure | value | target | verdict |",
        "|---|---|---|---|",
        f"| peak resident memory of the import process (VmHWM) | {peak:.0f} MB | "
        f"< {TARGET_MB} MB | {verdict} |",
        f"| the same process with the app loaded, before importing (floor) | "
        f"{float(values['floor_mb']):.0f} MB | | |",
        f"| time for the import command | {float(values['seconds']):.0f} s | | |",
        f"| wall time including start-up | {wall:.0f} s | | |",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.mb == 512:
        RESULTS.write_text(text)
    if not args.keep:
        for item in sorted(folder.rglob("*"), reverse=True):
            item.unlink() if item.is_file() else item.rmdir()
        folder.rmdir()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
