"""Which days are holidays: the ``holidays`` package, the Acts, and config overrides.

FOIA s.10(6) (borrowed by EIR reg 2(1)) excludes Christmas Day, Good Friday and any
bank holiday under the Banking and Financial Dealings Act 1971 "in any part of the
United Kingdom", so the ``uk`` calendar is the union of the package's ENG, SCT and
NIR subdivisions (WLS is identical to ENG). FOISA s.73 excludes Christmas Day and
bank holidays "in Scotland", so the ``scotland`` calendar is SCT alone. Plain
``country_holidays("GB")`` is never used: it leaves out Easter Monday, the August
holidays and every nation-specific day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import holidays as holidays_package

from bot.deadlines.calendar import CalendarKind, Holiday, HolidaySource, WorkingCalendar
from bot.vocabulary import Nation, Regime

FIRST_YEAR = 2000  # FOIA came into force on 1 January 2005; a margin either side
LAST_YEAR = 2050  # receipt up to 2040 leaves room for 60-day and 6-month clocks

# The package subdivision that holds each nation's bank holidays.
SUBDIVISION = {
    Nation.ENGLAND: "ENG",
    Nation.WALES: "ENG",  # the 1971 Act treats England and Wales as one part
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}
CALENDAR_SUBDIVISIONS = {
    CalendarKind.UK: ("ENG", "SCT", "NIR"),
    CalendarKind.SCOTLAND: ("SCT",),
}

# Days the package (holidays 0.109) lists that were not bank holidays in law.
# St Andrew's Day became a Scottish bank holiday under the St Andrew's Day Bank
# Holiday (Scotland) Act 2007, Royal Assent 15 January 2007; the package starts it
# in 2006.
PACKAGE_ERRATA = frozenset({("SCT", dt.date(2006, 11, 30))})

# The package's names, reworded as gov.uk/bank-holidays words them.
_GOV_UK_NAMES = {
    "May Day": "Early May bank holiday",
    "Spring Bank Holiday": "Spring bank holiday",
    "Late Summer Bank Holiday": "Summer bank holiday",
    "Summer Bank Holiday": "Summer bank holiday",
    "New Year Holiday": "2nd January",
    "Saint Andrew's Day": "St Andrew's Day",
    "Saint Patrick's Day": "St Patrick's Day",
    "Battle of the Boyne": "Battle of the Boyne (Orangemen's Day)",
}


def regime_calendar_kind(regime: Regime) -> CalendarKind:
    return CalendarKind.SCOTLAND if regime.scottish else CalendarKind.UK


@dataclass(frozen=True, slots=True)
class HolidayOverride:
    """A bank holiday proclaimed (``remove=False``) or cancelled (``remove=True``)
    after the ``holidays`` package was released; from config ``[deadlines]``."""

    date: dt.date
    name: str
    nations: tuple[Nation, ...] = tuple(Nation)
    remove: bool = False


def _gov_uk_name(name: str) -> str:
    base, observed, _ = name.partition(" (observed)")
    return _GOV_UK_NAMES.get(base, base) + (" (substitute day)" if observed else "")


def _merge_names(names: Iterable[str]) -> str:
    seen: list[str] = []
    for joined in names:
        for part in joined.split("; "):
            if (pretty := _gov_uk_name(part)) not in seen:
                seen.append(pretty)
    return " / ".join(seen)


def _package_days(subdivision: str) -> dict[dt.date, str]:
    table = holidays_package.country_holidays(
        "GB", subdiv=subdivision, years=range(FIRST_YEAR, LAST_YEAR + 1)
    )
    return {
        day: str(name) for day, name in table.items() if (subdivision, day) not in PACKAGE_ERRATA
    }


@lru_cache(maxsize=4)
def _package_days_cached(subdivision: str) -> tuple[tuple[dt.date, str], ...]:
    return tuple(sorted(_package_days(subdivision).items()))


def easter_sunday(year: int) -> dt.date:
    """Western Easter Sunday (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _statutory_days(kind: CalendarKind) -> dict[dt.date, str]:
    """Christmas Day (both Acts) and Good Friday (FOIA s.10(6) only), by name in law."""
    days = {}
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        days[dt.date(year, 12, 25)] = "Christmas Day"
        if kind is CalendarKind.UK:
            days[easter_sunday(year) - dt.timedelta(days=2)] = "Good Friday"
    return days


def build_calendar(
    kind: CalendarKind, overrides: tuple[HolidayOverride, ...] = ()
) -> WorkingCalendar:
    """Build (uncached) the calendar of ``kind`` with ``overrides`` applied.

    A removal applies to the package days of the nations it names; the days the
    Acts name themselves (Christmas Day; Good Friday for FOIA) cannot be removed.
    An addition counts for the ``uk`` calendar whatever nation it names, and for the
    ``scotland`` calendar only when it names Scotland.
    """
    subdivisions = CALENDAR_SUBDIVISIONS[kind]
    names: dict[dt.date, list[str]] = {}
    regions: dict[dt.date, list[str]] = {}
    removed: dict[dt.date, list[tuple[str, str]]] = {}
    for sub in subdivisions:
        cancelled = {
            o.date for o in overrides if o.remove and sub in {SUBDIVISION[n] for n in o.nations}
        }
        for day, name in _package_days_cached(sub):
            if day in cancelled:
                removed.setdefault(day, []).append((sub, name))
                continue
            names.setdefault(day, []).append(name)
            regions.setdefault(day, []).append(sub)
    found: dict[dt.date, Holiday] = {
        day: Holiday(day, _merge_names(names[day]), HolidaySource.PACKAGE, tuple(regions[day]))
        for day in names
    }
    for day, name in _statutory_days(kind).items():
        if day not in found:
            found[day] = Holiday(day, name, HolidaySource.STATUTE)
    for o in overrides:
        applies = kind is CalendarKind.UK or Nation.SCOTLAND in o.nations
        if not o.remove and applies and FIRST_YEAR <= o.date.year <= LAST_YEAR:
            regions_named = tuple(dict.fromkeys(SUBDIVISION[n] for n in o.nations))
            found[o.date] = Holiday(o.date, o.name, HolidaySource.OVERRIDE, regions_named)
    return WorkingCalendar(
        kind=kind,
        holidays=tuple(sorted(found.values(), key=lambda h: h.date)),
        first=dt.date(FIRST_YEAR, 1, 1),
        last=dt.date(LAST_YEAR, 12, 31),
        removed=tuple(
            Holiday(
                day,
                _merge_names(name for _, name in subs),
                HolidaySource.OVERRIDE,
                tuple(sub for sub, _ in subs),
            )
            for day, subs in sorted(removed.items())
            if day not in found
        ),
    )


@lru_cache(maxsize=32)
def _cached(kind: CalendarKind, overrides: tuple[HolidayOverride, ...]) -> WorkingCalendar:
    return build_calendar(kind, overrides)


def calendar_for(
    regime: Regime | CalendarKind, overrides: Iterable[HolidayOverride] = ()
) -> WorkingCalendar:
    """The (cached) working-day calendar for a regime, with config overrides.

    Recompute deadlines with the new calendar whenever the overrides change: the
    cache key includes them, so a changed list gives a fresh calendar.
    """
    kind = regime if isinstance(regime, CalendarKind) else regime_calendar_kind(regime)
    return _cached(kind, tuple(overrides))
