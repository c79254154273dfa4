"""Drafts in the database: the sweep that runs the triggers, disputes, campaign requests.

``sweep`` snapshots each open request (``facts_of``), asks the pure triggers
(``bot.drafting.decide``) which letters it needs, renders them (``bot.letters``) and
inserts each as a pending draft, once: a draft's ``trigger_key`` is checked first,
and the unique constraint on it settles a race with another process (the insert runs
in a savepoint, so losing the race costs nothing). Nothing here commits.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session, selectinload

from bot.config import Config
from bot.deadlines import calendar_for
from bot.drafting import (
    Dispute,
    DraftPlan,
    ExistingDraft,
    MessageFacts,
    Requester,
    RequestFacts,
    decide,
)
from bot.drafting.registry import DORMANT
from bot.errors import BotError, InputError
from bot.letters import render_letter
from bot.store.campaigns import campaign_drafts
from bot.store.clocks import overrides_from_config, request_deadlines
from bot.store.db import begin_writing
from bot.store.models import Draft, Event, Message, Request, utcnow
from bot.store.progress import operator_holds
from bot.vocabulary import (
    AuthorityKind,
    Direction,
    DraftStatus,
    Nation,
    Outcome,
    Regime,
    RequestState,
)

__all__ = [
    "DISPUTED", "add_once", "campaign_drafts", "dispute", "facts_of", "insert_plan", "sweep",
]  # fmt: skip

log = logging.getLogger(__name__)

DISPUTED = "disputed"  # Event.kind of the operator's dispute of a "not held" answer
ATTACHMENT_CHARS = 20_000  # of attachment text the triggers read per message


def _message_facts(message: Message) -> MessageFacts:
    found: dict[str, Any] = message.classification or {}
    attachments = "\n".join(a.text or "" for a in message.attachments)[:ATTACHMENT_CHARS]
    return MessageFacts(
        id=message.id,
        direction=Direction(message.direction),
        date=message.date or message.created_at or utcnow(),
        kind=message.kind,
        outcome=message.outcome,
        exemptions=tuple(message.exemptions or ()),
        confidence=found.get("confidence"),
        operator_override=message.operator_override,
        from_addr=(message.from_addr or "").lower(),
        from_name=message.from_name or "",
        message_id=message.message_id,
        subject=message.subject or "",
        text=message.text or "",
        attachment_text=attachments,
        flags=dict(found.get("flags") or {}),
        dates=dict(found.get("dates") or {}),
        references=tuple(found.get("references") or ()),
    )


def _token_in_use(request: Request, drafts: list[Draft]) -> str | None:
    """The request's tracking token, when mail we sent carried it (foibot sent the request)."""
    token = request.tracking_token
    if not token:
        return None
    subjects = [request.subject, *(d.subject for d in drafts if d.status == DraftStatus.SENT)]
    subjects += [m.subject for m in request.messages if m.direction == Direction.OUTGOING.value]
    return token if any(token.upper() in (s or "").upper() for s in subjects) else None


def _dispute(request: Request) -> Dispute | None:
    disputes = [e for e in request.events if e.kind == DISPUTED and e.message_id is not None]
    if not disputes:
        return None
    latest = max(disputes, key=lambda e: (e.at, e.id or 0))
    assert latest.message_id is not None
    return Dispute(latest.message_id, latest.reason or "", latest.at)


def facts_of(request: Request, config: Config, today: dt.date) -> RequestFacts:
    """A snapshot of ``request`` for the triggers (``today`` is when it is taken)."""
    session = object_session(request)
    drafts: list[Draft] = []
    if session is not None and request.id is not None:
        drafts = list(session.scalars(select(Draft).where(Draft.request_id == request.id)))
    regime = Regime(request.regime)
    authority = request.authority
    messages = sorted(
        (_message_facts(m) for m in request.messages if m.id is not None),
        key=lambda m: (m.date, m.id),
    )
    return RequestFacts(
        id=request.id,
        regime=regime,
        nation=Nation(authority.nation),
        authority_id=authority.id,
        authority_name=authority.name,
        authority_kind=AuthorityKind(authority.kind),
        authority_email=authority.email,
        state=RequestState(request.state),
        subject=request.subject,
        deadlines=request_deadlines(request, config),
        calendar=calendar_for(regime, overrides_from_config(config)),
        requester=Requester(
            config.requester.name, config.requester.email, config.requester.postal_address
        ),
        to_address=request.to_address,
        body=request.body or "",
        sent_at=request.sent_at,
        campaign_id=request.campaign_id,
        references=tuple(r.reference for r in request.references),
        tracking_token=_token_in_use(request, drafts),
        messages=tuple(messages),
        drafts=tuple(
            ExistingDraft(
                d.trigger,
                d.trigger_key,
                DraftStatus(d.status),
                d.created_at,
                d.sent_at,
                d.updated_at,
            )
            for d in drafts
        ),
        operator_holds=operator_holds(request),
        dispute=_dispute(request),
    )


def sweep(
    session: Session, config: Config, today: dt.date, request_ids: list[int] | None = None
) -> list[Draft]:
    """Run every trigger over the open requests (or those in ``request_ids``); the new drafts."""
    if not session.in_transaction():
        begin_writing(session)  # SQLite: no "database is locked" half-way through
    pending = select(Draft.request_id).where(Draft.status == DraftStatus.PENDING.value)
    query = (
        select(Request)
        # dormant requests only to retire their pending drafts
        .where(or_(Request.state.not_in([s.value for s in DORMANT]), Request.id.in_(pending)))
        .options(
            selectinload(Request.authority),
            selectinload(Request.references),
            selectinload(Request.events),
            selectinload(Request.messages).selectinload(Message.attachments),
        )
        .order_by(Request.id)
    )
    if request_ids is not None:
        query = query.where(Request.id.in_(request_ids))
    made: list[Draft] = []
    for request in session.scalars(query):
        try:
            with session.begin_nested():  # one request's failure undoes only its own drafts
                made += _sweep_one(session, request, config, today)
        except BotError as err:
            log.error("request %s: drafting failed: %s", request.id, err)
    return made


def _sweep_one(session: Session, request: Request, config: Config, today: dt.date) -> list[Draft]:
    decisions = decide(facts_of(request, config, today), today)
    for skipped in decisions.skipped:
        log.info("request %s: %s not drafted: %s", request.id, skipped.trigger, skipped.reason)
    _retire(session, request, decisions.retired)
    made = [insert_plan(session, plan, config) for plan in decisions.plans]
    return [draft for draft in made if draft is not None]


def _retire(session: Session, request: Request, retired: tuple[tuple[str, str], ...]) -> None:
    """Reject pending drafts whose moment has gone (never approved ones: the outbox's)."""
    for key, why in retired:
        draft = session.scalars(select(Draft).where(Draft.trigger_key == key)).first()
        if draft is not None and draft.status == DraftStatus.PENDING.value:
            draft.status, draft.reason = DraftStatus.REJECTED.value, f"{why} (foibot)"
            log.info("request %s: draft %s retired: %s", request.id, draft.id, why)


def insert_plan(session: Session, plan: DraftPlan, config: Config) -> Draft | None:
    """Render ``plan`` and insert it as a pending draft; None if its key exists already."""
    exists = select(Draft.id).where(Draft.trigger_key == plan.trigger_key)
    if session.scalars(exists).first() is not None:
        return None
    letter = render_letter(plan.template, plan.context, config.letters.template_dir)
    draft = Draft(
        request_id=plan.request_id,
        authority_id=plan.authority_id,
        campaign_id=plan.campaign_id,
        kind=plan.kind.value,
        trigger=plan.trigger,
        trigger_key=plan.trigger_key,
        to_addr=plan.to_addr,
        subject=letter.subject,
        body=letter.body,
        in_reply_to=plan.in_reply_to,
        references_header=list(plan.references),
        context={**plan.context, "template": plan.template},
        address_note=plan.address_note,
        status=DraftStatus.PENDING.value,
    )
    return draft if add_once(session, draft) else None


def add_once(session: Session, draft: Draft) -> bool:
    """Insert ``draft`` in a savepoint; False when its trigger_key was taken meanwhile
    (another process drafted it a moment ago): only the savepoint is rolled back."""
    try:
        with session.begin_nested():
            session.add(draft)
    except IntegrityError:
        log.info("draft %s exists already (made concurrently)", draft.trigger_key)
        return False
    return True


def dispute(session: Session, request: Request, reason: str) -> Event:
    """The operator says a "not held" answer is wrong; the next sweep drafts a review."""
    if not reason.strip():
        raise InputError("--reason: say why you believe the information is held")
    if request.state != RequestState.NOT_HELD.value:
        raise InputError(
            f'request {request.id} is {request.state}: only a "not held" answer can be '
            "disputed (for a partial answer, edit its internal review draft)"
        )
    answers = [
        m
        for m in request.messages
        if m.direction == Direction.INCOMING.value and m.outcome == Outcome.NOT_HELD.value
    ]
    if not answers:
        raise InputError(f'request {request.id} has no "not held" answer on it to dispute')
    latest = max(answers, key=lambda m: (m.date or m.created_at or utcnow(), m.id or 0))
    event = Event(
        kind=DISPUTED,
        at=utcnow(),
        actor="operator",
        reason=reason.strip(),
        message_id=latest.id,
        data={"outcome": Outcome.NOT_HELD.value},
    )
    request.events.append(event)
    session.flush()
    return event
