"""The drafting triggers, in order, and the rules every one of them obeys. Pure.

A trigger is a tiny named thing (Mailman's rules): a name, one line saying when it
fires, and a check ``(facts, today) -> DraftPlan | Skipped | None``. ``decide`` runs
them all over one request and applies the common rules:

- nothing for a request that is closed, withdrawn, a draft, or never delivered;
- nothing while the operator holds the state they set by hand (only their own
  dispute of a "not held" answer still drafts);
- at most one live (pending, approved, sending) draft per request and trigger;
- never a plan whose ``trigger_key`` exists already, in any status: a rejected
  draft is not made again, but a new occurrence (a second refusal) has a new key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from bot.drafting.chasing import response_overdue, very_overdue
from bot.drafting.clarifying import clarification_requested
from bot.drafting.complaints import review_overdue, review_upheld
from bot.drafting.refining import cost_refusal
from bot.drafting.reviews import not_held_disputed, partially_successful, refused
from bot.drafting.values import LIVE, Decision, DraftPlan, RequestFacts, Skipped
from bot.vocabulary import DraftStatus, RequestState

Check = Callable[[RequestFacts, dt.date], Decision]


@dataclass(frozen=True)
class Trigger:
    name: str
    description: str
    check: Check
    operator_action: bool = False  # fires even while the operator holds the state


T = Trigger
# fmt: off
TRIGGERS: tuple[Trigger, ...] = (
    T("response_overdue", "no response the day after the date owed: a chaser", response_overdue),
    T("very_overdue", "no response 40 working days after receipt (schools 60), chased: "
      "internal review", very_overdue),
    T("clarification_requested", "the authority asked us to clarify: a reply skeleton",
      clarification_requested),
    T("cost_refusal", "refused on cost (s.12, reg 12(4)(b)): a narrower, new request",
      cost_refusal),
    T("refused", "refused: internal review request", refused),
    T("partially_successful", "partly answered: internal review request", partially_successful),
    T("not_held_disputed", "the operator disputes a not-held answer: internal review request",
      not_held_disputed, operator_action=True),
    T("review_overdue", "no review outcome in time: complaint to the regulator", review_overdue),
    T("review_upheld", "review upheld the decision: complaint to the regulator", review_upheld),
)
# fmt: on
BY_NAME = {t.name: t for t in TRIGGERS}
DORMANT = frozenset(
    {RequestState.DRAFT, RequestState.DELIVERY_FAILED, RequestState.WITHDRAWN, RequestState.CLOSED}
)


@dataclass(frozen=True)
class Decisions:
    plans: tuple[DraftPlan, ...]
    skipped: tuple[Skipped, ...]
    # (trigger_key, why) of pending drafts whose moment has gone: the request moved on
    retired: tuple[tuple[str, str], ...] = ()


def decide(facts: RequestFacts, today: dt.date) -> Decisions:
    """Every letter the triggers would draft for one request today, and why others did not."""
    if facts.state in DORMANT:  # withdrawn, closed, undelivered: nothing to send now
        return Decisions((), (), _pending_of(facts, f"the request is now {facts.state}"))
    retired = _retired(facts, today)
    plans: list[DraftPlan] = []
    skipped: list[Skipped] = []
    for trigger in TRIGGERS:
        if facts.operator_holds and not trigger.operator_action:
            continue
        if any(d.status in LIVE for d in facts.drafts_of(trigger.name)):
            continue  # one live draft per request and trigger
        decision = trigger.check(facts, today)
        if isinstance(decision, Skipped):
            skipped.append(decision)
        elif decision is not None and not facts.has_key(decision.trigger_key):
            plans.append(decision)
    if facts.operator_holds:
        skipped.append(
            Skipped("*", facts.id, "the operator set the state by hand: automation only proposes")
        )
    return Decisions(tuple(plans), tuple(skipped), retired)


def _retired(facts: RequestFacts, today: dt.date) -> tuple[tuple[str, str], ...]:
    """Pending drafts their trigger would no longer make: the chaser of a request answered
    since, the clarification the requester sent by hand. (A trigger that is only unsure
    or too late now, a Skipped, keeps its draft: the operator decides.)"""
    gone = []
    for draft in facts.drafts:
        trigger = BY_NAME.get(draft.trigger)
        if draft.status is not DraftStatus.PENDING or trigger is None or not draft.trigger_key:
            continue
        now = trigger.check(facts, today)
        if now is None or (isinstance(now, DraftPlan) and now.trigger_key != draft.trigger_key):
            gone.append((draft.trigger_key, f"no longer needed: the request is now {facts.state}"))
    return tuple(gone)


def _pending_of(facts: RequestFacts, why: str) -> tuple[tuple[str, str], ...]:
    """Every pending draft a trigger made for this request, to be retired for ``why``."""
    return tuple(
        (d.trigger_key, why)
        for d in facts.drafts
        if d.status is DraftStatus.PENDING and d.trigger in BY_NAME and d.trigger_key
    )
