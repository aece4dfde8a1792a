"""Every letter of the contract's blended family, made as PDFs and PNG pages, and the tricks
tried against its keep-apart order with the refusal each gets.

    .venv/bin/python scripts/family_letters.py OUTDIR

PLO-2024-0031 of ``tests/data/example-cases-v3.json``: three children by two fathers (one
unborn), the mother at a confidential address protected from Alfie's father by a
non-molestation order, a grandmother without parental responsibility. The app's day is
fixed at 2 April 2024 (the family's story), on a new SQLite database in OUTDIR. Every
shipped template is made for every reader it goes to (as a DRAFT where the record does not
yet hold what a letter needs, which the file name says); PDFs need LibreOffice, and
``pdftoppm`` turns each page into a PNG to look at. ``tricks.txt`` lists each attempt to
put the mother's whereabouts into the letter to the man kept from her, with its refusal.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from db.engine import sqlite_url  # noqa: E402
from plo_tracker import clock  # noqa: E402
from plo_tracker.app import AppContext, open_app  # noqa: E402
from plo_tracker.errors import PloError  # noqa: E402
from plo_tracker.letters.errors import LetterNotReady  # noqa: E402
from plo_tracker.letters.options import (  # noqa: E402
    CouncilDetails,
    LetterOptions,
    SeparateMeeting,
)

DAY = dt.date(2024, 4, 2)
REFERENCE = "PLO-2024-0031"
EXAMPLE = ROOT / "tests" / "data" / "example-cases-v3.json"
ABUSER = "alfie_father"
COUNCIL = CouncilDetails(
    name="Marches Council",
    address=("Shirehall", "Abbey Foregate", "Shrewsbury", "SY2 6ND"),
    phone="01743 000200",
    email="families@marches.example.org",
    lawyer_name="Priya Shah",
    lawyer_phone="01743 000210",
    signatory="Joanne Price",
)

# Ways to write the mother's whereabouts (2 Rowan Court, Church Stretton, SY6 6AA).
TRICKS: tuple[tuple[str, LetterOptions], ...] = (
    ("street name in a worry", LetterOptions(worries=("The children play near Rowan Court.",))),
    ("postcode district", LetterOptions(worries=("The school is in the SY6 area.",))),
    ("postcode without space", LetterOptions(worries=("Post for the children: SY66AA.",))),
    ("soft hyphen in the town", LetterOptions(worries=("They live in Church Stret\u00adton.",))),
    ("zero-width space", LetterOptions(worries=("They live in Church Stre\u200btton.",))),
    ("hyphen splitting the town", LetterOptions(worries=("Church-Stretton school.",))),
    ("full-width letters", LetterOptions(worries=("Ｒｏｗａｎ Court is quiet.",))),
    ("Cyrillic look-alike", LetterOptions(worries=("Rоwan Court is quiet.",))),  # о U+043E
    ("help given, building", LetterOptions(help_given=("Rowan Court Family Centre sessions",))),
    (
        "meeting place near her home",
        LetterOptions(
            meeting=SeparateMeeting(
                date=dt.date(2024, 4, 15), time=dt.time(10, 0), place="Rowan Hall, SY6 6AB"
            )
        ),
    ),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    args = parser.parse_args()
    out: Path = args.outdir.resolve()
    if out.exists():
        shutil.rmtree(out)
    (out / "letters").mkdir(parents=True)
    clock.fix(DAY)
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    document["cases"] = [c for c in document["cases"] if c["reference"] == REFERENCE]
    ctx = open_app(sqlite_url(out / "family.db"), username="admin", create=True)
    try:
        ctx.exchange.import_text(json.dumps(document))
        ctx.letters.set_council(COUNCIL)
        made = make_every_letter(ctx, out / "letters")
        tricks = try_tricks(ctx, out / "tricks")
    finally:
        ctx.close()
    (out / "letters.txt").write_text("\n".join(made) + "\n", encoding="utf-8")
    (out / "tricks.txt").write_text("\n".join(tricks) + "\n", encoding="utf-8")
    pages(out / "letters")
    print("\n".join(made))
    print()
    print("\n".join(tricks))
    return 0


def make_every_letter(ctx: AppContext, folder: Path) -> list[str]:
    lines = []
    for template in ctx.letters.templates():
        name = template.name
        try:
            result = ctx.letters.generate(REFERENCE, name, folder, pdf=True)
            kind = "ready"
        except LetterNotReady as error:
            result = ctx.letters.generate(REFERENCE, name, folder, pdf=True, draft=True)
            kind = f"draft ({error})"
        except PloError as error:
            lines.append(f"{name}: not made: {error}")
            continue
        readers = ", ".join(letter.record.recipient_key for letter in result.letters)
        lines.append(f"{name}: {kind}; to {readers}")
        if result.pdf_note:
            lines.append(f"  PDF: {result.pdf_note}")
    return lines


def try_tricks(ctx: AppContext, folder: Path) -> list[str]:
    folder.mkdir()
    lines = [f"Letter before proceedings to {ABUSER} (kept from the mother):"]
    for label, options in TRICKS:
        try:
            ctx.letters.generate(
                REFERENCE,
                "letter_before_proceedings",
                folder,
                party=ABUSER,
                options=options,
                draft=True,  # a draft is searched as a letter to send is
            )
            lines.append(f"- {label}: MADE (not refused)")
        except PloError as error:
            lines.append(f"- {label}: refused: {error}")
    left = sorted(p.name for p in folder.iterdir())
    lines.append(f"Files left in the folder: {left or 'none'}")
    return lines


def pages(folder: Path) -> None:
    if shutil.which("pdftoppm") is None:
        return
    for pdf in sorted(folder.glob("*.pdf")):
        subprocess.run(  # noqa: S603
            ["pdftoppm", "-png", "-r", "50", str(pdf), str(pdf.with_suffix(""))],  # noqa: S607
            check=True,
        )


if __name__ == "__main__":
    raise SystemExit(main())
