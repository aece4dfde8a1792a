"""Dates written the English way, for messages and letters."""

from __future__ import annotations

import datetime as dt

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: dt.date) -> str:
    """'Monday 4 March 2024'."""
    return f"{DAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def short_date(day: dt.date) -> str:
    """'4 March 2024'."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def clock_time(value: dt.time) -> str:
    """'10am', '2:30pm', '12 noon'."""
    if value.hour == 12 and value.minute == 0:
        return "12 noon"
    suffix = "am" if value.hour < 12 else "pm"
    hour = value.hour % 12 or 12
    if value.minute:
        return f"{hour}:{value.minute:02d}{suffix}"
    return f"{hour}{suffix}"


def span(days: int) -> str:
    """A length of time in words: '1 day', '12 days', '3 weeks and 2 days'."""
    days = abs(days)
    if days < 14:
        return f"{days} day" if days == 1 else f"{days} days"
    weeks, rest = divmod(days, 7)
    text = f"{weeks} weeks"
    if rest:
        text += f" and {rest} day" if rest == 1 else f" and {rest} days"
    return text


def parse_iso_date(text: str) -> dt.date:
    """A strict YYYY-MM-DD date; raises ValueError otherwise."""
    if (
        not text.isascii()
        or len(text) != 10
        or text[4] != "-"
        or text[7] != "-"
        or not (text[:4].isdigit() and text[5:7].isdigit() and text[8:].isdigit())
    ):
        raise ValueError("not in the form YYYY-MM-DD")
    return dt.date.fromisoformat(text)
