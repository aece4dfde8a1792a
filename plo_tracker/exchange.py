"""The case exchange format, versions 1 and 2 (``shared/contract/case-exchange.md``).

``parse_document`` checks a whole file before anything is written and raises
``ExchangeError`` naming the case, the JSON path and the problem.  Checks that
need the database (none today) would run inside the import transaction.  Version 1
files mean exactly what they meant before (no concerns, no FGDM events: those keys
and event types are unknown, hence errors, in a version 1 file); ``export`` writes
version 2.  Every case read is also checked against the chronology rules
(``plo_tracker.domain.chronology``): an impossible chronology is refused with the
JSON path of the record that breaks the rule.

Choices where the contract leaves room (also in docs/exchange-format.md):

* A ``null`` value for an optional key means the same as leaving the key out.
* "Before the child's case could start": no event may be dated before the
  earliest child could have been conceived, taken as 42 weeks before the
  earliest date of birth or expected birth among the case's children (a
  chronology rule, ``before_conception``).
* A concern's ``about`` may not name the same person twice; ``"about": []`` means
  the same as leaving it out (the whole household).
* Besides event dates, an assessment's commission and completion dates and a
  plan action's completion date record what happened, so they may not be in
  the future either; a born child's date of birth may not be in the future.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from plo_tracker.domain import chronology
from plo_tracker.domain.dates import parse_iso_date
from plo_tracker.domain.drift import RULE_IDS
from plo_tracker.domain.model import (
    BOOKING_TYPES,
    EVENT_FIELDS,
    EVENT_TYPES,
    FGDM_RESPONSES,
    LPM_OUTCOMES,
    STEP_DOWN_TO,
    V2_EVENT_TYPES,
    Assessment,
    Booking,
    CaseHistory,
    Child,
    Concern,
    Event,
    Party,
    PlanAction,
    Solicitor,
)
from plo_tracker.errors import ExchangeError
from plo_tracker.validation import LIMITS, date_problem, text_problem

FORMAT = "plo-tracker-cases"
VERSION = 2  # what export writes
VERSIONS = (1, 2)  # what import reads

TOP_KEYS = {"format", "version", "cases"}
CASE_KEYS = {
    "reference",
    "team",
    "social_worker",
    "team_manager",
    "legal_liaison",
    "children",
    "parties",
    "events",
    "assessments",
    "plan_actions",
    "scheduled",
}
CASE_KEYS_V2 = {*CASE_KEYS, "concerns"}
CONCERN_KEYS = {"text", "about"}
EVENT_TYPES_V1 = tuple(t for t in EVENT_TYPES if t not in V2_EVENT_TYPES)
CHILD_KEYS = {"name", "date_of_birth", "expected_birth", "la_child_id"}
PARTY_KEYS = {
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
SOLICITOR_KEYS = {"name", "firm", "phone", "email"}
ASSESSMENT_KEYS = {"title", "commissioned", "due", "completed"}
ACTION_KEYS = {"party", "action", "support", "due", "completed"}
BOOKING_KEYS = {"type", "date", "time", "place"}

_MISSING = object()


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


class _Checker:
    """Walks one case, reading values and raising errors with the path."""

    def __init__(self, today: dt.date, version: int = VERSION) -> None:
        self.today = today
        self.version = version
        self.case_ref: str | None = None

    def fail(self, path: str, problem: str) -> ExchangeError:
        return ExchangeError(problem, case=self.case_ref, path=path)

    def obj(self, value: Any, path: str, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, f"must be an object, not {_type_name(value)}")
        for key in value:
            if key not in allowed:
                raise self.fail(f"{path}.{key}", f"unknown key '{key}'")
        return value

    def get(self, data: dict[str, Any], key: str, path: str, *, required: bool) -> Any:
        value = data.get(key, _MISSING)
        if value is _MISSING or (value is None and not required):
            if required:
                raise self.fail(f"{path}.{key}", "is required but missing")
            return None
        return value

    def text(
        self, data: dict[str, Any], key: str, path: str, *, required: bool, limit: str = "name"
    ) -> str | None:
        value = self.get(data, key, path, required=required)
        if value is None:
            if required:
                raise self.fail(f"{path}.{key}", "is required but is null")
            return None
        if not isinstance(value, str):
            raise self.fail(f"{path}.{key}", f"must be text, not {_type_name(value)}")
        problem = text_problem(value, LIMITS[limit], required=required)
        if problem:
            raise self.fail(f"{path}.{key}", problem)
        return value

    def boolean(self, data: dict[str, Any], key: str, path: str, *, required: bool) -> bool | None:
        value = self.get(data, key, path, required=required)
        if value is None:
            if required:
                raise self.fail(f"{path}.{key}", "is required but is null")
            return None
        if not isinstance(value, bool):
            raise self.fail(f"{path}.{key}", f"must be true or false, not {_type_name(value)}")
        return value

    def date(
        self,
        data: dict[str, Any],
        key: str,
        path: str,
        *,
        required: bool,
        nullable: bool = False,
        past: bool = False,
    ) -> dt.date | None:
        value = data.get(key, _MISSING)
        if value is _MISSING:
            if required:
                raise self.fail(f"{path}.{key}", "is required but missing")
            return None
        if value is None:
            if required and not nullable:
                raise self.fail(f"{path}.{key}", "is required but is null")
            return None
        if not isinstance(value, str):
            raise self.fail(
                f"{path}.{key}", f"must be a date written YYYY-MM-DD, not {_type_name(value)}"
            )
        try:
            day = parse_iso_date(value)
        except ValueError:
            shown = value if len(value) <= 40 else value[:40] + "..."
            raise self.fail(
                f"{path}.{key}", f"'{shown}' is not a real date written YYYY-MM-DD"
            ) from None
        problem = date_problem(day)
        if problem:
            raise self.fail(f"{path}.{key}", problem)
        if past and day > self.today:
            raise self.fail(
                f"{path}.{key}",
                f"{value} is in the future (today is {self.today.isoformat()}); only what has "
                "happened can be recorded",
            )
        return day

    def items(self, data: dict[str, Any], key: str, path: str, *, required: bool) -> list[Any]:
        value = self.get(data, key, path, required=required)
        if value is None:
            if required:
                raise self.fail(f"{path}.{key}", "is required but is null")
            return []
        if not isinstance(value, list):
            raise self.fail(f"{path}.{key}", f"must be a list, not {_type_name(value)}")
        return value

    def choice(
        self, data: dict[str, Any], key: str, path: str, options: tuple[str, ...], *, required: bool
    ) -> str | None:
        value = self.text(data, key, path, required=required, limit="code")
        if value is not None and value not in options:
            raise self.fail(f"{path}.{key}", f"'{value}' is not one of: {', '.join(options)}")
        return value


def _child(c: _Checker, raw: Any, path: str) -> Child:
    data = c.obj(raw, path, CHILD_KEYS)
    name = c.text(data, "name", path, required=True)
    born = c.date(data, "date_of_birth", path, required=False, past=True)
    expected = c.date(data, "expected_birth", path, required=False)
    if (born is None) == (expected is None):
        raise c.fail(
            path, "a child needs exactly one of date_of_birth (born) or expected_birth (unborn)"
        )
    la_id = c.text(data, "la_child_id", path, required=False, limit="reference")
    assert name is not None
    return Child(name=name, date_of_birth=born, expected_birth=expected, la_child_id=la_id)


def _party(c: _Checker, raw: Any, path: str) -> Party:
    data = c.obj(raw, path, PARTY_KEYS)
    key = c.text(data, "id", path, required=True, limit="reference")
    name = c.text(data, "name", path, required=True)
    relationship = c.text(data, "relationship", path, required=True)
    pr = c.boolean(data, "parental_responsibility", path, required=True)
    address_lines: list[str] = []
    for i, line in enumerate(c.items(data, "address", path, required=False)):
        line_path = f"{path}.address[{i}]"
        if not isinstance(line, str):
            raise c.fail(line_path, f"must be text, not {_type_name(line)}")
        problem = text_problem(line, LIMITS["name"], required=True)
        if problem:
            raise c.fail(line_path, problem)
        address_lines.append(line)
    if len(address_lines) > 10:
        raise c.fail(f"{path}.address", "may have at most 10 lines")
    confidential = c.boolean(data, "address_confidential", path, required=False)
    language = c.text(data, "language", path, required=False)
    needs = c.text(data, "needs", path, required=False, limit="text")
    solicitor = None
    raw_solicitor = c.get(data, "solicitor", path, required=False)
    if raw_solicitor is not None:
        spath = f"{path}.solicitor"
        sdata = c.obj(raw_solicitor, spath, SOLICITOR_KEYS)
        sname = c.text(sdata, "name", spath, required=True)
        assert sname is not None
        solicitor = Solicitor(
            name=sname,
            firm=c.text(sdata, "firm", spath, required=False),
            phone=c.text(sdata, "phone", spath, required=False, limit="code"),
            email=c.text(sdata, "email", spath, required=False),
        )
    assert key is not None and name is not None and relationship is not None and pr is not None
    return Party(
        id=key,
        name=name,
        relationship=relationship,
        parental_responsibility=pr,
        address=tuple(address_lines),
        address_confidential=confidential,
        language=language,
        needs=needs,
        solicitor=solicitor,
    )


def _event(c: _Checker, raw: Any, path: str, party_ids: set[str]) -> Event:
    if not isinstance(raw, dict):
        raise c.fail(path, f"must be an object, not {_type_name(raw)}")
    if c.version == 1 and raw.get("type") in V2_EVENT_TYPES:
        raise c.fail(
            f"{path}.type",
            f"'{raw['type']}' is an event type of version 2 of the format; this file says "
            "version 1",
        )
    event_type = c.choice(
        raw, "type", path, EVENT_TYPES_V1 if c.version == 1 else EVENT_TYPES, required=True
    )
    assert event_type is not None
    spec = EVENT_FIELDS[event_type]
    data = c.obj(raw, path, {"type", "date", *spec})
    day = c.date(data, "date", path, required=True, past=True)
    assert day is not None
    values: dict[str, Any] = {}
    for key, required in spec.items():
        if key == "outcome":
            values[key] = c.choice(data, key, path, LPM_OUTCOMES, required=required)
        elif key == "to":
            values[key] = c.choice(data, key, path, STEP_DOWN_TO, required=required)
        elif key == "rule":
            values[key] = c.choice(data, key, path, RULE_IDS, required=required)
        elif key == "party":
            party = c.text(data, key, path, required=required, limit="reference")
            if party is not None and party not in party_ids:
                raise c.fail(f"{path}.party", f"party '{party}' does not exist in this case")
            values[key] = party
        elif key == "response":
            values[key] = c.choice(data, key, path, FGDM_RESPONSES, required=required)
        elif key == "fgdm_offered":
            values[key] = c.boolean(data, key, path, required=required)
        elif key == "until":
            # Whether it may come before the event's date is a chronology rule.
            values[key] = c.date(data, key, path, required=required)
        else:
            values[key] = c.text(
                data,
                key,
                path,
                required=required,
                limit="text" if key in ("reason", "rationale") else "name",
            )
    return Event(type=event_type, date=day, **values)


def _assessment(c: _Checker, raw: Any, path: str) -> Assessment:
    data = c.obj(raw, path, ASSESSMENT_KEYS)
    title = c.text(data, "title", path, required=True)
    commissioned = c.date(data, "commissioned", path, required=True, past=True)
    due = c.date(data, "due", path, required=True)
    if "completed" not in data:
        raise c.fail(f"{path}.completed", "is required (a date, or null if not completed)")
    completed = c.date(data, "completed", path, required=True, nullable=True, past=True)
    assert title is not None and commissioned is not None and due is not None
    # Due or completed before the commission date: chronology rules (checked per case).
    return Assessment(title=title, commissioned=commissioned, due=due, completed=completed)


def _action(c: _Checker, raw: Any, path: str, party_ids: set[str]) -> PlanAction:
    data = c.obj(raw, path, ACTION_KEYS)
    if "party" not in data:
        raise c.fail(f"{path}.party", "is required (a party id, or null for the council)")
    party = c.text(data, "party", path, required=False, limit="reference")
    if party is not None and party not in party_ids:
        raise c.fail(f"{path}.party", f"party '{party}' does not exist in this case")
    action = c.text(data, "action", path, required=True, limit="text")
    support = c.text(data, "support", path, required=False, limit="text")
    due = c.date(data, "due", path, required=True)
    if "completed" not in data:
        raise c.fail(f"{path}.completed", "is required (a date, or null if not done)")
    completed = c.date(data, "completed", path, required=True, nullable=True, past=True)
    assert action is not None and due is not None
    return PlanAction(party=party, action=action, support=support, due=due, completed=completed)


def _booking(c: _Checker, raw: Any, path: str) -> Booking:
    data = c.obj(raw, path, BOOKING_KEYS)
    booking_type = c.choice(data, "type", path, BOOKING_TYPES, required=True)
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
    assert booking_type is not None and day is not None
    return Booking(type=booking_type, date=day, time=time, place=place)


def _concern(c: _Checker, raw: Any, path: str, party_ids: set[str]) -> Concern:
    data = c.obj(raw, path, CONCERN_KEYS)
    text = c.text(data, "text", path, required=True, limit="text")
    about: list[str] = []
    for i, key in enumerate(c.items(data, "about", path, required=False)):
        item_path = f"{path}.about[{i}]"
        if not isinstance(key, str):
            raise c.fail(item_path, f"must be a party id (text), not {_type_name(key)}")
        if key not in party_ids:
            raise c.fail(item_path, f"party '{key[:40]}' does not exist in this case")
        if key in about:
            raise c.fail(item_path, f"party '{key}' is named twice")
        about.append(key)
    assert text is not None
    return Concern(text=text, about=tuple(about))


def _chronology(c: _Checker, case: CaseHistory, path: str) -> None:
    """Refuse a case whose chronology cannot be true (the first broken rule)."""
    for finding in chronology.check(case):
        if finding.is_error:
            where = f"{path}.{finding.path}" if finding.path else path
            raise c.fail(where, f"{finding.message} (rule: {finding.rule})")


def _case(c: _Checker, raw: Any, path: str, *, check_chronology: bool = True) -> CaseHistory:
    c.case_ref = None
    if isinstance(raw, dict) and isinstance(raw.get("reference"), str):
        c.case_ref = raw["reference"][: LIMITS["reference"]] or None
    data = c.obj(raw, path, CASE_KEYS if c.version == 1 else CASE_KEYS_V2)
    reference = c.text(data, "reference", path, required=True, limit="reference")
    assert reference is not None
    children = [
        _child(c, item, f"{path}.children[{i}]")
        for i, item in enumerate(c.items(data, "children", path, required=True))
    ]
    if not children:
        raise c.fail(f"{path}.children", "must list at least one child")
    parties: list[Party] = []
    seen: set[str] = set()
    for i, item in enumerate(c.items(data, "parties", path, required=False)):
        party = _party(c, item, f"{path}.parties[{i}]")
        if party.id in seen:
            raise c.fail(f"{path}.parties[{i}].id", f"party id '{party.id}' is used twice")
        seen.add(party.id)
        parties.append(party)
    events = [
        _event(c, item, f"{path}.events[{i}]", seen)
        for i, item in enumerate(c.items(data, "events", path, required=False))
    ]
    assessments = [
        _assessment(c, item, f"{path}.assessments[{i}]")
        for i, item in enumerate(c.items(data, "assessments", path, required=False))
    ]
    actions = [
        _action(c, item, f"{path}.plan_actions[{i}]", seen)
        for i, item in enumerate(c.items(data, "plan_actions", path, required=False))
    ]
    bookings = [
        _booking(c, item, f"{path}.scheduled[{i}]")
        for i, item in enumerate(c.items(data, "scheduled", path, required=False))
    ]
    concerns = [
        _concern(c, item, f"{path}.concerns[{i}]", seen)
        for i, item in enumerate(c.items(data, "concerns", path, required=False))
    ]
    case = CaseHistory(
        reference=reference,
        team=c.text(data, "team", path, required=False),
        social_worker=c.text(data, "social_worker", path, required=False),
        team_manager=c.text(data, "team_manager", path, required=False),
        legal_liaison=c.text(data, "legal_liaison", path, required=False),
        children=tuple(children),
        parties=tuple(parties),
        events=tuple(events),
        assessments=tuple(assessments),
        plan_actions=tuple(actions),
        scheduled=tuple(bookings),
        concerns=tuple(concerns),
    )
    if check_chronology:
        _chronology(c, case, path)
    return case


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON")


def parse_document(
    text: str | bytes,
    today: dt.date,
    progress: Callable[[int, int], None] | None = None,
) -> list[CaseHistory]:
    """Check and read a whole exchange document; all or nothing.

    The reading itself streams (``exchange_stream``), so a file can also be checked and
    imported without holding it in memory.
    """
    from plo_tracker import exchange_stream  # it builds on this module

    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    source = io.BytesIO(data)
    header = exchange_stream.read_header(source)
    cases: list[CaseHistory] = []
    for i, case in enumerate(exchange_stream.cases(source, today, header)):
        cases.append(case)
        if progress is not None and (i + 1) % 200 == 0:
            progress(i + 1, header.count)
    return cases


# -- writing ----------------------------------------------------------------------------------


def _put(data: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        data[key] = value


def case_to_json(case: CaseHistory) -> dict[str, Any]:
    data: dict[str, Any] = {"reference": case.reference}
    for key in ("team", "social_worker", "team_manager", "legal_liaison"):
        _put(data, key, getattr(case, key))
    children = []
    for child in case.children:
        item: dict[str, Any] = {"name": child.name}
        # Both are written if both are set, so the checker can explain the mistake.
        if child.date_of_birth is not None:
            item["date_of_birth"] = child.date_of_birth.isoformat()
        if child.expected_birth is not None:
            item["expected_birth"] = child.expected_birth.isoformat()
        _put(item, "la_child_id", child.la_child_id)
        children.append(item)
    data["children"] = children
    if case.parties:
        parties = []
        for party in case.parties:
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
            parties.append(p)
        data["parties"] = parties
    if case.events:
        events = []
        for event in case.events:
            e: dict[str, Any] = {"type": event.type, "date": event.date.isoformat()}
            for key in EVENT_FIELDS[event.type]:
                value = getattr(event, key)
                if isinstance(value, dt.date):
                    value = value.isoformat()
                _put(e, key, value)
            events.append(e)
        data["events"] = events
    if case.assessments:
        data["assessments"] = [
            {
                "title": a.title,
                "commissioned": a.commissioned.isoformat(),
                "due": a.due.isoformat(),
                "completed": a.completed.isoformat() if a.completed else None,
            }
            for a in case.assessments
        ]
    if case.plan_actions:
        actions = []
        for action in case.plan_actions:
            a: dict[str, Any] = {"party": action.party, "action": action.action}
            _put(a, "support", action.support)
            a["due"] = action.due.isoformat()
            a["completed"] = action.completed.isoformat() if action.completed else None
            actions.append(a)
        data["plan_actions"] = actions
    if case.scheduled:
        bookings = []
        for booking in case.scheduled:
            b: dict[str, Any] = {"type": booking.type, "date": booking.date.isoformat()}
            if booking.time is not None:
                b["time"] = booking.time.strftime("%H:%M")
            _put(b, "place", booking.place)
            bookings.append(b)
        data["scheduled"] = bookings
    if case.concerns:
        concerns = []
        for concern in case.concerns:
            item = {"text": concern.text}
            if concern.about:
                item["about"] = list(concern.about)
            concerns.append(item)
        data["concerns"] = concerns
    return data


def document_to_json(cases: list[CaseHistory]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "cases": [case_to_json(case) for case in cases],
    }


def check_case(
    data: dict[str, Any], today: dt.date, *, check_chronology: bool = True
) -> CaseHistory:
    """Check one case in exchange form, version 2 (used to validate edits made in the app).

    The services check the chronology themselves (``check_chronology=False``), so that a
    change is refused only for what it breaks, and unusual orders can be confirmed.
    """
    return _case(_Checker(today, VERSION), data, "case", check_chronology=check_chronology)
