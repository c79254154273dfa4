"""The answer to "when is a request received at this instant due?", explained.

Used by ``foibot deadline``: one pure function builds a ``ResponseSummary``; two more
render it as JSON-ready data and as a sentence with weekday names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bot.deadlines.calendar import Holiday, WorkingCalendar
from bot.deadlines.events import ClockEvent, EventKind
from bot.deadlines.receipt import london_date
from bot.deadlines.request import RequestDeadlines, compute_deadlines
from bot.deadlines.rules import RULES, SCHOOL_EXPECTED_DAYS, SCHOOL_SOURCE
from bot.vocabulary import AuthorityKind, Nation, Regime


@dataclass(frozen=True, slots=True)
class ResponseSummary:
    regime: Regime
    received_at: dt.datetime
    received_local_date: dt.date
    day_zero: dt.date
    day_one: dt.date
    working_days: int  # N for ``due``: 20, or 60 for schools
    due: dt.date
    expected_due: dt.date
    very_overdue_after: dt.date
    skipped: tuple[Holiday, ...]  # weekday holidays in (day 0, due]
    calendar: WorkingCalendar
    deadlines: RequestDeadlines
    authority_kind: AuthorityKind | None
    nation: Nation | None
    next_working_day_receipt: bool
    notes: tuple[str, ...]


def summarise_response(
    received_at: dt.datetime,
    regime: Regime,
    calendar: WorkingCalendar,
    *,
    authority_kind: AuthorityKind | None = None,
    nation: Nation | None = None,
    next_working_day_receipt: bool = False,
) -> ResponseSummary:
    """When a request received at ``received_at`` (aware) must be answered, and why."""
    deadlines = compute_deadlines(
        [ClockEvent(EventKind.SENT, received_at)],
        regime,
        calendar,
        authority_kind=authority_kind,
        next_working_day_receipt=next_working_day_receipt,
    )
    assert deadlines.day_zero and deadlines.response_due and deadlines.expected_due
    assert deadlines.very_overdue_after is not None
    local = london_date(received_at)
    rules = RULES[regime]
    notes: list[str] = [f"{rules.response_source}: the N-th working day after the date of receipt"]
    if not calendar.is_working_day(local):
        if next_working_day_receipt:
            notes.append(
                "NON-STATUTORY option on: receipt on a non-working day is treated as "
                "receipt on the next working day"
            )
        else:
            notes.append("received on a non-working day: that date is still day 0 in law")
    if deadlines.school:
        notes.append(
            f"school ({SCHOOL_SOURCE}): due by the earlier of the 20th school day and the "
            f"60th working day; foibot cannot know term dates, so 'due' is the 60th "
            f"working day and 'expected_due' the {SCHOOL_EXPECTED_DAYS}th"
        )
    elif authority_kind is AuthorityKind.SCHOOL:
        notes.append(f"the school rule ({SCHOOL_SOURCE}) changes FOIA only, not {regime}")
    if nation is Nation.SCOTLAND and not regime.scottish:
        notes.append(
            "Scottish public authorities answer under FOISA/EISR; FOIA/EIR apply to "
            "UK-wide authorities in Scotland"
        )
    elif nation is not None and nation is not Nation.SCOTLAND and regime.scottish:
        notes.append("FOISA/EISR apply to Scottish public authorities only")
    return ResponseSummary(
        regime=regime,
        received_at=received_at,
        received_local_date=local,
        day_zero=deadlines.day_zero,
        day_one=calendar.next_working_day(deadlines.day_zero),
        working_days=60 if deadlines.school else rules.response_days,
        due=deadlines.response_due,
        expected_due=deadlines.expected_due,
        very_overdue_after=deadlines.very_overdue_after,
        skipped=calendar.holidays_between(deadlines.day_zero, deadlines.response_due),
        calendar=calendar,
        deadlines=deadlines,
        authority_kind=authority_kind,
        nation=nation,
        next_working_day_receipt=next_working_day_receipt,
        notes=tuple(notes),
    )


def long_date(day: dt.date) -> str:
    """'Tuesday 2 May 2023' (English names whatever the locale)."""
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)  # fmt: skip


def _clause(due: dt.date, n: int, day0: dt.date, skipped: tuple[Holiday, ...]) -> str:
    names = [h.name for h in skipped if h.date <= due]
    tail = f"; skipped: {', '.join(names)}" if names else ""
    return f"{n} working days after {long_date(day0)}{tail}"


def sentence(summary: ResponseSummary) -> str:
    """'Due Tuesday 2 May 2023 (20 working days after Thursday 30 March 2023; skipped:
    Good Friday, Easter Monday, Early May bank holiday)', then more lines for schools
    and the overdue thresholds."""
    s = summary
    lines = [f"Due {long_date(s.due)} ({_clause(s.due, s.working_days, s.day_zero, s.skipped)})"]
    if s.deadlines.school:
        clause = _clause(s.expected_due, SCHOOL_EXPECTED_DAYS, s.day_zero, s.skipped)
        lines.append(f"Expected by {long_date(s.expected_due)} ({clause}; term dates unknown)")
    lines.append(
        f"Overdue from {long_date(s.due + dt.timedelta(days=1))}; "
        f"very overdue after {long_date(s.very_overdue_after)}"
    )
    if s.day_zero != s.received_local_date:
        lines.append(
            f"Received {long_date(s.received_local_date)}; day 0 moved to "
            f"{long_date(s.day_zero)} by the non-statutory next-working-day option"
        )
    return "\n".join(lines)


def holiday_json(holiday: Holiday) -> dict[str, Any]:
    return {
        "date": holiday.date.isoformat(),
        "weekday": _DAYS[holiday.date.weekday()],
        "name": holiday.name,
        "source": str(holiday.source),
        "regions": list(holiday.regions),
    }


def summary_json(summary: ResponseSummary) -> dict[str, Any]:
    s = summary
    return {
        "regime": str(s.regime),
        "received": s.received_at.isoformat(),
        "received_local_date": s.received_local_date.isoformat(),
        "received_on_working_day": s.calendar.is_working_day(s.received_local_date),
        "day_zero": s.day_zero.isoformat(),
        "day_one": s.day_one.isoformat(),
        "working_days": s.working_days,
        "due": s.due.isoformat(),
        "expected_due": s.expected_due.isoformat(),
        "overdue_from": (s.due + dt.timedelta(days=1)).isoformat(),
        "very_overdue_after": s.very_overdue_after.isoformat(),
        "skipped": [holiday_json(h) for h in s.skipped],
        "calendar": str(s.calendar.kind),
        "authority_kind": str(s.authority_kind) if s.authority_kind else None,
        "nation": str(s.nation) if s.nation else None,
        "school": s.deadlines.school,
        "next_working_day_receipt": s.next_working_day_receipt,
        "source": RULES[s.regime].response_source,
        "notes": list(s.notes),
    }
