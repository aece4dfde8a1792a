"""The index of the council's CIN census return: its children, CIN episodes and blocks.

``census_return.read_return`` builds it (reading the file as a stream); the merge reads it
(``census_merge``) and the new blocks are placed by the byte offsets it keeps
(``census_blocks``).  Dates are read as the DfE's validator reads them: ``YYYY-MM-DD``,
also with a time of midnight (``2026-06-30T00:00:00``); an empty ``<CINclosureDate/>`` is
no closure date (the episode is open).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from plo_tracker.errors import PloError

# The CINdetails group's elements, in the order of the DfE schema (pre-proceedings last).
CINDETAILS_ORDER: tuple[str, ...] = (
    "CINreferralDate",
    "ReferralSource",
    "PrimaryNeedCode",
    "CINclosureDate",
    "ReasonForClosure",
    "DateOfInitialCPC",
    "Assessments",
    "CINPlanDates",
    "Section47",
    "ReferralNFA",
    "ChildProtectionPlans",
    "PreProceedingsandFGDM",
)
BLOCK = "PreProceedingsandFGDM"
REFERRAL = "CINreferralDate"
CLOSURE = "CINclosureDate"
CHUNK = 1 << 20  # bytes read at a time

_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ]00:00(?::00(?:\.0+)?)?)?")
_TIMED = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


class ReturnError(PloError):
    """The council's return cannot be read or used (a plain message saying why)."""


def parse_day(text: str | None) -> dt.date | None:
    """A date as the return writes it (``YYYY-MM-DD``, or with a time of midnight)."""
    if not text:
        return None
    match = _DAY.fullmatch(text.strip())
    if match is None:
        return None
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        return None


def day_problem(text: str) -> str:
    """Why a date in the return cannot be read, in words."""
    if _TIMED.match(text.strip()):
        return f"'{text[:30]}' has a time of day other than midnight"
    return f"'{text[:30]}' is not a date"


@dataclass(frozen=True)
class Wanted:
    """What the merge needs from the return: the children by LA child ID, and which dates of
    birth to list children for (to suggest an ID only for a child born the same day)."""

    ids: frozenset[str]
    births: frozenset[str] = frozenset()  # ISO dates


@dataclass(eq=False)
class ReturnBlock:
    """A ``<PreProceedingsandFGDM>`` block already in the return."""

    values: tuple[tuple[str, str], ...]  # (element, text) as written, in the file's order
    offset: int  # where its start tag begins in the file
    space: bytes | None  # the whitespace just before it (None: text, not only space)

    @property
    def start_text(self) -> str | None:
        return dict(self.values).get("PPStartDate")

    @property
    def start(self) -> dt.date | None:
        return parse_day(self.start_text)


@dataclass(eq=False)
class CinEpisode:
    """One ``<CINdetails>``: a CIN episode from referral to closure (open: no closure)."""

    position: int  # 1 for the child's first CINdetails in the return
    referral_text: str | None
    closure_text: str | None  # None (or empty in the file): the episode is open
    prefix: str = ""  # the prefix its element names are written with ('cin:'), or ''
    space: bytes | None = None  # the whitespace before <CINdetails>
    anchor_end: int | None = None  # the end of its last element in the schema's order
    anchor_space: bytes | None = None  # the whitespace before that element
    blocks: list[ReturnBlock] = field(default_factory=list)

    @property
    def referral(self) -> dt.date | None:
        return parse_day(self.referral_text)

    @property
    def closure(self) -> dt.date | None:
        return parse_day(self.closure_text)

    @property
    def usable(self) -> bool:
        """A referral date that is a date, and a closure (if any) that is one too."""
        return self.referral is not None and (self.closure_text is None or self.closure is not None)

    def contains(self, day: dt.date) -> bool:
        referral, closure = self.referral, self.closure
        if referral is None or not self.usable:
            return False
        return referral <= day and (closure is None or day <= closure)

    def describe(self) -> str:
        """'CIN episode 2 (referral 2026-04-02, closed 2026-08-30)' or '(…, open)'."""
        if self.referral_text is None:
            referral = "no CINreferralDate"
        elif self.referral is None:
            referral = f"CINreferralDate {day_problem(self.referral_text)}"
        else:
            referral = self.referral_text
        if self.closure_text is None:
            end = "open"
        elif self.closure is None:
            end = f"CINclosureDate {day_problem(self.closure_text)}"
        else:
            end = f"closed {self.closure_text}"
        return f"CIN episode {self.position} (referral {referral}, {end})"


@dataclass(eq=False)
class ReturnChild:
    position: int  # 1 for the return's first <Child>
    la_child_id: str | None
    episodes: list[CinEpisode]
    born: str | None = None  # PersonBirthDate (or ExpectedPersonBirthDate) as written


@dataclass(eq=False)
class CouncilReturn:
    """The index of the council's return, and where its bytes are to copy them."""

    source: bytes | Path = field(repr=False)
    size: int
    encoding: str
    reference_date: dt.date
    lea: str | None
    children: list[ReturnChild]  # the children asked about (all, without ``Wanted``)
    children_count: int  # every <Child> in the file
    episode_count: int  # every <CINdetails> in the file
    births: dict[str, list[str]]  # ISO date of birth -> LA child IDs of children born then
    wanted: Wanted | None = None

    def by_id(self) -> dict[str, list[ReturnChild]]:
        found: dict[str, list[ReturnChild]] = {}
        for child in self.children:
            if child.la_child_id:
                found.setdefault(child.la_child_id, []).append(child)
        return found

    def covers(self, ids: Iterable[str], births: Iterable[str]) -> bool:
        """True when the index holds every child and birth date the merge asks about."""
        if self.wanted is None:
            return True
        return set(ids) <= self.wanted.ids and set(births) <= self.wanted.births

    def read(self, offset: int, size: int) -> bytes:
        if isinstance(self.source, bytes):
            return self.source[offset : offset + size]
        with self.source.open("rb") as handle:
            handle.seek(offset)
            return handle.read(size)

    def chunks(self) -> Iterator[bytes]:
        """The file's bytes, a chunk at a time."""
        if isinstance(self.source, bytes):
            yield self.source
            return
        with self.source.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk


def mismatched_year(theirs: dt.date, ours: dt.date) -> str:
    return (
        f"The council's return is for the census with reference date {theirs.isoformat()} "
        f"(its Header's ReferenceDate), not {ours.isoformat()}: give the same reference date, "
        "or the return for that year."
    )


def mismatched_lea(theirs: str, ours: str) -> str:
    return (
        f"The council's return is for LA {theirs[:10]} (its Header's LEA), but PLO Tracker's "
        f"LA code is {ours}: check that this is your council's return (or correct the LA code "
        "with 'plo-tracker census-settings set-la-code')."
    )
