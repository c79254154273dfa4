"""Calendars, holiday sources, overrides, helpers and the today-dependent status."""

from __future__ import annotations

import dataclasses
import datetime as dt

import holidays as holidays_package
import pytest

from bot.deadlines import (
    CalendarKind,
    ClockEvent,
    ClockState,
    EventKind,
    HolidayOverride,
    HolidaySource,
    OutsideCalendarError,
    RequestDeadlines,
    add_months,
    calendar_for,
    compute_deadlines,
    easter_sunday,
    is_overdue,
    is_probably_overdue,
    is_review_overdue,
    is_very_overdue,
    last_day_of_months_beginning_with,
    next_working_day,
    parse_instant,
    sentence,
    status_on,
    summarise_response,
    working_days_between,
    working_days_late,
)
from bot.errors import InputError
from bot.vocabulary import AuthorityKind, Nation, Regime

D = dt.date.fromisoformat
UK = calendar_for(Regime.FOIA)
SCOT = calendar_for(Regime.FOISA)


def at(day: str) -> dt.datetime:
    return parse_instant(day + "T10:00")


# -- the calendars -----------------------------------------------------------------


def test_regimes_share_calendars() -> None:
    """FOIA and EIR use the UK union; FOISA and EISR Scotland only; cached."""
    assert calendar_for(Regime.EIR) is UK
    assert calendar_for(Regime.EISR) is SCOT
    assert UK.kind is CalendarKind.UK
    assert SCOT.kind is CalendarKind.SCOTLAND


def test_uk_calendar_is_the_union_of_eng_sct_nir() -> None:
    """FOIA s.10(6): bank holidays in any part of the UK."""
    years = range(2007, 2028)
    union: set[dt.date] = set()
    for sub in ("ENG", "SCT", "NIR"):
        union |= set(holidays_package.country_holidays("GB", subdiv=sub, years=years))
    ours = {h.date for h in UK.holidays if 2007 <= h.date.year <= 2027}
    assert ours == union


def test_plain_gb_would_miss_easter_monday() -> None:
    """Why the union is built from subdivisions: country_holidays('GB') lacks Easter Monday."""
    plain = holidays_package.country_holidays("GB", years=2023)
    assert D("2023-04-10") not in plain
    assert not UK.is_working_day(D("2023-04-10"))


@pytest.mark.parametrize("year", range(2000, 2051))
def test_christmas_and_good_friday_are_never_working_days(year: int) -> None:
    good_friday = easter_sunday(year) - dt.timedelta(days=2)
    for cal in (UK, SCOT):
        assert not cal.is_working_day(dt.date(year, 12, 25))
        assert not cal.is_working_day(good_friday)


@pytest.mark.parametrize(
    ("day", "uk", "scotland", "why"),
    [
        ("2023-04-10", False, True, "Easter Monday: not a Scottish bank holiday"),
        ("2023-08-28", False, True, "last Monday of August: E&W and NI only"),
        ("2023-08-07", False, False, "first Monday of August: Scotland, so in the union"),
        ("2023-03-17", False, True, "St Patrick's Day: NI only"),
        ("2023-07-12", False, True, "Battle of the Boyne: NI only"),
        ("2023-01-03", False, False, "2 January substitute: Scotland, so in the union"),
        ("2023-11-30", False, False, "St Andrew's Day: Scotland, so in the union"),
        ("2024-12-02", False, False, "St Andrew's Day substitute (30 Nov 2024 a Saturday)"),
        ("2022-09-19", False, False, "state funeral: everywhere"),
        ("2026-06-15", False, False, "World Cup bank holiday: Scotland (proclaimed 2026)"),
        ("2006-11-30", True, True, "St Andrew's Day was first a bank holiday in 2007"),
        ("2023-12-22", True, True, "an ordinary Friday"),
        ("2023-12-23", False, False, "a Saturday"),
    ],
)
def test_day_by_day(day: str, uk: bool, scotland: bool, why: str) -> None:
    assert UK.is_working_day(D(day)) is uk, why
    assert SCOT.is_working_day(D(day)) is scotland, why


def test_holiday_names_and_sources() -> None:
    assert UK.holiday(D("2023-05-01")).name == "Early May bank holiday"  # type: ignore[union-attr]
    jubilee = UK.holiday(D("2022-06-03"))
    assert jubilee is not None and jubilee.source is HolidaySource.PACKAGE
    assert jubilee.regions == ("ENG", "SCT", "NIR")
    easter_monday = UK.holiday(D("2023-04-10"))
    assert easter_monday is not None and easter_monday.regions == ("ENG", "NIR")
    assert [h.date for h in UK.holidays_between(D("2023-03-30"), D("2023-05-02"))] == [
        D("2023-04-07"),
        D("2023-04-10"),
        D("2023-05-01"),
    ]


def test_helpers() -> None:
    assert next_working_day(D("2023-04-06"), UK) == D("2023-04-11")
    assert next_working_day(D("2023-04-06"), SCOT) == D("2023-04-10")
    assert working_days_between(D("2023-03-30"), D("2023-05-02"), UK) == 20
    assert working_days_between(D("2023-05-02"), D("2023-03-30"), UK) == -20
    assert UK.add_working_days(D("2023-04-07"), 0) == D("2023-04-07")
    with pytest.raises(ValueError):
        UK.add_working_days(D("2023-04-07"), -1)


@pytest.mark.parametrize("day", ["1999-12-31", "2051-01-01"])
def test_outside_the_calendar_is_a_clear_error(day: str) -> None:
    with pytest.raises(OutsideCalendarError, match="outside"):
        UK.is_working_day(D(day))
    with pytest.raises(InputError):
        compute_deadlines([ClockEvent(EventKind.SENT, at(day))], Regime.FOIA, UK)


def test_counting_past_the_end_is_a_clear_error() -> None:
    with pytest.raises(OutsideCalendarError, match="past the end"):
        UK.add_working_days(D("2050-12-20"), 20)


# -- overrides -----------------------------------------------------------------------


def test_added_holiday_counts_for_uk_whatever_the_nation() -> None:
    extra = (HolidayOverride(D("2023-04-20"), "Proclaimed", (Nation.NORTHERN_IRELAND,)),)
    uk = calendar_for(Regime.FOIA, extra)
    assert uk is calendar_for(Regime.FOIA, list(extra))  # cached per overrides
    assert uk is not UK
    assert not uk.is_working_day(D("2023-04-20"))
    assert calendar_for(Regime.FOISA, extra).is_working_day(D("2023-04-20"))
    holiday = uk.holiday(D("2023-04-20"))
    assert holiday is not None and holiday.source is HolidaySource.OVERRIDE


def test_removal_is_per_nation() -> None:
    """Removing 2 Jan 2023 in Scotland leaves it closed in E&W (New Year substitute)."""
    gone = (HolidayOverride(D("2023-01-02"), "x", (Nation.SCOTLAND,), remove=True),)
    assert calendar_for(Regime.FOISA, gone).is_working_day(D("2023-01-02"))
    assert not calendar_for(Regime.FOIA, gone).is_working_day(D("2023-01-02"))
    assert [h.date for h in calendar_for(Regime.FOISA, gone).removed] == [D("2023-01-02")]


def test_statutory_days_cannot_be_removed() -> None:
    """FOIA s.10(6) and FOISA s.73 name Christmas Day themselves."""
    gone = (HolidayOverride(D("2023-12-25"), "x", tuple(Nation), remove=True),)
    for regime in (Regime.FOIA, Regime.FOISA):
        assert not calendar_for(regime, gone).is_working_day(D("2023-12-25"))


def test_recompute_after_override_changes_the_due_date() -> None:
    events = [ClockEvent(EventKind.SENT, at("2023-03-30"))]
    before = compute_deadlines(events, Regime.FOIA, UK)
    extra = (HolidayOverride(D("2023-04-20"), "Proclaimed"),)
    after = compute_deadlines(events, Regime.FOIA, calendar_for(Regime.FOIA, extra))
    assert (before.response_due, after.response_due) == (D("2023-05-02"), D("2023-05-03"))


# -- receipt -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "london"),
    [
        ("2024-06-11T23:30Z", "2024-06-12"),
        ("2024-06-11T23:30+00:00", "2024-06-12"),
        ("2024-06-11T23:30", "2024-06-11"),
        ("2024-06-11 23:30", "2024-06-11"),
        ("2024-12-11T23:30Z", "2024-12-11"),
        ("2024-06-11", "2024-06-11"),
        ("2024-06-12T07:00+09:00", "2024-06-11"),
    ],
)
def test_parse_instant(text: str, london: str) -> None:
    event = ClockEvent(EventKind.SENT, parse_instant(text))
    assert event.london_date == D(london)


@pytest.mark.parametrize("text", ["", "yesterday", "2023-02-30", "12/06/2024"])
def test_parse_instant_rejects(text: str) -> None:
    with pytest.raises(InputError, match="ISO-8601"):
        parse_instant(text)


def test_clock_event_needs_an_aware_datetime() -> None:
    with pytest.raises(ValueError, match="aware"):
        ClockEvent(EventKind.SENT, dt.datetime(2024, 1, 1, 10))


# -- months ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "plus", "beginning_with"),
    [
        ("2023-03-01", 3, "2023-06-01", "2023-05-31"),
        ("2023-03-31", 3, "2023-06-30", "2023-06-30"),
        ("2023-11-29", 3, "2024-02-29", "2024-02-28"),
        ("2023-11-30", 3, "2024-02-29", "2024-02-29"),
        ("2024-11-30", 3, "2025-02-28", "2025-02-28"),
        ("2023-10-20", 6, "2024-04-20", "2024-04-19"),
        ("2023-12-15", 3, "2024-03-15", "2024-03-14"),
    ],
)
def test_months(start: str, months: int, plus: str, beginning_with: str) -> None:
    assert add_months(D(start), months) == D(plus)
    assert last_day_of_months_beginning_with(D(start), months) == D(beginning_with)


# -- status on a given day -------------------------------------------------------------


def test_overdue_and_very_overdue() -> None:
    """WhatDoTheyKnow: overdue the day after the due date; very overdue after 40."""
    d = compute_deadlines([ClockEvent(EventKind.SENT, at("2023-03-30"))], Regime.FOIA, UK)
    assert not is_overdue(d, D("2023-05-02"))
    assert is_overdue(d, D("2023-05-03"))
    assert working_days_late(d, D("2023-05-05"), UK) == 3
    assert working_days_late(d, D("2023-05-09"), UK) == 4  # 8 May 2023 skipped
    assert not is_very_overdue(d, D("2023-06-01"))
    assert is_very_overdue(d, D("2023-06-02"))
    status = status_on(d, D("2023-06-02"), UK)
    assert (status.overdue, status.very_overdue, status.review_overdue) == (True, True, False)


def test_answered_or_paused_requests_are_never_overdue() -> None:
    answered = compute_deadlines(
        [
            ClockEvent(EventKind.SENT, at("2023-03-30")),
            ClockEvent(EventKind.RESPONSE, at("2023-05-20")),
        ],
        Regime.FOIA,
        UK,
    )
    assert answered.clock is ClockState.ANSWERED
    assert not is_overdue(answered, D("2023-07-01"))
    paused = compute_deadlines(
        [
            ClockEvent(EventKind.SENT, at("2023-03-30")),
            ClockEvent(EventKind.CLARIFICATION_REQUESTED, at("2023-04-03")),
        ],
        Regime.FOIA,
        UK,
    )
    assert not is_overdue(paused, D("2023-07-01"))
    assert working_days_late(paused, D("2023-07-01"), UK) == 0


@pytest.mark.parametrize(
    ("today", "probably", "overdue"),
    [
        ("2023-05-02", False, False),  # the 20th working day after 30 March 2023
        ("2023-05-03", True, False),  # past it: the 20th school day has probably passed
        ("2023-06-29", True, False),  # the 60th working day, the legal outer limit
        ("2023-06-30", False, True),  # past it: overdue, no "probably" about it
    ],
)
def test_a_school_is_probably_overdue_between_its_20th_and_60th_working_day(
    today: str, probably: bool, overdue: bool
) -> None:
    """SI 2004/3364: the earlier of 20 school days and 60 working days; term dates unknown."""
    sent = [ClockEvent(EventKind.SENT, at("2023-03-30"))]
    school = compute_deadlines(sent, Regime.FOIA, UK, authority_kind=AuthorityKind.SCHOOL)
    assert (is_probably_overdue(school, D(today)), is_overdue(school, D(today))) == (
        probably,
        overdue,
    )
    council = compute_deadlines(sent, Regime.FOIA, UK, authority_kind=AuthorityKind.COUNCIL)
    assert not is_probably_overdue(council, D(today))


def test_extension_moves_the_overdue_date() -> None:
    d = compute_deadlines(
        [
            ClockEvent(EventKind.SENT, at("2023-09-01")),
            ClockEvent(EventKind.EXTENSION, at("2023-09-25"), D("2023-10-13")),
        ],
        Regime.FOIA,
        UK,
    )
    assert d.effective_due == D("2023-10-13")
    assert not is_overdue(d, D("2023-10-13"))
    assert is_overdue(d, D("2023-10-16"))


def test_review_overdue() -> None:
    d = compute_deadlines(
        [
            ClockEvent(EventKind.SENT, at("2023-09-01")),
            ClockEvent(EventKind.RESPONSE, at("2023-09-20")),
            ClockEvent(EventKind.REVIEW_REQUESTED, at("2023-10-02")),
        ],
        Regime.FOIA,
        UK,
    )
    assert d.review_overdue_after == D("2023-11-27")  # 40 working days, exceptional
    assert not is_review_overdue(d, D("2023-10-30"))
    assert is_review_overdue(d, D("2023-10-31"))


def test_fast_constructor_matches_init() -> None:
    """compute_deadlines fills every field, exactly as the dataclass __init__ would."""
    d = compute_deadlines([ClockEvent(EventKind.SENT, at("2023-03-30"))], Regime.FOIA, UK)
    names = {f.name for f in dataclasses.fields(RequestDeadlines)}
    assert set(vars(d)) == names
    assert RequestDeadlines(**{n: getattr(d, n) for n in names}) == d
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.response_due = None  # type: ignore[misc]


def test_calendar_must_match_the_regime() -> None:
    with pytest.raises(ValueError, match="scotland"):
        compute_deadlines([], Regime.FOISA, UK)


# -- the explained summary ---------------------------------------------------------------


def test_school_sentence_and_notes() -> None:
    s = summarise_response(at("2023-03-30"), Regime.FOIA, UK, authority_kind=AuthorityKind.SCHOOL)
    text = sentence(s)
    assert text.startswith("Due Thursday 29 June 2023 (60 working days after Thursday 30")
    assert "Expected by Tuesday 2 May 2023 (20 working days" in text
    assert any("term dates" in note for note in s.notes)


def test_nation_mismatch_is_noted() -> None:
    s = summarise_response(at("2023-03-30"), Regime.FOIA, UK, nation=Nation.SCOTLAND)
    assert any("FOISA" in note for note in s.notes)
