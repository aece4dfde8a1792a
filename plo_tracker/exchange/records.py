"""The records of one case in the exchange format, read and checked one at a time.

Each reader takes the ``Checker``, the raw JSON value and its path, and returns a domain
record; the keys a record may have depend on the file's version (a key of a later version is
an unknown key, hence an error, in an earlier one).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from plo_tracker.domain.drift import RULE_IDS
from plo_tracker.domain.model import (
    BOOKING_TYPES,
    EVENT_FIELDS,
    EVENT_TYPES,
    FGDM_RESPONSES,
    HEARING_KINDS,
    LPM_OUTCOMES,
    ORDERS,
    PLANS,
    SHORT_NOTICE_REASONS,
    STEP_DOWN_TO,
    V2_EVENT_TYPES,
    V3_EVENT_FIELDS,
    V3_EVENT_TYPES,
    Assessment,
    Booking,
    Child,
    ChildLink,
    Concern,
    Event,
    KeepApart,
    Party,
    PlanAction,
    Solicitor,
)
from plo_tracker.exchange.checker import Checker, type_name
from plo_tracker.validation import LIMITS, text_problem

CHILD_KEYS = frozenset({"name", "date_of_birth", "expected_birth", "la_child_id"})
CHILD_KEYS_V3 = CHILD_KEYS | {"id"}
PARTY_KEYS = frozenset(
    {
        "id",
        "name",
        "relationship",
        "parental_responsibility",
        "address",
        "address_confidential",
        "language",
        "needs",
        "solicitor",
    }
)
PARTY_KEYS_V3 = PARTY_KEYS | {"children"}
LINK_KEYS = frozenset({"child", "relationship", "parental_responsibility"})
APART_KEYS = frozenset({"protect", "from", "reason"})
SOLICITOR_KEYS = frozenset({"name", "firm", "phone", "email"})
ASSESSMENT_KEYS = frozenset({"title", "commissioned", "due", "completed"})
ASSESSMENT_KEYS_V3 = ASSESSMENT_KEYS | {"about", "children"}
ACTION_KEYS = frozenset({"party", "action", "support", "due", "completed"})
BOOKING_KEYS = frozenset({"type", "date", "time", "place"})
BOOKING_KEYS_V3 = BOOKING_KEYS | {"attendees", "kind"}
CONCERN_KEYS = frozenset({"text", "about"})
CONCERN_KEYS_V3 = CONCERN_KEYS | {"children"}

EVENT_TYPES_V1 = tuple(t for t in EVENT_TYPES if t not in V2_EVENT_TYPES | V3_EVENT_TYPES)
EVENT_TYPES_V2 = tuple(t for t in EVENT_TYPES if t not in V3_EVENT_TYPES)
BOOKING_TYPES_V2 = tuple(t for t in BOOKING_TYPES if t != "hearing")


def _later(
    c: Checker, data: dict[str, Any], path: str, older: frozenset[str], newer: frozenset[str]
) -> None:
    """Name a version 3 key in an older file as such (an unknown key either way)."""
    if c.version < 3:
        c.require_version(data, tuple(sorted(newer - older)), path)


def child(c: Checker, raw: Any, path: str) -> Child:
    if isinstance(raw, dict):
        _later(c, raw, path, CHILD_KEYS, CHILD_KEYS_V3)
    data = c.obj(raw, path, CHILD_KEYS_V3 if c.version >= 3 else CHILD_KEYS)
    name = c.text(data, "name", path, required=True)
    born = c.date(data, "date_of_birth", path, required=False, past=True)
    expected = c.date(data, "expected_birth", path, required=False)
    if (born is None) == (expected is None):
        raise c.fail(
            path, "a child needs exactly one of date_of_birth (born) or expected_birth (unborn)"
        )
    la_id = c.text(data, "la_child_id", path, required=False, limit="reference")
    key = c.text(data, "id", path, required=False, limit="reference")
    assert name is not None
    return Child(name=name, date_of_birth=born, expected_birth=expected, la_child_id=la_id, key=key)


def _solicitor(c: Checker, raw: Any, path: str) -> Solicitor:
    data = c.obj(raw, path, SOLICITOR_KEYS)
    name = c.text(data, "name", path, required=True)
    assert name is not None
    return Solicitor(
        name=name,
        firm=c.text(data, "firm", path, required=False),
        phone=c.text(data, "phone", path, required=False, limit="code"),
        email=c.text(data, "email", path, required=False),
    )


def _links(
    c: Checker, data: dict[str, Any], path: str, child_ids: set[str]
) -> tuple[ChildLink, ...] | None:
    if data.get("children") is None:
        return None
    links: list[ChildLink] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(c.items(data, "children", path, required=False)):
        link_path = f"{path}.children[{i}]"
        item = c.obj(raw, link_path, LINK_KEYS)
        key = c.text(item, "child", link_path, required=True, limit="reference")
        assert key is not None
        if key not in child_ids:
            raise c.fail(f"{link_path}.child", f"child '{key[:40]}' does not exist in this case")
        if key in seen:
            raise c.fail(
                f"{link_path}.child",
                f"this person is tied to child '{key[:40]}' twice (also at "
                f"{path}.children[{seen[key]}]); give one tie per child",
            )
        seen[key] = i
        relationship = c.text(item, "relationship", link_path, required=True)
        pr = c.boolean(item, "parental_responsibility", link_path, required=True)
        assert relationship is not None and pr is not None
        links.append(ChildLink(child=key, relationship=relationship, parental_responsibility=pr))
    return tuple(links)


def party(c: Checker, raw: Any, path: str, child_ids: set[str]) -> Party:
    if isinstance(raw, dict):
        _later(c, raw, path, PARTY_KEYS, PARTY_KEYS_V3)
    data = c.obj(raw, path, PARTY_KEYS_V3 if c.version >= 3 else PARTY_KEYS)
    key = c.text(data, "id", path, required=True, limit="reference")
    name = c.text(data, "name", path, required=True)
    relationship = c.text(data, "relationship", path, required=True)
    pr = c.boolean(data, "parental_responsibility", path, required=True)
    address_lines: list[str] = []
    for i, line in enumerate(c.items(data, "address", path, required=False)):
        line_path = f"{path}.address[{i}]"
        if not isinstance(line, str):
            raise c.fail(line_path, f"must be text, not {type_name(line)}")
        problem = text_problem(line, LIMITS["name"], required=True)
        if problem:
            raise c.fail(line_path, problem)
        address_lines.append(line)
    if len(address_lines) > 10:
        raise c.fail(f"{path}.address", "may have at most 10 lines")
    raw_solicitor = c.get(data, "solicitor", path, required=False)
    assert key is not None and name is not None and relationship is not None and pr is not None
    return Party(
        id=key,
        name=name,
        relationship=relationship,
        parental_responsibility=pr,
        address=tuple(address_lines),
        address_confidential=c.boolean(data, "address_confidential", path, required=False),
        language=c.text(data, "language", path, required=False),
        needs=c.text(data, "needs", path, required=False, limit="text"),
        solicitor=_solicitor(c, raw_solicitor, f"{path}.solicitor")
        if raw_solicitor is not None
        else None,
        children=_links(c, data, path, child_ids),
    )


def keep_apart(c: Checker, raw: Any, path: str, party_ids: set[str]) -> KeepApart:
    data = c.obj(raw, path, APART_KEYS)
    protect = c.text(data, "protect", path, required=True, limit="reference")
    assert protect is not None
    if protect not in party_ids:
        raise c.fail(f"{path}.protect", f"party '{protect[:40]}' does not exist in this case")
    if "from" not in data or data["from"] is None:
        raise c.fail(f"{path}.from", "is required: the people kept from the protected person")
    kept = c.ids(data, "from", path, party_ids, "party") or ()
    if not kept:
        raise c.fail(f"{path}.from", "must name at least one person")
    if protect in kept:
        raise c.fail(
            f"{path}.from[{kept.index(protect)}]",
            f"'{protect[:40]}' is the protected person and cannot be kept from themselves",
        )
    reason = c.text(data, "reason", path, required=True, limit="text")
    assert reason is not None
    return KeepApart(protect=protect, kept_from=kept, reason=reason)


def event(c: Checker, raw: Any, path: str, party_ids: set[str]) -> Event:
    if not isinstance(raw, dict):
        raise c.fail(path, f"must be an object, not {type_name(raw)}")
    kind = raw.get("type")
    if c.version < 2 and kind in V2_EVENT_TYPES:
        raise c.fail(
            f"{path}.type",
            f"'{kind}' is an event type of version 2 of the format; this file says version 1",
        )
    if c.version < 3 and kind in V3_EVENT_TYPES:
        raise c.fail(
            f"{path}.type",
            f"'{kind}' is an event type of version 3 of the format; this file says version "
            f"{c.version}",
        )
    types = EVENT_TYPES_V1 if c.version == 1 else EVENT_TYPES_V2 if c.version == 2 else EVENT_TYPES
    event_type = c.choice(raw, "type", path, types, required=True)
    assert event_type is not None
    spec = EVENT_FIELDS[event_type]
    if c.version < 3:
        spec = {k: v for k, v in spec.items() if k not in V3_EVENT_FIELDS}
        c.require_version(
            raw, tuple(sorted(k for k in EVENT_FIELDS[event_type] if k not in spec)), path
        )
    data = c.obj(raw, path, {"type", "date", *spec})
    day = c.date(data, "date", path, required=True, past=True)
    assert day is not None
    values: dict[str, Any] = {}
    for key, required in spec.items():
        values[key] = _event_field(c, data, key, path, party_ids, required=required)
    if (
        event_type == "proceedings_issued"
        and values.get("short_notice_reason") is not None
        and values.get("short_notice") is not True
    ):
        raise c.fail(
            f"{path}.short_notice_reason",
            "is given only for a short-notice application (short_notice true)",
        )
    if event_type == "court_extension" and values["until"] is not None and values["until"] <= day:
        raise c.fail(f"{path}.until", "must be after the day the court extended the timetable")
    return Event(type=event_type, date=day, **values)


_CHOICES: dict[str, tuple[str, ...]] = {
    "outcome": LPM_OUTCOMES,
    "to": STEP_DOWN_TO,
    "rule": RULE_IDS,
    "response": FGDM_RESPONSES,
    "kind": HEARING_KINDS,
    "la_plan": PLANS,
    "order": ORDERS,
    "short_notice_reason": SHORT_NOTICE_REASONS,
}
_BOOLEANS = frozenset({"fgdm_offered", "effective", "short_notice", "plan_approved"})


def _event_field(
    c: Checker, data: dict[str, Any], key: str, path: str, party_ids: set[str], *, required: bool
) -> Any:
    if key in _CHOICES:
        return c.choice(data, key, path, _CHOICES[key], required=required)
    if key in _BOOLEANS:
        return c.boolean(data, key, path, required=required)
    if key == "party":
        who = c.text(data, key, path, required=required, limit="reference")
        if who is not None and who not in party_ids:
            raise c.fail(f"{path}.party", f"party '{who[:40]}' does not exist in this case")
        return who
    if key == "attendees":
        return c.ids(data, key, path, party_ids, "party")
    if key == "until":
        # Whether it may come before the event's date is a chronology rule.
        return c.date(data, key, path, required=required)
    limit = "text" if key in ("reason", "rationale") else "name"
    return c.text(data, key, path, required=required, limit=limit)


def assessment(
    c: Checker, raw: Any, path: str, party_ids: set[str], child_ids: set[str]
) -> Assessment:
    if isinstance(raw, dict):
        _later(c, raw, path, ASSESSMENT_KEYS, ASSESSMENT_KEYS_V3)
    data = c.obj(raw, path, ASSESSMENT_KEYS_V3 if c.version >= 3 else ASSESSMENT_KEYS)
    title = c.text(data, "title", path, required=True)
    commissioned = c.date(data, "commissioned", path, required=True, past=True)
    due = c.date(data, "due", path, required=True)
    if "completed" not in data:
        raise c.fail(f"{path}.completed", "is required (a date, or null if not completed)")
    completed = c.date(data, "completed", path, required=True, nullable=True, past=True)
    assert title is not None and commissioned is not None and due is not None
    # Due or completed before the commission date: chronology rules (checked per case).
    return Assessment(
        title=title,
        commissioned=commissioned,
        due=due,
        completed=completed,
        about=c.ids(data, "about", path, party_ids, "party") or (),
        children=c.ids(data, "children", path, child_ids, "child") or (),
    )


def action(c: Checker, raw: Any, path: str, party_ids: set[str]) -> PlanAction:
    data = c.obj(raw, path, ACTION_KEYS)
    if "party" not in data:
        raise c.fail(f"{path}.party", "is required (a party id, or null for the council)")
    who = c.text(data, "party", path, required=False, limit="reference")
    if who is not None and who not in party_ids:
        raise c.fail(f"{path}.party", f"party '{who[:40]}' does not exist in this case")
    text = c.text(data, "action", path, required=True, limit="text")
    support = c.text(data, "support", path, required=False, limit="text")
    due = c.date(data, "due", path, required=True)
    if "completed" not in data:
        raise c.fail(f"{path}.completed", "is required (a date, or null if not done)")
    completed = c.date(data, "completed", path, required=True, nullable=True, past=True)
    assert text is not None and due is not None
    return PlanAction(party=who, action=text, support=support, due=due, completed=completed)


def booking(c: Checker, raw: Any, path: str, party_ids: set[str]) -> Booking:
    if isinstance(raw, dict):
        _later(c, raw, path, BOOKING_KEYS, BOOKING_KEYS_V3)
    data = c.obj(raw, path, BOOKING_KEYS_V3 if c.version >= 3 else BOOKING_KEYS)
    if c.version < 3 and data.get("type") == "hearing":
        raise c.fail(
            f"{path}.type",
            f"'hearing' is a booking type of version 3 of the format; this file says version "
            f"{c.version}",
        )
    types = BOOKING_TYPES if c.version >= 3 else BOOKING_TYPES_V2
    booking_type = c.choice(data, "type", path, types, required=True)
    day = c.date(data, "date", path, required=True)
    time_text = c.text(data, "time", path, required=False, limit="code")
    time = None
    if time_text is not None:
        try:
            if len(time_text) != 5 or time_text[2] != ":":
                raise ValueError
            time = dt.time.fromisoformat(time_text)
        except ValueError:
            raise c.fail(
                f"{path}.time", f"'{time_text[:20]}' is not a time written HH:MM"
            ) from None
    place = c.text(data, "place", path, required=False, limit="text")
    kind = c.choice(data, "kind", path, HEARING_KINDS, required=booking_type == "hearing")
    if kind is not None and booking_type != "hearing":
        raise c.fail(f"{path}.kind", 'is given only for a hearing (type "hearing")')
    attendees = c.ids(data, "attendees", path, party_ids, "party")
    if attendees is not None and not attendees:
        raise c.fail(
            f"{path}.attendees",
            "must name at least one person (leave it out for everyone who may meet everyone else)",
        )
    assert booking_type is not None and day is not None
    return Booking(
        type=booking_type, date=day, time=time, place=place, attendees=attendees, kind=kind
    )


def concern(
    c: Checker,
    raw: Any,
    path: str,
    party_ids: set[str],
    child_ids: set[str],
    kind: type[Concern] = Concern,
) -> Concern:
    """A concern (or, version 3, a strength: the same shape)."""
    if isinstance(raw, dict):
        _later(c, raw, path, CONCERN_KEYS, CONCERN_KEYS_V3)
    data = c.obj(raw, path, CONCERN_KEYS_V3 if c.version >= 3 else CONCERN_KEYS)
    text = c.text(data, "text", path, required=True, limit="text")
    assert text is not None
    return kind(
        text=text,
        about=c.ids(data, "about", path, party_ids, "party") or (),
        children=c.ids(data, "children", path, child_ids, "child") or (),
    )
