"""Where a request stands on a given day: overdue, very overdue, days late.

``overdue`` and ``very_overdue`` are derived from the deadlines and ``today``,
never stored (architecture.md). WhatDoTheyKnow practice [P]: a request is overdue
the day after the date it is owed by, and very overdue after 40 working days (60
for schools).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.deadlines.calendar import WorkingCalendar
from bot.deadlines.request import ClockState, RequestDeadlines


def is_overdue(deadlines: RequestDeadlines, today: dt.date) -> bool:
    """Unanswered, the clock running, and today is after the date owed (with extension)."""
    due = deadlines.effective_due
    return deadlines.clock is ClockState.RUNNING and due is not None and today > due


def is_very_overdue(deadlines: RequestDeadlines, today: dt.date) -> bool:
    """Overdue and past the 40th (schools: 60th) working day after receipt."""
    very = deadlines.very_overdue_after
    return is_overdue(deadlines, today) and very is not None and today > very


def is_probably_overdue(deadlines: RequestDeadlines, today: dt.date) -> bool:
    """A school (FOIA) past its 20th working day, not yet its 60th, no extension.

    A school's limit is the earlier of the 20th school day and the 60th working day
    (SI 2004/3364). The 20th school day is never before the 20th working day, and
    foibot cannot know term dates, so between the two it can only say "probably".
    """
    expected = deadlines.expected_due
    return (
        deadlines.school
        and deadlines.extended_to is None
        and deadlines.clock is ClockState.RUNNING
        and expected is not None
        and today > expected
        and not is_overdue(deadlines, today)
    )


def working_days_late(
    deadlines: RequestDeadlines, today: dt.date, calendar: WorkingCalendar
) -> int:
    """Working days after the date owed, up to and including today; 0 if not overdue."""
    due = deadlines.effective_due
    if due is None or not is_overdue(deadlines, today):
        return 0
    return calendar.working_days_between(due, today)


def is_review_overdue(deadlines: RequestDeadlines, today: dt.date) -> bool:
    """A review was asked for, no outcome yet, and its (normal) time limit has passed."""
    due = deadlines.review_due
    return due is not None and deadlines.review_outcome_on is None and today > due


@dataclass(frozen=True, slots=True)
class DeadlineStatus:
    overdue: bool
    very_overdue: bool
    working_days_late: int
    review_overdue: bool


def status_on(
    deadlines: RequestDeadlines, today: dt.date, calendar: WorkingCalendar
) -> DeadlineStatus:
    """All the today-dependent flags at once (for lists, the digest and the web page)."""
    return DeadlineStatus(
        overdue=is_overdue(deadlines, today),
        very_overdue=is_very_overdue(deadlines, today),
        working_days_late=working_days_late(deadlines, today, calendar),
        review_overdue=is_review_overdue(deadlines, today),
    )
