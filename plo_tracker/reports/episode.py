"""One case's pre-proceedings episode as of a date: the facts both reports read.

The definitions are the drift engine's (``plo_tracker.domain.drift``): the episode
*starts* at the earliest ``legal_planning_meeting`` with outcome ``pre_proceedings`` or
``issue_proceedings`` and *ends* at the earliest ``stepped_down`` or ``proceedings_issued``
(on the same day, ``proceedings_issued`` counts first, as in ``domain.stages``).  Only
events dated on or before the as-of date are seen, and, as for the drift rules
(``domain.family``), only the letters before proceedings that count (to nobody in
particular, or to a person with PR) and the meetings that went ahead: the census's first
effective meeting and its count of review meetings skip a meeting that did not go ahead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from plo_tracker.domain import family
from plo_tracker.domain.drift import END_TYPES, START_OUTCOMES
from plo_tracker.domain.model import CaseHistory, Event

ISSUE_OUTCOME = "issue_proceedings"


class Episode:
    """The events of one case up to ``as_of``, indexed by type (earliest first).

    ``number`` is 1 for a case's first episode, 2 for one started after the first ended...
    """

    def __init__(self, case: CaseHistory, as_of: dt.date, number: int = 1) -> None:
        self.number = number
        self.case = case
        self.as_of = as_of
        self.events: tuple[Event, ...] = tuple(
            sorted(
                (
                    e
                    for e in case.events
                    if e.date <= as_of and family.counts_for_timescales(case, e)
                ),
                key=lambda e: (e.date, e.type),
            )
        )
        by_type: dict[str, list[Event]] = {}
        for event in self.events:
            by_type.setdefault(event.type, []).append(event)
        self._by_type = by_type
        starts = [e for e in self.all("legal_planning_meeting") if e.outcome in START_OUTCOMES]
        self.start: Event | None = starts[0] if starts else None
        ends = self.all(*sorted(END_TYPES))
        self.end: Event | None = min(ends, key=lambda e: (e.date, e.type)) if ends else None

    def all(self, *types: str) -> list[Event]:
        found: list[Event] = []
        for event_type in types:
            found.extend(self._by_type.get(event_type, ()))
        found.sort(key=lambda e: (e.date, e.type))
        return found

    def first(self, *types: str) -> Event | None:
        found = self.all(*types)
        return found[0] if found else None

    def has(self, *types: str) -> bool:
        return any(t in self._by_type for t in types)

    @property
    def limit(self) -> dt.date:
        """The last day the episode ran: its end date, else the as-of date."""
        return self.end.date if self.end is not None else self.as_of

    def between(self, events: Iterable[Event], first: dt.date, last: dt.date) -> list[Event]:
        return [e for e in events if first <= e.date <= last]

    def decisions_to_issue(self) -> list[Event]:
        """``decision_to_issue`` events and planning meetings deciding to issue, earliest first.

        A later legal planning meeting with outcome ``issue_proceedings`` counts as a
        decision to issue here (``domain.stages`` also shows such a case as "Decision to
        issue"), as does a start with that outcome.  A decision dated after the end is kept,
        so the census rules can report the dates' order.
        """
        return [
            e
            for e in self.all("decision_to_issue", "legal_planning_meeting")
            if e.type == "decision_to_issue" or e.outcome == ISSUE_OUTCOME
        ]


def episodes(case: CaseHistory, as_of: dt.date) -> list[Episode]:
    """The case's episodes in order: a start after an episode has ended opens a new one.

    The drift engine and the timeliness report see only the first (a case that has ended
    stays ended); the census reports each episode on its own.  Events dated before a later
    episode's start belong to the earlier episode.
    """
    remaining = tuple(sorted((e for e in case.events if e.date <= as_of), key=lambda e: e.date))
    found: list[Episode] = []
    while True:
        number = len(found) + 1
        episode = Episode(replace(case, events=remaining), as_of, number)
        start = episode.start
        # Only an end on or after the start closes the episode (an end dated before it is
        # a date to correct, which the census rules report, not an episode of its own).
        ends = [e.date for e in episode.all(*sorted(END_TYPES)) if start and e.date >= start.date]
        if start is None or not ends:
            found.append(episode)
            return found
        end = ends[0]
        restarts = [
            e
            for e in remaining
            if e.type == "legal_planning_meeting" and e.outcome in START_OUTCOMES and e.date > end
        ]
        if not restarts:
            found.append(episode)
            return found
        cut = restarts[0].date
        before = tuple(e for e in remaining if e.date < cut)
        found.append(Episode(replace(case, events=before), as_of, number))
        remaining = tuple(e for e in remaining if e.date >= cut)
