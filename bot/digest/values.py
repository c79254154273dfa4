"""What the digest is built from: plain snapshots the store gathers (``bot.store.digests``).

Each value is frozen and holds only what the digest shows or decides on, so
``bot.digest.build`` is a pure function of a ``DigestInput`` and the tests build
inputs by hand. Times are aware datetimes; dates are Europe/London dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.deadlines import RequestDeadlines, WorkingCalendar
from bot.vocabulary import DraftStatus, RequestState


@dataclass(frozen=True)
class RequestInput:
    """One request: where it stands, its deadlines and the calendar they count in."""

    id: int
    authority: str
    subject: str
    state: RequestState
    deadlines: RequestDeadlines
    calendar: WorkingCalendar  # the working days of the request's regime
    campaign: str | None = None


@dataclass(frozen=True)
class MessageInput:
    """An answer from an authority on a request: a ``response`` or a ``review_outcome``."""

    id: int
    request_id: int
    authority: str
    kind: str
    date: dt.datetime
    outcome: str | None = None
    exemptions: tuple[str, ...] = ()
    subject: str = ""
    campaign: str | None = None


@dataclass(frozen=True)
class DraftInput:
    """A letter in the outbox's hands or awaiting the operator."""

    id: int
    kind: str
    status: DraftStatus
    to_addr: str
    subject: str
    trigger: str
    request_id: int | None = None
    authority: str | None = None
    error: str | None = None
    sent_at: dt.datetime | None = None


@dataclass(frozen=True)
class FolderInput:
    """How far one mailbox folder has been read (a ``SyncState`` row)."""

    mailbox: str
    folder: str
    last_sync_at: dt.datetime | None = None
    last_error: str | None = None


@dataclass(frozen=True)
class DigestInput:
    """Everything one digest is built from.

    ``today`` counts deadlines; the week is the seven days up to ``now`` (responses
    received and letters sent in it); ``now`` also dates the sync health check.
    """

    today: dt.date
    now: dt.datetime
    requests: tuple[RequestInput, ...] = ()
    messages: tuple[MessageInput, ...] = ()
    drafts: tuple[DraftInput, ...] = ()
    folders: tuple[FolderInput, ...] = ()
    holding: int = 0  # messages in the holding pen
    quarantine: int = 0  # unresolved quarantined messages
    web_base_url: str | None = None  # config [web] base_url: links to the drafts
