"""A request's deadlines, computed from its events: ``compute_deadlines``.

The computation works on date ordinals and the calendar's precomputed tables so
that recomputing every open request after a calendar change is cheap (see
bench/deadlines.py). Statutory sources are cited in ``rules.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from operator import attrgetter
from typing import Any

from bot.deadlines.calendar import OutsideCalendarError, WorkingCalendar
from bot.deadlines.events import ClockEvent, EventKind
from bot.deadlines.months import add_months, last_day_of_months_beginning_with
from bot.deadlines.rules import (
    ENVIRONMENTAL_FEE_DAYS,
    FEE_PAYMENT_MONTHS,
    ICO_COMPLAINT_WEEKS,
    RULES,
    SCHOOL_EXPECTED_DAYS,
    SCHOOL_OUTER_DAYS,
    SCHOOL_VERY_OVERDUE_DAYS,
    SIC_APPEAL_MONTHS,
    VERY_OVERDUE_DAYS,
    ExtensionRule,
    FeeRule,
)
from bot.deadlines.sources import regime_calendar_kind
from bot.vocabulary import AuthorityKind, Regime

_date = dt.date.fromordinal
Pause = tuple[int, int]  # inclusive (first, last) ordinals disregarded, FOIA s.10(2)


class ClockState(StrEnum):
    NOT_SENT = "not_sent"
    RUNNING = "running"
    AWAITING_CLARIFICATION = "awaiting_clarification"  # FOIA s.1(3): no duty until then
    AWAITING_FEE = "awaiting_fee"  # FOIA s.9(1): no duty until the fee is paid
    ANSWERED = "answered"


@dataclass(frozen=True)  # no slots: compute_deadlines fills __dict__ directly (see _new)
class RequestDeadlines:
    """Every date a request's clocks give; None where a clock has not started."""

    regime: Regime
    school: bool
    clock: ClockState
    received_on: dt.date | None = None  # London date the request (or clarification) arrived
    day_zero: dt.date | None = None  # = received_on unless the non-statutory option moved it
    response_due: dt.date | None = None  # statutory limit (schools: 60th working day)
    expected_due: dt.date | None = None  # schools: 20th working day; else = response_due
    very_overdue_after: dt.date | None = None  # WhatDoTheyKnow practice: 40 (60) days
    extended_to: dt.date | None = None
    fee_payment_by: dt.date | None = None  # last day to pay, while a fee is outstanding
    disregarded_days: int = 0  # working days disregarded under s.10(2)
    responded_on: dt.date | None = None
    review_request_by: dt.date | None = None
    review_requested_on: dt.date | None = None
    review_due: dt.date | None = None
    review_due_exceptional: dt.date | None = None  # FOIA code: 40 days "exceptionally"
    review_outcome_on: dt.date | None = None
    regulator_complaint_by: dt.date | None = None  # ICO: about six weeks (practice)
    sic_appeal_by: dt.date | None = None  # FOISA s.47(4): six months
    notes: tuple[str, ...] = ()

    @property
    def effective_due(self) -> dt.date | None:
        """The date the response is owed by, counting any extension."""
        return self.extended_to or self.response_due

    @property
    def review_overdue_after(self) -> dt.date | None:
        """After this the requester may go to the regulator without a review outcome."""
        return self.review_due_exceptional or self.review_due


def _count(cal: WorkingCalendar, day0: int, n: int, pauses: list[Pause]) -> int:
    """The n-th working day after day0, disregarding the working days in ``pauses``.

    FOIA s.10(2): working days from the fees notice to the payment, both inclusive,
    are disregarded. A pause only matters if it starts before the count is done.
    """
    cursor, remaining = day0, n
    for first, last in pauses:
        if first > cursor:
            before = cal.between_ordinals(cursor, first - 1)
            if before >= remaining:
                break
            remaining -= before
        cursor = max(cursor, last)
    return cal.add_ordinal(cursor, remaining)


_AT = attrgetter("instant")  # sort by POSIX time: floats compare fast
# Enum member lookups cost ~0.1 us each in Python 3.11; the hot loop uses these aliases.
_SENT, _CLAR_REQ, _CLAR_SENT = (
    EventKind.SENT,
    EventKind.CLARIFICATION_REQUESTED,
    EventKind.CLARIFICATION_SENT,
)
_FEE_NOTICE, _FEE_PAID, _EXTENSION = EventKind.FEE_NOTICE, EventKind.FEE_PAID, EventKind.EXTENSION
_RESPONSE, _REVIEW_REQ, _REVIEW_OUT = (
    EventKind.RESPONSE,
    EventKind.REVIEW_REQUESTED,
    EventKind.REVIEW_OUTCOME,
)
_NOT_SENT, _RUNNING, _ANSWERED = ClockState.NOT_SENT, ClockState.RUNNING, ClockState.ANSWERED
_AWAIT_CLAR, _AWAIT_FEE = ClockState.AWAITING_CLARIFICATION, ClockState.AWAITING_FEE
_FOIA, _FOISA, _EISR, _SCHOOL = Regime.FOIA, Regime.FOISA, Regime.EISR, AuthorityKind.SCHOOL
_THREE_MONTHS = FeeRule.THREE_MONTHS
_SCHOOL_DAYS = (SCHOOL_OUTER_DAYS, SCHOOL_EXPECTED_DAYS, SCHOOL_VERY_OVERDUE_DAYS)
_KIND_OF = {regime: regime_calendar_kind(regime) for regime in Regime}


def compute_deadlines(
    events: Iterable[ClockEvent],
    regime: Regime,
    calendar: WorkingCalendar,
    *,
    authority_kind: AuthorityKind | None = None,
    next_working_day_receipt: bool = False,
) -> RequestDeadlines:
    """All the deadlines of one request, from its events (order does not matter).

    ``next_working_day_receipt`` is the NON-STATUTORY option (off by default) that
    moves receipt on a non-working day to the next working day.
    """
    # Written for speed (see bench/deadlines.py): ordinals throughout, -1 for "none".
    cal = calendar
    if cal.kind is not _KIND_OF[regime]:
        raise ValueError(f"{regime} needs the {_KIND_OF[regime]} calendar")
    rules = RULES[regime]
    school = authority_kind is _SCHOOL and regime is _FOIA
    add = cal.add_ordinal

    received = d0 = fee_notice = responded = review_req = review_out = -1
    pauses: list[Pause] = []
    waiting: ClockState | None = None
    extension: ClockEvent | None = None
    first, last = cal.first_ordinal, cal.last_ordinal
    for event in sorted(events, key=_AT):
        raw = day = event.london_ordinal
        if not first <= raw <= last:
            raise OutsideCalendarError(f"{event.kind} on {_date(raw)} is outside the calendar")
        kind = event.kind
        if next_working_day_receipt and kind in _RECEIPTS:
            day = _day0(cal, raw)
        if kind is _SENT:
            if received < 0:
                received, d0 = raw, day
        elif received < 0:
            continue  # nothing counts before the request reached the authority
        elif kind is _REVIEW_REQ:
            review_req, review_out = day, -1
        elif kind is _REVIEW_OUT:
            review_out = day
        elif responded >= 0:
            continue  # the response clock has stopped
        elif kind is _RESPONSE:
            responded = day
        elif kind is _CLAR_REQ:
            waiting = _AWAIT_CLAR
        elif kind is _CLAR_SENT:
            # FOIA s.1(3), EIR reg 9(4), FOISA s.1(3): a new period from its receipt
            received, d0 = raw, day
            pauses, waiting, extension = [], None, None
        elif kind is _FEE_NOTICE:
            fee_notice, waiting = day, _AWAIT_FEE
        elif kind is _FEE_PAID:
            if waiting is _AWAIT_FEE:
                pauses.append((fee_notice, day))
                waiting = None
        elif kind is _EXTENSION:
            extension = event

    if received < 0:
        return RequestDeadlines(regime, school, _NOT_SENT)

    notes: list[str] = []
    clock = _ANSWERED if responded >= 0 else waiting or _RUNNING
    due = expected = very = extended = fee_by = -1
    disregarded = 0
    if waiting is None:
        outer, expect, late = _SCHOOL_DAYS if school else _DAYS[regime]
        if pauses:
            due = _count(cal, d0, outer, pauses)
            expected = _count(cal, d0, expect, pauses) if school else due
            very = _count(cal, d0, late, pauses)
            disregarded = sum(max(0, cal.between_ordinals(max(a - 1, d0), b)) for a, b in pauses)
        else:
            due = add(d0, outer)
            expected = add(d0, expect) if school else due
            very = add(d0, late)
        if extension is not None:
            extended = _extend(cal, rules.extension, d0, due, pauses, extension, notes)
    elif waiting is _AWAIT_FEE:
        if rules.fee is _THREE_MONTHS:
            fee_by = last_day_of_months_beginning_with(
                _date(fee_notice), FEE_PAYMENT_MONTHS
            ).toordinal()
        else:
            fee_by = add(fee_notice, ENVIRONMENTAL_FEE_DAYS)

    # The requester's window to ask for a review.
    review_by = -1
    if regime is _FOISA:
        # s.20(5): 40 working days after the end of the s.10 period, or after a late
        # response's receipt.
        if due >= 0:
            review_by = add(responded if responded > due else due, rules.review_request_days)
    elif responded >= 0:
        review_by = add(responded, rules.review_request_days)
    elif regime is not _FOIA and due >= 0:
        # EIR reg 11(2), EISR reg 16(2): a failure to respond can be reviewed too.
        review_by = add(extended if extended >= 0 else due, rules.review_request_days)

    review_due = review_exc = complaint_by = sic_by = -1
    if review_req >= 0:
        review_due = add(review_req, rules.review_reply_days)
        if rules.review_reply_exceptional_days:
            review_exc = add(review_req, rules.review_reply_exceptional_days)
    if review_req >= 0 or review_out >= 0:
        if regime is _FOISA or regime is _EISR:
            # s.47(4)(a) six months after the outcome; (b) or after the s.21(1) period
            start = review_out if review_out >= 0 else review_due
            sic_by = add_months(_date(start), SIC_APPEAL_MONTHS).toordinal()
        elif review_out >= 0:
            complaint_by = review_out + 7 * ICO_COMPLAINT_WEEKS

    date_of = cal.date_of  # ordinal -> date, and -1 -> None
    return _new(
        {
            "regime": regime,
            "school": school,
            "clock": clock,
            "received_on": date_of[received],
            "day_zero": date_of[d0],
            "response_due": date_of[due],
            "expected_due": date_of[expected],
            "very_overdue_after": date_of[very],
            "extended_to": date_of[extended],
            "fee_payment_by": date_of[fee_by],
            "disregarded_days": disregarded,
            "responded_on": date_of[responded],
            "review_request_by": date_of[review_by],
            "review_requested_on": date_of[review_req],
            "review_due": date_of[review_due],
            "review_due_exceptional": date_of[review_exc],
            "review_outcome_on": date_of[review_out],
            "regulator_complaint_by": date_of[complaint_by],
            "sic_appeal_by": date_of[sic_by],
            "notes": tuple(notes),
        }
    )


def _new(values: dict[str, Any]) -> RequestDeadlines:
    """Fill a RequestDeadlines' instance dict in one step.

    The generated ``__init__`` of a 20-field frozen dataclass costs ~3 us (one
    ``object.__setattr__`` per field), a third of the budget in bench/deadlines.py.
    ``values`` must name every field; ``test_fast_constructor_matches_init`` checks it.
    """
    made: RequestDeadlines = object.__new__(RequestDeadlines)
    object.__setattr__(made, "__dict__", values)
    return made


# (response limit, expected, very overdue) in working days, per regime.
_DAYS = {r: (RULES[r].response_days, RULES[r].response_days, VERY_OVERDUE_DAYS) for r in Regime}
# Events that are received by the authority: the non-statutory option applies to them.
_RECEIPTS = frozenset({EventKind.SENT, EventKind.CLARIFICATION_SENT, EventKind.REVIEW_REQUESTED})


def _day0(cal: WorkingCalendar, day: int) -> int:
    """NON-STATUTORY option: a non-working day of receipt becomes the next working day."""
    return cal.add_ordinal(day, 1) if cal.between_ordinals(day - 1, day) == 0 else day


def _extend(
    cal: WorkingCalendar,
    rule: ExtensionRule,
    d0: int,
    due: int,
    pauses: list[Pause],
    extension: ClockEvent,
    notes: list[str],
) -> int:
    """The date an extension notice moves the response to (ordinal), or -1."""
    stated = extension.stated_date.toordinal() if extension.stated_date else -1
    if rule is ExtensionRule.NONE:
        notes.append("FOISA has no extension: the 20-working-day limit stands")
        return -1
    if rule is ExtensionRule.PUBLIC_INTEREST:
        # s.10(3): a "reasonable" time; ICO guidance: normally a further 20 working days.
        norm = cal.add_ordinal(due, 20)
        if stated < 0:
            return norm
        if stated > norm:
            notes.append("the stated date is beyond the ICO norm of a further 20 working days")
        return stated
    # EIR/EISR reg 7(1): at most 40 working days after receipt.
    cap = _count(cal, d0, 40, pauses)
    if stated > cap:
        notes.append("the stated date is beyond the 40 working days reg 7 allows")
    return cap if stated < 0 or stated > cap else stated
