"""Writing cases in the exchange format (version 3): what ``export`` writes.

Optional values that are not set are left out; lists that are empty are left out, except
where an empty list means something different from a missing one (a person tied to no
child, a meeting nobody came to).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from plo_tracker.domain.model import EVENT_FIELDS, CaseHistory, Concern, Party
from plo_tracker.exchange.checker import FORMAT, VERSION


def _put(data: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        data[key] = value


def _party(party: Party) -> dict[str, Any]:
    p: dict[str, Any] = {
        "id": party.id,
        "name": party.name,
        "relationship": party.relationship,
        "parental_responsibility": party.parental_responsibility,
    }
    if party.address:
        p["address"] = list(party.address)
    _put(p, "address_confidential", party.address_confidential)
    _put(p, "language", party.language)
    _put(p, "needs", party.needs)
    if party.solicitor is not None:
        s: dict[str, Any] = {"name": party.solicitor.name}
        _put(s, "firm", party.solicitor.firm)
        _put(s, "phone", party.solicitor.phone)
        _put(s, "email", party.solicitor.email)
        p["solicitor"] = s
    if party.children is not None:
        p["children"] = [
            {
                "child": link.child,
                "relationship": link.relationship,
                "parental_responsibility": link.parental_responsibility,
            }
            for link in party.children
        ]
    return p


def _concern(concern: Concern) -> dict[str, Any]:
    item: dict[str, Any] = {"text": concern.text}
    if concern.about:
        item["about"] = list(concern.about)
    if concern.children:
        item["children"] = list(concern.children)
    return item


def case_to_json(case: CaseHistory) -> dict[str, Any]:
    data: dict[str, Any] = {"reference": case.reference}
    for key in ("team", "social_worker", "team_manager", "legal_liaison", "court_reference"):
        _put(data, key, getattr(case, key))
    children = []
    for child in case.children:
        item: dict[str, Any] = {"name": child.name}
        _put(item, "id", child.key)
        # Both are written if both are set, so the checker can explain the mistake.
        if child.date_of_birth is not None:
            item["date_of_birth"] = child.date_of_birth.isoformat()
        if child.expected_birth is not None:
            item["expected_birth"] = child.expected_birth.isoformat()
        _put(item, "la_child_id", child.la_child_id)
        children.append(item)
    data["children"] = children
    if case.parties:
        data["parties"] = [_party(party) for party in case.parties]
    if case.keep_apart:
        data["keep_apart"] = [
            {"protect": a.protect, "from": list(a.kept_from), "reason": a.reason}
            for a in case.keep_apart
        ]
    if case.events:
        events = []
        for event in case.events:
            e: dict[str, Any] = {"type": event.type, "date": event.date.isoformat()}
            for key in EVENT_FIELDS[event.type]:
                value = getattr(event, key)
                if isinstance(value, dt.date):
                    value = value.isoformat()
                elif isinstance(value, tuple):
                    value = list(value)
                _put(e, key, value)
            events.append(e)
        data["events"] = events
    if case.assessments:
        assessments = []
        for a in case.assessments:
            item = {
                "title": a.title,
                "commissioned": a.commissioned.isoformat(),
                "due": a.due.isoformat(),
                "completed": a.completed.isoformat() if a.completed else None,
            }
            if a.about:
                item["about"] = list(a.about)
            if a.children:
                item["children"] = list(a.children)
            assessments.append(item)
        data["assessments"] = assessments
    if case.plan_actions:
        actions = []
        for action in case.plan_actions:
            item = {"party": action.party, "action": action.action}
            _put(item, "support", action.support)
            item["due"] = action.due.isoformat()
            item["completed"] = action.completed.isoformat() if action.completed else None
            actions.append(item)
        data["plan_actions"] = actions
    if case.scheduled:
        bookings = []
        for booking in case.scheduled:
            b: dict[str, Any] = {"type": booking.type, "date": booking.date.isoformat()}
            _put(b, "kind", booking.kind)
            if booking.time is not None:
                b["time"] = booking.time.strftime("%H:%M")
            _put(b, "place", booking.place)
            if booking.attendees is not None:
                b["attendees"] = list(booking.attendees)
            bookings.append(b)
        data["scheduled"] = bookings
    if case.concerns:
        data["concerns"] = [_concern(c) for c in case.concerns]
    if case.strengths:
        data["strengths"] = [_concern(s) for s in case.strengths]
    return data


def document_to_json(cases: list[CaseHistory]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "cases": [case_to_json(case) for case in cases],
    }
