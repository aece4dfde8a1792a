"""Letter benchmarks for benchmarks/run.py: one letter against a bare docxtpl render of the
same template with the same values, and a batch of 100 through the letter service.

"Ours" is ``render_letter``: the sandboxed, escaping, strict environment, then the
letter reopened and given its plain-language check.  "Bare" is docxtpl's own render
and save with a default Jinja environment.  (For the shipped templates' reading ease,
grade and the PDF batch, see benchmarks/letters_bench.py.)
"""

from __future__ import annotations

import io
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TEMPLATES = ("letter_before_proceedings", "review_invitation", "plan_summary")


def _median_ms(runs: int, action: Callable[[], object]) -> tuple[float, list[float]]:
    action()  # warm
    values = []
    for _ in range(max(runs, 5) * 3):
        start = time.perf_counter()
        action()
        values.append((time.perf_counter() - start) * 1000)
    return statistics.median(values), values


def run(
    report: Any,
    row: Callable[..., Any],
    sizes: list[int],
    runs: int,
    demo_database: Callable[[int], Path],
) -> None:
    from docxtpl import DocxTemplate

    from plo_tracker.letters.render import make_environment, render_letter, specimen_context
    from plo_tracker.letters.templates import shipped_bytes, spec_for

    environment = make_environment()
    for name in TEMPLATES:
        data = shipped_bytes(name)
        context = specimen_context(spec_for(name), full=True)

        def bare(data: bytes = data, context: dict = context) -> bytes:
            document = DocxTemplate(io.BytesIO(data))
            document.render(dict(context), autoescape=True)
            buffer = io.BytesIO()
            document.save(buffer)
            return buffer.getvalue()

        def ours(data: bytes = data, context: dict = context, name: str = name) -> object:
            return render_letter(data, name, context, environment=environment)

        bare_ms, bare_runs = _median_ms(runs, bare)
        ours_ms, ours_runs = _median_ms(runs, ours)
        report.add(
            row(
                f"one letter, bare docxtpl render: {name}", "", bare_ms, "ms", "", "", bare_runs[:5]
            )
        )
        report.add(
            row(
                f"one letter, ours (render + check): {name}",
                "",
                ours_ms,
                "ms",
                "",
                "",
                ours_runs[:5],
            )
        )
        ratio = ours_ms / bare_ms
        report.add(
            row(
                f"  ... as a multiple of bare: {name}",
                "",
                ratio,
                "x",
                "<= 1.5x",
                "PASS" if ratio <= 1.5 else "MISS",
                [],
            )
        )

    from db.engine import sqlite_url
    from plo_tracker.app import open_app

    source = demo_database(1000)
    work = Path(tempfile.mkdtemp(prefix="plo-bench-letters-"))
    try:
        copy = work / "letters.db"
        shutil.copy(source, copy)
        app = open_app(sqlite_url(copy), username="bench")
        try:
            # Ready letters only (letters are refused until ready, issue 11): the cases whose
            # letter before proceedings is ready for every person with PR, up to 100 letters.
            references = [summary.reference for summary in app.cases.summaries()]
            by_case: dict[str, list[bool]] = {}
            for item in app.letters.readiness_batch(references, "letter_before_proceedings"):
                by_case.setdefault(item.case_reference, []).append(item.ready)
            chosen, letters = [], 0
            for reference, ready in by_case.items():
                if all(ready) and letters + len(ready) <= 100:
                    chosen.append(reference)
                    letters += len(ready)
            drafts = [r for r in references if r not in chosen][:55]  # about 100 letters
            for label, cases, draft in (
                (f"batch of {letters} ready letters (.docx, written and recorded)", chosen, False),
                ("batch of N drafts (.docx, marked DRAFT, recorded)", drafts, True),
            ):
                timings = []
                made = 0
                for attempt in range(max(1, min(runs, 3))):
                    start = time.perf_counter()
                    result = app.letters.generate_batch(
                        cases,
                        "letter_before_proceedings",
                        work / f"batch-{int(draft)}-{attempt}",
                        draft=draft,
                    )
                    timings.append(time.perf_counter() - start)
                    made = len(result.letters)
                if cases:
                    report.add(
                        row(
                            label.replace("N drafts", f"{made} drafts"),
                            "",
                            statistics.median(timings),
                            "s",
                            "",
                            "",
                            timings,
                        )
                    )
        finally:
            app.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
