"""IMAP source: incremental, read-only sync of INBOX, Sent and configured folders.

Per folder the position is UIDVALIDITY + last UID (+ HIGHESTMODSEQ with CONDSTORE).
A sync first checks cheaply whether a folder has anything new: NOOP + ``UID SEARCH``
on the folder still selected (INBOX, kept selected between syncs), STATUS on the
others; only then EXAMINE (read-only SELECT), whose cost grows with the folder on
some servers, and SEARCH. New UIDs are fetched with ``BODY.PEEK[]`` in batches
(lists of UIDs, never string ranges) of at most ``batch_size`` messages and about
``max_batch_bytes`` (sizes come from RFC822.SIZE first, so big attachments do not pile
up in memory). No flag is ever changed; nothing is deleted.

Any network error drops the connection and retries with backoff; a generator resumes
after the last batch it yielded. A UIDVALIDITY change (the folder was recreated) starts
over from UID 1 with ``reset=True`` on the first batch.
"""

from __future__ import annotations

import datetime as dt
import logging
import ssl
import time
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError
from imapclient.imapclient import SENT

from bot.errors import ConfigError, ConnectError
from bot.mailbox import idle
from bot.mailbox.connection import (
    NETWORK_ERRORS,
    ImapSettings,
    TlsMode,
    close_quietly,
    connect,
    describe,
    server_text,
)
from bot.mailbox.retry import Backoff
from bot.mailbox.values import FetchedMessage, FolderBatch, FolderSpec, FolderState

log = logging.getLogger(__name__)
T = TypeVar("T")
INBOX = "INBOX"
DEFAULT_BACKOFF = Backoff()
SIZE_CHUNK = 5000  # UIDs per RFC822.SIZE request when planning batches
# A folder left selected is checked with NOOP + UID SEARCH for this long after its
# EXAMINE, then EXAMINEd again: a bound on trusting the session's view of it.
RECHECK_SECONDS = 300.0


class _UidValidityChanged(Exception):
    """The folder was recreated between two commands of one sync."""


class ImapSource:
    """A read-only IMAP mailbox (see the module docstring); one connection, lazily opened."""

    def __init__(
        self,
        host: str,
        port: int | None = None,
        *,
        username: str,
        password: str | None = None,
        oauth2_token: str | None = None,
        tls: TlsMode = "implicit",
        ca_file: Path | None = None,
        ssl_context: ssl.SSLContext | None = None,
        allow_insecure: bool = False,
        timeout: float = 60.0,
        folders: Sequence[str] = (INBOX,),
        sent_folder: str | None = None,
        use_idle: bool = True,
        poll_interval: float = 300.0,
        backoff: Backoff = DEFAULT_BACKOFF,
        max_batch_bytes: int = 50_000_000,
    ) -> None:
        if port is None:
            port = 993 if tls == "implicit" else 143
        self._settings = ImapSettings(
            host=host,
            port=port,
            username=username,
            password=password,
            oauth2_token=oauth2_token,
            tls=tls,
            ca_file=ca_file,
            ssl_context=ssl_context,
            allow_insecure=allow_insecure,
            timeout=timeout,
        )
        self._settings.check()
        self._folder_names = tuple(dict.fromkeys((INBOX, *folders)))
        self._sent_override = sent_folder
        self._use_idle = use_idle
        self._poll_interval = poll_interval
        self._backoff = backoff
        self._max_batch_bytes = max_batch_bytes
        self._client: IMAPClient | None = None
        self._selected: str | None = None
        self._selected_uidvalidity: int | None = None  # of the selected folder
        self._examined_at = 0.0  # time.monotonic() of the last EXAMINE
        self._folders: list[FolderSpec] | None = None
        self._seen: dict[str, tuple[int, int]] = {}  # folder -> (uidvalidity, uidnext)

    @property
    def name(self) -> str:
        return f"imap://{self._settings.username}@{self._settings.where}"

    # -- connection ------------------------------------------------------------------------

    def connect(self) -> None:
        """Connect and log in now (otherwise the first call does); raises ConnectError."""
        self._call("connect", lambda client: None)

    def close(self) -> None:
        if self._client is not None:
            close_quietly(self._client)
        self._client, self._selected = None, None

    def __enter__(self) -> ImapSource:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _drop(self) -> None:
        if self._client is not None:
            close_quietly(self._client, logout=False)
        self._client, self._selected = None, None

    def _call(self, what: str, op: Callable[[IMAPClient], T]) -> T:
        """Run ``op`` on a live connection; on a network error reconnect with backoff."""
        delays = self._backoff.delays()
        while True:
            connecting = self._client is None
            try:
                if self._client is None:
                    self._client = connect(self._settings)
                return op(self._client)
            except NETWORK_ERRORS as err:
                self._drop()
                delay = next(delays, None)
                where = self._settings.where
                if delay is None:
                    if connecting:
                        raise ConnectError(f"cannot connect to {where}: {describe(err)}") from err
                    raise ConnectError(f"{what} on {where} failed: {describe(err)}") from err
                log.warning(
                    "IMAP %s on %s: %s; retrying in %.1f s", what, where, describe(err), delay
                )
                time.sleep(delay)
            except IMAPClientError as err:
                raise ConnectError(
                    f"{self._settings.where} refused {what}: {server_text(err)}"
                ) from err

    # -- folders ------------------------------------------------------------------------

    def folders(self) -> list[FolderSpec]:
        """INBOX, configured folders, then Sent (SPECIAL-USE ``\\Sent`` unless overridden)."""
        if self._folders is None:
            self._folders = self._call("LIST", self._discover_folders)
        return list(self._folders)

    def _discover_folders(self, client: IMAPClient) -> list[FolderSpec]:
        existing = {name for _flags, _sep, name in client.list_folders()}
        sent = self._sent_override
        if sent is None:
            sent = client.find_special_folder(SENT)
        missing = [f for f in (*self._folder_names, sent) if f and f not in existing]
        if missing:
            key = "mailbox.sent_folder" if missing == [sent] else "mailbox.folders"
            raise ConfigError(
                [
                    f"{key}: no folder {', '.join(repr(m) for m in missing)} on "
                    f"{self._settings.where}; it has {', '.join(sorted(existing))}"
                ]
            )
        specs = [FolderSpec(name, is_sent=name == sent) for name in self._folder_names]
        if sent is not None and sent not in self._folder_names:
            specs.append(FolderSpec(sent, is_sent=True))
        return specs

    def _is_sent(self, folder: str) -> bool:
        return any(spec.is_sent for spec in self.folders() if spec.name == folder)

    # -- fetching -----------------------------------------------------------------------

    def fetch_new(
        self, folder: str, state: FolderState, batch_size: int = 200
    ) -> Iterator[FolderBatch]:
        """Batches of messages with UID above ``state.last_uid``, oldest first.

        Yields nothing when the folder is unchanged. Each batch's ``state_after`` covers
        exactly the messages yielded so far; the last one also records HIGHESTMODSEQ.
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        is_sent = self._is_sent(folder)
        while True:
            try:
                for batch in self._sync_round(folder, state, batch_size, is_sent):
                    yield batch
                    state = batch.state_after
                return
            except _UidValidityChanged:
                continue  # recreated mid-sync: a new round resets from UID 1

    def _sync_round(
        self, folder: str, state: FolderState, batch_size: int, is_sent: bool
    ) -> Iterator[FolderBatch]:
        if self._unchanged(folder, state):
            return  # nothing new: no EXAMINE, no SEARCH
        status = self._call(f"EXAMINE {folder}", lambda c: self._examine(c, folder))
        uidvalidity = int(status[b"UIDVALIDITY"])
        uidnext = int(status.get(b"UIDNEXT", 0))
        modseq = status.get(b"HIGHESTMODSEQ")
        highestmodseq = int(modseq) if modseq is not None else None
        reset = state.uidvalidity is not None and state.uidvalidity != uidvalidity
        if state.uidvalidity != uidvalidity:
            state = FolderState(uidvalidity, 0, None)
        elif (uidnext and uidnext <= state.last_uid + 1) or (
            highestmodseq is not None and highestmodseq == state.highestmodseq
        ):
            self._seen[folder] = (uidvalidity, uidnext)
            return  # nothing new: no SEARCH
        last = state.last_uid
        sizes = self._call(f"SEARCH {folder}", lambda c: self._search(c, folder, uidvalidity, last))
        final = FolderState(uidvalidity, max(last, uidnext - 1, *sizes), highestmodseq)
        chunks = list(_batches(sizes, batch_size, self._max_batch_bytes))
        for number, chunk in enumerate(chunks, start=1):
            fetch = partial(
                self._fetch, folder=folder, uidvalidity=uidvalidity, uids=chunk, is_sent=is_sent
            )
            messages = self._call(f"FETCH {folder}", fetch)
            is_last = number == len(chunks)
            after = final if is_last else FolderState(uidvalidity, chunk[-1], state.highestmodseq)
            yield FolderBatch(folder, uidvalidity, messages, after, reset)
            reset, state = False, after
        if state != final or reset:  # no messages, but the position moved (or reset)
            yield FolderBatch(folder, uidvalidity, (), final, reset)
        self._seen[folder] = (uidvalidity, uidnext)

    def _unchanged(self, folder: str, state: FolderState) -> bool:
        """Is it certain, without EXAMINE, that ``folder`` has nothing above ``state``?

        EXAMINE costs time in proportion to the folder on some servers (Dovecot reads
        its whole index), so the usual no-new-mail sync avoids it. The folder still
        selected from the last sync or IDLE: NOOP (the server brings the session's
        view up to date), then ``UID SEARCH`` above the last UID (an error reply to
        the NOOP, or ``RECHECK_SECONDS`` since the EXAMINE, means EXAMINE). Another folder:
        STATUS; a changed UIDVALIDITY, a higher UIDNEXT or HIGHESTMODSEQ means look.
        The first folder (INBOX) is EXAMINEd when not selected, so it stays selected.
        """
        if state.uidvalidity is None:
            return False
        if self._selected == folder:
            return self._call(f"NOOP {folder}", lambda c: self._nothing_above(c, folder, state))
        if folder == self._folder_names[0]:
            return False
        status = self._call(f"STATUS {folder}", lambda c: self._status(c, folder))
        uidvalidity = int(status[b"UIDVALIDITY"])
        uidnext = int(status.get(b"UIDNEXT", 0))
        modseq = status.get(b"HIGHESTMODSEQ")
        if uidvalidity != state.uidvalidity:
            return False
        if (uidnext and uidnext <= state.last_uid + 1) or (
            modseq is not None and int(modseq) == state.highestmodseq
        ):
            self._seen[folder] = (uidvalidity, uidnext)
            return True
        return False

    def _nothing_above(self, client: IMAPClient, folder: str, state: FolderState) -> bool:
        """NOOP then ``UID SEARCH`` on the selected folder; False means: EXAMINE it."""
        if (
            self._selected != folder  # reconnected meanwhile
            or self._selected_uidvalidity != state.uidvalidity
            or time.monotonic() - self._examined_at > RECHECK_SECONDS
        ):
            return False
        _text, untagged = client.noop()
        if any(isinstance(item, tuple) and item[:1] in ((b"NO",), (b"BAD",), (b"BYE",))
               for item in untagged):  # fmt: skip
            # e.g. Dovecot, when the folder was deleted (and maybe recreated) meanwhile
            log.info("IMAP %s on %s: %r; selecting it again", folder, self._settings.where,
                     untagged)  # fmt: skip
            self._drop()
            return False
        found = client.search(["UID", f"{state.last_uid + 1}:*"])
        return all(int(uid) <= state.last_uid for uid in found)

    def _status(self, client: IMAPClient, folder: str) -> dict[bytes, Any]:
        items = ["UIDVALIDITY", "UIDNEXT"]
        if client.has_capability("CONDSTORE"):
            items.append("HIGHESTMODSEQ")
        response: dict[bytes, Any] = client.folder_status(folder, items)
        return response

    def _examine(self, client: IMAPClient, folder: str) -> dict[bytes, Any]:
        self._selected = None
        response: dict[bytes, Any] = client.select_folder(folder, readonly=True)
        self._selected = folder
        self._selected_uidvalidity = int(response[b"UIDVALIDITY"])
        self._examined_at = time.monotonic()
        return response

    def _ensure_selected(self, client: IMAPClient, folder: str, uidvalidity: int) -> None:
        """EXAMINE ``folder`` again after a reconnect, checking it was not recreated."""
        if self._selected == folder:
            return
        if int(self._examine(client, folder)[b"UIDVALIDITY"]) != uidvalidity:
            raise _UidValidityChanged()

    def _search(
        self, client: IMAPClient, folder: str, uidvalidity: int, last: int
    ) -> dict[int, int]:
        """UID → size of every message above ``last``, in UID order."""
        self._ensure_selected(client, folder, uidvalidity)
        found = client.search(["UID", f"{last + 1}:*"])
        # "n:*" always matches the highest UID, even when it is <= last: filter here.
        uids = sorted(uid for uid in map(int, found) if uid > last)
        sizes: dict[int, int] = {}
        for start in range(0, len(uids), SIZE_CHUNK):
            chunk = uids[start : start + SIZE_CHUNK]
            data = client.fetch(chunk, ["RFC822.SIZE"])
            sizes.update((uid, int(data.get(uid, {}).get(b"RFC822.SIZE", 0))) for uid in chunk)
        return sizes

    def _fetch(
        self,
        client: IMAPClient,
        folder: str,
        uidvalidity: int,
        uids: list[int],
        is_sent: bool,
    ) -> tuple[FetchedMessage, ...]:
        self._ensure_selected(client, folder, uidvalidity)
        data = client.fetch(uids, ["BODY.PEEK[]", "INTERNALDATE"])
        messages = []
        for uid in uids:  # a UID expunged since the SEARCH is simply absent
            item = data.get(uid)
            if item is None or b"BODY[]" not in item:
                continue
            received = item.get(b"INTERNALDATE")
            if received is not None and received.tzinfo is not None:
                received = received.astimezone(dt.UTC)
            else:
                received = None
            raw = bytes(item[b"BODY[]"])
            messages.append(FetchedMessage(folder, uidvalidity, uid, raw, is_sent, received))
        return tuple(messages)

    # -- waiting ------------------------------------------------------------------------

    def wait_for_change(self, timeout: float) -> bool:
        """Block up to ``timeout`` s until a folder may have new mail.

        True at once when a folder changed since its last complete ``fetch_new`` (or was
        never synced). Uses IDLE on INBOX when offered (re-issued every 29 minutes, other
        folders checked with STATUS every ``poll_interval``), else STATUS polling. A
        connection lost while waiting returns True: the next sync reconnects.
        """
        deadline = time.monotonic() + timeout
        specs = self.folders()
        if self._call("STATUS", lambda c: self._changed(c, [s.name for s in specs])):
            return True
        names = [spec.name for spec in specs]
        try:
            if self._use_idle and self._call("CAPABILITY", lambda c: c.has_capability("IDLE")):
                return self._idle(names, deadline)
            while (remaining := deadline - time.monotonic()) > 0:
                time.sleep(min(remaining, self._poll_interval))
                if self._call("STATUS", lambda c: self._changed(c, names)):
                    return True
            return False
        except NETWORK_ERRORS as err:
            log.warning(
                "IMAP connection to %s lost while waiting: %s", self._settings.where, describe(err)
            )
            self._drop()
            return True

    def _idle(self, names: list[str], deadline: float) -> bool:
        """IDLE on the first folder (INBOX); STATUS the others between IDLEs."""
        watched, others = names[0], names[1:]
        client = self._client
        if client is None:
            return True
        status = self._examine(client, watched)
        if (int(status[b"UIDVALIDITY"]), int(status[b"UIDNEXT"])) != self._seen.get(watched):
            return True
        return idle.wait(
            client,
            deadline,
            self._poll_interval,
            lambda: bool(others) and self._changed(client, others),
        )

    def _changed(self, client: IMAPClient, folders: list[str]) -> bool:
        """Did UIDVALIDITY or UIDNEXT of any folder move since its last complete sync?"""
        if self._selected in folders:
            # STATUS of the selected folder may show the session's stale view: unselect.
            # (CLOSE expunges nothing here: the folder was opened read-only by EXAMINE.)
            if client.has_capability("UNSELECT"):
                client.unselect_folder()
            else:
                client.close_folder()
            self._selected = None
        for folder in folders:
            seen = self._seen.get(folder)
            if seen is None:
                return True
            status = client.folder_status(folder, ["UIDVALIDITY", "UIDNEXT"])
            if (int(status[b"UIDVALIDITY"]), int(status[b"UIDNEXT"])) != seen:
                return True
        return False


def _batches(sizes: dict[int, int], max_count: int, max_bytes: int) -> Iterator[list[int]]:
    """UIDs in order, grouped by at most ``max_count`` and about ``max_bytes`` each.

    A message bigger than ``max_bytes`` travels alone.
    """
    batch: list[int] = []
    total = 0
    for uid, size in sizes.items():
        if batch and (len(batch) >= max_count or total + size > max_bytes):
            yield batch
            batch, total = [], 0
        batch.append(uid)
        total += size
    if batch:
        yield batch
