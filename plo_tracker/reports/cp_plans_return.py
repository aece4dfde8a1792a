"""The child protection plans in the council's CIN census return, read as a stream.

The same safe reading as the census merge (``census_return``): expat, in chunks, no tree,
no DOCTYPE entities (a return declaring any is refused), the encodings the merge accepts,
and a limit on nesting.  Kept per plan: the child's ``LAchildID`` and date of birth, and
``CPPstartDate``, ``CPPendDate`` and ``NumberOfPreviousCPP`` (the return holds no names,
and nothing else is kept).

Problems in the data are findings (``PlanFinding``), listed all at once; the import refuses
a return with any, so nothing is replaced by half a return: a child whose LA child ID is
given twice, a plan with no start date or one that is not a date, a plan ending before it
starts, and a ``NumberOfPreviousCPP`` that is not a whole number.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from plo_tracker.domain.watch import CpPlan
from plo_tracker.reports.census_return import _encoding_of, _parse
from plo_tracker.reports.census_return_index import CHUNK, ReturnError, day_problem, parse_day

MAX_DEPTH = 40  # a CIN return nests 7 deep; far deeper is not one
PLANS = "ChildProtectionPlans"
_PLAN_FIELDS = frozenset({"CPPstartDate", "CPPendDate", "NumberOfPreviousCPP"})
_IDENTIFIERS = frozenset({"LAchildID", "PersonBirthDate", "ExpectedPersonBirthDate"})
_HEADER = frozenset({"Collection", "ReferenceDate", "LEA", "DateTime"})
_NUMBER = re.compile(r"\d{1,3}")


@dataclass(frozen=True, slots=True)
class PlanFinding:
    """A problem with one child's data in the return."""

    child: int  # the <Child>'s position in the return (1 for the first)
    la_child_id: str | None
    message: str

    def describe(self) -> str:
        who = self.la_child_id or "a child with no LAchildID"
        return f"Child {self.child} ({who}): {self.message}"


@dataclass
class CpReturn:
    reference_date: dt.date
    lea: str | None
    file_datetime: dt.datetime | None
    children: int  # every <Child>
    plans: list[CpPlan] = field(default_factory=list)
    findings: list[PlanFinding] = field(default_factory=list)

    @property
    def children_with_plans(self) -> int:
        return len({p.la_child_id for p in self.plans})


class _PlanReader:
    def __init__(self, source: bytes | Path) -> None:
        self.source = source
        self.window = b""
        self.base = 0
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text
        parser.EntityDeclHandler = self.entity
        parser.ExternalEntityRefHandler = self.external
        self.parser = parser
        self.stack: list[str] = []
        self.header: dict[str, str] = {}
        self.seen_children = False
        self.buffer: list[str] | None = None
        self.children = 0
        self.child: dict[str, str] = {}
        self.child_plans: list[dict[str, str]] = []
        self.plan: dict[str, str] | None = None
        self.seen_ids: set[str] = set()
        self.plans: list[CpPlan] = []
        self.findings: list[PlanFinding] = []

    def entity(self, *_args: object) -> None:
        raise ReturnError(
            "The council's return declares XML entities in a DOCTYPE; a CIN census return "
            "has none, so PLO Tracker does not read this file. Use the file exactly as the "
            "case management system produced it."
        )

    def external(self, *_args: object) -> int:
        self.entity()
        return 0

    def text(self, data: str) -> None:
        if self.buffer is not None:
            self.buffer.append(data)

    def start(self, name: str, _attributes: dict[str, str]) -> None:
        stack = self.stack
        depth = len(stack)
        local = name[name.find(":") + 1 :]
        stack.append(local)
        if depth >= MAX_DEPTH:
            raise ReturnError(
                f"The file nests elements more than {MAX_DEPTH} deep; a CIN census return "
                "does not, so PLO Tracker does not read it."
            )
        if depth == 0:
            if local != "Message":
                raise ReturnError(
                    f"The file is not a CIN census return: its root element is "
                    f"<{local[:40]}>, not <Message>."
                )
        elif depth == 1:
            self.seen_children = self.seen_children or local == "Children"
        elif depth == 2:
            if stack[1] == "Children" and local == "Child":
                self.children += 1
                self.child = {}
                self.child_plans = []
        elif depth == 3:
            if stack[1] == "Header" and local in _HEADER and local not in self.header:
                self.buffer = []
        elif depth == 4:
            if stack[2] == "Child" and stack[1] == "Children":
                if stack[3] == "ChildIdentifiers" and local in _IDENTIFIERS:
                    self.buffer = []
                elif stack[3] == "CINdetails" and local == PLANS:
                    self.plan = {}
        elif depth == 5 and self.plan is not None and stack[4] == PLANS and local in _PLAN_FIELDS:
            self.buffer = []

    def end(self, _name: str) -> None:
        stack = self.stack
        local = stack.pop()
        depth = len(stack)
        if self.buffer is not None and depth in (3, 4, 5):
            value = "".join(self.buffer).strip()
            self.buffer = None
            if depth == 3:
                self.header.setdefault(local, value)
            elif depth == 4:
                self.child.setdefault(local, value)
            elif self.plan is not None:
                self.plan.setdefault(local, value)
        if depth == 4 and local == PLANS and self.plan is not None:
            self.child_plans.append(self.plan)
            self.plan = None
        elif depth == 2 and local == "Child" and stack[1] == "Children":
            self.close_child()
        elif depth == 1 and local == "Header":
            self.check_header()

    def check_header(self) -> None:
        collection = self.header.get("Collection")
        if collection is not None and collection.upper() != "CIN":
            raise ReturnError(
                f"The file is a '{collection[:20]}' return, not a CIN census return "
                "(Header/CollectionDetails/Collection)."
            )

    def find(self, la_id: str | None, message: str) -> None:
        self.findings.append(PlanFinding(self.children, la_id, message))

    def close_child(self) -> None:
        la_id = self.child.get("LAchildID") or None
        if not self.child_plans:
            if la_id:
                self.seen_ids.add(la_id)
            return
        if la_id is None:
            self.find(None, "has child protection plans but no LAchildID")
            return
        if len(la_id) > 64:
            self.find(la_id[:64], "the LAchildID is longer than 64 characters")
            return
        if la_id in self.seen_ids:
            self.find(la_id, "this LAchildID is given to another child earlier in the return")
            return
        self.seen_ids.add(la_id)
        born = parse_day(self.child.get("PersonBirthDate"))
        for number, plan in enumerate(self.child_plans, start=1):
            self.read_plan(la_id, born, number, plan)

    def read_plan(
        self, la_id: str, born: dt.date | None, number: int, plan: dict[str, str]
    ) -> None:
        which = f"CP plan {number}"
        start_text, end_text = plan.get("CPPstartDate", ""), plan.get("CPPendDate", "")
        start = parse_day(start_text)
        if not start_text:
            self.find(la_id, f"{which} has no CPPstartDate")
            return
        if start is None:
            self.find(la_id, f"{which}: CPPstartDate {day_problem(start_text)}")
            return
        end = parse_day(end_text) if end_text else None
        if end_text and end is None:
            self.find(la_id, f"{which}: CPPendDate {day_problem(end_text)}")
            return
        if end is not None and end < start:
            self.find(
                la_id,
                f"{which} ends ({end.isoformat()}) before it starts ({start.isoformat()})",
            )
            return
        previous_text = plan.get("NumberOfPreviousCPP", "")
        previous: int | None = None
        if previous_text:
            if not _NUMBER.fullmatch(previous_text):
                self.find(
                    la_id,
                    f"{which}: NumberOfPreviousCPP '{previous_text[:20]}' is not a whole number",
                )
                return
            previous = int(previous_text)
        self.plans.append(CpPlan(la_id, start, end, previous, born))

    def reference_date(self) -> dt.date:
        reference = parse_day(self.header.get("ReferenceDate"))
        if reference is None:
            raise ReturnError(
                "The council's return has no census reference date "
                "(Header/CollectionDetails/ReferenceDate), so PLO Tracker cannot tell which "
                "year it is for."
            )
        return reference

    def file_datetime(self) -> dt.datetime | None:
        text = self.header.get("DateTime")
        if not text:
            return None
        try:
            value = dt.datetime.fromisoformat(text)
        except ValueError:
            return None
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def read_cp_plans(source: bytes | Path) -> CpReturn:
    """The CP plans of every child in the return; ReturnError if it is not a CIN return."""
    if isinstance(source, bytes):
        head = source[:4096]
    else:
        with source.open("rb") as handle:
            head = handle.read(4096)
    encoding = _encoding_of(head)
    reader = _PlanReader(source)

    def chunks() -> Iterator[bytes]:
        if isinstance(source, bytes):
            yield source
            return
        with source.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk

    _parse(reader, chunks(), encoding)  # type: ignore[arg-type]
    if not reader.seen_children:
        raise ReturnError("The council's return has no <Children> element.")
    reference = reader.reference_date()
    return CpReturn(
        reference_date=reference,
        lea=reader.header.get("LEA") or None,
        file_datetime=reader.file_datetime(),
        children=reader.children,
        plans=reader.plans,
        findings=reader.findings,
    )
