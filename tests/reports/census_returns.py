"""Hand-made council CIN census returns (fictional), written as a case management system would.

``council_return(kids, ...)`` writes the DfE ``Message`` XML by hand (not through lxml), so
the tests can check that what PLO Tracker leaves alone comes back byte for byte: two spaces
of indentation, double-quoted attributes, a comment before the root and inside the data, a
processing instruction, and the namespace style chosen (none, a default namespace, or a
prefix).
"""

from __future__ import annotations

from dataclasses import dataclass, field

NS = "http://www.example.org/fictional-cin-census"


@dataclass(frozen=True)
class Ep:
    """One CINdetails: referral, closure (None: open), and what else it holds."""

    referral: str
    closure: str | None = None
    full: bool = False  # assessments, section 47, a child protection plan with reviews
    blocks: tuple[tuple[tuple[str, str], ...], ...] = ()  # PreProceedingsandFGDM already there
    comment: str | None = None
    empty_closure: bool = False  # <CINclosureDate/> with no closure (as some systems write)
    empty_nfa: bool = False  # <ReferralNFA/> written as an empty-element tag


@dataclass(frozen=True)
class Kid:
    la_id: str
    born: str
    episodes: tuple[Ep, ...] = field(default_factory=tuple)


class _Writer:
    def __init__(self, prefix: str, newline: str, step: str) -> None:
        self.prefix = prefix
        self.newline = newline
        self.step = step
        self.lines: list[str] = []

    def tag(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def line(self, depth: int, text: str) -> None:
        self.lines.append(self.step * depth + text)

    def leaf(self, depth: int, name: str, value: str) -> None:
        self.line(depth, f"<{self.tag(name)}>{value}</{self.tag(name)}>")

    def open(self, depth: int, name: str, attributes: str = "") -> None:
        self.line(depth, f"<{self.tag(name)}{attributes}>")

    def close(self, depth: int, name: str) -> None:
        self.line(depth, f"</{self.tag(name)}>")


def _episode(w: _Writer, depth: int, ep: Ep) -> None:
    w.open(depth, "CINdetails")
    d = depth + 1
    w.leaf(d, "CINreferralDate", ep.referral)
    w.leaf(d, "ReferralSource", "1A")
    w.leaf(d, "PrimaryNeedCode", "N1")
    if ep.closure:
        w.leaf(d, "CINclosureDate", ep.closure)
        w.leaf(d, "ReasonForClosure", "RC1")
    elif ep.empty_closure:
        w.line(d, f"<{w.tag('CINclosureDate')}/>")
    if ep.full:
        w.open(d, "Assessments")
        w.leaf(d + 1, "AssessmentActualStartDate", ep.referral)
        w.leaf(d + 1, "AssessmentAuthorisationDate", ep.referral)
        w.open(d + 1, "FactorsIdentifiedAtAssessment")
        w.leaf(d + 2, "AssessmentFactors", "2B")
        w.leaf(d + 2, "AssessmentFactors", "3A")
        w.close(d + 1, "FactorsIdentifiedAtAssessment")
        w.close(d, "Assessments")
        w.open(d, "Section47")
        w.leaf(d + 1, "S47ActualStartDate", ep.referral)
        w.leaf(d + 1, "ICPCnotRequired", "false")
        w.close(d, "Section47")
    if ep.empty_nfa:
        w.line(d, f'<{w.tag("ReferralNFA")} xsi:nil="true" note="a/>b"/>')
    else:
        w.leaf(d, "ReferralNFA", "false")
    if ep.full:
        w.open(d, "ChildProtectionPlans")
        w.leaf(d + 1, "CPPstartDate", ep.referral)
        w.leaf(d + 1, "InitialCategoryOfAbuse", "NEG")
        w.leaf(d + 1, "LatestCategoryOfAbuse", "NEG")
        w.leaf(d + 1, "NumberOfPreviousCPP", "0")
        w.open(d + 1, "Reviews")
        w.leaf(d + 2, "CPPreviewDate", ep.referral)
        w.close(d + 1, "Reviews")
        w.close(d, "ChildProtectionPlans")
    for block in ep.blocks:
        w.open(d, "PreProceedingsandFGDM")
        for name, value in block:
            w.leaf(d + 1, name, value)
        w.close(d, "PreProceedingsandFGDM")
    if ep.comment:
        w.line(d, f"<!-- {ep.comment} -->")
    w.close(depth, "CINdetails")


def council_return(
    kids: list[Kid],
    *,
    namespace: str | None = None,
    prefix: str | None = None,
    reference: str = "2027-03-31",
    lea: str = "893",
    declaration: str = '<?xml version="1.0" encoding="UTF-8"?>',
    encoding: str = "utf-8",
    newline: str = "\n",
    step: str = "  ",
    header_comment: str = "Fictional CIN census return for PLO Tracker's tests",
) -> bytes:
    """The return's bytes; ``prefix`` needs ``namespace`` (``cin:`` style), else a default."""
    w = _Writer(f"{prefix}:" if prefix else "", newline, step)
    if declaration:
        w.lines.append(declaration)
    w.lines.append(f"<!-- {header_comment} -->")
    if namespace and prefix:
        declared = f' xmlns:{prefix}="{namespace}"'
    elif namespace:
        declared = f' xmlns="{namespace}"'
    else:
        declared = ""
    declared += ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CIN"'
    w.open(0, "Message", declared)
    w.open(1, "Header")
    w.open(2, "CollectionDetails")
    w.leaf(3, "Collection", "CIN")
    w.leaf(3, "Year", reference[:4])
    w.leaf(3, "ReferenceDate", reference)
    w.close(2, "CollectionDetails")
    w.open(2, "Source")
    w.leaf(3, "SourceLevel", "L")
    w.leaf(3, "LEA", lea)
    w.leaf(3, "SoftwareCode", "Fictional CMS")
    w.leaf(3, "Release", "9.4 &amp; hotfix")
    w.leaf(3, "SerialNo", "7")
    w.leaf(3, "DateTime", "2027-04-05T10:00:00")
    w.close(2, "Source")
    w.close(1, "Header")
    w.open(1, "Children")
    w.line(2, '<?cms-export batch="12"?>')
    for kid in kids:
        w.open(2, "Child")
        w.open(3, "ChildIdentifiers")
        w.leaf(4, "LAchildID", kid.la_id)
        w.leaf(4, "UPNunknown", "UN1")
        w.leaf(4, "PersonBirthDate", kid.born)
        w.leaf(4, "Sex", "U")
        w.close(3, "ChildIdentifiers")
        w.open(3, "ChildCharacteristics")
        w.leaf(4, "Ethnicity", "REFU")
        w.open(4, "Disabilities")
        w.leaf(5, "Disability", "NONE")
        w.close(4, "Disabilities")
        w.close(3, "ChildCharacteristics")
        for ep in kid.episodes:
            _episode(w, 3, ep)
        w.close(2, "Child")
    w.close(1, "Children")
    w.close(0, "Message")
    return (newline.join(w.lines) + newline).encode(encoding)
