"""Memory and time of merging the census into a big council return (issue 23: under 2x the file).

    .venv/bin/python benchmarks/census_merge.py              # a 200 MB return in /tmp
    .venv/bin/python benchmarks/census_merge.py --mb 20      # a smaller one

Made in a temporary folder (never in the repository): a demo database (``plo-tracker
demo-data``) with the census settings set, and a fictional council CIN return of about the
size asked for: every demo child with a CIN episode holding the start of their
pre-proceedings, and as many other children in need as it takes, each with the details a
return carries.  Then, each in a fresh process that reports its own peak resident memory
(VmHWM, which starts afresh at exec) and the time taken:

- the floor: ``lxml.etree.iterparse`` alone over the return, clearing each ``<Child>`` (the
  least any reader of the file does);
- ``plo-tracker census --merge-into RETURN --out MERGED --findings FINDINGS.csv``, as the data
  team runs it (the same process's memory with the app loaded is given too).

Results go to benchmarks/results/census_merge.md, as ratios to the floor and to the file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "census_merge.md"
sys.path.insert(0, str(ROOT))

HWM = r"""
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
"""

FLOOR = (
    HWM
    + r"""
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
print(f"PROBE peak_mb={hwm():.1f} seconds={took:.2f} children={children}", file=sys.stderr)
"""
)

MERGE = (
    HWM
    + r"""
import sys, time
import plo_tracker.cli, plo_tracker.services.reports, plo_tracker.reports.census_merge
floor = hwm()
start = time.perf_counter()
code = plo_tracker.cli.main(sys.argv[1:])
took = time.perf_counter() - start
print(f"PROBE app_mb={floor:.1f} peak_mb={hwm():.1f} seconds={took:.2f} code={code}",
      file=sys.stderr)
"""
)

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
{episodes}    </Child>
"""

EPISODE = """      <CINdetails>
        <CINreferralDate>{referral}</CINreferralDate>
        <ReferralSource>1A</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode>
{closure}        <Assessments>
          <AssessmentActualStartDate>{referral}</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>{referral}</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment>
            <AssessmentFactors>2B</AssessmentFactors>
            <AssessmentFactors>3A</AssessmentFactors>
          </FactorsIdentifiedAtAssessment>
        </Assessments>
        <Section47>
          <S47ActualStartDate>{referral}</S47ActualStartDate>
          <InitialCPCtarget>{referral}</InitialCPCtarget>
          <DateOfInitialCPC>{referral}</DateOfInitialCPC>
          <ICPCnotRequired>false</ICPCnotRequired>
        </Section47>
        <ReferralNFA>false</ReferralNFA>
        <ChildProtectionPlans>
          <CPPstartDate>{referral}</CPPstartDate>
          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
          <LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>0</NumberOfPreviousCPP>
          <Reviews>
            <CPPreviewDate>{referral}</CPPreviewDate>
          </Reviews>
        </ChildProtectionPlans>
      </CINdetails>
"""


def cli(db: Path, *args: str) -> str:
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "plo-tracker"), "--db", str(db), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode not in (0, 4):
        raise SystemExit(f"plo-tracker {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def make_database(folder: Path, cases: int, reference: dt.date) -> tuple[Path, list[tuple]]:
    """A demo database with the census settings, and its children's (ID, birth, start, end)."""
    from plo_tracker import config
    from plo_tracker.app import open_app
    from plo_tracker.reports.census import OUTCOME_KEYS

    db = folder / "demo.db"
    cli(db, "demo-data", "--cases", str(cases))
    for key in OUTCOME_KEYS:
        cli(db, "census-settings", "set-outcome", key, "B")
    cli(db, "census-settings", "set-la-code", "999")
    ctx = open_app(config.resolve_database_url(str(db)))
    try:
        census = ctx.reports.census(reference)
    finally:
        ctx.close()
    children = [
        (r.la_child_id, r.date_of_birth, r.pp_start_date, r.episode_end)
        for r in census.written
        if r.la_child_id and r.pp_start_date
    ]
    return db, children


def make_return(path: Path, megabytes: int, children: list[tuple], reference: dt.date) -> int:
    """A council return of about ``megabytes`` MB; returns its number of children."""
    target = megabytes * 1024 * 1024
    rng = random.Random(23)
    year_start = dt.date(reference.year - 1, 4, 1)
    seen: set[str] = set()
    count = 0
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<Message>\n  <Header>\n'
            "    <CollectionDetails>\n      <Collection>CIN</Collection>\n"
            f"      <Year>{reference.year}</Year>\n"
            f"      <ReferenceDate>{reference.isoformat()}</ReferenceDate>\n"
            "    </CollectionDetails>\n    <Source>\n      <SourceLevel>L</SourceLevel>\n"
            "      <LEA>999</LEA>\n      <SoftwareCode>Fictional CMS</SoftwareCode>\n"
            "      <Release>1</Release>\n      <SerialNo>1</SerialNo>\n"
            f"      <DateTime>{reference.year}-04-05T10:00:00</DateTime>\n    </Source>\n"
            "  </Header>\n  <Children>\n"
        )
        for la_id, born, start, _end in children:
            if la_id in seen:
                continue
            seen.add(la_id)
            referral = start - dt.timedelta(days=rng.randint(10, 300))
            episode = EPISODE.format(referral=referral.isoformat(), closure="")
            text = CHILD.format(la_id=la_id, born=(born or reference).isoformat(), episodes=episode)
            out.write(text)
            count += 1
        size = out.tell()
        n = 0
        while size < target - 64:
            referral = year_start + dt.timedelta(days=rng.randint(-300, 300))
            closure = referral + dt.timedelta(days=rng.randint(20, 400))
            closed = (
                f"        <CINclosureDate>{closure.isoformat()}</CINclosureDate>\n"
                "        <ReasonForClosure>RC1</ReasonForClosure>\n"
                if closure <= reference
                else ""
            )
            born = reference - dt.timedelta(days=rng.randint(200, 6000))
            text = CHILD.format(
                la_id=f"CIN{9000000 + n}",
                born=born.isoformat(),
                episodes=EPISODE.format(referral=referral.isoformat(), closure=closed),
            )
            out.write(text)
            size += len(text)
            n += 1
            count += 1
        out.write("  </Children>\n</Message>\n")
    return count


def probe(script: str, *args: str, source: Path | None = None) -> tuple[dict[str, float], float]:
    """Run ``script`` in a fresh process (``source``: another checkout of PLO Tracker to run)."""
    env = dict(os.environ)
    if source is not None:
        env["PYTHONPATH"] = str(source)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=source or ROOT,  # "-c" puts the working folder first on the path
    )
    wall = time.perf_counter() - start
    line = next((x for x in done.stderr.splitlines() if x.startswith("PROBE")), None)
    if line is None:
        raise SystemExit(f"the probe failed:\n{done.stderr[-2000:]}")
    values = {k: float(v) for k, v in (part.split("=") for part in line.split()[1:])}
    return values, wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200, help="return size in MB (default 200)")
    parser.add_argument("--cases", type=int, default=2000, help="demo cases (default 2000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement")
    parser.add_argument("--keep", action="store_true", help="keep the files")
    parser.add_argument(
        "--before",
        type=Path,
        metavar="CHECKOUT",
        help="also run the merge once with another checkout of PLO Tracker (e.g. a git worktree "
        "of the commit before a change), for a before/after figure",
    )
    args = parser.parse_args()
    reference = dt.date(dt.date.today().year + (dt.date.today().month > 3), 3, 31)
    folder = Path(tempfile.mkdtemp(prefix="plo-census-merge-"))
    print(f"making a demo database and a {args.mb} MB return in {folder} ...", flush=True)
    db, children = make_database(folder, args.cases, reference)
    council = folder / "council-return.xml"
    in_return = make_return(council, args.mb, children, reference)
    size_mb = council.stat().st_size / 1024 / 1024
    merged, findings = folder / "merged.xml", folder / "findings.csv"
    floors, merges = [], []
    for run in range(args.runs):
        floor, _ = probe(FLOOR, str(council))
        floors.append(floor)
        print(f"run {run + 1}: iterparse {floor}", flush=True)
        merge, wall = probe(
            MERGE,
            "--db",
            str(db),
            "census",
            "--reference-date",
            reference.isoformat(),
            "--merge-into",
            str(council),
            "--out",
            str(merged),
            "--findings",
            str(findings),
            "--allow-findings",
        )
        merge["wall"] = wall
        merges.append(merge)
        print(f"run {run + 1}: merge {merge}", flush=True)
        if merge["code"] != 0:
            raise SystemExit("the merge did not succeed")

    before: dict[str, float] | None = None
    if args.before is not None:
        before, _wall = probe(
            MERGE,
            "--db",
            str(db),
            "census",
            "--reference-date",
            reference.isoformat(),
            "--merge-into",
            str(council),
            "--out",
            str(folder / "merged-before.xml"),
            "--findings",
            str(folder / "findings-before.csv"),
            "--allow-findings",
            source=args.before.resolve(),
        )
        print(f"before: {before}", flush=True)

    def median(items: list[dict[str, float]], key: str) -> float:
        values = sorted(item[key] for item in items)
        return values[len(values) // 2]

    floor_mb, floor_s = median(floors, "peak_mb"), median(floors, "seconds")
    peak_mb, took = median(merges, "peak_mb"), median(merges, "seconds")
    app_mb, wall = median(merges, "app_mb"), median(merges, "wall")
    blocks = merged.read_bytes().count(b"<PreProceedingsandFGDM>")
    verdict = "PASS" if peak_mb < 2 * size_mb else "FAIL"
    lines = [
        "# Census merge: memory and time (benchmarks/census_merge.py)",
        "",
        f"- date: {dt.datetime.now().isoformat(timespec='seconds')}",
        f"- return: {size_mb:.0f} MB, {in_return:,} children, {len(children):,} records of "
        f"{args.cases:,} demo cases to place ({blocks:,} blocks in the merged file); "
        f"reference date {reference.isoformat()}",
        f"- median of {args.runs} runs, each in a fresh process; peak resident memory is VmHWM",
        "",
        "| measure | value | ratio | target | verdict |",
        "|---|---|---|---|---|",
        f"| peak memory of `plo-tracker census --merge-into … --out … --findings …` | "
        f"{peak_mb:.0f} MB | {peak_mb / size_mb:.2f}x the file; {peak_mb / floor_mb:.2f}x "
        f"the floor | < 2x the file ({2 * size_mb:.0f} MB) | {verdict} |",
        f"| the same process with the app loaded, before merging | {app_mb:.0f} MB | | | |",
        f"| floor: lxml iterparse alone over the return | {floor_mb:.0f} MB | | | |",
        f"| time of the merge command (census, reading the return, writing both files) | "
        f"{took:.1f} s | {took / floor_s:.2f}x the floor | | |",
        f"| floor: lxml iterparse alone | {floor_s:.1f} s | | | |",
        f"| wall time including start-up | {wall:.1f} s | | | |",
    ]
    if before is not None:
        lines.insert(
            -1,
            f"| before (`--before {args.before}`, one run): peak memory, time | "
            f"{before['peak_mb']:.0f} MB, {before['seconds']:.1f} s | "
            f"{before['peak_mb'] / size_mb:.2f}x the file; {before['peak_mb'] / floor_mb:.2f}x "
            "the floor | | |",
        )
    lines += [
        "",
        "Before issue 23 the whole return was read into memory and into an lxml tree, and the "
        "merged return written from that tree (the `before` row, when measured).",
    ]
    RESULTS.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    if not args.keep:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
