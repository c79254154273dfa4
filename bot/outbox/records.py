"""What a sent letter changes in the store: its request, and its Message-ID as a thread key.

``record_sent`` is idempotent and runs in the transaction that marks the draft sent
(and again from ``send_due`` for any sent letter not yet recorded). A sent initial
request (kind ``request``) becomes a Request whose clock starts at the send time,
unless ``foibot sync`` read the copy in Sent first and made the request from it: then
that request is the draft's. Every sent letter's Message-ID becomes a ``mid:`` thread
key of its request, so a reply's In-Reply-To finds the request even before the copy
in Sent is read, and the copy itself is placed on the request, not made a second one
(``bot.store.threading`` places a message whose Message-ID is a sent draft's).
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.compose import one_line, strip_id
from bot.config import Config
from bot.references import is_tracking_token
from bot.store.clocks import refresh_response_due
from bot.store.models import Campaign, Draft, Event, Message, Request, ThreadKey
from bot.store.requests import NewRequest, add_request
from bot.vocabulary import OutgoingKind, Regime, RequestState

_TOKEN = re.compile(r"\b(FOI-[0-9A-F]{6})\b", re.IGNORECASE)


def record_sent(session: Session, draft: Draft, config: Config) -> Request | None:
    """Put the sent ``draft`` on its request (creating it for an initial request)."""
    request = _request_of(session, draft, config)
    if request is not None and draft.message_id:
        add_thread_key(session, request.id, f"mid:{strip_id(draft.message_id)}")
    return request


def needs_recording(draft: Draft) -> bool:
    """A sent initial request that is on no request yet."""
    return draft.kind == OutgoingKind.REQUEST and draft.request_id is None


def add_thread_key(session: Session, request_id: int, key: str) -> None:
    exists = session.scalar(
        select(ThreadKey.id).where(ThreadKey.request_id == request_id, ThreadKey.key == key)
    )
    if exists is None:
        session.add(ThreadKey(request_id=request_id, key=key))
        session.flush()


def _request_of(session: Session, draft: Draft, config: Config) -> Request | None:
    if draft.request_id is not None:
        request = session.get(Request, draft.request_id)
        if request is not None and draft.kind == OutgoingKind.REQUEST:
            _start_clock(request, draft, config)
        return request
    if draft.kind != OutgoingKind.REQUEST:
        return None
    request = _made_by_sync(session, draft) or _new_request(session, draft, config)
    draft.request_id = request.id
    return request


def _made_by_sync(session: Session, draft: Draft) -> Request | None:
    """The request ``foibot sync`` made from this letter's copy in Sent, if it got there first."""
    if not draft.message_id:
        return None
    found = session.scalar(
        select(Message.request_id).where(
            Message.message_id == strip_id(draft.message_id), Message.request_id.is_not(None)
        )
    )
    return session.get(Request, found) if found is not None else None


def _new_request(session: Session, draft: Draft, config: Config) -> Request:
    campaign = session.get(Campaign, draft.campaign_id) if draft.campaign_id else None
    request = add_request(
        session,
        NewRequest(
            authority=str(draft.authority_id) if draft.authority_id else draft.to_addr,
            subject=one_line(draft.subject),
            sent_at=draft.sent_at,
            regime=_regime(draft),
            campaign=campaign.name if campaign else None,
            body=draft.body,
            to_address=draft.to_addr,
        ),
        config,
    )
    for event in request.events:
        if event.kind == "sent":
            event.actor, event.data = "bot", {"from": "outbox", "draft": draft.id}
    token = _token(draft)
    taken = token and session.scalar(select(Request.id).where(Request.tracking_token == token))
    if token and not taken:
        request.tracking_token = token
    session.flush()
    return request


def _start_clock(request: Request, draft: Draft, config: Config) -> None:
    """A request made before its letter was sent (state ``draft``): it is sent now."""
    if request.sent_at is not None or request.state != RequestState.DRAFT or draft.sent_at is None:
        return
    request.sent_at = draft.sent_at
    request.state = RequestState.AWAITING_RESPONSE.value
    request.events.append(
        Event(
            kind="sent", at=draft.sent_at, actor="bot", data={"from": "outbox", "draft": draft.id}
        )
    )
    refresh_response_due(request, config)


def _regime(draft: Draft) -> Regime | None:
    value = (draft.context or {}).get("regime")
    try:
        return Regime(value) if value else None
    except ValueError:
        return None


def _token(draft: Draft) -> str | None:
    """The draft's tracking token: ``context["tracking_token"]``, else ``[FOI-XXXXXX]`` in
    the subject (the format ``bot.references.is_tracking_token`` recognises)."""
    candidates = [str((draft.context or {}).get("tracking_token") or "")]
    candidates += [m.group(1) for m in _TOKEN.finditer(draft.subject)]
    for candidate in candidates:
        if candidate and is_tracking_token(candidate):
            return candidate.upper()
    return None
