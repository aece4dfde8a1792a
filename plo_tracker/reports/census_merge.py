"""Merging PLO Tracker's pre-proceedings blocks into the council's own CIN census return.

``merge_into(council, census)`` takes the council's return (``census_return.read_return``)
and the checked census (``census.build_census``) and places each record that passed the
rules, as a ``<PreProceedingsandFGDM>`` block, in the child's ``<CINdetails>`` whose
referral-to-closure period (``CINreferralDate`` to ``CINclosureDate``, both included; an
open episode has no closure) contains the block's ``PPStartDate``.  A block that cannot be
placed is never dropped silently and never guessed: it becomes a finding naming the case,
the child's LA child ID, why, and the close candidates.

=====================  =======  =========================================================
finding                 kind    when
=====================  =======  =========================================================
not_in_return           error   the child's LAchildID is not in the return
child_twice_in_return   error   the LAchildID is on two <Child> elements of the return
no_cin_episode          error   none of the child's CIN episodes contains the start
two_cin_episodes        error   more than one does (the return's episodes overlap)
differs_from_return     error   the episode already has a block with that start, and
                                its values differ from PLO Tracker's
already_in_return       query   the same block is already there (nothing added)
same_start_twice        error   two PLO Tracker cases give the child a block starting the
                                same day (one would be counted twice)
=====================  =======  =========================================================

Errors keep the block out of the merged return; the query does not (the block is there).
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from typing import Any

from plo_tracker.reports.census import CensusReturn, Finding, PreProceedingsRecord
from plo_tracker.reports.census_return import (
    CinEpisode,
    CouncilReturn,
    ReturnChild,
    ReturnError,
    child_text,
    elements,
    insert_block,
    local,
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
    """Where one record went: the return's child and CIN episode."""

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
    """The merged return, where each record went, and what could not be placed."""

    census: CensusReturn
    placements: tuple[Placement, ...]
    findings: tuple[Finding, ...]  # the merge's own (the rules' are in census.findings)
    children_in_return: int
    episodes_in_return: int
    already_there: int
    data: bytes = field(repr=False)

    @property
    def all_findings(self) -> tuple[Finding, ...]:
        return tuple(sorted((*self.census.findings, *self.findings), key=Finding.sort_key))

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
        raise ReturnError(
            f"The council's return is for the census with reference date "
            f"{council.reference_date.isoformat()} (its Header's ReferenceDate), not "
            f"{census.reference_date.isoformat()}: give the same reference date, or the "
            "return for that year."
        )
    ours = census.settings.la_code
    if ours and council.lea and council.lea != ours:
        raise ReturnError(
            f"The council's return is for LA {council.lea[:10]} (its Header's LEA), but PLO "
            f"Tracker's LA code is {ours}: check that this is your council's return (or "
            "correct the LA code with 'plo-tracker census-settings set-la-code')."
        )


def _variants(text: str) -> set[str]:
    """The text and each text one character shorter: two IDs that share one are at most two
    edits apart."""
    return {text, *(text[:i] + text[i + 1 :] for i in range(len(text)))}


_LOOK_ALIKE = str.maketrans({"o": "0", "i": "1", "l": "1", "s": "5", "b": "8", "z": "2"})


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


class _Merger:
    def __init__(self, council: CouncilReturn, census: CensusReturn) -> None:
        self.council = council
        self.census = census
        self.by_id = council.by_id()
        self.ids = sorted(self.by_id)
        self.findings: list[Finding] = []
        self.placements: list[Placement] = []
        self.ours: list[tuple[Any, str]] = []  # the blocks added (kept alive) and their case
        self.already = 0
        self.near: dict[str, set[str]] | None = None  # built at the first unknown ID
        self.births: dict[str, list[str]] | None = None

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
        self.put(record, child, containing[0], start)

    def similar_ids(self, la_id: str, born_same_day: list[str]) -> list[str]:
        """Up to 3 IDs in the return at most two edits from ``la_id`` (a character changed,
        added or dropped, two swapped), the likeliest typing slips first: born the same day,
        then capitals or look-alike characters (O for 0) or two swapped characters, then by
        difflib's ratio (at least 0.6).  An index of every ID's one-character-shorter variants
        finds them without comparing ``la_id`` with every ID in the return."""
        if self.near is None:
            self.near = {}
            for other in self.ids:
                for key in _variants(other.casefold()):
                    self.near.setdefault(key, set()).add(other)
        found: set[str] = set()
        for key in _variants(la_id.casefold()):
            found |= self.near.get(key, set())
        found.discard(la_id)
        scored = []
        for other in found:
            ratio = difflib.SequenceMatcher(None, la_id, other).ratio()
            if ratio >= SIMILAR_CUTOFF:
                likely = (other not in born_same_day, _slip(la_id, other), -ratio, other)
                scored.append((likely, other))
        return [other for _likely, other in sorted(scored)][:3]

    def not_in_return(self, record: PreProceedingsRecord) -> None:
        la_id = record.la_child_id or ""
        born = self.same_birth(record)
        similar = self.similar_ids(la_id, born)
        hints = []
        if similar:
            hints.append("similar IDs in the return: " + ", ".join(similar))
        if born:
            hints.append("children in the return born on the same day: " + ", ".join(born))
        hint = "; ".join(hints) if hints else "no similar ID is in the return"
        self.add(
            record,
            "not_in_return",
            "LAchildID",
            f"{self.child_words(record)}, is not in the council's return ({hint}). If the ID "
            "on the case is wrong, correct it on the case's Children; if it is right, the data "
            f"team should find out why the case management system left the child out. {STRICTER}",
        )

    def same_birth(self, record: PreProceedingsRecord) -> list[str]:
        """Up to 3 other children of the return born (or expected) the same day."""
        if record.date_of_birth is None:
            return []
        if self.births is None:
            self.births = {}
            for child in self.council.children:
                if child.born and child.la_child_id:
                    self.births.setdefault(child.born, []).append(child.la_child_id)
        found = self.births.get(record.date_of_birth.isoformat(), [])
        return [i for i in found if i != record.la_child_id][:3]

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

    def put(
        self, record: PreProceedingsRecord, child: ReturnChild, episode: CinEpisode, start: dt.date
    ) -> None:
        values = record.elements()
        for block in episode.blocks():
            if parse_day(child_text(block, "PPStartDate")) != start:
                continue
            other_case = next((case for b, case in self.ours if b is block), None)
            if other_case is not None:
                self.add(
                    record,
                    "same_start_twice",
                    "PPStartDate",
                    f"{other_case} already gives {self.child_words(record)} a block starting "
                    f"on {start.isoformat()} in {episode.describe()}; two blocks with one start "
                    "would count one episode twice: if the two cases are one episode, record it "
                    "in one case; if they are two children, correct the LA child ID",
                )
                return
            theirs = [(local(e), (e.text or "").strip()) for e in elements(block)]
            if theirs == values:
                self.already += 1
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
                    f"({_differences(theirs, values)}); PLO Tracker does not overwrite the "
                    "return: the data team decides which is right and corrects the other",
                )
            return
        block = insert_block(episode, values, start)
        self.ours.append((block, record.case))
        self.placements.append(
            Placement(
                case=record.case,
                episode=record.episode,
                child_position=record.child_position,
                la_child_id=child.la_child_id or "",
                pp_start_date=start,
                return_child=child.position,
                cin_episode=episode.position,
                referral=episode.referral,
                closure=episode.closure,
            )
        )


def _differences(theirs: list[tuple[str, str]], ours: list[tuple[str, str]]) -> str:
    a, b = dict(theirs), dict(ours)
    parts = []
    for name in dict.fromkeys([*a, *b]):
        if a.get(name) != b.get(name):
            mine, other = b.get(name) or "not given", a.get(name) or "not given"
            parts.append(f"{name}: return {other}, PLO Tracker {mine}")
    if not parts:
        return "the same values in another order"
    return "; ".join(parts)


def merge_into(council: CouncilReturn, census: CensusReturn) -> CensusMerge:
    """Place every record that passed the rules; the return (``council``) is changed in place."""
    check_return_matches(council, census)
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
        children_in_return=len(council.children),
        episodes_in_return=council.episode_count,
        already_there=merger.already,
        data=council.to_bytes(),
    )
