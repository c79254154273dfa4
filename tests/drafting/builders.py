"""Small builders of the pure drafting values: a request's facts, its messages.

Deadlines are computed by the real engine from the request's clock events, so a
test states the story (sent, extended, answered) and the dates follow from the law.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from bot.deadlines import ClockEvent, EventKind, calendar_for, compute_deadlines
from bot.drafting import Dispute, ExistingDraft, MessageFacts, Requester, RequestFacts
from bot.vocabulary import (
    AuthorityKind,
    Direction,
    IncomingKind,
    Nation,
    OutgoingKind,
    Regime,
    RequestState,
)

UTC = dt.UTC
SENT = dt.datetime(2025, 9, 1, 9, 0, tzinfo=UTC)  # Monday 1 September 2025, 10:00 in London
BODY = """Dear Northmoor Council,

Please can you supply the following information:

1) Has the council used any predictive analytics to support children's service provision?
2) Is the council intending to use predictive analytics in children's services?
3) Details of any briefing notes or reports about predictive analytics in children's services.
4) Any contracts with suppliers of predictive analytics systems.

By predictive analytics we mean models that score or rank families.

Yours faithfully,

Research Team
"""
NATION = {Regime.FOIA: Nation.ENGLAND, Regime.EIR: Nation.WALES,
          Regime.FOISA: Nation.SCOTLAND, Regime.EISR: Nation.SCOTLAND}  # fmt: skip
AUTHORITY = {Regime.FOIA: "Northmoor Metropolitan Borough Council",
             Regime.EIR: "Caerwen County Council", Regime.FOISA: "Glenmuir Council",
             Regime.EISR: "Glenmuir Council"}  # fmt: skip
FOI_ADDRESS = "foi@council.example"


def at(day: str, hour: int = 10) -> dt.datetime:
    """A weekday morning in UTC (London is UTC or UTC+1: the same date either way)."""
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def message(
    id: int,
    kind: IncomingKind | OutgoingKind,
    when: dt.datetime,
    *,
    outcome: str | None = None,
    exemptions: Sequence[str] = (),
    confidence: float = 0.9,
    flags: dict[str, str | None] | None = None,
    text: str = "",
    from_addr: str = FOI_ADDRESS,
    message_id: str | None = None,
    override: bool = False,
    dates: dict[str, str] | None = None,
) -> MessageFacts:
    incoming = isinstance(kind, IncomingKind)
    return MessageFacts(
        id=id,
        direction=Direction.INCOMING if incoming else Direction.OUTGOING,
        date=when,
        kind=kind.value,
        outcome=outcome,
        exemptions=tuple(exemptions),
        confidence=confidence if incoming else None,
        operator_override=override,
        from_addr=from_addr if incoming else "research@example.ac.uk",
        message_id=message_id or f"m{id}@{'council.example' if incoming else 'example.ac.uk'}",
        subject="Re: Freedom of Information request - predictive analytics",
        text=text,
        flags=flags or {},
        dates=dates or {},
    )


# The clock event each message kind stands for (as bot.lifecycle records it).
_CLOCK = {
    IncomingKind.CLARIFICATION_REQUEST: EventKind.CLARIFICATION_REQUESTED,
    OutgoingKind.CLARIFICATION: EventKind.CLARIFICATION_SENT,
    IncomingKind.FEE_NOTICE: EventKind.FEE_NOTICE,
    IncomingKind.EXTENSION: EventKind.EXTENSION,
    IncomingKind.RESPONSE: EventKind.RESPONSE,
    OutgoingKind.REVIEW_REQUEST: EventKind.REVIEW_REQUESTED,
    IncomingKind.REVIEW_OUTCOME: EventKind.REVIEW_OUTCOME,
}


def facts(
    regime: Regime = Regime.FOIA,
    state: RequestState = RequestState.AWAITING_RESPONSE,
    messages: Sequence[MessageFacts] = (),
    *,
    kind: AuthorityKind = AuthorityKind.COUNCIL,
    sent: dt.datetime = SENT,
    body: str = BODY,
    references: Sequence[str] = ("FOI 10400",),
    **changes: Any,
) -> RequestFacts:
    """A request sent on ``sent`` with ``messages``; its deadlines follow from them."""
    request = message(0, OutgoingKind.REQUEST, sent, message_id="request@example.ac.uk")
    ordered = sorted([request, *messages], key=lambda m: m.date)
    events = [ClockEvent(EventKind.SENT, sent)]
    for item in messages:
        key = IncomingKind(item.kind) if item.incoming else OutgoingKind(item.kind)
        clock = _CLOCK.get(key)
        if item.kind == IncomingKind.REVIEW_ACKNOWLEDGEMENT.value:
            clock = None
        if clock is not None:
            stated = item.dates.get("extended_to")
            day = dt.date.fromisoformat(stated) if stated else None
            events.append(ClockEvent(clock, item.date, day))
    calendar = calendar_for(regime)
    deadlines = compute_deadlines(events, regime, calendar, authority_kind=kind)
    built = RequestFacts(
        id=7,
        regime=regime,
        nation=NATION[regime],
        authority_id=3,
        authority_name=AUTHORITY[regime],
        authority_kind=kind,
        authority_email=FOI_ADDRESS,
        state=state,
        subject="Freedom of Information request - predictive analytics",
        deadlines=deadlines,
        calendar=calendar,
        requester=Requester("Research Team", "research@example.ac.uk"),
        to_address=FOI_ADDRESS,
        body=body,
        sent_at=sent,
        references=tuple(references),
        messages=tuple(ordered),
    )
    return replace(built, **changes) if changes else built


def drafted(
    trigger: str, key: str | None, status: str, created: str = "2025-12-01"
) -> ExistingDraft:
    from bot.vocabulary import DraftStatus

    return ExistingDraft(trigger, key, DraftStatus(status), at(created))


def disputed(
    message_id: int, reason: str = "its 2024 annual report quotes these figures"
) -> Dispute:
    return Dispute(message_id, reason, at("2025-10-20"))
