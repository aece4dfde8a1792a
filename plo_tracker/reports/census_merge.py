"""Merging PLO Tracker's pre-proceedings blocks into the council's own CIN census return.

``merge_into(council, census)`` takes the council's return (``census_return.read_return``)
and the checked census (``census.build_census``) and places each record that passed the
rules, as a ``<PreProceedingsandFGDM>`` block, in the child's ``<CINdetails>`` whose
referral-to-closure period (``CINreferralDate`` to ``CINclosureDate``, both included; an
open episode has no closure) contains the block's ``PPStartDate``.  A block that cannot be
placed is never dropped silently and never guessed: it becomes a finding naming the case,
the child's LA child ID, why, and the close candidates.  Each block is first compared with
every block the return already holds for that child, in any of its CIN episodes, so no
episode of pre-proceedings is ever counted twice.

======================  =======  ========================================================
finding                  kind    when
======================  =======  ========================================================
not_in_return            error   the child's LAchildID is not in the return
child_twice_in_return    error   the LAchildID is on two <Child> elements of the return
no_cin_episode           error   none of the child's CIN episodes contains the start
two_cin_episodes         error   more than one does (the return's episodes overlap)
differs_from_return      error   the return already has a block for the child with that
                                 start, and its values differ from PLO Tracker's
overlaps_return_block    error   the return already has a block for the child whose
                                 period overlaps this one's (or that cannot be read)
already_in_return        query   the same block is already there (nothing added)
same_start_twice         error   two PLO Tracker cases give the child a block starting the
                                 same day (one would be counted twice)
======================  =======  ========================================================

Errors keep the block out of the merged return; the query does not (the block is there).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from plo_tracker.reports.census import CensusReturn
from plo_tracker.reports.census_blocks import Insertion, plan_insertion, splice, spliced
from plo_tracker.reports.census_records import Finding, PreProceedingsRecord
from plo_tracker.reports.census_return import (
    CinEpisode,
    CouncilReturn,
    ReturnBlock,
    ReturnChild,
    ReturnError,
    Wanted,
    mismatched_lea,
    mismatched_year,
    parse_day,
)
from plo_tracker.reports.census_rules import ERROR, QUERY, Rule, where

MERGE_RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule("not_in_return", ERROR, "The child's LA child ID is in the council's return"),
        Rule("child_twice_in_return", ERROR, "The LA child ID is on one child of the return"),
        Rule("no_cin_episode", ERROR, "One of the child's CIN episodes contains PPStartDate"),
        Rule("two_cin_episodes", ERROR, "Only one of the child's CIN episodes contains it"),
        Rule("differs_from_return", ERROR, "A block the return already has agrees with ours"),
        Rule(
            "overlaps_return_block",
            ERROR,
            "No block the return already has for the child overlaps ours",
        ),
        Rule("already_in_return", QUERY, "The return already has this block"),
        Rule("same_start_twice", ERROR, "One block per child and start date"),
    )
}

SIMILAR_CUTOFF = 0.6  # difflib's ratio for an ID to be offered as a candidate

STRICTER = (
    "PLO Tracker is stricter here than the DfE's validator, which does not check which CIN "
    "episode a block sits in: a block in the wrong episode would be counted against the "
    "wrong period of the child's involvement, so PLO Tracker does not guess"
)


@dataclass(frozen=True, slots=True)
class Placement:
    """Where one record is: the return's child and CIN episode."""

    case: str
    episode: int
    child_position: int
    la_child_id: str
    pp_start_date: dt.date
    return_child: int  # the <Child>'s position in the return (1 = first)
    cin_episode: int  # the <CINdetails>' position in that child (1 = first)
    referral: dt.date | None
    closure: dt.date | None


@dataclass(frozen=True)
class CensusMerge:
    """The merged return (as insertions into the council's file), where each record went,
    and what could not be placed."""

    census: CensusReturn
    placements: tuple[Placement, ...]  # the blocks added
    findings: tuple[Finding, ...]  # the merge's own (the rules' are in census.findings)
    children_in_return: int
    episodes_in_return: int
    present: tuple[Placement, ...]  # the records whose block the return already holds
    insertions: tuple[Insertion, ...] = field(repr=False)
    council: CouncilReturn = field(repr=False)

    @property
    def all_findings(self) -> tuple[Finding, ...]:
        return tuple(sorted((*self.census.findings, *self.findings), key=Finding.sort_key))

    @property
    def already_there(self) -> int:
        return len(self.present)

    @property
    def not_placed(self) -> int:
        """Records that passed the rules but are not in the merged return."""
        return sum(1 for f in self.findings if f.blocks)

    @property
    def kept_out(self) -> int:
        """Every record not in the merged return: by the rules, or not placed."""
        return self.census.records_blocked + self.not_placed

    @property
    def children_placed(self) -> int:
        return len({p.la_child_id for p in self.placements})

    @property
    def blocks_in_file(self) -> int:
        """PLO Tracker's blocks in the merged return: added now, or there already."""
        return len(self.placements) + len(self.present)

    @property
    def children_in_file(self) -> int:
        return len({p.la_child_id for p in (*self.placements, *self.present)})

    def write_to(self, write: Callable[[bytes], object]) -> None:
        """Write the merged return, a chunk at a time (the council's file is read again)."""
        splice(self.council.chunks(), self.insertions, write)

    @property
    def data(self) -> bytes:
        """The merged return in memory (for small returns and tests; files use write_to)."""
        if isinstance(self.council.source, bytes):
            return spliced(self.council.source, self.insertions)
        return spliced(self.council.source.read_bytes(), self.insertions)

    def counts_by_rule(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for finding in self.all_findings:
            counts[finding.rule] = counts.get(finding.rule, 0) + 1
        return dict(sorted(counts.items()))

    def to_json(self) -> dict[str, Any]:
        return {
            "reference_date": self.census.reference_date.isoformat(),
            "children_in_return": self.children_in_return,
            "episodes_in_return": self.episodes_in_return,
            "records": len(self.census.records),
            "placed": len(self.placements),
            "children_placed": self.children_placed,
            "already_in_return": self.already_there,
            "blocks_in_file": self.blocks_in_file,
            "children_in_file": self.children_in_file,
            "kept_out": self.kept_out,
            "findings_by_rule": self.counts_by_rule(),
            "placements": [
                {
                    "case": p.case,
                    "episode": p.episode,
                    "la_child_id": p.la_child_id,
                    "pp_start_date": p.pp_start_date.isoformat(),
                    "return_child": p.return_child,
                    "cin_episode": p.cin_episode,
                }
                for p in self.placements
            ],
            "findings": [f.to_json() for f in self.all_findings],
        }


def check_return_matches(council: CouncilReturn, census: CensusReturn) -> None:
    """The return is for the same census year and (when both say) the same council."""
    if council.reference_date != census.reference_date:
        raise ReturnError(mismatched_year(council.reference_date, census.reference_date))
    ours = census.settings.la_code
    if ours and council.lea and council.lea != ours:
        raise ReturnError(mismatched_lea(council.lea, ours))


def _variants(text: str) -> set[str]:
    """The text and each text one character shorter: two IDs that share one are at most two
    edits apart."""
    return {text, *(text[:i] + text[i + 1 :] for i in range(len(text)))}


_LOOK_ALIKE = str.maketrans({"o": "0", "i": "1", "l": "1", "s": "5", "b": "8", "z": "2"})
_SLIP_WORDS = (
    "the same but for capital letters: the DfE's validator matches IDs exactly, capitals included",
    "look-alike characters or two characters swapped",
    "one or two characters different",
)


def _slip(a: str, b: str) -> int:
    """0: the same but for capitals; 1: look-alike characters or two neighbours swapped;
    2: another slip."""
    x, y = a.casefold(), b.casefold()
    if x == y:
        return 0
    if x.translate(_LOOK_ALIKE) == y.translate(_LOOK_ALIKE):
        return 1
    differ = [i for i in range(len(x)) if len(x) == len(y) and x[i] != y[i]]
    swapped = len(differ) == 2 and differ[1] == differ[0] + 1
    if swapped and (x[differ[0]], x[differ[1]]) == (y[differ[1]], y[differ[0]]):
        return 1
    return 2


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def _distance(episode: CinEpisode, day: dt.date) -> int:
    referral, closure = episode.referral, episode.closure
    if referral is None or not episode.usable:
        return 10**6
    if day < referral:
        return (referral - day).days
    if closure is not None and day > closure:
        return (day - closure).days
    return 0


def _nearness(episode: CinEpisode, day: dt.date) -> str:
    if not episode.usable:
        return f"{episode.describe()}, whose dates cannot be read"
    referral, closure = episode.referral, episode.closure
    assert referral is not None
    if day < referral:
        return f"{episode.describe()}, referred {_days((referral - day).days)} after the start"
    if closure is not None and day > closure:
        return f"{episode.describe()}, closed {_days((day - closure).days)} before the start"
    return episode.describe()


_DATED = ("PPStartDate", "LBPSentDate", "InitialPPMeetingDate", "StepDecisionDate")
_DATED += ("CourtAppDate", "LetterInitCPDate")


def _normal(values: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Values as the validator reads them: a date with a time of midnight is that date."""
    found = []
    for name, text in values:
        day = parse_day(text) if name in _DATED else None
        found.append((name, day.isoformat() if day is not None else text.strip()))
    return found


def _period(values: dict[str, str]) -> tuple[dt.date | None, dt.date | None]:
    """A block's pre-proceedings period: its start, and its court application or step
    decision (None: still open, running on)."""
    end = parse_day(values.get("CourtAppDate")) or parse_day(values.get("StepDecisionDate"))
    return parse_day(values.get("PPStartDate")), end


def _period_words(start: dt.date | None, end: dt.date | None) -> str:
    first = start.isoformat() if start else "an unreadable start"
    return f"{first} to {end.isoformat()}" if end else f"{first}, still open"


class _Merger:
    def __init__(self, council: CouncilReturn, census: CensusReturn) -> None:
        self.council = council
        self.census = census
        self.by_id = council.by_id()
        self.findings: list[Finding] = []
        self.placements: list[Placement] = []
        self.present: list[Placement] = []
        self.insertions: list[Insertion] = []
        self.ours: dict[int, list[tuple[dt.date, str]]] = {}  # return child -> (start, case)

    def add(self, record: PreProceedingsRecord, rule: str, element: str, message: str) -> None:
        self.findings.append(
            Finding(
                case=record.case,
                child_position=record.child_position,
                child_name=record.child_name,
                la_child_id=record.la_child_id,
                rule=rule,
                severity=MERGE_RULES[rule].severity,
                element=element,
                message=f"{where(record)}: {message} (rule {rule}).",
                episode=record.episode,
                date=record.pp_start_date if element == "PPStartDate" else None,
            )
        )

    def child_words(self, record: PreProceedingsRecord) -> str:
        return (
            f"child {record.child_position} ({record.child_name}), LA child ID {record.la_child_id}"
        )

    def placement(
        self, record: PreProceedingsRecord, child: ReturnChild, episode: CinEpisode
    ) -> Placement:
        assert record.pp_start_date is not None
        return Placement(
            case=record.case,
            episode=record.episode,
            child_position=record.child_position,
            la_child_id=child.la_child_id or "",
            pp_start_date=record.pp_start_date,
            return_child=child.position,
            cin_episode=episode.position,
            referral=episode.referral,
            closure=episode.closure,
        )

    def place(self, record: PreProceedingsRecord) -> None:
        la_id = record.la_child_id
        start = record.pp_start_date
        assert la_id is not None and start is not None  # the rules keep out records without
        matches = self.by_id.get(la_id, [])
        if not matches:
            self.not_in_return(record)
            return
        if len(matches) > 1:
            places = ", ".join(str(c.position) for c in matches)
            self.add(
                record,
                "child_twice_in_return",
                "LAchildID",
                f"{self.child_words(record)}, is on {len(matches)} children of the council's "
                f"return (children {places} in the file), so PLO Tracker cannot tell which is "
                "this child; the case management system should give each child one record",
            )
            return
        child = matches[0]
        if self.twice(record, child, start) or self.against_return(record, child, start):
            return
        containing = [e for e in child.episodes if e.contains(start)]
        if not containing:
            self.no_episode(record, child, start)
            return
        if len(containing) > 1:
            listed = "; ".join(e.describe() for e in containing)
            self.add(
                record,
                "two_cin_episodes",
                "PPStartDate",
                f"pre-proceedings started on {start.isoformat()}, which falls in "
                f"{len(containing)} of {self.child_words(record)}'s CIN episodes in the "
                f"council's return ({listed}); the episodes overlap, which the case management "
                f"system should correct. {STRICTER}",
            )
            return
        episode = containing[0]
        self.insertions.append(
            plan_insertion(episode, record.elements(), start, len(self.insertions))
        )
        self.ours.setdefault(child.position, []).append((start, record.case))
        self.placements.append(self.placement(record, child, episode))

    def twice(self, record: PreProceedingsRecord, child: ReturnChild, start: dt.date) -> bool:
        """Another PLO Tracker case already gave this child a block starting that day."""
        ours = self.ours.get(child.position, [])
        other = next((case for day, case in ours if day == start), None)
        if other is None:
            return False
        self.add(
            record,
            "same_start_twice",
            "PPStartDate",
            f"{other} already gives {self.child_words(record)} a block starting on "
            f"{start.isoformat()}; two blocks with one start would count one episode twice: if "
            "the two cases are one episode, record it in one case; if they are two children, "
            "correct the LA child ID",
        )
        return True

    def against_return(
        self, record: PreProceedingsRecord, child: ReturnChild, start: dt.date
    ) -> bool:
        """Compare the block with every block the return holds for the child (any episode):
        the same block is a query (nothing added); the same start with other values, or an
        overlapping period, is an error naming both.  True when the block is not to be added."""
        values = record.elements()
        ours = dict(values)
        first, last = _period(ours)
        overlapping: list[tuple[CinEpisode, ReturnBlock]] = []
        for episode in child.episodes:
            for block in episode.blocks:
                theirs = dict(block.values)
                if block.start == start:
                    if _normal(block.values) == _normal(values):
                        self.present.append(self.placement(record, child, episode))
                        self.ours.setdefault(child.position, []).append((start, record.case))
                        self.add(
                            record,
                            "already_in_return",
                            "PPStartDate",
                            f"the council's return already holds this block for "
                            f"{self.child_words(record)}, with the same values, in "
                            f"{episode.describe()}; nothing was added",
                        )
                    else:
                        self.add(
                            record,
                            "differs_from_return",
                            "PPStartDate",
                            f"the council's return already holds a block for "
                            f"{self.child_words(record)} starting on {start.isoformat()} in "
                            f"{episode.describe()}, with other values "
                            f"({_differences(block.values, values)}); PLO Tracker does not "
                            "overwrite the return: the data team decides which is right and "
                            "corrects the other",
                        )
                    return True
                their_first, their_last = _period(theirs)
                if their_first is None or (
                    their_first <= (last or dt.date.max) and first <= (their_last or dt.date.max)
                ):
                    overlapping.append((episode, block))
        if not overlapping:
            return False
        listed = "; ".join(
            f"in {episode.describe()}, "
            + (
                f"running {_period_words(*_period(dict(block.values)))}"
                if block.start is not None
                else f"whose PPStartDate '{(block.start_text or '')[:30]}' cannot be read"
            )
            for episode, block in overlapping
        )
        self.add(
            record,
            "overlaps_return_block",
            "PPStartDate",
            f"the council's return already holds pre-proceedings for {self.child_words(record)} "
            f"({listed}), and this block ({_period_words(first, last)}) overlaps it; a second "
            "block would count one episode of pre-proceedings twice, so nothing was added: if "
            "they are the same episode, the data team corrects the dates where they are wrong "
            "(in PLO Tracker or in the case management system); if the return's block is "
            "wrong, it is taken out there",
        )
        return True

    def similar_ids(self, record: PreProceedingsRecord) -> list[tuple[str, int]]:
        """Up to 3 IDs of children in the return born the same day as this child and at most
        two edits from its ID (a character changed, added or dropped, two swapped, capitals),
        the likeliest typing slips first; none without a date of birth to match."""
        la_id = record.la_child_id or ""
        if record.date_of_birth is None:
            return []
        born = self.council.births.get(record.date_of_birth.isoformat(), [])
        keys = _variants(la_id.casefold())
        scored = []
        for other in set(born) - {la_id}:
            if not _variants(other.casefold()) & keys:
                continue
            slip = _slip(la_id, other)
            ratio = difflib.SequenceMatcher(None, la_id.casefold(), other.casefold()).ratio()
            if slip < 2 or ratio >= SIMILAR_CUTOFF:
                scored.append(((slip, -ratio, other), other, slip))
        return [(other, slip) for _key, other, slip in sorted(scored)][:3]

    def not_in_return(self, record: PreProceedingsRecord) -> None:
        similar = self.similar_ids(record)
        if similar:
            listed = ", ".join(f"{other} ({_SLIP_WORDS[slip]})" for other, slip in similar)
            hint = f"a child born the same day has a similar ID in the return: {listed}"
        elif record.date_of_birth is None:
            hint = "PLO Tracker has no date of birth for the child, so no other ID is suggested"
        else:
            hint = "no child born the same day has a similar ID in the return"
        self.add(
            record,
            "not_in_return",
            "LAchildID",
            f"{self.child_words(record)}, is not in the council's return ({hint}). If the ID "
            "on the case is wrong, correct it on the case's Children; if it is right, the data "
            f"team should find out why the case management system left the child out. {STRICTER}",
        )

    def no_episode(self, record: PreProceedingsRecord, child: ReturnChild, start: dt.date) -> None:
        if child.episodes:
            nearest = sorted(child.episodes, key=lambda e: (_distance(e, start), e.position))[:2]
            candidates = "the nearest: " + "; ".join(_nearness(e, start) for e in nearest)
        else:
            candidates = "the child has no CINdetails in the return"
        self.add(
            record,
            "no_cin_episode",
            "PPStartDate",
            f"pre-proceedings started on {start.isoformat()}, which falls in none of "
            f"{self.child_words(record)}'s CIN episodes in the council's return ({candidates}). "
            "A child in pre-proceedings is a child in need, so an episode should be open that "
            "day: if the start date is right, the data team corrects the CIN episode in the "
            "case management system; if it is wrong, correct the legal planning meeting's date "
            f"in PLO Tracker. {STRICTER}",
        )


def _differences(theirs: tuple[tuple[str, str], ...], ours: list[tuple[str, str]]) -> str:
    a, b = dict(_normal(theirs)), dict(_normal(ours))
    parts = []
    for name in dict.fromkeys([*a, *b]):
        if a.get(name) != b.get(name):
            mine, other = b.get(name) or "not given", a.get(name) or "not given"
            parts.append(f"{name}: return {other}, PLO Tracker {mine}")
    if not parts:
        return "the same values in another order"
    return "; ".join(parts)


def merge_into(council: CouncilReturn, census: CensusReturn) -> CensusMerge:
    """Place every record that passed the rules (the council's file is not changed: the
    merged return is the file with ``insertions``, written by ``CensusMerge.write_to``)."""
    check_return_matches(council, census)
    wanted = wanted_for(census)
    if not council.covers(wanted.ids, wanted.births):
        raise ValueError("the council's return was read for other children than the census's")
    merger = _Merger(council, census)
    records = sorted(
        census.written,
        key=lambda r: (r.la_child_id or "", r.pp_start_date or dt.date.min, r.case, r.episode),
    )
    for record in records:
        merger.place(record)
    merger.findings.sort(key=Finding.sort_key)
    return CensusMerge(
        census=census,
        placements=tuple(merger.placements),
        findings=tuple(merger.findings),
        children_in_return=council.children_count,
        episodes_in_return=council.episode_count,
        present=tuple(merger.present),
        insertions=tuple(merger.insertions),
        council=council,
    )


def wanted_for(census: CensusReturn) -> Wanted:
    """What to read from the council's return for this census: its children, and the days
    its children were born (to suggest IDs)."""
    return Wanted(
        frozenset(r.la_child_id for r in census.written if r.la_child_id),
        frozenset(r.date_of_birth.isoformat() for r in census.written if r.date_of_birth),
    )
