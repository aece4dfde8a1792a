"""What the scripts-and-fonts step costs per letter (benchmarks/run.py --only glyphs).

* ``prepare_document``: the rendered letter's Arabic-script runs set to the shipped font,
  en-GB (part of every render, before it is saved);
* the glyph check before a PDF (``glyphs.missing_in``): the letter's characters against
  the fonts LibreOffice will use, first in a new process (every character map read) and
  then with the maps kept (every later letter);

for a letter before proceedings to an Urdu reader (its first line in Urdu) and to a
reader of English.  A PDF itself takes LibreOffice a second or more per batch, so a check
of a few milliseconds per letter is what to compare against.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

URDU = "یہ خط بہت اہم ہے۔ اگر آپ کو ترجمان کی ضرورت ہے تو ہمیں {phone} پر کال کریں۔"


def _timed(runs: int, action: Callable[[], object]) -> tuple[float, list[float]]:
    values = []
    for _ in range(max(runs, 5) * 3):
        start = time.perf_counter()
        action()
        values.append((time.perf_counter() - start) * 1000)
    return statistics.median(values), values


def _letters() -> dict[str, tuple[bytes, Callable[[], Any]]]:
    """{reader: (the finished .docx, a function giving it rendered but not yet prepared)}."""
    import io

    from docxtpl import DocxTemplate

    from plo_tracker.letters.context import build_context
    from plo_tracker.letters.options import LanguageLines, LetterOptions, Wording
    from plo_tracker.letters.render import make_environment
    from plo_tracker.letters.templates import SHIPPED_BY_NAME, shipped_bytes
    from tests.letters.helpers import COUNCIL, LETTER_DAY, family_case
    from tests.letters.test_recipient_rules import HIS_MEETING, letter

    case = family_case()
    parties = tuple(replace(p, language="Urdu") if p.id == "mother" else p for p in case.parties)
    case = replace(case, parties=parties)
    lines = LanguageLines.from_json({"Urdu": URDU})
    name = "letter_before_proceedings"
    made = {}
    for label, key, extra in (
        ("Urdu reader", "mother", {}),
        ("English reader", "father", {"meeting": HIS_MEETING}),
    ):
        reader = case.party(key)
        assert reader is not None
        context = build_context(
            case,
            reader,
            SHIPPED_BY_NAME[name],
            council=COUNCIL,
            wording=Wording(),
            options=LetterOptions(letter_date=LETTER_DAY, **extra),  # type: ignore[arg-type]
            today=LETTER_DAY,
            language_lines=lines,
        )

        def rendered(context: dict = context) -> Any:
            document = DocxTemplate(io.BytesIO(shipped_bytes(name)))
            document.render(dict(context), jinja_env=make_environment(), autoescape=True)
            return document.docx

        made[label] = (letter(case, key, languages=lines, **extra).data, rendered)
    return made


def run(
    report: Any,
    row: Callable[..., Any],
    sizes: list[int],
    runs: int,
    demo_database: Callable[[int], Path],
) -> None:
    from plo_tracker.letters import fonts, glyphs
    from plo_tracker.letters.scripts import prepare_document

    for label, (data, rendered) in _letters().items():
        timings = []
        for _ in range(max(runs, 5) * 3):
            document = rendered()  # a fresh letter each time (the font is embedded once)
            start = time.perf_counter()
            prepare_document(document)
            timings.append((time.perf_counter() - start) * 1000)
        report.add(
            row(
                f"prepare_document (fonts for scripts, en-GB), one letter ({label})",
                "",
                statistics.median(timings),
                "ms",
                "",
                "",
                timings[:5],
            )
        )
        cold = []
        for _ in range(max(runs, 3)):
            fonts._cmap.cache_clear()
            start = time.perf_counter()
            glyphs.missing_in(data)
            cold.append((time.perf_counter() - start) * 1000)
        report.add(
            row(
                f"glyph check, one letter, maps not yet read ({label})",
                "",
                statistics.median(cold),
                "ms",
                "",
                "",
                cold[:5],
            )
        )
        value, values = _timed(runs, lambda data=data: glyphs.missing_in(data))
        report.add(
            row(
                f"glyph check, one letter, maps kept ({label})",
                "",
                value,
                "ms",
                "< 50 ms",
                "PASS" if value < 50 else "MISS",
                values[:5],
            )
        )
