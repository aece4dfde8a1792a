"""A fictional council CIN census return for a PLO Tracker demo database.

    .venv/bin/python -m tests.reports.demo_return --db /tmp/x.db --out /tmp/council-return.xml

Every child and date is invented.  The return is what a case management system might
produce for the council of the demo data: one ``<Child>`` per child with a CIN episode in
the census year, for the children PLO Tracker knows (by their LA child ID) and as many
again other children in need, each with the CIN details a return carries (referral,
source, need, closure, assessments, section 47 enquiries, child protection plans).

Each demo child gets a CIN episode that contains the start of their pre-proceedings,
except for a few, chosen by the seed, that carry the kinds of data problems real returns
have, so that the merge has something to find:

- ``typo``: the child's LA child ID in the return has two characters swapped;
- ``missing``: the child is not in the return at all;
- ``closed_early``: the CIN episode was closed before pre-proceedings started, and the
  child was referred again only later;
- ``overlap``: the case management system holds two overlapping CIN episodes.

The counts of each are printed (and returned by ``make_return``) to compare with the
merge's findings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from plo_tracker.reports.census import PreProceedingsRecord, reporting_year

PROBLEMS = ("typo", "missing", "closed_early", "overlap")
SHARE = {"typo": 0.02, "missing": 0.02, "closed_early": 0.03, "overlap": 0.015}
SOURCES = ("1A", "1B", "2A", "3A", "3E", "5A", "6", "7", "8", "9")
NEEDS = ("N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8")
CLOSURES = ("RC1", "RC2", "RC3", "RC4", "RC7", "RC8")
FACTORS = ("1B", "2B", "3A", "3B", "4B", "5B", "6B", "8B", "10A", "11A", "21")
ABUSE = ("NEG", "PHY", "EMO", "SAB", "MUL")


@dataclass
class DemoChild:
    """What the return needs of one demo child: ID, birth, and pre-proceedings periods."""

    la_child_id: str
    born: dt.date | None
    expected: dt.date | None
    periods: list[tuple[dt.date, dt.date | None]] = field(default_factory=list)


@dataclass
class Made:
    data: bytes
    children: int
    demo_children: int
    problems: dict[str, list[str]]


def demo_children(
    records: Sequence[PreProceedingsRecord], expected_births: dict[str, dt.date]
) -> list[DemoChild]:
    found: dict[str, DemoChild] = {}
    for record in records:
        if record.la_child_id is None or record.pp_start_date is None:
            continue
        child = found.setdefault(
            record.la_child_id,
            DemoChild(
                record.la_child_id,
                record.date_of_birth,
                expected_births.get(record.la_child_id),
            ),
        )
        child.periods.append((record.pp_start_date, record.episode_end))
    return sorted(found.values(), key=lambda c: c.la_child_id)


def _day(value: dt.date) -> str:
    return value.isoformat()


def _swap(text: str, rng: random.Random) -> str:
    digits = [i for i in range(len(text) - 1) if text[i] != text[i + 1]]
    if not digits:
        return text + "X"
    i = rng.choice(digits)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


class _Return:
    def __init__(self, reference: dt.date, lea: str, rng: random.Random) -> None:
        self.rng = rng
        self.reference = reference
        self.root = ET.Element("Message")
        header = ET.SubElement(self.root, "Header")
        details = ET.SubElement(header, "CollectionDetails")
        self.text(details, "Collection", "CIN")
        self.text(details, "Year", str(reference.year))
        self.text(details, "ReferenceDate", _day(reference))
        source = ET.SubElement(header, "Source")
        self.text(source, "SourceLevel", "L")
        self.text(source, "LEA", lea)
        self.text(source, "SoftwareCode", "Fictional Case Management System")
        self.text(source, "Release", "24.3.1")
        self.text(source, "SerialNo", "1")
        self.text(source, "DateTime", f"{reference.year}-04-07T09:30:00")
        self.children = ET.SubElement(self.root, "Children")

    @staticmethod
    def text(parent: ET.Element, tag: str, value: str) -> ET.Element:
        element = ET.SubElement(parent, tag)
        element.text = value
        return element

    def child(self, la_id: str, born: dt.date | None, expected: dt.date | None) -> ET.Element:
        child = ET.SubElement(self.children, "Child")
        ids = ET.SubElement(child, "ChildIdentifiers")
        self.text(ids, "LAchildID", la_id)
        if born is not None:
            self.text(ids, "UPNunknown", "UN1" if born.year >= self.reference.year - 4 else "UN5")
            self.text(ids, "PersonBirthDate", _day(born))
        else:
            self.text(ids, "UPNunknown", "UN1")
            self.text(ids, "ExpectedPersonBirthDate", _day(expected or self.reference))
        self.text(ids, "Sex", self.rng.choice(("M", "F")) if born else "U")
        characteristics = ET.SubElement(child, "ChildCharacteristics")
        self.text(
            characteristics,
            "Ethnicity",
            self.rng.choice(("WBRI", "WOTH", "MWBC", "ABAN", "BAFR", "REFU")),
        )
        disabilities = ET.SubElement(characteristics, "Disabilities")
        self.text(disabilities, "Disability", "NONE")
        return child

    def episode(self, child: ET.Element, referral: dt.date, closure: dt.date | None) -> None:
        rng = self.rng
        details = ET.SubElement(child, "CINdetails")
        self.text(details, "CINreferralDate", _day(referral))
        self.text(details, "ReferralSource", rng.choice(SOURCES))
        self.text(details, "PrimaryNeedCode", rng.choice(NEEDS))
        if closure is not None:
            self.text(details, "CINclosureDate", _day(closure))
            self.text(details, "ReasonForClosure", rng.choice(CLOSURES))
        assessment = ET.SubElement(details, "Assessments")
        start = referral + dt.timedelta(days=rng.randint(0, 5))
        self.text(assessment, "AssessmentActualStartDate", _day(start))
        done = start + dt.timedelta(days=rng.randint(10, 45))
        if closure is None or done <= closure:
            self.text(assessment, "AssessmentAuthorisationDate", _day(done))
            factors = ET.SubElement(assessment, "FactorsIdentifiedAtAssessment")
            for factor in rng.sample(FACTORS, rng.randint(1, 3)):
                self.text(factors, "AssessmentFactors", factor)
        if rng.random() < 0.6:
            s47 = ET.SubElement(details, "Section47")
            self.text(s47, "S47ActualStartDate", _day(start))
            self.text(s47, "InitialCPCtarget", _day(start + dt.timedelta(days=15)))
            self.text(s47, "DateOfInitialCPC", _day(start + dt.timedelta(days=rng.randint(8, 15))))
            self.text(s47, "ICPCnotRequired", "false")
        self.text(details, "ReferralNFA", "false")
        if rng.random() < 0.5:
            plan = ET.SubElement(details, "ChildProtectionPlans")
            plan_start = start + dt.timedelta(days=rng.randint(14, 25))
            self.text(plan, "CPPstartDate", _day(plan_start))
            category = rng.choice(ABUSE)
            self.text(plan, "InitialCategoryOfAbuse", category)
            self.text(plan, "LatestCategoryOfAbuse", category)
            self.text(plan, "NumberOfPreviousCPP", str(rng.randint(0, 2)))
            reviews = ET.SubElement(plan, "Reviews")
            self.text(reviews, "CPPreviewDate", _day(plan_start + dt.timedelta(days=90)))

    def to_bytes(self) -> bytes:
        ET.indent(self.root, space="  ")
        body = ET.tostring(self.root, encoding="unicode")
        return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def make_return(
    children: Sequence[DemoChild], reference: dt.date, lea: str, seed: int = 14
) -> Made:
    """The return's bytes and which children were given which problem."""
    rng = random.Random(seed)
    year_start = reporting_year(reference).start
    council = _Return(reference, lea, rng)
    problems: dict[str, list[str]] = {kind: [] for kind in PROBLEMS}
    order = list(children)
    rng.shuffle(order)
    quota = {kind: max(1, round(SHARE[kind] * len(order))) for kind in PROBLEMS}
    assigned: dict[str, str] = {}
    index = 0
    for kind in PROBLEMS:
        for child in order[index : index + quota[kind]]:
            assigned[child.la_child_id] = kind
        index += quota[kind]

    entries: list[tuple[str, DemoChild | None]] = [(c.la_child_id, c) for c in children]
    for n in range(len(children)):  # other children in need the council works with
        entries.append((f"CIN{900000 + n * 7:06d}", None))
    rng.shuffle(entries)
    for la_id, demo in entries:
        if demo is None:
            born = reference - dt.timedelta(days=rng.randint(200, 17 * 365))
            element = council.child(la_id, born, None)
            referral = year_start + dt.timedelta(days=rng.randint(-400, 330))
            closure = referral + dt.timedelta(days=rng.randint(20, 500))
            council.episode(element, referral, closure if closure <= reference else None)
            continue
        kind = assigned.get(la_id)
        if kind == "missing":
            problems[kind].append(la_id)
            continue
        shown_id = la_id
        if kind == "typo":
            shown_id = _swap(la_id, rng)
            problems[kind].append(la_id)
        element = council.child(shown_id, demo.born, demo.expected)
        starts = sorted(p[0] for p in demo.periods)
        ends = [p[1] for p in demo.periods]
        first, last = starts[0], starts[-1]
        if rng.random() < 0.3:  # an earlier, closed episode some years ago
            old = first - dt.timedelta(days=rng.randint(700, 1500))
            council.episode(element, old, old + dt.timedelta(days=rng.randint(60, 300)))
        referral = first - dt.timedelta(days=rng.randint(30, 400))
        open_end = any(e is None for e in ends)
        latest_end = max((e for e in ends if e is not None), default=last)
        closure: dt.date | None = None
        if not open_end:
            closure = latest_end + dt.timedelta(days=rng.randint(20, 180))
            if closure > reference:
                closure = None
        if kind == "closed_early":
            council.episode(element, referral, first - dt.timedelta(days=rng.randint(5, 60)))
            council.episode(element, first + dt.timedelta(days=rng.randint(10, 60)), None)
            problems[kind].append(la_id)
            continue
        council.episode(element, referral, closure)
        if kind == "overlap":
            council.episode(element, first - dt.timedelta(days=rng.randint(1, 20)), None)
            problems[kind].append(la_id)
    return Made(council.to_bytes(), len(council.children), len(children), problems)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="the demo database (file or URL)")
    parser.add_argument("--out", type=Path, required=True, help="the return to write")
    parser.add_argument("--reference-date", default="2027-03-31")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args(argv)
    from plo_tracker import config
    from plo_tracker.app import open_app

    reference = dt.date.fromisoformat(args.reference_date)
    ctx = open_app(config.resolve_database_url(args.db))
    try:
        census = ctx.reports.census(reference)
        expected: dict[str, dt.date] = {}
        for record in census.records:
            if record.unborn and record.la_child_id:
                child = ctx.cases.get(record.case).children[record.child_position - 1]
                if child.expected_birth is not None:
                    expected[record.la_child_id] = child.expected_birth
        lea = census.settings.la_code or "999"
    finally:
        ctx.close()
    made = make_return(demo_children(census.records, expected), reference, lea, args.seed)
    args.out.write_bytes(made.data)
    print(
        f"Wrote a fictional council return to {args.out}: {made.children} children, of which "
        f"{made.demo_children - len(made.problems['missing'])} are PLO Tracker's demo "
        f"children; problems given on purpose: "
        + ", ".join(f"{kind} {len(ids)}" for kind, ids in made.problems.items())
        + "."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
