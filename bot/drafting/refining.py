"""A refusal on cost: a narrower, new request (the s.16 refinement letter).

FOIA s.12 and FOISA s.12 (the cost limit), EIR reg 12(4)(b) and EISR reg 10(4)(b)
(manifestly unreasonable, when the refusal speaks of cost or time). The authority
owes advice on narrowing the request (FOIA s.16, FOISA s.15, EIR/EISR reg 9). The
letter quotes that advice back when there was some, and proposes the narrower
request: the period the advice names (or "the last 12 months", as in the refined
request of seed 001) added to each question that asks for records. When the request
has no numbered questions foibot can read, the narrower request is left for the
operator to write (a placeholder that blocks approval).

A refined request is a new request: its 20 working days run from its receipt
(``bot.lifecycle``: a refinement restarts the clock).
"""

from __future__ import annotations

import datetime as dt

from bot.drafting.addressing import subject_core
from bot.drafting.context import make_plan, response_context
from bot.drafting.guards import answer, unsure
from bot.drafting.law import is_cost_refusal
from bot.drafting.questions import (
    advice_numbers,
    advice_period,
    narrowed,
    parse_questions,
)
from bot.drafting.values import Decision, RequestFacts
from bot.vocabulary import IncomingKind, OutgoingKind, RequestState

DEFAULT_PERIOD = "12 months"


def cost_refusal(facts: RequestFacts, today: dt.date) -> Decision:
    if facts.state not in (RequestState.REFUSED, RequestState.PARTIALLY_SUCCESSFUL):
        return None
    message = answer(facts, IncomingKind.RESPONSE, ("refused", "partially_successful"))
    if message is None or not is_cost_refusal(facts.regime, message.exemptions, message.full_text):
        return None
    name = "cost_refusal"
    if not message.sure:
        return unsure(name, facts, message)
    response = response_context(facts, message)
    questions = parse_questions(facts.body)
    advice = response["advice"] or ""
    period = advice_period(advice) or DEFAULT_PERIOD
    only = advice_numbers(advice, len(questions)) if advice_period(advice) else frozenset()
    text, changed = narrowed(facts.body, questions, period, only) if questions else ("", ())
    subject = f"Refined request: {subject_core(facts)}"
    return make_plan(
        facts, today, trigger=name, key=f"{name}:{facts.id}:m{message.id}",
        kind=OutgoingKind.REFINEMENT, template="refinement", subject=subject,
        extra={"response": response, "refinement": {
            "period": period,
            "from_advice": advice_period(advice) is not None,
            "narrowed": list(changed),
            "text": text if changed else None,
        }},
    )  # fmt: skip
