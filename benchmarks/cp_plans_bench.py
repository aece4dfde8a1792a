"""Heading for PLO (issue 26): ``cp-plans import`` of a 30,000-child CIN return and ``watch``.

    .venv/bin/python benchmarks/cp_plans_bench.py                  # 30,000 children, 10,000 cases
    .venv/bin/python benchmarks/cp_plans_bench.py --children 5000 --cases 1000 --runs 3

Made in a temporary folder (never in the repository): a demo database
(``plo-tracker demo-data --cases N``) and a fictional council CIN return of ``--children``
children, each with a CIN episode and (for about half) one or two child protection plans;
the demo children are in it under their own LA child ids, so the watch list matches them to
cases.  Each measurement runs in a fresh process, ``--runs`` times, and the median is kept:

- the floor: ``lxml.etree.iterparse`` alone over the return (clearing each ``<Child>``);
- ``plo-tracker cp-plans import RETURN`` (timed inside its process, from the call: reading,
  checking and replacing the plans in one transaction); target <= 3x the floor;
- ``plo-tracker flags --format json`` and ``plo-tracker watch --format json`` at the cases
  given, whole commands (new process each); target: watch <= 1.5x flags.

The rows go into their own section of benchmarks/results/report.md (between the
``cp-plans-bench`` markers).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "benchmarks" / "results" / "report.md"
START_MARK = "<!-- cp-plans-bench:start -->"
END_MARK = "<!-- cp-plans-bench:end -->"
sys.path.insert(0, str(ROOT))

FLOOR = r"""
import sys, time
from lxml import etree
start = time.perf_counter()
children = 0
for _event, element in etree.iterparse(sys.argv[1], events=("end",), tag="{*}Child"):
    children += 1
    element.clear()
    while element.getprevious() is not None:
        del element.getparent()[0]
took = time.perf_counter() - start
print(f"PROBE seconds={took:.4f} children={children}", file=sys.stderr)
"""

IMPORT = r"""
import sys, time
import plo_tracker.cli, plo_tracker.services.watch, plo_tracker.app
start = time.perf_counter()
code = plo_tracker.cli.main(sys.argv[1:])
took = time.perf_counter() - start
print(f"PROBE seconds={took:.4f} code={code}", file=sys.stderr)
"""

CHILD = """    <Child>
      <ChildIdentifiers>
        <LAchildID>{la_id}</LAchildID>
        <UPNunknown>UN1</UPNunknown>
        <PersonBirthDate>{born}</PersonBirthDate>
        <Sex>F</Sex>
      </ChildIdentifiers>
      <ChildCharacteristics>
        <Ethnicity>WBRI</Ethnicity>
        <Disabilities>
          <Disability>NONE</Disability>
        </Disabilities>
      </ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>{referral}</CINreferralDate>
        <ReferralSource>1A</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode>
        <Assessments>
          <AssessmentActualStartDate>{referral}</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>{referral}</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment>
            <AssessmentFactors>2B</AssessmentFactors>
          </FactorsIdentifiedAtAssessment>
        </Assessments>
        <ReferralNFA>false</ReferralNFA>
{plans}      </CINdetails>
    </Child>
"""

PLAN = """        <ChildProtectionPlans>
          <CPPstartDate>{start}</CPPstartDate>
{end}          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
          <LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>{previous}</NumberOfPreviousCPP>
          <Reviews>
            <CPPreviewDate>{start}</CPPreviewDate>
          </Reviews>
        </ChildProtectionPlans>
"""


def demo_ids(db: Path) -> list[str]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT DISTINCT la_child_id FROM children WHERE la_child_id IS NOT NULL"
        ).fetchall()
    return sorted(r[0] for r in rows)


def make_return(path: Path, ids: list[str], children: int, seed: int = 26) -> int:
    rng = random.Random(seed)
    today = dt.date(2026, 11, 25)
    all_ids = list(ids[:children])
    n = 0
    while len(all_ids) < children:
        all_ids.append(f"CIN{700000 + n:07d}")
        n += 1
    plans_written = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<Message>\n  <Header>\n'
            "    <CollectionDetails><Collection>CIN</Collection><Year>2027</Year>"
            "<ReferenceDate>2027-03-31</ReferenceDate></CollectionDetails>\n"
            "    <Source><SourceLevel>L</SourceLevel><LEA>999</LEA>"
            "<DateTime>2027-04-07T09:30:00</DateTime></Source>\n  </Header>\n  <Children>\n"
        )
        for la_id in all_ids:
            born = today - dt.timedelta(days=rng.randint(100, 17 * 365))
            referral = today - dt.timedelta(days=rng.randint(30, 1200))
            plans = []
            if rng.random() < 0.5:
                start = referral + dt.timedelta(days=rng.randint(10, 40))
                if rng.random() < 0.3:
                    old_end = start + dt.timedelta(days=rng.randint(100, 400))
                    plans.append(
                        PLAN.format(
                            start=start.isoformat(),
                            end=f"          <CPPendDate>{old_end.isoformat()}</CPPendDate>\n",
                            previous=0,
                        )
                    )
                    start = old_end + dt.timedelta(days=rng.randint(30, 200))
                if start <= today:
                    plans.append(
                        PLAN.format(
                            start=start.isoformat(), end="", previous=len(plans) + rng.randint(0, 1)
                        )
                    )
            plans_written += len(plans)
            out.write(
                CHILD.format(
                    la_id=la_id,
                    born=born.isoformat(),
                    referral=referral.isoformat(),
                    plans="".join(plans),
                )
            )
        out.write("  </Children>\n</Message>\n")
    return plans_written


def env(data: Path) -> dict[str, str]:
    found = dict(os.environ, PLO_TRACKER_DATA_DIR=str(data), QT_QPA_PLATFORM="offscreen")
    found.pop("PYTHONDONTWRITEBYTECODE", None)
    return found


def probe(code: str, *args: str, environment: dict[str, str]) -> float:
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    for line in result.stderr.splitlines():
        if line.startswith("PROBE"):
            fields = dict(part.split("=") for part in line.split()[1:])
            if fields.get("code", "0") != "0":
                raise SystemExit(f"the command failed:\n{result.stderr[-2000:]}")
            return float(fields["seconds"])
    raise SystemExit(f"no probe line:\n{result.stderr[-2000:]}")


def whole(args: list[str], environment: dict[str, str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "plo_tracker", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    took = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{args} failed:\n{result.stderr[-2000:]}")
    return took


def median(values: list[float]) -> float:
    return statistics.median(values)


def runs_text(values: list[float]) -> str:
    return ", ".join(f"{v:.3f}" for v in values)


def write_section(text: str, path: Path = REPORT) -> None:
    old = path.read_text() if path.exists() else "# PLO Tracker benchmark report\n"
    if START_MARK in old and END_MARK in old:
        before, rest = old.split(START_MARK, 1)
        after = rest.split(END_MARK, 1)[1].lstrip("\n")
        new = before + text + ("\n" + after if after else "")
    else:
        new = old.rstrip("\n") + "\n\n" + text
    path.write_text(new)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=30_000)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-report", action="store_true", help="print, do not write")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="plo-cp-bench-") as folder:
        work = Path(folder)
        environment = env(work / "data")
        db = work / "bench.db"
        base = ["--db", str(db), "--user", "bench"]
        print(f"making a demo database of {args.cases:,} cases ...", flush=True)
        subprocess.run(
            [sys.executable, "-m", "plo_tracker", *base, "demo-data", "--cases", str(args.cases)],
            cwd=ROOT,
            env=environment,
            check=True,
            capture_output=True,
        )
        ret = work / "return.xml"
        plans = make_return(ret, demo_ids(db), args.children)
        size = ret.stat().st_size / 1024**2
        print(f"return: {args.children:,} children, {plans:,} CP plans, {size:.1f} MB", flush=True)
        floor, imports, flags, watch = [], [], [], []
        for _ in range(args.runs):
            floor.append(probe(FLOOR, str(ret), environment=environment))
            imports.append(
                probe(IMPORT, *base, "cp-plans", "import", str(ret), environment=environment)
            )
        for _ in range(args.runs):
            flags.append(whole([*base, "flags", "--format", "json"], environment))
            watch.append(whole([*base, "watch", "--format", "json"], environment))
    ratio_import = median(imports) / median(floor)
    ratio_watch = median(watch) / median(flags)
    verdict = {True: "PASS", False: "FAIL"}
    today = dt.datetime.now().replace(microsecond=0).isoformat()
    n = f"{args.cases:,}"
    lines = [
        START_MARK,
        "### Heading for PLO: cp-plans import and watch (issue 26)",
        "",
        f"`benchmarks/cp_plans_bench.py`, {today}: a {size:.1f} MB return of "
        f"{args.children:,} children ({plans:,} CP plans), a demo database of {n} cases; "
        f"medians of {args.runs} runs, each in a new process.",
        "",
        "| measure | cases | median | unit | target | verdict | runs |",
        "|---|---|---|---|---|---|---|",
        f"| floor: lxml iterparse of the return ({args.children:,} children) |  | "
        f"{median(floor):.3f} | s |  |  | {runs_text(floor)} |",
        f"| cp-plans import of the return (inside the process) | {n} | {median(imports):.3f} "
        f"| s |  |  | {runs_text(imports)} |",
        f"|   import as a multiple of the lxml floor |  | {ratio_import:.2f} | x | <= 3x | "
        f"{verdict[ratio_import <= 3]} |  |",
        f"| plo-tracker flags --format json | {n} | {median(flags):.3f} | s |  |  | "
        f"{runs_text(flags)} |",
        f"| plo-tracker watch --format json | {n} | {median(watch):.3f} | s |  |  | "
        f"{runs_text(watch)} |",
        f"|   watch as a multiple of flags | {n} | {ratio_watch:.2f} | x | <= 1.5x | "
        f"{verdict[ratio_watch <= 1.5]} |  |",
        "",
        END_MARK,
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_report:
        write_section(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
