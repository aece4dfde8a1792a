"""The shipped letters rendered for every demo reader, once a test session.

Shared by ``test_shipped_templates.py`` (the plain-language gate and what each reader
reads) and ``test_letter_elements.py`` (the elements of sections 4 and 6): the fixture
``letters`` in ``conftest.py`` renders every shipped template for every demo reader once.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from docx import Document

from plo_tracker.demo import generate
from plo_tracker.domain.model import CaseHistory, Party
from plo_tracker.letters.context import (
    CouncilDetails,
    LetterOptions,
    Wording,
    build_context,
    recipients,
)
from plo_tracker.letters.privacy import address_parts
from plo_tracker.letters.render import RenderedLetter, make_environment, render_letter
from plo_tracker.letters.templates import SHIPPED, TemplateSpec, shipped_bytes

TODAY = dt.date(2024, 3, 4)
COUNCIL = CouncilDetails(
    name="Marches Council",
    address=("Shirehall", "Abbey Foregate", "Shrewsbury", "ZZ2 6ND"),
    phone="0345 678 9021",
    email="childrens.services@marches.example.gov.uk",
    lawyer_name="Priya Nair",
    lawyer_phone="0345 678 9035",
    lawyer_email="legal.childcare@marches.example.gov.uk",
)
# The easy-read letters that list who will be at the meeting.
WHO_COMES = (
    "letter_before_proceedings_easy_read",
    "letter_before_proceedings_unborn_easy_read",
    "review_invitation_easy_read",
)
LEFTOVER = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")


@dataclass(frozen=True)
class Made:
    spec: TemplateSpec
    case: CaseHistory
    reader: Party
    letter: RenderedLetter
    paragraphs: list[str]
    cells: list[str]

    @property
    def everything(self) -> str:
        return "\n".join(self.paragraphs + self.cells)

    @property
    def has_pr(self) -> bool:
        return self.reader.parental_responsibility


def reopen(data: bytes) -> tuple[list[str], list[str]]:
    document = Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return paragraphs, cells


def demo_cases() -> list[CaseHistory]:
    return generate(60, today=TODAY, seed=2024) + generate(12, today=TODAY, seed=99)


def readers_of(case: CaseHistory, spec: TemplateSpec) -> tuple[Party, ...]:
    """Everyone in the case (people without PR too), but for the letter about a baby not yet
    born: only the people it goes to (tied to the baby), in a case with one."""
    if spec.kind != "letter_before_proceedings_unborn":
        return case.parties
    if not any(child.unborn for child in case.children):
        return ()
    return recipients(case, None, spec.kind)


def make_all() -> Iterator[Made]:
    environment = make_environment()
    for spec in SHIPPED:
        data = shipped_bytes(spec.name)
        for case in demo_cases():
            for reader in readers_of(case, spec):
                context = build_context(
                    case,
                    reader,
                    spec,
                    council=COUNCIL,
                    wording=Wording(),
                    options=LetterOptions(),
                    today=TODAY,
                )
                letter = render_letter(
                    data,
                    spec.name,
                    context,
                    forbidden=address_parts(case, reader, council_address=COUNCIL.address),
                    environment=environment,
                )
                yield Made(spec, case, reader, letter, *reopen(letter.data))
