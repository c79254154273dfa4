"""No answer: a chaser the day after the due date, an internal review once very overdue.

The chaser is drafted from the day after the date owed until the request becomes very
overdue (40 working days; 60 for schools); from then on the internal review request
replaces it (a chaser still pending then is retired by the sweep), as WhatDoTheyKnow
suggests a review for a long-overdue request. Except after an extension: the authority
promised a date, so that date is chased first and the review follows only once the
chaser was sent (or the operator rejected it). A chaser sent in the last few working
days holds the review back, to give the authority time to answer it.

Schools (FOIA, SI 2004/3364 reg 3): the limit is the earlier of the 20th school day
and the 60th working day after receipt. foibot cannot know term dates, so the
chaser comes the day after the 20th *working* day (the earliest the 20th school day
can be) and says, politely, that the response is due unless the school was closed
in that time; the 60th working day, the legal outer limit, is stated as such. The
internal review of the delay comes after the 60th working day (the engine's
``very_overdue_after`` for schools), as WhatDoTheyKnow does.
"""

from __future__ import annotations

import datetime as dt

from bot.deadlines import ClockState, is_very_overdue, london_date
from bot.drafting.addressing import review_subject
from bot.drafting.context import iso, make_plan
from bot.drafting.guards import (
    CHASE_GRACE_DAYS,
    chased_on,
    review_request_by,
    too_late,
    unsure,
    unsure_since,
)
from bot.drafting.values import Decision, RequestFacts, Skipped
from bot.vocabulary import DraftStatus, IncomingKind, OutgoingKind, RequestState

RUNNING = (RequestState.AWAITING_RESPONSE, RequestState.EXTENDED)


def owed_by(facts: RequestFacts) -> dt.date | None:
    """The day after which a chaser is due: the date owed (with any extension); for a
    school without an extension, the 20th working day."""
    deadlines = facts.deadlines
    if deadlines.extended_to:
        return deadlines.extended_to
    return deadlines.expected_due if facts.school else deadlines.response_due


def _running(facts: RequestFacts) -> bool:
    return facts.state in RUNNING and facts.deadlines.clock is ClockState.RUNNING


def response_overdue(facts: RequestFacts, today: dt.date) -> Decision:
    due = owed_by(facts)
    if not _running(facts) or due is None or today <= due:
        return None
    if is_very_overdue(facts.deadlines, today) and not facts.deadlines.extended_to:
        return None  # past chasing: ``very_overdue`` asks for an internal review instead
    name = "response_overdue"
    doubtful = unsure_since(facts, facts.deadlines.received_on)
    if doubtful is not None:
        return unsure(name, facts, doubtful)
    chased = chased_on(facts, due)
    if chased is not None:
        return Skipped(name, facts.id, f"already chased on {chased.isoformat()}")
    extension = facts.latest(IncomingKind.EXTENSION)
    deadlines = facts.deadlines
    late = facts.calendar.working_days_between(due, today)
    return make_plan(
        facts, today, trigger=name, key=f"{name}:{facts.id}:{due.isoformat()}",
        kind=OutgoingKind.CHASER, template="chaser",
        extra={"overdue": {
            "due": due.isoformat(),
            "days_late": late,
            "extension_on": iso(extension.on if extension and deadlines.extended_to else None),
        }},
    )  # fmt: skip


def very_overdue(facts: RequestFacts, today: dt.date) -> Decision:
    deadlines = facts.deadlines
    if not _running(facts) or not is_very_overdue(deadlines, today):
        return None
    name = "very_overdue"
    doubtful = unsure_since(facts, deadlines.received_on)
    if doubtful is not None:
        return unsure(name, facts, doubtful)
    if deadlines.extended_to:  # only a chaser of the promised date counts
        chased = chased_on(facts, deadlines.extended_to)
        declined = _declined_on(facts, deadlines.extended_to)
        if chased is None and declined is None:
            return Skipped(name, facts.id, "extended, and the promised date not chased yet")
    else:
        chased, declined = chased_on(facts, deadlines.received_on), None
    since = max((d for d in (chased, declined) if d is not None), default=None)
    if since is not None and facts.calendar.working_days_between(since, today) < CHASE_GRACE_DAYS:
        return Skipped(name, facts.id, f"chased (or chaser declined) on {since}: waiting")
    late = too_late(name, facts, review_request_by(facts, None), today, "ask for a review")
    if late is not None:
        return late
    due = deadlines.effective_due
    assert due is not None and deadlines.received_on is not None
    return make_plan(
        facts, today, trigger=name, key=f"{name}:{facts.id}:{deadlines.received_on.isoformat()}",
        kind=OutgoingKind.REVIEW_REQUEST, template="internal_review",
        subject=review_subject(facts),
        extra={"review": {
            "ground": "no_response",
            "due": due.isoformat(),
            "days_late": facts.calendar.working_days_between(due, today),
            "chased_on": iso(chased),
            "dispute": None,
        }, "response": None},
    )  # fmt: skip


def _declined_on(facts: RequestFacts, owed: dt.date) -> dt.date | None:
    """When the operator rejected the chaser of the date ``owed`` (chose not to chase)."""
    key = f"response_overdue:{facts.id}:{owed.isoformat()}"
    days = []
    for draft in facts.drafts_of("response_overdue"):
        when = draft.updated_at or draft.created_at
        if draft.trigger_key == key and draft.status is DraftStatus.REJECTED and when:
            days.append(london_date(when))
    return max(days, default=None)
