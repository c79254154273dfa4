"""The values the mailbox edge hands to the pipeline, and the one interface it offers.

A source (IMAP or Maildir) lists its folders and, per folder, yields the messages the
caller has not seen yet, in batches. The caller keeps a ``FolderState`` per
(mailbox, folder): it stores each batch's raw bytes and commits ``batch.state_after``
in one transaction, then passes the committed state to the next ``fetch_new``. State
therefore advances only after the raw bytes are durable; a crash re-fetches at most
one batch, and the caller's dedupe (content hash; mailbox, folder, uidvalidity, uid)
absorbs the repeat.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class FolderSpec:
    """A folder to sync. ``is_sent``: it holds mail the user sent (SPECIAL-USE \\Sent)."""

    name: str
    is_sent: bool = False


@dataclass(frozen=True)
class FolderState:
    """The caller's committed sync position in one folder; ``FolderState()`` = never synced.

    IMAP: ``uidvalidity`` of the folder, ``last_uid`` = every message with a UID up to
    it has been delivered (or no longer exists), ``highestmodseq`` when the server has
    CONDSTORE. Maildir: the same three fields hold a folder id, a change-time watermark
    and a directory fingerprint (see ``bot.mailbox.maildir``). Store them as given.
    """

    uidvalidity: int | None = None
    last_uid: int = 0
    highestmodseq: int | None = None


@dataclass(frozen=True)
class FetchedMessage:
    """One message exactly as the server holds it.

    ``(source name, folder, uidvalidity, uid)`` identifies it; ``received_at`` is the
    IMAP INTERNALDATE or the Maildir delivery time (timezone-aware), when known.
    """

    folder: str
    uidvalidity: int
    uid: int
    raw: bytes
    is_sent: bool
    received_at: dt.datetime | None = None


@dataclass(frozen=True)
class FolderBatch:
    """Messages fetched from one folder, and the state to commit once they are stored.

    ``reset`` is True on the first batch after the folder's UIDVALIDITY changed: the
    caller forgets that folder's old state, then stores this batch as usual. A batch can
    hold no messages when only the state moved (or the folder was reset and is empty).
    """

    folder: str
    uidvalidity: int
    messages: tuple[FetchedMessage, ...]
    state_after: FolderState
    reset: bool = False


@dataclass(frozen=True)
class ImportedMessage:
    """A message read from an mbox or Maildir for ``foibot import``; ``origin`` says where."""

    origin: str
    raw: bytes
    received_at: dt.datetime | None = None


class MailSource(Protocol):
    """A mailbox foibot reads (never writes): IMAP or Maildir."""

    @property
    def name(self) -> str:
        """Stable identity of the mailbox, e.g. ``imap://alice@imap.example.org:993``."""
        ...

    def folders(self) -> list[FolderSpec]:
        """INBOX, configured folders, then the Sent folder; no duplicates."""
        ...

    def fetch_new(
        self, folder: str, state: FolderState, batch_size: int = 200
    ) -> Iterator[FolderBatch]:
        """Batches of messages not covered by ``state``; nothing at all when unchanged."""
        ...

    def wait_for_change(self, timeout: float) -> bool:
        """Block up to ``timeout`` s; True when a folder may have new mail (sync now)."""
        ...

    def close(self) -> None:
        """Release the connection; the source may be used again (it reconnects)."""
        ...
