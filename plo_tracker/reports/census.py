"""The CIN census pre-proceedings and FGDM module (census year 2026 to 2027 onwards).

``build_census(cases, reference_date, settings)`` turns case histories into one
``PreProceedingsRecord`` per child per episode, checks every rule
(``plo_tracker.reports.census_rules``) and returns a ``CensusReturn``: all the records,
the findings, and the records fit to write (those without an error).  The specification
is ``shared/domain/cin-census.md``; the choices where it leaves room are in
``docs/reports.md``.

Nothing here writes files or reads the database; the XML is ``census_xml``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from plo_tracker.domain.model import STEP_DOWN_TO, CaseHistory
from plo_tracker.reports import census_rules
from plo_tracker.reports.census_records import (
    DECISION_TO_ISSUE,
    ELEMENTS,
    OUTCOME_KEYS,
    OUTCOME_LABELS,
    PP_OUTCOME_CODES,
    PROCEEDINGS_ISSUED,
    STILL_OPEN,
    Finding,
    PreProceedingsRecord,
    ReportingYear,
    reporting_year,
)
from plo_tracker.reports.episode import Episode, episodes

# The record types live in ``census_records`` (the rules use them too); they are named here
# as well, where the rest of the app has always found them.
__all__ = [
    "DECISION_TO_ISSUE",
    "ELEMENTS",
    "LA_CODE_KEY",
    "OUTCOME_CODES_KEY",
    "OUTCOME_KEYS",
    "OUTCOME_LABELS",
    "PP_OUTCOME_CODES",
    "PROCEEDINGS_ISSUED",
    "STILL_OPEN",
    "CensusReturn",
    "CensusSettings",
    "Finding",
    "PreProceedingsRecord",
    "ReportingYear",
    "build_census",
    "episode_fields",
    "in_reporting_year",
    "la_code_problem",
    "outcome_code_problem",
    "reporting_year",
]

# The council settings (``SettingsService.put`` keys) and their commands.
OUTCOME_CODES_KEY = "census.outcome_codes"
LA_CODE_KEY = "census.la_code"

# Events that show pre-proceedings activity (management oversight alone does not).
ACTIVITY_TYPES = frozenset(
    {
        "letter_before_proceedings",
        "pre_proceedings_meeting",
        "review_meeting",
        "fgc_referral",
        "fgc_held",
        "fgc_declined",
        "extension_agreed",
        "decision_to_issue",
        "proceedings_issued",
        "letter_of_issue",
        "stepped_down",
    }
)

# -- settings ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CensusSettings:
    """The council's census settings: its 3-digit LA code and the PPOutcome code mapping."""

    la_code: str | None = None
    outcome_codes: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_values(cls, la_code: Any, outcome_codes: Any) -> CensusSettings:
        """From stored values, keeping only what is valid (bad values count as not set)."""
        code = la_code if isinstance(la_code, str) and la_code_problem(la_code) is None else None
        pairs: list[tuple[str, str]] = []
        if isinstance(outcome_codes, Mapping):
            for key in OUTCOME_KEYS:
                value = outcome_codes.get(key)
                if isinstance(value, str) and value in PP_OUTCOME_CODES:
                    pairs.append((key, value))
        return cls(code, tuple(pairs))

    def code_for(self, outcome: str) -> str | None:
        return dict(self.outcome_codes).get(outcome)

    @property
    def missing_outcomes(self) -> tuple[str, ...]:
        mapped = dict(self.outcome_codes)
        return tuple(key for key in OUTCOME_KEYS if key not in mapped)

    @property
    def outcomes_set(self) -> bool:
        return not self.missing_outcomes

    def problems(self) -> list[str]:
        """What must be set before a census file can be written, and how."""
        found: list[str] = []
        if self.missing_outcomes:
            lines = "; ".join(f"'{key}' ({OUTCOME_LABELS[key]})" for key in self.missing_outcomes)
            found.append(
                "The PPOutcome codes are not set. The meanings of the codes A, B and C are in the "
                "DfE's CIN census guide, so PLO Tracker does not guess them: a team manager or "
                "administrator sets the code for each outcome under Census settings… (Reports, "
                "CIN census) or with 'plo-tracker census-settings set-outcome OUTCOME CODE' "
                f"(CODE is A, B or C). Still to set: {lines}."
            )
        if self.la_code is None:
            found.append(
                "The council's 3-digit LA code (the LEA element of the header) is not set: set "
                "it under Census settings… (Reports, CIN census) or with 'plo-tracker "
                "census-settings set-la-code 123' (your own code)."
            )
        return found

    def to_json(self) -> dict[str, Any]:
        return {"la_code": self.la_code, "outcome_codes": dict(self.outcome_codes)}


def la_code_problem(value: str) -> str | None:
    if not (len(value) == 3 and value.isascii() and value.isdigit()):
        return "The LA code is the council's 3-digit DfE code, for example 893."
    return None


def outcome_code_problem(outcome: str, code: str) -> str | None:
    if outcome not in OUTCOME_KEYS:
        return f"There is no outcome '{outcome[:40]}'; choose one of: {', '.join(OUTCOME_KEYS)}."
    if code not in PP_OUTCOME_CODES:
        return f"The PPOutcome code must be one of {', '.join(PP_OUTCOME_CODES)}."
    return None


@dataclass(frozen=True, slots=True)
class CensusReturn:
    reference_date: dt.date
    year: ReportingYear
    settings: CensusSettings
    records: tuple[PreProceedingsRecord, ...]
    findings: tuple[Finding, ...]
    written: tuple[PreProceedingsRecord, ...]

    @property
    def setup_problems(self) -> list[str]:
        return self.settings.problems()

    @property
    def ready(self) -> bool:
        """True when the council settings allow a file to be written."""
        return not self.setup_problems

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def queries(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "query")

    @property
    def children_written(self) -> int:
        return len({r.la_child_id for r in self.written})

    @property
    def records_blocked(self) -> int:
        return len(self.records) - len(self.written)

    @property
    def blocked_cases(self) -> tuple[str, ...]:
        """The cases with a record kept out of the file (to correct in the app)."""
        return tuple(sorted({f.case for f in self.findings if f.blocks and f.case}))

    def findings_for(self, reference: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.case == reference)

    def to_json(self) -> dict[str, Any]:
        return {
            "reference_date": self.reference_date.isoformat(),
            "year": {"start": self.year.start.isoformat(), "end": self.year.end.isoformat()},
            "settings": self.settings.to_json(),
            "setup_problems": self.setup_problems,
            "records": len(self.records),
            "written": len(self.written),
            "children_written": self.children_written,
            "findings": [f.to_json() for f in self.findings],
        }


def in_reporting_year(episode: Episode, year: ReportingYear) -> bool:
    """Pre-proceedings activity in the year: open during it, or an activity event in it."""
    start = episode.start
    ended_before = episode.end is not None and episode.end.date < year.start
    if start is not None and start.date <= year.end and not ended_before:
        return True
    return any(e.type in ACTIVITY_TYPES and year.contains(e.date) for e in episode.events)


def _outcome(episode: Episode) -> str:
    end = episode.end
    if end is not None:
        if end.type == "stepped_down":
            return end.to if end.to in STEP_DOWN_TO else "no_further_action"
        return PROCEEDINGS_ISSUED
    if episode.decisions_to_issue():
        return DECISION_TO_ISSUE
    return STILL_OPEN


def episode_fields(episode: Episode) -> dict[str, Any]:
    """The element values of one case's episode (the same for each of its children)."""
    start = episode.start
    limit = episode.limit
    fields: dict[str, Any] = {
        "pp_start_date": start.date if start else None,
        "immediate_issue": start is not None and start.outcome == "issue_proceedings",
        "episode_end": episode.end.date if episode.end is not None else None,
    }

    letters = episode.all("letter_before_proceedings")
    if letters:
        first_day = letters[0].date
        fields["lbp_sent_date"] = first_day
        # Offered when any letter sent that first day offered it (absent means offered).
        fields["fgdm_meeting_offer"] = any(
            e.fgdm_offered is not False for e in letters if e.date == first_day
        )
        fields["fgdm_meeting_fac"] = any(
            first_day <= e.date <= limit for e in episode.all("fgc_held")
        )

    first_meeting = episode.first("pre_proceedings_meeting")
    if first_meeting is not None:
        fields["initial_pp_meeting_date"] = first_meeting.date
        fields["review_meetings_count"] = sum(
            1 for e in episode.all("review_meeting") if first_meeting.date < e.date <= limit
        )

    outcome = _outcome(episode)
    fields["outcome"] = outcome
    if outcome in STEP_DOWN_TO:
        assert episode.end is not None
        fields["step_decision_date"] = episode.end.date
    else:
        decisions = episode.decisions_to_issue()
        if decisions:
            fields["step_decision_date"] = decisions[0].date

    issued = episode.first("proceedings_issued")
    if issued is not None and outcome == PROCEEDINGS_ISSUED:
        fields["court_app_date"] = issued.date
    letters_of_issue = episode.all("letter_of_issue")
    if letters_of_issue:
        after = [e for e in letters_of_issue if issued is not None and e.date >= issued.date]
        if after:
            fields["letter_init_cp_date"] = after[0].date
        else:
            # None on or after the application: the latest one stays, so rule 9013 shows it.
            fields["letter_init_cp_date"] = letters_of_issue[-1].date
    return fields


def build_census(
    cases: Iterable[CaseHistory], reference_date: dt.date, settings: CensusSettings
) -> CensusReturn:
    """Every child's records for the reporting year ending on ``reference_date``, checked."""
    year = reporting_year(reference_date)
    records: list[PreProceedingsRecord] = []
    for case in sorted(cases, key=lambda c: c.reference):
        for episode in episodes(case, reference_date):
            if not in_reporting_year(episode, year):
                continue
            fields = episode_fields(episode)
            code = settings.code_for(fields["outcome"]) if settings.outcomes_set else None
            for position, child in enumerate(case.children, start=1):
                records.append(
                    PreProceedingsRecord(
                        case=case.reference,
                        child_position=position,
                        child_name=child.name,
                        la_child_id=(child.la_child_id or "").strip() or None,
                        unborn=child.unborn,
                        episode=episode.number,
                        date_of_birth=child.date_of_birth,
                        pp_outcome=code,
                        **fields,
                    )
                )
    findings = census_rules.check_all(records, year, check_outcome=settings.outcomes_set)
    blocked = {
        (f.case, f.episode, f.child_position)
        for f in findings
        if f.blocks and f.child_position is not None
    }
    written = [r for r in records if (r.case, r.episode, r.child_position) not in blocked]
    findings.extend(census_rules.check_return(written))
    findings.sort(key=Finding.sort_key)
    return CensusReturn(
        reference_date=reference_date,
        year=year,
        settings=settings,
        records=tuple(records),
        findings=tuple(findings),
        written=tuple(written),
    )
