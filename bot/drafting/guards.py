"""Questions several triggers ask: which message decides, is it sure, is it too late. Pure."""

from __future__ import annotations

import datetime as dt

from bot.deadlines import RULES
from bot.drafting.values import MessageFacts, RequestFacts, Skipped
from bot.vocabulary import IncomingKind, OutgoingKind, Regime

# After a chaser, the authority gets this many working days before an internal review
# of the delay is drafted (WhatDoTheyKnow practice is to chase, then ask for a review).
CHASE_GRACE_DAYS = 5


def answer(
    facts: RequestFacts, kind: IncomingKind, outcomes: tuple[str, ...]
) -> MessageFacts | None:
    """The authority's latest message of ``kind``, if its outcome is one of ``outcomes``.

    A later message of that kind with another outcome means the request moved on.
    """
    latest = facts.latest(kind)
    return latest if latest is not None and latest.outcome in outcomes else None


def unsure(trigger: str, facts: RequestFacts, message: MessageFacts) -> Skipped:
    what = f"{message.kind}" + (f" / {message.outcome}" if message.outcome else "")
    confidence = "unknown" if message.confidence is None else f"{message.confidence:.2f}"
    return Skipped(
        trigger,
        facts.id,
        f"not sure the message of {message.on.isoformat()} is {what} (confidence "
        f"{confidence}); confirm it with `foibot messages reclassify` and sweep again",
    )


def unsure_since(facts: RequestFacts, day: dt.date | None) -> MessageFacts | None:
    """An unsure message from the authority since ``day``: it may be the answer."""
    for message in facts.incoming():
        if not message.automatic and not message.sure and (day is None or message.on >= day):
            return message
    return None


def review_request_by(facts: RequestFacts, message: MessageFacts | None) -> dt.date | None:
    """The last day to ask for a review of ``message`` (None: of no response).

    FOIA s.45 Code, EIR reg 11(2), EISR reg 16(2): 40 working days after the response.
    FOISA s.20(5): 40 working days after the end of the s.10 period, or after a late
    response's receipt. For a failure to respond, the engine's date (EIR, FOISA, EISR;
    FOIA has none).
    """
    deadlines = facts.deadlines
    days = RULES[facts.regime].review_request_days
    if message is None:
        return deadlines.review_request_by
    start = message.on
    if facts.regime is Regime.FOISA and deadlines.response_due:
        start = max(message.on, deadlines.response_due)
    return facts.calendar.add_working_days(start, days)


def too_late(
    trigger: str, facts: RequestFacts, last_day: dt.date | None, today: dt.date, what: str
) -> Skipped | None:
    if last_day is None or today <= last_day:
        return None
    return Skipped(
        trigger,
        facts.id,
        f"the time to {what} ended on {last_day.isoformat()}; nothing drafted "
        "(write to the authority yourself if there is a good reason for the delay)",
    )


def chased_on(facts: RequestFacts, since: dt.date | None) -> dt.date | None:
    """The date of our latest chaser since ``since`` (the clock's start)."""
    days = [
        m.on
        for m in facts.messages
        if m.is_kind(OutgoingKind.CHASER) and (since is None or m.on >= since)
    ]
    return max(days, default=None)
