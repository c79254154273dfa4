"""Working-day calendars and the arithmetic on them.

A ``WorkingCalendar`` is a frozen value: the holidays of one legal calendar
(``uk`` for FOIA/EIR, ``scotland`` for FOISA/EISR) over a fixed span of years, plus
two precomputed tables so that every question is answered by indexing, never by
walking day by day:

- ``_upto[i]``: how many working days lie in ``[first, first + i]``;
- ``_workdays[k]``: the ordinal of the k-th working day of the span (0-based).

"The N-th working day after day 0" is then ``_workdays[_upto[day0] + N - 1]``, and
"working days in (a, b]" is ``_upto[b] - _upto[a]``. Building a calendar costs a few
milliseconds; ``bot.deadlines.sources.calendar_for`` caches them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from bot.errors import InputError

SATURDAY = 5  # date.weekday() of Saturday; Sunday is 6


class CalendarKind(StrEnum):
    """Which statutory definition of "working day" a calendar implements."""

    UK = "uk"  # FOIA s.10(6), EIR reg 2(1): bank holidays in any part of the UK
    SCOTLAND = "scotland"  # FOISA s.73 (EISR reg 2(1)): bank holidays in Scotland


class HolidaySource(StrEnum):
    """Where a non-working day comes from, shown by ``foibot holidays``."""

    PACKAGE = "package"  # the ``holidays`` package (bank holidays by subdivision)
    STATUTE = "statute"  # named in the Act itself (Christmas Day, Good Friday)
    OVERRIDE = "override"  # config ``[deadlines] add_holidays``


@dataclass(frozen=True, slots=True)
class Holiday:
    """One non-working day other than a weekend day (it may still fall on one)."""

    date: dt.date
    name: str
    source: HolidaySource
    regions: tuple[str, ...] = ()  # e.g. ("ENG", "NIR"): the package subdivisions

    @property
    def weekend(self) -> bool:
        return self.date.weekday() >= SATURDAY


class OutsideCalendarError(InputError):
    """A date falls outside the span of years the calendar was built for."""


@dataclass(frozen=True, eq=False)
class WorkingCalendar:
    """The working days of one legal calendar between ``first`` and ``last``.

    Day-level rules follow the Acts: a working day is any day that is not a
    Saturday, a Sunday or one of ``holidays`` (FOIA s.10(6); FOISA s.73).
    """

    kind: CalendarKind
    holidays: tuple[Holiday, ...]  # sorted by date, one entry per date
    first: dt.date
    last: dt.date
    removed: tuple[Holiday, ...] = ()  # package days taken out by config overrides
    _base: int = field(init=False, repr=False)
    _upto: list[int] = field(init=False, repr=False)
    _workdays: list[int] = field(init=False, repr=False)
    _by_date: dict[dt.date, Holiday] = field(init=False, repr=False)
    date_of: dict[int, dt.date | None] = field(
        init=False, repr=False
    )  # ordinal -> date; -1 -> None
    first_ordinal: int = field(init=False, repr=False)
    last_ordinal: int = field(init=False, repr=False)

    def __post_init__(self) -> None:
        base = self.first.toordinal()
        closed = {h.date.toordinal() for h in self.holidays}
        upto: list[int] = []
        workdays: list[int] = []
        count = 0
        for ordinal in range(base, self.last.toordinal() + 1):
            # date.fromordinal(o).weekday() == (o + 6) % 7: avoid building 18,000 dates
            if (ordinal + 6) % 7 < SATURDAY and ordinal not in closed:
                count += 1
                workdays.append(ordinal)
            upto.append(count)
        # frozen: the tables are set once here and never change afterwards
        object.__setattr__(self, "_base", base)
        object.__setattr__(self, "_upto", upto)
        object.__setattr__(self, "_workdays", workdays)
        object.__setattr__(self, "_by_date", {h.date: h for h in self.holidays})
        # Turning ordinals back into dates by lookup is faster than date.fromordinal;
        # -1 is the "no date" of the deadline computation.
        date_of: dict[int, dt.date | None] = {-1: None}
        date_of.update((o, dt.date.fromordinal(o)) for o in range(base, base + len(upto)))
        object.__setattr__(self, "date_of", date_of)
        object.__setattr__(self, "first_ordinal", base)
        object.__setattr__(self, "last_ordinal", base + len(upto) - 1)

    # -- ordinals: the fast path used by the deadline computation -----------------

    def _index(self, ordinal: int) -> int:
        i = ordinal - self._base
        if not 0 <= i < len(self._upto):
            raise OutsideCalendarError(
                f"{dt.date.fromordinal(ordinal).isoformat()} is outside the working-day "
                f"calendar ({self.first.year}-{self.last.year})"
            )
        return i

    def add_ordinal(self, day0: int, n: int) -> int:
        """Ordinal of the n-th working day strictly after ordinal ``day0`` (n >= 0)."""
        i = day0 - self._base
        if n > 0 and i >= 0:
            # The hot path of every deadline: two list lookups, no loop.
            try:
                return self._workdays[self._upto[i] + n - 1]
            except IndexError:
                pass
        elif n == 0:
            return day0
        if n < 0:
            raise ValueError("n must not be negative")
        self._index(day0)  # raises if day 0 itself is out of range
        raise OutsideCalendarError(
            f"{n} working days after {dt.date.fromordinal(day0).isoformat()} "
            f"is past the end of the calendar ({self.last.year})"
        )

    def between_ordinals(self, a: int, b: int) -> int:
        """Working days in ``(a, b]``; negative when ``b < a``."""
        return self._upto[self._index(b)] - self._upto[self._index(a)]

    # -- dates: the convenient API ------------------------------------------------

    def is_working_day(self, day: dt.date) -> bool:
        o = day.toordinal()
        i = self._index(o)
        return self._upto[i] != (self._upto[i - 1] if i else 0)

    def add_working_days(self, day0: dt.date, n: int) -> dt.date:
        """The n-th working day after ``day0`` (day 0 need not be a working day)."""
        return dt.date.fromordinal(self.add_ordinal(day0.toordinal(), n))

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        return self.add_working_days(day, 1)

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """How many working days lie in ``(a, b]``: e.g. "N working days late"."""
        return self.between_ordinals(a.toordinal(), b.toordinal())

    def holiday(self, day: dt.date) -> Holiday | None:
        return self._by_date.get(day)

    def holidays_between(self, a: dt.date, b: dt.date) -> tuple[Holiday, ...]:
        """Holidays on weekdays in ``(a, b]``: the days a count actually skipped."""
        return tuple(h for h in self.holidays if a < h.date <= b and not h.weekend)

    def holidays_in_year(self, year: int) -> tuple[Holiday, ...]:
        return tuple(h for h in self.holidays if h.date.year == year)


def working_days_between(a: dt.date, b: dt.date, calendar: WorkingCalendar) -> int:
    """Working days in ``(a, b]`` of ``calendar`` (negative if ``b < a``)."""
    return calendar.working_days_between(a, b)


def next_working_day(day: dt.date, calendar: WorkingCalendar) -> dt.date:
    """The first working day strictly after ``day``."""
    return calendar.next_working_day(day)


def add_working_days(day0: dt.date, n: int, calendar: WorkingCalendar) -> dt.date:
    """The n-th working day after day 0 (FOIA s.10(1): "the twentieth working day
    following the date of receipt")."""
    return calendar.add_working_days(day0, n)
