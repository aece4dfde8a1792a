"""The figures a report is made of: a count over a denominator, or a length of time.

Every figure carries the case references behind it, so a manager can see which cases
make a percentage.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

RATE = "rate"  # a timeliness measure: the shortfall lists the cases that missed it
SHARE = "share"  # a breakdown: how many of the cases fall in this group


class _HasReference(Protocol):
    @property
    def reference(self) -> str: ...


def refs(rows: Iterable[_HasReference]) -> tuple[str, ...]:
    """The rows' case references, sorted."""
    return tuple(sorted(r.reference for r in rows))


@dataclass(frozen=True, slots=True)
class Figure:
    key: str
    label: str
    count: int
    denominator: int
    kind: str = RATE
    unit: str = "cases"
    cases: tuple[str, ...] = ()
    shortfall: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    note: str = ""
    shortfall_label: str = "late or not done"

    @property
    def percentage(self) -> float | None:
        """Count over denominator in per cent, one decimal, halves rounded up as a
        spreadsheet does (13/16 is 81.3); None when there is nothing to count."""
        if self.denominator == 0:
            return None
        exact = Decimal(100 * self.count) / Decimal(self.denominator)
        return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))

    def percentage_text(self) -> str:
        value = self.percentage
        return "–" if value is None else f"{value:.1f}%"

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "kind": self.kind,
            "unit": self.unit,
            "count": self.count,
            "denominator": self.denominator,
            "percentage": self.percentage,
            "cases": list(self.cases),
            "shortfall": list(self.shortfall),
            "excluded": list(self.excluded),
            "shortfall_label": self.shortfall_label,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class Duration:
    """Lengths in weeks (days / 7, one decimal) of a set of cases."""

    key: str
    label: str
    cases: tuple[str, ...]
    median_weeks: float | None
    longest_weeks: float | None
    longest_case: str | None
    note: str = ""
    shortest_weeks: float | None = None  # with the longest, the range (issue to conclusion)
    shortest_case: str | None = None

    @property
    def count(self) -> int:
        return len(self.cases)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "count": self.count,
            "median_weeks": self.median_weeks,
            "longest_weeks": self.longest_weeks,
            "longest_case": self.longest_case,
            **(
                {"shortest_weeks": self.shortest_weeks, "shortest_case": self.shortest_case}
                if self.shortest_weeks is not None
                else {}
            ),
            "cases": list(self.cases),
            "note": self.note,
        }
