"""Calendar-month periods (fees, Scottish appeals), by the corresponding-date rule.

English and Scots law count a period of months to the corresponding date in the
later month, or to that month's last day when it has no such date (Dodds v Walker
[1981] 1 WLR 1441). A period "beginning with" a day includes that day, so it ends
the day before the corresponding date.
"""

from __future__ import annotations

import calendar
import datetime as dt


def _target(day: dt.date, months: int) -> tuple[int, int, int]:
    years, index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, index + 1
    return year, month, calendar.monthrange(year, month)[1]


def add_months(day: dt.date, months: int) -> dt.date:
    """The corresponding date ``months`` later, or the last day of that month.

    FOISA s.47(4): "within six months after" the review outcome.
    """
    year, month, last = _target(day, months)
    return dt.date(year, month, min(day.day, last))


def last_day_of_months_beginning_with(day: dt.date, months: int) -> dt.date:
    """The last day of the period of ``months`` months beginning with ``day``.

    FOIA s.9(2), FOISA s.9(4): the fee must be paid "within the period of three
    months beginning with the day on which the fees notice is given". A notice given
    on 1 March must be paid by 31 May; one given on 31 March by 30 June.
    """
    year, month, last = _target(day, months)
    if day.day <= last:
        return dt.date(year, month, day.day) - dt.timedelta(days=1)
    return dt.date(year, month, last)
