"""Dates as UK authorities write them: "9 November 2026", "Monday 9th November",
"09/11/2026", "2026-11-09". Pure.

A date without a year takes the year that puts it on or after the message's own
date (less a week, for letters dated before they were sent).

>>> first_date("we now aim to respond by 9th November 2026.", None)
datetime.date(2026, 11, 9)
>>> first_date("by Friday 4 December", datetime.date(2026, 11, 20))
datetime.date(2026, 12, 4)
"""

from __future__ import annotations

import datetime
import re

_MONTHS = {
    name: number
    for number, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?,?\s+)?"
_PATTERNS = (
    # 9 November 2026, Monday 9th of November, 9 Nov. 2026
    re.compile(rf"\b{_WEEKDAY}{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?\b", re.I),
    # November 9, 2026 / November 9th
    re.compile(rf"\b{_WEEKDAY}{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?\b", re.I),
    # 09/11/2026, 9.11.26 (day first, as in the UK)
    re.compile(r"\b(?P<day>[0-3]?\d)[/.](?P<month>[01]?\d)[/.](?P<year>(?:19|20)?\d\d)\b"),
    # 2026-11-09
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
)
_SLACK = datetime.timedelta(days=7)


def _build(match: re.Match[str], received: datetime.date | None) -> datetime.date | None:
    month_text = match.group("month").lower().rstrip(".")
    month = _MONTHS.get(month_text) or (int(month_text) if month_text.isdigit() else 0)
    day = int(match.group("day"))
    year_text = match.group("year")
    if year_text:
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        years = [year]
    elif received is not None:
        years = [received.year, received.year + 1]
    else:
        return None
    for year in years:
        try:
            when = datetime.date(year, month, day)
        except ValueError:
            return None
        if year_text or received is None or when >= received - _SLACK:
            return when
    return None


def all_dates(text: str, received: datetime.date | None) -> list[tuple[int, datetime.date]]:
    """Every date in ``text`` as (offset, date), in order; impossible dates are skipped."""
    found: list[tuple[int, int, datetime.date]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(s <= match.start() < e for s, e, _ in found):
                continue
            when = _build(match, received)
            if when is not None:
                found.append((match.start(), match.end(), when))
    return [(start, when) for start, _, when in sorted(found)]


def first_date(text: str, received: datetime.date | None, start: int = 0) -> datetime.date | None:
    """The first date at or after offset ``start`` of ``text``, or None."""
    return next((when for at, when in all_dates(text, received) if at >= start), None)
