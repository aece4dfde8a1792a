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


def abbreviated_date(day: dt.date) -> str:
    """'4 Mar 2024' (for tables and lists)."""
    return f"{day.day} {MONTH_NAMES[day.month - 1][:3]} {day.year}"


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


# -- dates people type -------------------------------------------------------------------------

MONTH_ABBREVIATIONS = tuple(name[:3] for name in MONTH_NAMES)
DATE_EXAMPLES = "29/11/2026, 29 Nov 2026 or 2026-11-29"


class DateTypingError(ValueError):
    """A typed date that is not a real date, or not written in a way we understand.

    ``str()`` is a complete, plain message naming what was typed and how to write it.
    """


def _month_number(word: str) -> int | None:
    word = word.casefold().rstrip(".")
    for number, name in enumerate(MONTH_NAMES, start=1):
        full = name.casefold()
        # "Nov", "November", and the common "Sept" are all understood.
        if word == full or word == full[:3] or (number == 9 and word == "sept"):
            return number
    return None


def _build(day: int, month: int, year: int, typed: str) -> dt.date:
    if year < 1000:
        raise DateTypingError(
            f"'{typed}': write the year in full (for example 2026), such as {DATE_EXAMPLES}."
        )
    if not 1 <= month <= 12:
        raise DateTypingError(
            f"'{typed}': there is no month {month}. Dates are written day first, "
            f"for example {DATE_EXAMPLES}."
        )
    try:
        return dt.date(year, month, day)
    except ValueError:
        pass
    if day < 1:
        raise DateTypingError(f"'{typed}': there is no day {day} in a month.") from None
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    raise DateTypingError(
        f"'{typed}' is not a real date: {MONTH_NAMES[month - 1]} {year} has {last} days."
    ) from None


def parse_user_date(text: str) -> dt.date:
    """A date as a person types it in England, never changed to fit.

    Understood (day before month, always): ``29/11/2026`` (also with ``.`` or ``-``),
    ``29 Nov 2026`` or ``29 November 2026`` (optionally after the weekday, which must
    then be right), and ``2026-11-29``.  Anything else, a two-digit year, or a date
    that does not exist (``31 Feb 2026``) raises ``DateTypingError`` with a message
    saying what is wrong and how to write it.
    """
    typed = " ".join(str(text).split())
    if not typed:
        raise DateTypingError(f"Type a date, for example {DATE_EXAMPLES}.")
    shown_text = typed if len(typed) <= 40 else typed[:37] + "..."
    not_understood = DateTypingError(
        f"'{shown_text}' is not a date PLO Tracker understands. Write it like {DATE_EXAMPLES}."
    )
    if not typed.isascii():
        raise not_understood
    # 2026-11-29: year first only in this exact ISO form.
    parts = typed.split("-")
    if len(parts) == 3 and len(parts[0]) == 4 and all(p.isdigit() for p in parts):
        if len(parts[1]) <= 2 and len(parts[2]) <= 2:
            return _build(int(parts[2]), int(parts[1]), int(parts[0]), shown_text)
        raise not_understood
    # 29/11/2026, 29.11.2026, 29-11-2026.
    for separator in "/.-":
        parts = [p.strip() for p in typed.split(separator)]
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            day, month, year = parts
            if len(day) > 2 or len(month) > 2 or len(year) not in (2, 4):
                raise not_understood
            return _build(int(day), int(month), int(year), shown_text)
    # [Sunday] 29 Nov[ember] 2026 (commas allowed: "Sunday, 29 November, 2026").
    words = typed.replace(",", " ").split()
    weekday = None
    if len(words) == 4:
        names = [d.casefold() for d in DAY_NAMES]
        short = [d[:3] for d in names]
        first = words[0].casefold().rstrip(".")
        if first in names:
            weekday = names.index(first)
        elif first in short:
            weekday = short.index(first)
        else:
            raise not_understood
        words = words[1:]
    if len(words) == 3:
        day_word, month_word, year_word = words
        day_word = day_word.casefold().removesuffix("st").removesuffix("nd")
        day_word = day_word.removesuffix("rd").removesuffix("th")
        month = _month_number(month_word)
        if day_word.isdigit() and len(day_word) <= 2 and month and year_word.isdigit():
            if len(year_word) != 4:
                raise DateTypingError(
                    f"'{shown_text}': write the year in full (for example 2026), "
                    f"such as {DATE_EXAMPLES}."
                )
            day = _build(int(day_word), month, int(year_word), shown_text)
            if weekday is not None and day.weekday() != weekday:
                raise DateTypingError(
                    f"'{shown_text}': {short_date(day)} is a {DAY_NAMES[day.weekday()]}, "
                    f"not a {DAY_NAMES[weekday]}. Check which date you mean."
                )
            return day
    raise not_understood
