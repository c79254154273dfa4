"""The render context of a letter: plain JSON values built from a request's facts. Pure.

Every letter gets the same base (requester, authority, request, regime and its law,
deadlines); each trigger adds its own part (the response it answers, the days late).
Dates are ISO strings: the context is stored with the draft (``Draft.context``) and the
templates print them with the ``long_date`` filter ("Monday 15 December 2025").
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from bot.deadlines import RequestDeadlines, london_date
from bot.drafting.addressing import Addressing, address, base_subject, primary_reference
from bot.drafting.law import (
    COST_EXEMPTIONS,
    LAWS,
    asks_advice,
    describe_exemption,
    is_cost_refusal,
)
from bot.drafting.questions import parse_questions, request_text, unanswered
from bot.drafting.values import DraftPlan, MessageFacts, RequestFacts
from bot.letters import join_and
from bot.vocabulary import IncomingKind, OutgoingKind

QUOTE_CHARS = 1_500  # of an authority's text quoted back in a letter
COPY_CHARS = 6_000  # of each message copied into a complaint
_DEADLINES = (
    "received_on", "response_due", "expected_due", "very_overdue_after", "extended_to",
    "responded_on", "review_request_by", "review_requested_on", "review_due",
    "review_due_exceptional", "review_outcome_on", "regulator_complaint_by", "sic_appeal_by",
)  # fmt: skip
_WHAT: dict[IncomingKind | OutgoingKind, str] = {
    IncomingKind.ACKNOWLEDGEMENT: "acknowledged the request",
    IncomingKind.CLARIFICATION_REQUEST: "asked me to clarify the request",
    IncomingKind.EXTENSION: "said it needed more time",
    IncomingKind.FEE_NOTICE: "asked for a fee",
    IncomingKind.REVIEW_ACKNOWLEDGEMENT: "acknowledged my request for a review",
    OutgoingKind.REQUEST: "I made my request",
    OutgoingKind.CLARIFICATION: "I clarified my request",
    OutgoingKind.CHASER: "I reminded the authority that its response was overdue",
    OutgoingKind.REVIEW_REQUEST: "I asked for a review",
    OutgoingKind.REFINEMENT: "I sent a narrower request",
}
_LABELS: dict[IncomingKind | OutgoingKind, str] = {
    OutgoingKind.REQUEST: "My request",
    IncomingKind.RESPONSE: "The authority's response",
    OutgoingKind.REVIEW_REQUEST: "My request for a review",
    IncomingKind.REVIEW_OUTCOME: "The authority's review outcome",
}
_OUTCOME_WORDS = {
    "successful": "answered the request", "partially_successful": "answered part of the request",
    "refused": "refused the request", "not_held": "said it does not hold the information",
    "upheld": "upheld its decision on review", "partly_upheld": "upheld its decision in part "
    "on review", "overturned": "overturned its decision on review",
}  # fmt: skip


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def deadlines_json(deadlines: RequestDeadlines) -> dict[str, Any]:
    values: dict[str, Any] = {name: iso(getattr(deadlines, name)) for name in _DEADLINES}
    values["effective_due"] = iso(deadlines.effective_due)
    values["disregarded_days"] = deadlines.disregarded_days
    return values


def base_context(facts: RequestFacts, today: dt.date, addressing: Addressing) -> dict[str, Any]:
    questions = parse_questions(facts.body)
    sent_on = london_date(facts.sent_at) if facts.sent_at else None
    received = facts.deadlines.received_on
    return {
        "today": today.isoformat(),
        "regime": facts.regime.value,
        "law": LAWS[facts.regime].as_json(),
        "school": facts.school,
        "requester": {
            "name": facts.requester.name,
            "email": facts.requester.email,
            "postal_address": facts.requester.postal_address,
        },
        "authority": {
            "name": facts.authority_name,
            "kind": facts.authority_kind.value,
            "nation": facts.nation.value,
            "email": facts.authority_email,
        },
        "request": {
            "id": facts.id,
            "title": base_subject(facts.subject),
            "sent_on": iso(sent_on),
            "reference": primary_reference(facts),
            "references": list(facts.references),
            "questions": [{"number": q.number, "text": q.text} for q in questions],
            "text": request_text(facts.body),
            "asks_advice": asks_advice(facts.body),
            "clarified_on": iso(_clarified_on(facts)),
            "tracking_token": facts.tracking_token,
            # a clarification (or a resend) started the clock again after the request
            "clock_restarted": bool(received and sent_on and received != sent_on),
        },
        "deadlines": deadlines_json(facts.deadlines),
        "subject": addressing.reply_subject,
    }


def _clarified_on(facts: RequestFacts) -> dt.date | None:
    """The day our clarification started the current clock, if it did."""
    received = facts.deadlines.received_on
    for message in facts.messages:
        if message.is_kind(OutgoingKind.CLARIFICATION) and message.on == received:
            return received
    return None


def response_context(facts: RequestFacts, message: MessageFacts) -> dict[str, Any]:
    """The authority's answer a letter replies to: when, which exemptions, what advice."""
    questions = parse_questions(facts.body)
    missing = unanswered(questions, message.full_text)
    due = facts.deadlines.effective_due
    late = facts.calendar.working_days_between(due, message.on) if due else 0
    advice_known = "advice_s16" in message.flags
    advice = message.flags.get("advice_s16") if advice_known else None
    if advice:
        advice = advice_paragraph(message, advice)
    return {
        "on": message.on.isoformat(),
        "kind": message.kind,
        "outcome": message.outcome,
        "exemptions": [describe_exemption(facts.regime, e) for e in message.exemptions],
        "exemption_ids": list(message.exemptions),
        "cost": is_cost_refusal(facts.regime, message.exemptions, message.full_text),
        # the grounds with a public interest test or a harm to weigh: all but cost
        "other_exemptions": [
            describe_exemption(facts.regime, e)
            for e in message.exemptions
            if e != COST_EXEMPTIONS[facts.regime]
        ],
        "advice": advice or None,
        # True: advice given; False: a cost refusal without advice; None: not known
        "advice_given": (advice is not None) if advice_known else None,
        "days_late": max(late, 0),
        "unanswered": list(missing) if missing is not None else None,
        "quote": quote_of(message),
    }


def advice_paragraph(message: MessageFacts, quote: str, limit: int = 900) -> str:
    """The whole paragraph classification's advice quote comes from (the quote names the
    offer, the sentences after it often the detail: "limit questions 4 to 6 to ...")."""
    key = " ".join(quote.split())[:80]
    for paragraph in re.split(r"\n\s*\n", message.full_text):
        flat = " ".join(paragraph.split())
        if key and key in flat:
            return flat if len(flat) <= limit else quote
    return quote


def quote_of(message: MessageFacts, limit: int = QUOTE_CHARS) -> str:
    """The message's new text, trimmed to ``limit`` characters at a paragraph or word."""
    text = "\n".join(line.rstrip() for line in message.text.strip().splitlines())
    if len(text) <= limit:
        return text
    cut = text.rfind("\n\n", 0, limit)
    if cut < limit // 2:
        cut = text.rfind(" ", 0, limit)
    return text[: max(cut, 1)].rstrip() + "\n[...]"


def history(facts: RequestFacts) -> list[dict[str, Any]]:
    """The request's story for a complaint: each real step, dated, in order."""
    steps: list[dict[str, Any]] = []
    for message in facts.messages:
        if message.automatic or message.kind is None:
            continue
        what = _what(facts, message)
        if what:
            steps.append({"on": message.on.isoformat(), "what": what})
    if not any(m.is_kind(OutgoingKind.REQUEST) for m in facts.messages) and facts.sent_at:
        steps.insert(0, {"on": london_date(facts.sent_at).isoformat(), "what": "I made my request"})
    return steps


def _what(facts: RequestFacts, message: MessageFacts) -> str | None:
    if message.kind in (IncomingKind.RESPONSE, IncomingKind.REVIEW_OUTCOME) and message.incoming:
        words = _OUTCOME_WORDS.get(message.outcome or "", "replied")
        cited = [describe_exemption(facts.regime, e) for e in message.exemptions]
        return f"the authority {words}" + (f", citing {join_and(cited)}" if cited else "")
    for kind, words in _WHAT.items():
        if message.is_kind(kind):
            return words if isinstance(kind, OutgoingKind) else f"the authority {words}"
    return None


def copies(facts: RequestFacts) -> list[dict[str, Any]]:
    """The correspondence a regulator asks to see: the request, the answers, the review."""
    wanted: tuple[IncomingKind | OutgoingKind, ...] = (
        OutgoingKind.REQUEST, IncomingKind.RESPONSE, OutgoingKind.REVIEW_REQUEST,
        IncomingKind.REVIEW_OUTCOME,
    )  # fmt: skip
    found = [
        {"on": m.on.isoformat(), "label": _LABELS[kind], "text": quote_of(m, COPY_CHARS)}
        for m in facts.messages
        for kind in wanted
        if m.is_kind(kind) and m.text.strip()
    ]
    if not any(m.is_kind(OutgoingKind.REQUEST) for m in facts.messages) and facts.sent_at:
        text = facts.body.strip()[:COPY_CHARS]
        if text:
            on = london_date(facts.sent_at).isoformat()
            found.insert(0, {"on": on, "label": _LABELS[OutgoingKind.REQUEST], "text": text})
    return found


def make_plan(
    facts: RequestFacts,
    today: dt.date,
    *,
    trigger: str,
    key: str,
    kind: OutgoingKind,
    template: str,
    subject: str | None = None,
    extra: dict[str, Any] | None = None,
    to_addr: str | None = None,
    address_note: str | None = None,
    threaded: bool = True,
) -> DraftPlan:
    """A plan for a letter on ``facts``'s request, with the base context and ``extra``."""
    addressing = address(facts)
    context = base_context(facts, today, addressing)
    if subject is not None:
        context["subject"] = subject
    context.update(extra or {})
    context["trigger"] = trigger
    return DraftPlan(
        kind=kind,
        trigger=trigger,
        trigger_key=key,
        template=template,
        to_addr=to_addr or addressing.to_addr,
        subject=context["subject"],
        in_reply_to=addressing.in_reply_to if threaded else None,
        references=addressing.references if threaded else (),
        context=context,
        address_note=address_note if to_addr else addressing.address_note,
        request_id=facts.id,
        authority_id=facts.authority_id,
        campaign_id=facts.campaign_id,
    )
