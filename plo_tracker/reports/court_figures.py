"""After issue in the timeliness report (domain reference section 7): how many of the cohort's
care proceedings concluded within 26 weeks, the weeks from issue to conclusion (median and
range), and the orders made by type.

The population is the report's cohort (cases started in the range); of those, the cases
whose proceedings were issued and concluded by the end of the range (or the as-of date) are
counted; cases still in proceedings are listed as not counted. The facts come from the same
records as the ``week_26`` rule: the first ``proceedings_issued`` of the episode and the first
``proceedings_concluded`` on or after it.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from plo_tracker.domain.model import ORDERS, PLAN_LABELS
from plo_tracker.domain.policy import Policy
from plo_tracker.reports.episode import Episode
from plo_tracker.reports.figures import SHARE, Duration, Figure, refs


@dataclass(frozen=True, slots=True)
class CourtFacts:
    """One case's care proceedings as the report sees them."""

    issued: dt.date
    concluded: dt.date | None
    order: str | None
    extensions: int

    @property
    def days(self) -> int | None:
        return None if self.concluded is None else max(0, (self.concluded - self.issued).days)

    def within(self, weeks: int) -> bool:
        return self.days is not None and self.days <= 7 * weeks

    def to_json(self) -> dict[str, Any]:
        return {
            "issued": self.issued.isoformat(),
            "concluded": self.concluded.isoformat() if self.concluded else None,
            "order": self.order,
            "extensions": self.extensions,
            "days": self.days,
        }


class CourtRow(Protocol):
    @property
    def reference(self) -> str: ...

    @property
    def court(self) -> CourtFacts | None: ...


def court_facts(episode: Episode) -> CourtFacts | None:
    issued = episode.first("proceedings_issued")
    if issued is None:
        return None
    after = [e for e in episode.events if e.date >= issued.date]
    concluded = [e for e in after if e.type == "proceedings_concluded"]
    return CourtFacts(
        issued=issued.date,
        concluded=concluded[0].date if concluded else None,
        order=concluded[0].order if concluded else None,
        extensions=sum(1 for e in after if e.type == "court_extension"),
    )


def court_figures(rows: Sequence[CourtRow], policy: Policy) -> list[Figure]:
    weeks = policy.proceedings_weeks
    issued = [r for r in rows if r.court is not None]
    concluded = [r for r in issued if r.court is not None and r.court.concluded is not None]
    within = [r for r in concluded if r.court is not None and r.court.within(weeks)]
    figures = [
        Figure(
            key="concluded_within_26_weeks",
            label=f"Care proceedings concluded within {weeks} weeks of issue",
            count=len(within),
            denominator=len(concluded),
            cases=refs(within),
            shortfall=refs(r for r in concluded if r not in within),
            excluded=refs(r for r in issued if r not in concluded),
            shortfall_label=f"concluded after {weeks} weeks",
            note="Cases issued and concluded by the end of the range; a court extension does "
            "not change the 26 weeks counted here (s.32(1)(a) Children Act 1989). Cases still "
            "in proceedings are not counted.",
        )
    ]
    for order in ORDERS:
        made = [r for r in concluded if r.court is not None and r.court.order == order]
        figures.append(
            Figure(
                key=f"order_{order}",
                label=f"Order made: {PLAN_LABELS.get(order, order)}",
                count=len(made),
                denominator=len(concluded),
                kind=SHARE,
                cases=refs(made),
            )
        )
    return figures


def court_duration(rows: Sequence[CourtRow]) -> Duration:
    """Weeks from issue to conclusion: median and range (shortest to longest)."""
    key, label = "weeks_issue_to_conclusion", "Weeks from issue to conclusion"
    note = "Care proceedings concluded by the end of the range, from the issue to the final order."
    done = [(r, r.court.days) for r in rows if r.court is not None and r.court.days is not None]
    if not done:
        return Duration(key, label, (), None, None, None, note)
    longest = max(done, key=lambda item: (item[1], item[0].reference))
    shortest = min(done, key=lambda item: (item[1], item[0].reference))
    return Duration(
        key=key,
        label=label,
        cases=refs(r for r, _days in done),
        median_weeks=round(statistics.median(d for _r, d in done) / 7, 1),
        longest_weeks=round(longest[1] / 7, 1),
        longest_case=longest[0].reference,
        note=note,
        shortest_weeks=round(shortest[1] / 7, 1),
        shortest_case=shortest[0].reference,
    )
