"""The holding pen: messages matching could not place, and the operator's decisions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.config import Config
from bot.errors import InputError, NotFoundError
from bot.store.models import Event, Message, Request
from bot.store.progress import placed_by_operator
from bot.store.requests import get_request
from bot.store.threading import Threader, facts_of_row
from bot.vocabulary import MessageStatus


def held_messages(session: Session) -> list[Message]:
    query = (
        select(Message)
        .where(Message.status == MessageStatus.HOLDING.value)
        .options(selectinload(Message.attachments))
        .order_by(Message.date, Message.id)
    )
    return list(session.scalars(query))


def held_record(message: Message, requests: dict[int, Request]) -> dict[str, Any]:
    """One held message as `holding-pen list --json` prints it."""
    suggestions = []
    for s in message.suggestions or []:
        request = requests.get(int(s["request_id"]))
        suggestions.append(
            {
                "request_id": s["request_id"],
                "authority": request.authority.name if request else None,
                "subject": request.subject if request else None,
                "confidence": s.get("confidence"),
                "rules": s.get("rules", []),
                "reasons": s.get("reasons", []),
            }
        )
    note = next(
        (e["reason"] for e in message.match_evidence or [] if e.get("rule") == "decision"), None
    )
    return {
        "id": message.id,
        "message_id": message.message_id,
        "direction": message.direction,
        "date": message.date.isoformat() if message.date else None,
        "from": message.from_addr,
        "subject": message.subject,
        "why": note,
        "suggestions": suggestions,
        "evidence": [e for e in message.match_evidence or [] if e.get("rule") != "decision"],
    }


def suggested_requests(session: Session, messages: list[Message]) -> dict[int, Request]:
    ids = {int(s["request_id"]) for m in messages for s in m.suggestions or []}
    if not ids:
        return {}
    query = select(Request).where(Request.id.in_(ids)).options(selectinload(Request.authority))
    return {r.id: r for r in session.scalars(query)}


def get_message(session: Session, message_id: int | str) -> Message:
    try:
        key = int(message_id)
    except ValueError:
        raise NotFoundError(f"no message {message_id!r}: message ids are numbers") from None
    message = session.get(Message, key, options=[selectinload(Message.attachments)])
    if message is None:
        raise NotFoundError(f"no message {key}; see `foibot holding-pen list`")
    return message


def assign(
    session: Session, message_id: int | str, request_id: int | str, config: Config | None
) -> Message:
    """The operator puts a message on a request; foibot learns its sender and references."""
    message = get_message(session, message_id)
    request = get_request(session, request_id)
    if message.request_id == request.id:
        raise InputError(f"message {message.id} is already on request {request.id}")
    previous = message.request  # moved from another request: its history is replayed
    threader = Threader(session, config)
    facts = facts_of_row(message)
    threader.attach(session, message, request, facts, learn_sender=True)
    message.matched_by, message.confidence = "operator", 1.0
    request.events.append(
        Event(
            kind="message_assigned",
            at=message.date or request.created_at,
            actor="operator",
            message_id=message.id,
            reason="assigned from the holding pen",
        )
    )
    placed_by_operator(session, request, message, previous, config)  # state, events, due date
    return message


def dismiss(session: Session, message_id: int | str, reason: str | None) -> Message:
    """The operator says a message is not FOI correspondence."""
    message = get_message(session, message_id)
    if message.request_id is not None:
        raise InputError(f"message {message.id} is on request {message.request_id}; it is not held")
    message.status = MessageStatus.DISMISSED.value
    message.match_evidence = [
        *(message.match_evidence or []),
        {
            "rule": "operator",
            "reason": reason or "dismissed: not FOI correspondence",
            "strength": 1.0,
        },
    ]
    return message
