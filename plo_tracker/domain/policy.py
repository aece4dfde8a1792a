"""The timescale policy: the domain reference's defaults, each changeable by the council.

Most settings are lengths of time (``SETTINGS``). A few are dates the council sets
(``DATE_SETTINGS``), with no default: ``fgdm_duty_from``, the day the family group
decision-making duty starts (set by regulations, not yet known), switches the two FGDM
rules on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, replace
from typing import Any

WORKING_DAYS = "working days"
WEEKS = "weeks"
MINUTES = "minutes"
MONTHS = "calendar months"


@dataclass(frozen=True, slots=True)
class Setting:
    key: str
    label: str
    unit: str
    rule: str | None
    default: int
    source: str
    minimum: int = 0
    maximum: int = 104


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "letter_due_working_days",
        "Letter before proceedings after the start",
        WORKING_DAYS,
        "letter_due",
        5,
        "default; one solicitor reports 'within five days'",
        1,
        60,
    ),
    Setting(
        "first_meeting_working_days",
        "First meeting after the first letter",
        WORKING_DAYS,
        "first_meeting_due",
        10,
        "practice: 7 working days is common",
        1,
        60,
    ),
    Setting(
        "review_weeks", "Review after the last meeting", WEEKS, "review_due", 6, "practice", 1, 52
    ),
    Setting(
        "fgc_referral_working_days",
        "FGC referral after the first letter",
        WORKING_DAYS,
        "fgc_referral_due",
        10,
        "practice: refer before the first meeting",
        1,
        60,
    ),
    Setting(
        "fgc_held_weeks", "FGC held after the referral", WEEKS, "fgc_held_due", 6, "default", 1, 52
    ),
    Setting(
        "duration_weeks",
        "Length of pre-proceedings from the first meeting",
        WEEKS,
        "duration_exceeded",
        16,
        "practice: up to 16 weeks",
        1,
        104,
    ),
    Setting(
        "issue_working_days",
        "Issue after the decision to issue",
        WORKING_DAYS,
        "issue_due",
        5,
        "default",
        1,
        60,
    ),
    Setting(
        "pre_birth_weeks",
        "First meeting before the expected birth",
        WEEKS,
        "pre_birth_meeting_due",
        10,
        "practice: pre-birth conference 10 weeks before",
        0,
        40,
    ),
    Setting(
        "oversight_weeks",
        "Management oversight interval",
        WEEKS,
        "oversight_due",
        4,
        "default; Ofsted asks for recorded manager oversight",
        1,
        52,
    ),
    Setting(
        "solicitor_working_days",
        "Solicitor recorded after the first letter",
        WORKING_DAYS,
        "solicitor_missing",
        10,
        "practice: legal advice by the first meeting",
        1,
        60,
    ),
    Setting(
        "proceedings_weeks",
        "Care proceedings finished within, from the issue",
        WEEKS,
        "week_26",
        26,
        "law: s.32(1)(a) Children Act 1989 (the court may extend by up to 8 weeks at a time)",
        1,
        104,
    ),
    Setting(
        "hearing_record_working_days",
        "Court hearing recorded after its date",
        WORKING_DAYS,
        "hearing_not_recorded",
        1,
        "product default: the working day after the hearing",
        1,
        30,
    ),
    Setting(
        "warning_working_days",
        "Warning window before a due date (due soon)",
        WORKING_DAYS,
        None,
        5,
        "product default",
        0,
        60,
    ),
    Setting(
        "meeting_notice_days",
        "Notice of a meeting offered in a letter before proceedings",
        WORKING_DAYS,
        None,
        5,
        "product default: the meeting is at least this many working days after the letter",
        1,
        30,
    ),
    Setting(
        "apart_minutes",
        "Time between two meetings at one place for people kept apart",
        MINUTES,
        None,
        120,
        "product default: arriving and leaving at least two hours apart",
        0,
        600,
    ),
    Setting(
        "cp_plan_watch_months",
        "Heading for PLO: on a child protection plan this long with no legal planning meeting",
        MONTHS,
        "cp_plan_long",
        9,
        "product default",
        1,
        60,
    ),
    Setting(
        "repeat_cp_plan_watch_weeks",
        "Heading for PLO: on a second or later child protection plan this long with no "
        "legal planning meeting",
        WEEKS,
        "repeat_cp_plan",
        12,
        "product default",
        1,
        104,
    ),
    Setting(
        "step_down_watch_months",
        "Heading for PLO: a child protection plan starting this soon after a step-down",
        MONTHS,
        "back_after_step_down",
        12,
        "product default",
        1,
        60,
    ),
)
SETTINGS_BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}


@dataclass(frozen=True, slots=True)
class DateSetting:
    """A policy date with no default: while unset, the rules it switches on stay off."""

    key: str
    label: str
    rules: tuple[str, ...]
    source: str


DATE_SETTINGS: tuple[DateSetting, ...] = (
    DateSetting(
        "fgdm_duty_from",
        "Family group decision-making duty starts",
        ("fgdm_offer_missing", "fgdm_before_application"),
        "law: Children's Wellbeing and Schools Act 2026 s.1 (new s.31ZA Children Act 1989), "
        "from a day set by regulations",
    ),
)
DATE_SETTINGS_BY_KEY: dict[str, DateSetting] = {s.key: s for s in DATE_SETTINGS}


@dataclass(frozen=True, slots=True)
class Policy:
    letter_due_working_days: int = 5
    first_meeting_working_days: int = 10
    review_weeks: int = 6
    fgc_referral_working_days: int = 10
    fgc_held_weeks: int = 6
    duration_weeks: int = 16
    issue_working_days: int = 5
    pre_birth_weeks: int = 10
    oversight_weeks: int = 4
    solicitor_working_days: int = 10
    proceedings_weeks: int = 26
    hearing_record_working_days: int = 1
    warning_working_days: int = 5
    meeting_notice_days: int = 5
    apart_minutes: int = 120
    cp_plan_watch_months: int = 9
    repeat_cp_plan_watch_weeks: int = 12
    step_down_watch_months: int = 12
    fgdm_duty_from: dt.date | None = None

    @classmethod
    def from_values(cls, values: dict[str, Any]) -> Policy:
        """Defaults overridden by the stored values that are known and valid."""
        policy = cls()
        changes: dict[str, Any] = {
            k: v
            for k, v in values.items()
            if k in SETTINGS_BY_KEY and isinstance(v, int) and not isinstance(v, bool)
        }
        for key in DATE_SETTINGS_BY_KEY:
            value = values.get(key)
            if isinstance(value, str):
                try:
                    changes[key] = dt.date.fromisoformat(value)
                except ValueError:
                    continue
        return replace(policy, **changes)

    def value(self, key: str) -> int:
        return int(getattr(self, key))


def check_value(key: str, value: int) -> str | None:
    """A problem with setting ``key`` to ``value``, or None if it is acceptable."""
    setting = SETTINGS_BY_KEY.get(key)
    if setting is None:
        return f"There is no policy setting called '{key[:40]}'."
    if not setting.minimum <= value <= setting.maximum:
        return (
            f"{setting.label} must be between {setting.minimum} and {setting.maximum} "
            f"{setting.unit}."
        )
    return None


assert {s.key for s in SETTINGS} | set(DATE_SETTINGS_BY_KEY) == {f.name for f in fields(Policy)}
assert all(s.default == getattr(Policy(), s.key) for s in SETTINGS)
