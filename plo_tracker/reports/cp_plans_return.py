"""The child protection plans in the council's CIN census return, read as a stream.

Read as safely as the census merge reads the return (``census_return``), but with lxml's
``iterparse`` (C speed: the import must take no more than three times lxml's own parse): the
same encodings are accepted (``_encoding_of``), a return with a DOCTYPE is refused (a CIN
return has none, and entities are never expanded: ``resolve_entities=False``), nothing is
fetched from the network, libxml2's limits on depth and sizes stay on (no ``huge_tree``), and
each ``<Child>`` is dropped once read, so memory stays small.  The service refuses a file over
4 GB before reading it.  Kept per plan: the child's ``LAchildID`` and date of birth, and
``CPPstartDate``, ``CPPendDate`` and ``NumberOfPreviousCPP`` (the return holds no names, and
nothing else is kept).  Element names are matched by local name, whatever the namespace.

Problems in the data are findings (``PlanFinding``), listed all at once; the import refuses
a return with any, so nothing is replaced by half a return: a child whose LA child ID is
given twice, a plan with no start date or one that is not a date, a plan ending before it
starts, and a ``NumberOfPreviousCPP`` that is not a whole number.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from plo_tracker.domain.watch import CpPlan
from plo_tracker.reports.census_return import _encoding_of
from plo_tracker.reports.census_return_index import ReturnError, day_problem, parse_day

# The elements of a <Child> read, in one pass (a plan's fields follow their plan).
_WANTED = (
    "{*}LAchildID",
    "{*}PersonBirthDate",
    "{*}ChildProtectionPlans",
    "{*}CPPstartDate",
    "{*}CPPendDate",
    "{*}NumberOfPreviousCPP",
)
_HEADER_PATHS = {
    "Collection": "{*}CollectionDetails/{*}Collection",
    "ReferenceDate": "{*}CollectionDetails/{*}ReferenceDate",
    "LEA": "{*}Source/{*}LEA",
    "DateTime": "{*}Source/{*}DateTime",
}
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


class _Plans:
    """What is kept of each ``<Child>``, with the findings, as the children are read."""

    def __init__(self) -> None:
        self.children = 0
        self.seen_ids: set[str] = set()
        self.plans: list[CpPlan] = []
        self.findings: list[PlanFinding] = []

    def find(self, la_id: str | None, message: str) -> None:
        self.findings.append(PlanFinding(self.children, la_id, message))

    def child(self, element: Any) -> None:
        """One pass over the child's elements of interest (lxml's C-level ``iter``)."""
        self.children += 1
        la_id: str | None = None
        born_text: str | None = None
        plans: list[dict[str, str]] = []
        for item in element.iter(*_WANTED):
            name = item.tag.rsplit("}", 1)[-1]
            if name == "ChildProtectionPlans":
                plans.append({})
            elif name == "LAchildID":
                la_id = la_id or (item.text or "").strip() or None
            elif name == "PersonBirthDate":
                born_text = born_text or item.text
            elif plans:
                plans[-1].setdefault(name, (item.text or "").strip())
        if not plans:
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
        born = parse_day(born_text)
        for number, plan in enumerate(plans, start=1):
            self.plan(la_id, born, number, plan)

    def plan(self, la_id: str, born: dt.date | None, number: int, values: dict[str, str]) -> None:
        which = f"CP plan {number}"
        start_text = values.get("CPPstartDate", "")
        end_text = values.get("CPPendDate", "")
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
        previous_text = values.get("NumberOfPreviousCPP", "")
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


def _local(tag: object) -> str:
    text = tag if isinstance(tag, str) else ""
    return text.rsplit("}", 1)[-1]


def _header(element: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, path in _HEADER_PATHS.items():
        value = element.findtext(path)
        if value is not None and value.strip():
            found[key] = value.strip()
    return found


def _check_header(header: dict[str, str]) -> None:
    collection = header.get("Collection")
    if collection is not None and collection.upper() != "CIN":
        raise ReturnError(
            f"The file is a '{collection[:20]}' return, not a CIN census return "
            "(Header/CollectionDetails/Collection)."
        )


def _reference_date(header: dict[str, str]) -> dt.date:
    reference = parse_day(header.get("ReferenceDate"))
    if reference is None:
        raise ReturnError(
            "The council's return has no census reference date "
            "(Header/CollectionDetails/ReferenceDate), so PLO Tracker cannot tell which "
            "year it is for."
        )
    return reference


def _file_datetime(header: dict[str, str]) -> dt.datetime | None:
    text = header.get("DateTime")
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _refuse_doctype(tree: Any) -> None:
    info = tree.docinfo
    if info.internalDTD is not None or info.doctype:
        raise ReturnError(
            "The council's return has a DOCTYPE, where XML entities are declared; a CIN "
            "census return has none, so PLO Tracker does not read this file. Use the file "
            "exactly as the case management system produced it."
        )


def read_cp_plans(source: bytes | Path) -> CpReturn:
    """The CP plans of every child in the return; ReturnError if it is not a CIN return."""
    if isinstance(source, bytes):
        head = source[:4096]
    else:
        with source.open("rb") as handle:
            head = handle.read(4096)
    encoding = _encoding_of(head)
    stream = io.BytesIO(source) if isinstance(source, bytes) else source.open("rb")
    found = _Plans()
    header: dict[str, str] = {}
    seen_children = False
    checked = False
    try:
        events = etree.iterparse(
            stream,
            events=("start", "end"),
            tag=("{*}Message", "{*}Header", "{*}Children", "{*}Child"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        root: Any = None
        for event, element in events:
            if root is None:
                root = element.getroottree().getroot()
                _refuse_doctype(element.getroottree())
                if _local(root.tag) != "Message":
                    raise ReturnError(
                        f"The file is not a CIN census return: its root element is "
                        f"<{_local(root.tag)[:40]}>, not <Message>."
                    )
            if event == "start":
                continue
            parent = element.getparent()
            name = _local(element.tag)
            if name == "Child":
                if parent is not None and _local(parent.tag) == "Children":
                    if not checked:
                        _check_header(header)
                        checked = True
                    found.child(element)
                    element.clear(keep_tail=False)
                    while element.getprevious() is not None:
                        del parent[0]
            elif name == "Header" and parent is root:
                header = _header(element)
                _check_header(header)
                checked = True
            elif name == "Children" and parent is root:
                seen_children = True
    except etree.XMLSyntaxError as error:
        line = error.lineno or (error.position[0] if error.position else 0)
        raise ReturnError(
            f"The council's return is not well-formed XML (line {line}): "
            f"{str(error.msg or error)[:160]}. Check that it is the whole file the case "
            f"management system produced, written in the encoding it declares "
            f"({encoding[:30]})."
        ) from None
    finally:
        if not isinstance(source, bytes):
            stream.close()
    if root is None or _local(root.tag) != "Message":
        raise ReturnError("The file is not a CIN census return: it has no <Message> element.")
    if not seen_children:
        raise ReturnError("The council's return has no <Children> element.")
    return CpReturn(
        reference_date=_reference_date(header),
        lea=header.get("LEA") or None,
        file_datetime=_file_datetime(header),
        children=found.children,
        plans=found.plans,
        findings=found.findings,
    )
