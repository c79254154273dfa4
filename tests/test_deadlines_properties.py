"""Property tests: the counting rules hold for every receipt date, not just the table.

The checks count day by day against the calendar's holiday list, independently of
the precomputed tables the engine uses.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.deadlines import (
    ClockEvent,
    EventKind,
    WorkingCalendar,
    calendar_for,
    compute_deadlines,
    easter_sunday,
)
from bot.deadlines.receipt import LONDON
from bot.vocabulary import AuthorityKind, Regime

RECEIPT = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31))
REGIME = st.sampled_from(list(Regime))
KIND = st.sampled_from([None, *AuthorityKind])
N = st.sampled_from([1, 20, 40, 60])
SETTINGS = settings(max_examples=300, deadline=None)


def slow_is_working(day: dt.date, calendar: WorkingCalendar) -> bool:
    closed = {h.date for h in calendar.holidays}
    return day.weekday() < 5 and day not in closed


def slow_count(a: dt.date, b: dt.date, calendar: WorkingCalendar) -> int:
    """Working days in (a, b], one day at a time."""
    return sum(
        slow_is_working(a + dt.timedelta(days=i), calendar) for i in range(1, (b - a).days + 1)
    )


def due(regime: Regime, received: dt.date, kind: AuthorityKind | None = None) -> dt.date:
    at = dt.datetime.combine(received, dt.time(12), LONDON)
    result = compute_deadlines(
        [ClockEvent(EventKind.SENT, at)], regime, calendar_for(regime), authority_kind=kind
    )
    assert result.response_due is not None
    return result.response_due


@SETTINGS
@given(received=RECEIPT, regime=REGIME, kind=KIND)
def test_due_date_is_a_working_day(received: dt.date, regime: Regime, kind: AuthorityKind) -> None:
    """The due date is always a working day of the regime's calendar."""
    assert slow_is_working(due(regime, received, kind), calendar_for(regime))


@SETTINGS
@given(received=RECEIPT, regime=REGIME, n=N)
def test_exactly_n_working_days_after_day_zero(received: dt.date, regime: Regime, n: int) -> None:
    """Exactly N working days lie in (day 0, due], and the due date is the last of them."""
    calendar = calendar_for(regime)
    result = calendar.add_working_days(received, n)
    assert slow_count(received, result, calendar) == n
    assert slow_is_working(result, calendar)


@SETTINGS
@given(received=RECEIPT, regime=REGIME)
def test_response_due_is_twenty_working_days(received: dt.date, regime: Regime) -> None:
    """The statutory response limit counts 20 working days after receipt."""
    assert slow_count(received, due(regime, received), calendar_for(regime)) == 20


@SETTINGS
@given(first=RECEIPT, gap=st.integers(min_value=0, max_value=400), regime=REGIME, kind=KIND)
def test_due_dates_never_decrease(
    first: dt.date, gap: int, regime: Regime, kind: AuthorityKind
) -> None:
    """A later receipt never gives an earlier due date."""
    assert due(regime, first, kind) <= due(regime, first + dt.timedelta(days=gap), kind)


@SETTINGS
@given(received=RECEIPT)
def test_union_is_never_earlier_than_scotland(received: dt.date) -> None:
    """The FOIA calendar holds every Scottish holiday, so FOIA is never due before FOISA."""
    assert due(Regime.FOIA, received) >= due(Regime.FOISA, received)


@settings(max_examples=100, deadline=None)
@given(
    year=st.integers(min_value=2000, max_value=2040), back=st.integers(min_value=1, max_value=25)
)
def test_easter_monday_foisa_counts_it_foia_skips_it(year: int, back: int) -> None:
    """FOISA never skips Easter Monday; FOIA always does."""
    easter_monday = easter_sunday(year) + dt.timedelta(days=1)
    received = easter_monday - dt.timedelta(days=back)
    foia, foisa = calendar_for(Regime.FOIA), calendar_for(Regime.FOISA)
    assert not foia.is_working_day(easter_monday)
    assert foisa.is_working_day(easter_monday)
    # And in a count that spans it: FOISA counts it, FOIA does not.
    foisa_due, foia_due = due(Regime.FOISA, received), due(Regime.FOIA, received)
    assert received < easter_monday <= foisa_due <= foia_due
    assert foisa.working_days_between(easter_monday - dt.timedelta(days=1), easter_monday) == 1
    assert foia.working_days_between(easter_monday - dt.timedelta(days=1), easter_monday) == 0


@SETTINGS
@given(
    received=RECEIPT,
    regime=REGIME,
    notice=st.integers(min_value=0, max_value=30),
    length=st.integers(min_value=0, max_value=60),
)
def test_fee_pause_disregards_exactly_the_paused_working_days(
    received: dt.date, regime: Regime, notice: int, length: int
) -> None:
    """s.10(2): the due date is the 20th working day after receipt that is not in
    [fees notice, payment]; paying later never makes the response due earlier."""
    calendar = calendar_for(regime)
    noticed = received + dt.timedelta(days=notice)
    paid = noticed + dt.timedelta(days=length)

    def at(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(12), LONDON)

    result = compute_deadlines(
        [
            ClockEvent(EventKind.SENT, at(received)),
            ClockEvent(EventKind.FEE_NOTICE, at(noticed)),
            ClockEvent(EventKind.FEE_PAID, at(paid)),
        ],
        regime,
        calendar,
    )
    assert result.response_due is not None
    original = due(regime, received)
    if noticed > original:
        assert result.response_due == original  # a late notice cannot move a passed date
        return
    counted = [
        d
        for d in (received + dt.timedelta(days=i) for i in range(1, 200))
        if slow_is_working(d, calendar) and not noticed <= d <= paid
    ]
    assert result.response_due == counted[19]
    assert result.response_due >= original
