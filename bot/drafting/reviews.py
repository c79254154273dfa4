"""An answer to challenge: an internal review request (FOISA: a requirement for review).

Fired by a refusal, a partial answer, or a "not held" the operator disputes. The
request for review is drafted only while there is time to make it (40 working days:
FOIA s.45 Code, EIR reg 11(2), FOISA s.20(5), EISR reg 16(2)).

A refusal resting only on cost gets a s.16 refinement letter instead (see
``refining``), unless the authority gave no advice on narrowing the request: then
the missing advice is itself a ground for review and both letters are drafted, for
the operator to choose.
"""

from __future__ import annotations

import datetime as dt

from bot.drafting.addressing import review_subject
from bot.drafting.context import make_plan, response_context
from bot.drafting.guards import answer, review_request_by, too_late, unsure
from bot.drafting.law import COST_EXEMPTIONS, is_cost_refusal
from bot.drafting.values import Decision, MessageFacts, RequestFacts
from bot.vocabulary import IncomingKind, OutgoingKind, RequestState


def _review(
    name: str, facts: RequestFacts, today: dt.date, message: MessageFacts, dispute: str | None
) -> Decision:
    if not message.sure:
        return unsure(name, facts, message)
    late = too_late(name, facts, review_request_by(facts, message), today, "ask for a review")
    if late is not None:
        return late
    response = response_context(facts, message)
    return make_plan(
        facts, today, trigger=name, key=f"{name}:{facts.id}:m{message.id}",
        kind=OutgoingKind.REVIEW_REQUEST, template="internal_review",
        subject=review_subject(facts),
        extra={"response": response, "review": {
            "ground": name, "due": None, "days_late": response["days_late"],
            "chased_on": None, "dispute": dispute,
        }},
    )  # fmt: skip


def _cost_only_with_advice(facts: RequestFacts, message: MessageFacts) -> bool:
    """A refusal on cost alone where advice was given (or we cannot tell): refine instead."""
    if not is_cost_refusal(facts.regime, message.exemptions, message.full_text):
        return False
    if set(message.exemptions) != {COST_EXEMPTIONS[facts.regime]}:
        return False
    no_advice = "advice_s16" in message.flags and message.flags["advice_s16"] is None
    return not no_advice


def refused(facts: RequestFacts, today: dt.date) -> Decision:
    if facts.state is not RequestState.REFUSED:
        return None
    message = answer(facts, IncomingKind.RESPONSE, ("refused",))
    if message is None or _cost_only_with_advice(facts, message):
        return None
    return _review("refused", facts, today, message, None)


def partially_successful(facts: RequestFacts, today: dt.date) -> Decision:
    if facts.state is not RequestState.PARTIALLY_SUCCESSFUL:
        return None
    message = answer(facts, IncomingKind.RESPONSE, ("partially_successful",))
    if message is None or _cost_only_with_advice(facts, message):
        return None
    return _review("partially_successful", facts, today, message, None)


def not_held_disputed(facts: RequestFacts, today: dt.date) -> Decision:
    dispute = facts.dispute
    if facts.state is not RequestState.NOT_HELD or dispute is None:
        return None
    message = answer(facts, IncomingKind.RESPONSE, ("not_held",))
    if message is None or message.id != dispute.message_id:
        return None
    return _review("not_held_disputed", facts, today, message, dispute.reason)
