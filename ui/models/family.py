"""The lists of who is whose and who is kept apart: the case's people (with their ties to
each child), its keep-apart arrangements, and its worries and strengths (whom and which
children each is about)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from plo_tracker.domain import family
from plo_tracker.domain.model import Assessment, CaseHistory, Concern, KeepApart, Party
from ui import formats
from ui.models.base import Column, RowTableModel


def party_name(case: CaseHistory, key: str | None, none: str = "") -> str:
    if key is None:
        return none
    party = case.party(key)
    return f"{party.name} ({party.relationship})" if party is not None else key


# -- people --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PartyRow:
    """A person with their ties to the children and keep-apart arrangements, in words."""

    party: Party
    ties: str  # "Every child" or "Alfie Morgan: father (PR); Baby Morgan: father"
    pr: str  # "Yes", "No", "For Alfie Morgan"
    apart: str  # "Protected from Dean Morgan" / "Kept from Chloe Evans"


def ties_text(case: CaseHistory, party: Party) -> str:
    if party.children is None:
        return "Every child: the same"
    ties = family.ties(case, party)
    if not ties:
        return "None of the children"
    return "; ".join(
        f"{tie.child.name}: {tie.relationship}" + (" (PR)" if tie.parental_responsibility else "")
        for tie in ties
    )


def pr_text(case: CaseHistory, party: Party) -> str:
    ties = family.ties(case, party)
    with_pr = [tie.child.name for tie in ties if tie.parental_responsibility]
    if not with_pr:
        return "No"
    if len(with_pr) == len(case.children):
        return "Yes"
    return f"For {formats.and_list(with_pr)}"


def apart_text(case: CaseHistory, party: Party) -> str:
    names = {p.id: p.name for p in case.parties}
    parts = []
    guarded = [k for a in case.keep_apart if a.protect == party.id for k in a.kept_from]
    if guarded:
        parts.append(f"Protected from {formats.and_list([names.get(k, k) for k in guarded])}")
    kept = sorted(family.kept_from(case, party.id))
    if kept:
        parts.append(f"Kept from {formats.and_list([names.get(k, k) for k in kept])}")
    return "; ".join(parts)


def party_rows(case: CaseHistory) -> list[PartyRow]:
    return [
        PartyRow(p, ties_text(case, p), pr_text(case, p), apart_text(case, p)) for p in case.parties
    ]


def _solicitor(row: PartyRow) -> str:
    party = row.party
    if party.solicitor is None:
        return "None recorded" if party.parental_responsibility else ""
    return party.solicitor.name


def _address(row: PartyRow) -> str:
    party = row.party
    text = ", ".join(party.address)
    if party.address_confidential:
        return f"DO NOT DISCLOSE: {text}" if text else "DO NOT DISCLOSE"
    return text


class PartiesModel(RowTableModel):
    KEY, NAME, RELATIONSHIP, TIES, PR, APART, SOLICITOR, FIRM, ADDRESS, NEEDS = range(10)
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("Short name", lambda r: r.party.id),
        Column("Name", lambda r: r.party.name),
        Column("Relationship", lambda r: r.party.relationship),
        Column("Ties to the children", lambda r: r.ties, tooltip=lambda r: r.ties),
        Column("Parental responsibility", lambda r: r.pr),
        Column("Kept apart", lambda r: r.apart, tooltip=lambda r: r.apart),
        Column("Solicitor", _solicitor),
        Column("Firm", lambda r: (r.party.solicitor.firm or "") if r.party.solicitor else ""),
        Column(
            "Address",
            _address,
            tooltip=lambda r: (
                "This address must not be given to any other party."
                if r.party.address_confidential
                else ""
            ),
        ),
        Column(
            "Language and needs",
            lambda r: "; ".join(x for x in (r.party.language or "", r.party.needs or "") if x),
        ),
    )


# -- keeping apart ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ApartRow:
    apart: KeepApart
    protect: str  # the protected person's name
    kept_from: str  # the names of those kept from them


def apart_rows(case: CaseHistory) -> list[ApartRow]:
    names = {p.id: p.name for p in case.parties}
    return [
        ApartRow(
            a,
            names.get(a.protect, a.protect),
            formats.and_list([names.get(k, k) for k in a.kept_from]),
        )
        for a in case.keep_apart
    ]


class KeepApartModel(RowTableModel):
    PROTECT, KEPT_FROM, REASON = range(3)
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("Protected", lambda r: r.protect),
        Column("Kept from them", lambda r: r.kept_from),
        Column("Why", lambda r: r.apart.reason, tooltip=lambda r: r.apart.reason),
    )


# -- worries and strengths ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConcernRow:
    concern: Concern
    about: str  # "The whole household" or the people's names
    children: str = "All"  # "All" or the children's names


def _children_text(case: CaseHistory, keys: tuple[str, ...]) -> str:
    if not keys:
        return "All"
    return formats.and_list([c.name for c in family.children_named(case, keys)])


def concern_rows(case: CaseHistory, items: tuple[Concern, ...] | None = None) -> list[ConcernRow]:
    """The worries (or, given ``items``, the strengths) with whom they are about in words."""
    rows = []
    for concern in case.concerns if items is None else items:
        if concern.household:
            about = "The whole household"
        else:
            about = ", ".join(party_name(case, key) for key in concern.about)
        rows.append(ConcernRow(concern, about, _children_text(case, concern.children)))
    return rows


class ConcernsModel(RowTableModel):
    ABOUT, CHILDREN, TEXT = range(3)
    HEADING = "What we are worried about"
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("About", lambda r: r.about, tooltip=lambda r: r.about),
        Column("Children", lambda r: r.children, tooltip=lambda r: r.children),
        Column(HEADING, lambda r: r.concern.text, tooltip=lambda r: r.concern.text),
    )


class StrengthsModel(ConcernsModel):
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        *ConcernsModel.COLUMNS[:2],
        Column("What is going well", lambda r: r.concern.text, tooltip=lambda r: r.concern.text),
    )


# -- assessments ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AssessmentRow:
    assessment: Assessment
    about: str  # "The household" or the people assessed
    children: str  # "All" or the children's names


def assessment_rows(case: CaseHistory) -> list[AssessmentRow]:
    return [
        AssessmentRow(
            a,
            ", ".join(party_name(case, k) for k in a.about) if a.about else "The household",
            _children_text(case, a.children),
        )
        for a in case.assessments
    ]


class AssessmentsModel(RowTableModel):
    TITLE, ABOUT, CHILDREN, COMMISSIONED, DUE, COMPLETED = range(6)
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("Assessment", lambda r: r.assessment.title),
        Column("Who is assessed", lambda r: r.about, tooltip=lambda r: r.about),
        Column("Children", lambda r: r.children, tooltip=lambda r: r.children),
        Column(
            "Commissioned",
            lambda r: formats.short_date(r.assessment.commissioned),
            sort=lambda r: r.assessment.commissioned,
        ),
        Column(
            "Due", lambda r: formats.short_date(r.assessment.due), sort=lambda r: r.assessment.due
        ),
        Column(
            "Completed",
            lambda r: (
                formats.short_date(r.assessment.completed) if r.assessment.completed else "Not yet"
            ),
            sort=lambda r: r.assessment.completed,
        ),
    )
