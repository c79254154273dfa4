"""Requests in the database: add, find, list, and the export record."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.config import Config
from bot.deadlines import is_probably_overdue
from bot.errors import InputError, NotFoundError
from bot.references import is_tracking_token, normalize_reference
from bot.store.authorities import find_authority
from bot.store.clocks import overdue_flags, refresh_response_due, request_deadlines
from bot.store.models import Campaign, Event, Request, RequestReference
from bot.vocabulary import Nation, Regime, RequestState


@dataclass(frozen=True)
class NewRequest:
    """What the operator tells foibot about a request sent outside foibot."""

    authority: str  # id, name or email
    subject: str
    sent_at: dt.datetime | None = None
    regime: Regime | None = None
    campaign: str | None = None
    references: tuple[str, ...] = ()
    body: str | None = None
    to_address: str | None = None


def regime_for(nation: str, default: Regime) -> Regime:
    """Scottish public authorities answer under FOISA/EISR, everyone else FOIA/EIR."""
    if nation == Nation.SCOTLAND:
        return Regime.EISR if default.environmental else Regime.FOISA
    return Regime.EIR if default.environmental else Regime.FOIA


def new_tracking_token() -> str:
    """``FOI-XXXXXX`` with at least one hex letter: an all-digit token would look like a
    phone or reference number, and ``is_tracking_token`` does not accept it."""
    while True:
        token = "FOI-" + secrets.token_hex(3).upper()
        if is_tracking_token(token):
            return token


def add_request(session: Session, new: NewRequest, config: Config) -> Request:
    """Record a request; its clock starts at ``sent_at`` (when given)."""
    default_regime = config.deadlines.default_regime
    authority = find_authority(session, new.authority)
    if not new.subject.strip():
        raise InputError("--subject: must not be empty")
    if new.sent_at is not None and new.sent_at.tzinfo is None:
        raise InputError("--sent-at: needs a time zone (the CLI reads bare times as London)")
    regime = new.regime or regime_for(authority.nation, default_regime)
    campaign = campaign_named(session, new.campaign) if new.campaign else None
    request = Request(
        authority=authority,
        campaign=campaign,
        regime=regime.value,
        subject=new.subject.strip(),
        body=new.body,
        to_address=(new.to_address or authority.email).lower(),
        state=(RequestState.AWAITING_RESPONSE if new.sent_at else RequestState.DRAFT).value,
        tracking_token=new_tracking_token(),
        sent_at=new.sent_at,
    )
    session.add(request)
    for ref in new.references:
        add_reference(request, ref)
    if new.sent_at is not None:
        request.events.append(Event(kind="sent", at=new.sent_at, actor="operator"))
    session.flush()
    refresh_response_due(request, config)
    return request


def add_reference(request: Request, reference: str, source_message_id: int | None = None) -> bool:
    """Record an authority reference once per request; True when it was new."""
    normalized = normalize_reference(reference)
    if not normalized or any(r.normalized == normalized for r in request.references):
        return False
    request.references.append(
        RequestReference(
            reference=reference.strip(), normalized=normalized, source_message_id=source_message_id
        )
    )
    return True


def campaign_named(session: Session, name: str) -> Campaign:
    """The campaign called ``name`` (surrounding spaces ignored), created if new."""
    if not name.strip():
        raise InputError("campaign name: must not be empty")
    campaign = session.scalars(select(Campaign).where(Campaign.name == name.strip())).first()
    if campaign is None:
        campaign = Campaign(name=name.strip())
        session.add(campaign)
        session.flush()
    return campaign


def get_request(session: Session, request_id: int | str) -> Request:
    try:
        key = int(request_id)
    except ValueError:
        raise NotFoundError(f"no request {request_id!r}: request ids are numbers") from None
    request = session.get(
        Request,
        key,
        options=[
            selectinload(Request.references),
            selectinload(Request.messages),
            selectinload(Request.events),
            selectinload(Request.authority),
        ],
    )
    if request is None:
        raise NotFoundError(f"no request {key}; see `foibot requests list`")
    return request


def list_requests(
    session: Session, state: str | None = None, campaign: str | None = None
) -> list[Request]:
    query = select(Request).options(
        selectinload(Request.references),
        selectinload(Request.messages),
        selectinload(Request.authority),
        selectinload(Request.campaign),
        selectinload(Request.events),
    )
    if state:
        query = query.where(Request.state == state)
    if campaign:
        query = query.join(Campaign).where(Campaign.name == campaign)
    return list(session.scalars(query.order_by(Request.id)))


def export_record(request: Request, today: dt.date, config: Config | None) -> dict[str, Any]:
    """One request as the stable export contract of architecture.md.

    Deadlines are recomputed from the request's events, so a changed holiday
    override shows at once.
    """
    deadlines = request_deadlines(request, config)
    due = deadlines.effective_due
    overdue, very_overdue = overdue_flags(deadlines, today)
    return {
        "id": request.id,
        "campaign": request.campaign.name if request.campaign else None,
        "authority": request.authority.name,
        "authority_email": request.authority.email,
        "subject": request.subject,
        "regime": request.regime,
        "state": request.state,
        "overdue": overdue,
        "sent_at": request.sent_at.isoformat() if request.sent_at else None,
        "response_due": due.isoformat() if due else None,
        "very_overdue": very_overdue,
        # a school past its 20th working day: its 20th school day has probably passed
        "probably_overdue": is_probably_overdue(deadlines, today),
        "references": [r.reference for r in request.references],
        "messages": [
            {
                "id": m.id,
                "date": m.date.isoformat() if m.date else None,
                "from": m.from_addr,
                "subject": m.subject,
                "message_id": m.message_id,
                "direction": m.direction,
                "kind": m.kind,
                "outcome": m.outcome,
                "exemptions": list(m.exemptions or []),
                "matched_by": m.matched_by,
                "confidence": m.confidence,  # of the match (matched_by)
                "kind_confidence": (m.classification or {}).get("confidence"),
            }
            for m in request.messages
        ],
    }
