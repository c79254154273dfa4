"""Deadlines of stored requests: config and database rows in, the pure engine's answer out.

The engine (``bot.deadlines``) takes plain values; this module gathers them from a
Request's events and the config's holiday overrides, so the CLI, export and later
stages all count the same way.
"""

from __future__ import annotations

import datetime as dt

from bot.config import Config, HolidayChange
from bot.deadlines import (
    ClockEvent,
    EventKind,
    HolidayOverride,
    RequestDeadlines,
    calendar_for,
    compute_deadlines,
    is_overdue,
    is_very_overdue,
)
from bot.store.models import Request
from bot.vocabulary import AuthorityKind, Regime

CLOCK_EVENTS = frozenset(k.value for k in EventKind)


def overrides_from_config(config: Config | None) -> tuple[HolidayOverride, ...]:
    """Config ``[deadlines] add_holidays`` / ``remove_holidays`` as the engine's values."""
    if config is None:
        return ()

    def convert(change: HolidayChange, remove: bool) -> HolidayOverride:
        return HolidayOverride(change.date, change.name, tuple(change.nations), remove)

    section = config.deadlines
    return tuple(convert(c, False) for c in section.add_holidays) + tuple(
        convert(c, True) for c in section.remove_holidays
    )


def request_deadlines(request: Request, config: Config | None) -> RequestDeadlines:
    """Every deadline of ``request``, recomputed from its events.

    An event whose ``data`` says ``restart_clock`` (a bounce, a resend, a refinement:
    see ``bot.lifecycle``) starts the clock afresh: clock events before it no longer count.
    """
    regime = Regime(request.regime)
    restarts = [e.at for e in request.events if (e.data or {}).get("restart_clock")]
    since = max(restarts, default=None)
    events = [
        ClockEvent(EventKind(e.kind), e.at, e.stated_date)
        for e in request.events
        if e.kind in CLOCK_EVENTS and (since is None or e.at >= since)
    ]
    return compute_deadlines(
        events,
        regime,
        calendar_for(regime, overrides_from_config(config)),
        authority_kind=AuthorityKind(request.authority.kind),
        next_working_day_receipt=bool(config and config.deadlines.next_working_day_receipt),
    )


def refresh_response_due(request: Request, config: Config | None) -> RequestDeadlines:
    """Recompute and cache ``response_due`` (the date owed, extensions included)."""
    deadlines = request_deadlines(request, config)
    request.response_due = deadlines.effective_due
    return deadlines


def overdue_flags(deadlines: RequestDeadlines, today: dt.date) -> tuple[bool, bool]:
    """(overdue, very_overdue) on ``today``; derived, never stored."""
    return is_overdue(deadlines, today), is_very_overdue(deadlines, today)
