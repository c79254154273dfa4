"""The date of receipt: day 0 of every statutory clock.

FOIA s.10(1), EIR reg 5(2) and FOISA s.10(1) count from "the date of receipt". That
is the calendar date in Europe/London of the moment the request reached the
authority: 23:30 UTC on a summer evening is already the next day in London. There
are no office hours in law; FOISA s.74(2)(b) says so expressly for Scotland.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.deadlines.calendar import WorkingCalendar
from bot.errors import InputError

LONDON = ZoneInfo("Europe/London")


def parse_instant(text: str) -> dt.datetime:
    """Read an ISO-8601 timestamp; one without an offset is London local time.

    A bare date (``2023-03-30``) is midnight London time on that date.
    >>> parse_instant("2024-06-11T23:30+00:00").astimezone(LONDON).date()
    datetime.date(2024, 6, 12)
    """
    cleaned = text.strip()
    try:
        value = dt.datetime.fromisoformat(cleaned)
    except ValueError as err:
        raise InputError(
            f'cannot read "{text}" as an ISO-8601 timestamp '
            f"(expected e.g. 2023-03-30T10:00+01:00 or 2023-03-30)"
        ) from err
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=LONDON)
    return value


def london_date(at: dt.datetime) -> dt.date:
    """The Europe/London calendar date of an aware instant."""
    if at.tzinfo is None:
        raise ValueError("a naive datetime has no instant; attach a timezone first")
    return at.astimezone(LONDON).date()


def day_zero(
    received: dt.date, calendar: WorkingCalendar, *, next_working_day_receipt: bool = False
) -> dt.date:
    """Day 0 of the count: the date of receipt itself, whether or not it is a working day.

    ``next_working_day_receipt`` is a NON-STATUTORY option, off by default: some
    authorities' own policies treat a request received on a non-working day as
    received on the next working day. The Acts do not.
    """
    if next_working_day_receipt and not calendar.is_working_day(received):
        return calendar.next_working_day(received)
    return received
