"""Match held messages again, after new requests or references appear.

A reply processed before the Sent message that starts its request (or before the
operator added the request) waits in the holding pen. When requests are added, this
re-parses each held message from its raw bytes and runs matching again; a message
the operator has looked at (dismissed or assigned) is never touched.
"""

from __future__ import annotations

import logging

from sqlalchemy import select

from bot.config import Config
from bot.parse import ParseLimits, parse_email
from bot.rawstore import RawStore
from bot.store import Database
from bot.store.models import Message, RawMessage
from bot.store.progress import apply_to_request, classify_message
from bot.store.threading import Threader
from bot.vocabulary import MessageStatus

log = logging.getLogger(__name__)


def rematch_held(
    db: Database, raws: RawStore, config: Config | None, limits: ParseLimits | None = None
) -> tuple[int, int]:
    """Re-run matching on every held message; (now placed, still held)."""
    with db.session() as session:
        held = list(
            session.execute(
                select(Message.id, RawMessage.sha256)
                .join(RawMessage, Message.raw_id == RawMessage.id)
                .where(Message.status == MessageStatus.HOLDING.value)
                .order_by(Message.date, Message.id)
            )
        )
    placed = 0
    threader: Threader | None = None
    for message_id, sha in held:
        email = parse_email(raws.get(sha), limits or ParseLimits())
        with db.session() as session:
            if threader is None:
                threader = Threader(session, config)
            message = session.get(Message, message_id)
            if message is None or message.status != MessageStatus.HOLDING.value:
                continue
            try:
                decision = threader.thread(session, message, email)
                if decision.verdict == "assigned" and message.request is not None:
                    classify_message(message, email)
                    apply_to_request(session, message.request, message, config)
            except Exception:
                threader = None  # its view may include what this rollback undoes
                raise
            if decision.verdict == "assigned":
                placed += 1
                log.info("held message %s now on request %s", message_id, decision.request_id)
    return placed, len(held) - placed
