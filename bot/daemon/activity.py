"""What a sync or a sweep changed, read back from the database for the sweep and the log.

``touched_requests``: the requests a sync created or changed, or put a message on, so
the drafting sweep after a sync looks at those only (the daily sweep looks at all).
``log_messages`` and ``log_drafts`` write one line per new message and draft, with
ids, kind and the matching rule, never a subject or a body.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, union

from bot.logs import log_event
from bot.store import Database
from bot.store.models import Draft, Message, Request

log = logging.getLogger("bot.daemon")
MAX_MESSAGE_LINES = 200  # a bigger sync logs a count instead of a line per message


def touched_requests(db: Database, since: dt.datetime) -> list[int]:
    """Ids of requests created or updated since ``since``, or given a message since then."""
    query: Any = union(
        select(Request.id).where(Request.updated_at >= since),
        select(Message.request_id).where(
            Message.created_at >= since, Message.request_id.is_not(None)
        ),
    )
    with db.session() as session:
        return sorted(int(row[0]) for row in session.execute(query))


def log_messages(db: Database, since: dt.datetime) -> int:
    """One ``event=message`` line per message stored since ``since``; how many there were."""
    with db.session() as session:
        count = int(
            session.scalar(select(func.count(Message.id)).where(Message.created_at >= since)) or 0
        )
        if count == 0 or count > MAX_MESSAGE_LINES:
            return count
        rows = session.scalars(
            select(Message).where(Message.created_at >= since).order_by(Message.id)
        )
        for message in rows:
            log_event(
                log,
                "message",
                id=message.id,
                message_id=message.message_id,
                direction=message.direction,
                request=message.request_id,
                status=message.status,
                kind=message.kind,
                outcome=message.outcome,
                rule=message.matched_by,
            )
    return count


def log_drafts(drafts: Sequence[Draft]) -> None:
    """One ``event=drafted`` line per new draft (its letter is never logged)."""
    for draft in drafts:
        log_event(
            log,
            "drafted",
            draft=draft.id,
            request=draft.request_id,
            kind=draft.kind,
            trigger=draft.trigger,
            to=draft.to_addr,
        )
