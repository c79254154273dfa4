"""UK FOI deadlines: working-day calendars, regimes and clocks. Pure: no I/O.

Implements ../shared/design/uk-time-limits.md; see docs/deadlines.md. Typical use::

    cal = calendar_for(Regime.FOIA, overrides)          # cached per (regime, overrides)
    deadlines = compute_deadlines(events, Regime.FOIA, cal, authority_kind=kind)
    if is_overdue(deadlines, today): ...
"""

from bot.deadlines.calendar import (
    CalendarKind,
    Holiday,
    HolidaySource,
    OutsideCalendarError,
    WorkingCalendar,
    add_working_days,
    next_working_day,
    working_days_between,
)
from bot.deadlines.events import ClockEvent, EventKind
from bot.deadlines.months import add_months, last_day_of_months_beginning_with
from bot.deadlines.receipt import LONDON, day_zero, london_date, parse_instant
from bot.deadlines.request import ClockState, RequestDeadlines, compute_deadlines
from bot.deadlines.rules import RULES, RegimeRules, is_school_case
from bot.deadlines.sources import (
    FIRST_YEAR,
    LAST_YEAR,
    HolidayOverride,
    build_calendar,
    calendar_for,
    easter_sunday,
    regime_calendar_kind,
)
from bot.deadlines.status import (
    DeadlineStatus,
    is_overdue,
    is_probably_overdue,
    is_review_overdue,
    is_very_overdue,
    status_on,
    working_days_late,
)
from bot.deadlines.summary import (
    ResponseSummary,
    holiday_json,
    long_date,
    sentence,
    summarise_response,
    summary_json,
)

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "LONDON",
    "RULES",
    "CalendarKind",
    "ClockEvent",
    "ClockState",
    "DeadlineStatus",
    "EventKind",
    "Holiday",
    "HolidayOverride",
    "HolidaySource",
    "OutsideCalendarError",
    "RegimeRules",
    "RequestDeadlines",
    "ResponseSummary",
    "WorkingCalendar",
    "add_months",
    "add_working_days",
    "build_calendar",
    "calendar_for",
    "compute_deadlines",
    "day_zero",
    "easter_sunday",
    "holiday_json",
    "is_overdue",
    "is_probably_overdue",
    "is_review_overdue",
    "is_school_case",
    "is_very_overdue",
    "last_day_of_months_beginning_with",
    "london_date",
    "long_date",
    "next_working_day",
    "parse_instant",
    "regime_calendar_kind",
    "sentence",
    "status_on",
    "summarise_response",
    "summary_json",
    "working_days_between",
    "working_days_late",
]
