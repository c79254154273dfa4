"""Instants and London dates (pure).

FOI law counts in UK calendar days, so every instant is turned into a
Europe/London date before any counting. A timestamp given without an offset is
read as London local time.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from bot.errors import InputError

LONDON = ZoneInfo("Europe/London")


def parse_instant(text: str, option: str = "time") -> dt.datetime:
    """ISO-8601 date or date-time → aware datetime; no offset means Europe/London."""
    raw = text.strip()
    try:
        value = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(
            f"{option}: cannot read {text!r} as ISO-8601; "
            "use e.g. 2024-06-11T09:30, 2024-06-11T23:30+00:00 or 2024-06-11"
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=LONDON)
    return value


def london_date(instant: dt.datetime) -> dt.date:
    if instant.tzinfo is None:
        raise ValueError("naive datetime: attach a time zone first")
    return instant.astimezone(LONDON).date()


def today_london() -> dt.date:
    return dt.datetime.now(LONDON).date()
