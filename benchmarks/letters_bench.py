#!/usr/bin/env python3
"""Letters: plain-language scores of the shipped templates on demo data, and speed.

    .venv/bin/python benchmarks/letters_bench.py [--cases 120] [--runs 5] [--pdf]

Builds a throw-away SQLite database of demo cases (as of 4 March 2024), then reports:

* for each shipped template, Flesch reading ease and Flesch-Kincaid grade over every
  letter it makes for the demo cases (min / median / max), and the longest sentence;
* the time to make one letter through ``LetterService.generate`` (render, write, record),
  the median of several runs;
* the time to make a batch of exactly 100 letters with ``generate_batch``, and with
  ``--pdf`` the same batch with PDFs (one LibreOffice run).

Not part of the tests.  Prints a Markdown report.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from db.engine import sqlite_url  # noqa: E402
from plo_tracker.app import AppContext, open_app  # noqa: E402
from plo_tracker.demo import DEMO_COUNCIL, generate  # noqa: E402
from plo_tracker.letters import pdf  # noqa: E402
from plo_tracker.letters.context import CouncilDetails, LetterOptions  # noqa: E402
from plo_tracker.letters.readability import count_words  # noqa: E402
from plo_tracker.letters.templates import TEMPLATE_NAMES  # noqa: E402

DAY = dt.date(2024, 3, 4)
OPTIONS = LetterOptions(letter_date=DAY)
COUNCIL = CouncilDetails.from_json(DEMO_COUNCIL)  # the demo's fictional council


def references_for(app: AppContext, count: int) -> list[str]:
    """Cases whose people with PR add up to exactly ``count`` letters."""
    chosen: list[str] = []
    total = 0
    for reference in app.cases.references():
        readers = sum(p.parental_responsibility for p in app.cases.get(reference).parties)
        if readers == 0 or total + readers > count:
            continue
        chosen.append(reference)
        total += readers
        if total == count:
            return chosen
    raise SystemExit(f"not enough demo cases for {count} letters (got {total})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=120, help="demo cases (default 120)")
    parser.add_argument("--runs", type=int, default=5, help="runs of the one-letter timing")
    parser.add_argument("--pdf", action="store_true", help="also time 100 letters with PDFs")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="plo-letters-bench-") as work:
        folder = Path(work)
        app = open_app(sqlite_url(folder / "bench.db"), username="bench")
        app.exchange.import_cases(generate(args.cases, today=DAY, seed=2024))
        app.letters.set_council(COUNCIL)
        references = app.cases.references()

        print(f"# Letters benchmark ({dt.date.today().isoformat()})\n")
        print(
            f"{args.cases} demo cases as of {DAY.isoformat()}; Python "
            f"{platform.python_version()} on {platform.platform()}; "
            f"{platform.processor() or platform.machine()}.\n"
        )
        print("## Plain language of the shipped templates (every letter for every demo case)\n")
        print(
            "| template | letters | reading ease min / median / max | grade min / median / "
            "max | longest sentence (words) |"
        )
        print("|---|---|---|---|---|")
        for name in TEMPLATE_NAMES:
            previews = [
                p
                for reference in references
                if any(x.parental_responsibility for x in app.cases.get(reference).parties)
                for p in app.letters.preview(reference, name, options=OPTIONS)
            ]
            ease = [p.report.reading_ease for p in previews]
            grade = [p.report.grade for p in previews]
            longest = max(
                (count_words(s) for p in previews for _n, s in p.report.longest), default=0
            )
            print(
                f"| {name} | {len(previews)} | {min(ease):.1f} / {statistics.median(ease):.1f} "
                f"/ {max(ease):.1f} | {min(grade):.1f} / {statistics.median(grade):.1f} / "
                f"{max(grade):.1f} | {longest} |"
            )

        print("\n## Speed\n")
        one = references_for(app, 1)[0]
        timings = []
        for run in range(args.runs):
            started = time.perf_counter()
            # Most demo cases are not ready for a letter on this date: drafts take the same
            # path (render, check, write, record) plus the DRAFT marking.
            app.letters.generate(
                one, "letter_before_proceedings", folder / f"one-{run}", options=OPTIONS, draft=True
            )
            timings.append(time.perf_counter() - started)
        print("| measure | median | runs |")
        print("|---|---|---|")
        print(
            f"| one letter (render, check, write, record) | {statistics.median(timings):.3f} s "
            f"| {args.runs} |"
        )
        batch = references_for(app, 100)
        started = time.perf_counter()
        result = app.letters.generate_batch(
            batch, "letter_before_proceedings", folder / "batch", options=OPTIONS, draft=True
        )
        elapsed = time.perf_counter() - started
        assert len(result.letters) == 100
        print(f"| batch of 100 letters (.docx) | {elapsed:.2f} s | 1 |")
        if args.pdf:
            if not pdf.available():
                print("| batch of 100 letters with PDFs | LibreOffice not installed | |")
            else:
                started = time.perf_counter()
                result = app.letters.generate_batch(
                    batch,
                    "letter_before_proceedings",
                    folder / "pdf",
                    pdf=True,
                    options=OPTIONS,
                    draft=True,
                )
                elapsed = time.perf_counter() - started
                assert result.pdf_note is None, result.pdf_note
                print(
                    f"| batch of 100 letters with PDFs (one LibreOffice run) | {elapsed:.2f} s "
                    "| 1 |"
                )
        app.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
