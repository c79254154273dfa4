"""The outbox's changes to a draft, one function per transition, and the log line for each.

Nothing here commits: the caller's transaction does (``bot.outbox.run``). A draft
is only ever claimed for sending from ``approved`` (``claim`` is a conditional UPDATE),
so nothing pending, rejected or already sent can be sent.
"""

from __future__ import annotations

import datetime as dt
import logging
import random

from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.config import Smtp
from bot.store.models import Draft
from bot.vocabulary import DraftStatus

log = logging.getLogger("bot.outbox")

SMTP, DOT = "smtp", "dot"  # Draft.phase while status is "sending"
MAX_DELAY_SECONDS = 86_400.0  # backoff never waits longer than a day

FOUND_IN_SENT = "recovered after a crash: the letter is in the Sent folder, so it was sent"
DOT_WRITTEN = (
    "recovered after a crash while the final dot was being written: taken as sent "
    "(the server has the letter or was about to; a refusal would come back as a bounce)"
)
NO_REPLY = (
    "the server did not answer after the final dot: taken as sent "
    "(a refusal would come back as a bounce)"
)
NOT_RECORDED = "sent; not yet recorded on a request (retried)"
BEFORE_DOT = (
    "recovered after a crash before the final dot: the server discarded that "
    "transaction, so the letter is sent again"
)


def retry_delay(attempts: int, retry_seconds: float) -> dt.timedelta:
    """``retry_seconds`` doubled per attempt after the first, capped at a day, plus up to
    25 % jitter (never less than the nominal delay)."""
    nominal = min(MAX_DELAY_SECONDS, retry_seconds * 2 ** max(0, attempts - 1))
    return dt.timedelta(seconds=nominal * random.uniform(1.0, 1.25))


def claim(session: Session, draft_id: int, now: dt.datetime, message_id: str) -> bool:
    """Step 1: approved → sending (phase ``smtp``), one more attempt; False when the
    draft is no longer the approved letter that was read (edited and approved again: a
    new Message-ID; rejected; or taken meanwhile), so stale bytes are never sent."""
    result = session.execute(
        update(Draft)
        .where(
            Draft.id == draft_id,
            Draft.status == DraftStatus.APPROVED.value,
            Draft.message_id == message_id,
        )
        .values(
            status=DraftStatus.SENDING.value,
            phase=SMTP,
            attempts=Draft.attempts + 1,
            sent_at=now,  # the Date of this attempt; kept only if it is sent
            next_attempt_at=None,
            error=None,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def retry_later(draft: Draft, smtp: Smtp, now: dt.datetime, why: str) -> str:
    """Back to approved with a backoff, or failed after ``max_attempts``; the outcome."""
    draft.phase, draft.sent_at = None, None
    if draft.attempts >= smtp.max_attempts:
        draft.status = DraftStatus.FAILED.value
        draft.next_attempt_at = None
        draft.error = f"gave up after {draft.attempts} attempts; the last: {why}"
        return "failed"
    draft.status = DraftStatus.APPROVED.value
    draft.next_attempt_at = now + retry_delay(draft.attempts, smtp.retry_seconds)
    draft.error = why
    return "retry"


def fail(draft: Draft, why: str) -> None:
    """Refused for good (a 5xx, or fields that cannot be sent): never retried."""
    draft.status = DraftStatus.FAILED.value
    draft.phase = draft.sent_at = draft.next_attempt_at = None
    draft.error = why


def mark_sent(draft: Draft, note: str | None = None) -> None:
    """The server has the letter (or, after the dot, is taken to have it)."""
    draft.status = DraftStatus.SENT.value
    draft.phase = draft.next_attempt_at = None
    draft.error = note


def back_to_approved(draft: Draft, why: str) -> None:
    """A crash before the final dot: the letter was not sent; due again at once."""
    draft.status = DraftStatus.APPROVED.value
    draft.phase = draft.sent_at = draft.next_attempt_at = None
    draft.error = why


def log_event(event: str, draft: Draft | int, **details: object) -> None:
    """One ``key=value`` line per event; never the body, never a secret."""
    if isinstance(draft, Draft):
        fields: dict[str, object] = {"draft": draft.id, "request": draft.request_id or "-"}
        fields |= {"attempts": draft.attempts}
    else:
        fields = {"draft": draft}
    fields |= details
    text = " ".join(f"{k}={_value(v)}" for k, v in fields.items() if v is not None)
    level = (
        logging.WARNING if event in ("retry", "failed", "problem", "copy_failed") else logging.INFO
    )
    log.log(level, "outbox event=%s %s", event, text)


def _value(value: object) -> str:
    text = str(value)
    if not text or any(c.isspace() or c in '"=' for c in text):
        return '"' + " ".join(text.replace('"', "'").split()) + '"'
    return text
