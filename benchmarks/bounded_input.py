"""Time and peak memory of each hostile input of issue 22, now refused (item 3).

    .venv/bin/python benchmarks/bounded_input.py

Each input is handed to the code that reads it (``parse_document`` for exchange files,
``check_template`` for templates) in this process; the time is the wall clock, the memory
the peak Python allocation (tracemalloc) during that one call. Every input must be refused
(a known error or a refused check). Results go to benchmarks/results/bounded_input.md.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results" / "bounded_input.md"
TODAY = dt.date(2026, 11, 25)
HEAD = b'{"format":"plo-tracker-cases","version":3,"cases":['


def exchange_inputs() -> dict[str, bytes]:
    child = {"name": "Ann Lee", "date_of_birth": "2020-01-01"}

    def document(case: dict[str, object]) -> bytes:
        return json.dumps({"format": "plo-tracker-cases", "version": 3, "cases": [case]}).encode()

    return {
        "200 KB of nested brackets": b"[" * 200_000,
        "200 KB of nested brackets inside a case": HEAD + b"[" * 200_000,
        "1 MB of nested objects inside a case": HEAD + b'{"a":' * 200_000,
        "a case with 1,000 children": document(
            {"reference": "A-1", "children": [dict(child, name=f"C {i}") for i in range(1000)]}
        ),
        "a case with 20,000 events": document(
            {
                "reference": "A-1",
                "children": [child],
                "events": [{"type": "fgc_held", "date": "2024-01-02"}] * 20_000,
            }
        ),
        "a 5 MB text value": document(
            {"reference": "A-1", "children": [child], "team": "x" * 5_000_000}
        ),
        "a key given twice": HEAD + b'{"reference":"A","reference":"B","children":[]}]}',
        "a lone surrogate": HEAD + b'{"reference":"\\ud800","children":[]}]}',
    }


def template_inputs() -> dict[str, bytes]:
    from tests.security import docx_parts as parts

    def many(document: bytes) -> bytes:
        start = document.index(b"<w:body>") + len(b"<w:body>")
        return document[:start] + b"<w:p/>" * 3_000_000 + document[start:]

    loops = "{% for i in range(9999) %}{% for j in range(9999) %}x{% endfor %}{% endfor %}"
    steps = "{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}"
    listed = (
        "{% for i in ('x' * 9999)|list %}{% for j in ('x' * 9999)|list %}{% endfor %}{% endfor %}"
    )
    output = (
        "{% for i in range(1000) %}{% for j in range(90) %}{{ 'x' * 9999 }}{% endfor %}{% endfor %}"
    )
    recursion = "{% macro m(n) %}{{ m(n) }}{% endmacro %}{{ m(1) }}"
    return {
        "3 million paragraphs (small file)": parts.patched(
            parts.plain("Hello"), edit={"word/document.xml": many}
        ),
        "nested range(9999) loops": parts.plain("Dear {{ recipient_name }},", loops),
        "1,000 x 1,000 loop turns": parts.plain("Dear {{ recipient_name }},", steps),
        "nested loops over 9,999-item lists": parts.plain("Dear {{ recipient_name }},", listed),
        "900 MB of output asked for": parts.plain("Dear {{ recipient_name }},", output),
        "a macro calling itself": parts.plain("Dear {{ recipient_name }},", recursion),
        "a remote image": parts.linked_picture("https://tracker.example/p.png"),
    }


def measure(run: Callable[[], str]) -> tuple[float, float, str]:
    tracemalloc.start()
    start = time.perf_counter()
    outcome = run()
    took = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return took, peak / (1024 * 1024), outcome


def main() -> int:
    from plo_tracker import clock
    from plo_tracker.errors import PloError
    from plo_tracker.exchange import parse_document
    from plo_tracker.letters.render import check_template
    from plo_tracker.letters.templates import spec_for

    clock.fix(TODAY)
    rows: list[tuple[str, int, float, float, str]] = []
    for label, data in exchange_inputs().items():

        def read(data: bytes = data) -> str:
            try:
                parse_document(data, TODAY)
            except PloError as error:
                return str(error).removeprefix("Import refused, nothing was changed. ")
            return "ACCEPTED"

        rows.append((f"exchange: {label}", len(data), *measure(read)))
    spec = spec_for("review_invitation")
    for label, data in template_inputs().items():

        def check(data: bytes = data) -> str:
            try:
                result = check_template(data, "hostile.docx", spec)
            except PloError as error:
                return str(error)
            return "ACCEPTED" if result.ok else " ".join(result.problems)

        rows.append((f"template: {label}", len(data), *measure(check)))
    lines = [
        "# Hostile inputs of issue 22: time and peak memory until refused",
        "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, Python {sys.version.split()[0]}; "
        "memory is the peak Python allocation (tracemalloc) of the one call.",
        "",
        "| input | file size | time | peak memory | refusal |",
        "|---|---|---|---|---|",
    ]
    for label, size, took, peak, outcome in rows:
        shown = outcome.replace("|", "/")[:150]
        lines.append(f"| {label} | {size:,} B | {took:.3f} s | {peak:.1f} MB | {shown} |")
        print(f"{label}: {size:,} B, {took:.3f} s, {peak:.1f} MB: {shown[:110]}")
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    accepted = [r[0] for r in rows if r[4] == "ACCEPTED"]
    if accepted:
        print("ACCEPTED (should be refused):", ", ".join(accepted))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
