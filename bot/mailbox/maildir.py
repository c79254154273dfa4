"""Maildir source: INBOX is the Maildir root, other folders are Maildir++ ``.Name`` dirs.

Read-only: files are never renamed (not even new/ → cur/), moved or deleted; tmp/ and
dot-files are ignored. Maildir has no UIDs, so:

- a message's identity is the unique part of its file name (before ``:``), which
  survives new/ → cur/ moves and flag changes; ``uid`` is a stable 63-bit hash of it;
- ``uidvalidity`` is a fixed number derived from the folder's path;
- ``FolderState.last_uid`` holds a *change-time watermark* (ns): files whose inode
  change time is at or after it are candidates. Delivery into new/ is a rename, which
  sets the change time, so a new message is always a candidate. The watermark stops
  2 s before the scan began, so a file landing during a scan is seen next time;
- ``FolderState.highestmodseq`` holds a fingerprint of the cur/ and new/ directory
  mtimes, so "no new mail" costs two stat() calls and no listing.

Keys already yielded by this object are not yielded again; after a restart a few files
near the watermark (and files another client renamed since) may come again with the
same uid, which the caller's dedupe drops.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from bot.errors import ConfigError
from bot.mailbox.values import FetchedMessage, FolderBatch, FolderSpec, FolderState

INBOX = "INBOX"
SENT_NAMES = (".Sent", ".Sent Items", ".Sent Messages")
SETTLE_SECONDS = 2.0  # file-system timestamps are coarse: stay this far behind "now"


@dataclass(frozen=True)
class MessageFile:
    """One message file: identity ``key``, where it is, and its inode change time."""

    key: str
    path: Path
    ctime_ns: int


def message_key(filename: str) -> str:
    """The unique part of a Maildir file name: everything before the ``:2,FLAGS`` info."""
    return filename.split(":", 1)[0]


def key_uid(key: str) -> int:
    """A stable, positive 63-bit integer for a message key."""
    digest = hashlib.blake2b(key.encode("utf-8", "surrogateescape"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def delivery_time(filename: str, fallback_ns: int) -> dt.datetime:
    """Delivery time from a ``1700000000.M1P2.host`` name, else the file's mtime."""
    head = filename.split(".", 1)[0]
    seconds = int(head) if head.isdigit() and len(head) <= 12 else fallback_ns // 10**9
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def message_files(folder_dir: Path) -> Iterator[MessageFile]:
    """Files in new/ and cur/ (not tmp/, not dot-files), in no particular order."""
    for sub in ("new", "cur"):
        try:
            entries = os.scandir(folder_dir / sub)
        except FileNotFoundError:
            continue
        with entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                try:
                    if not entry.is_file(follow_symlinks=False):
                        continue
                    ctime = entry.stat(follow_symlinks=False).st_ctime_ns
                except FileNotFoundError:
                    continue  # moved away while listing; its new ctime brings it back
                yield MessageFile(message_key(entry.name), Path(entry.path), ctime)


def is_maildir(path: Path) -> bool:
    return (path / "cur").is_dir() or (path / "new").is_dir()


def folder_dir(root: Path, name: str) -> Path:
    """``INBOX`` → the root; ``Sent`` or ``.Sent`` → ``root/.Sent``; ``A/B`` → ``.A.B``."""
    if name.upper() == INBOX:
        return root
    return root / ("." + name.lstrip(".").replace("/", "."))


class MaildirSource:
    """A Maildir++ tree read as a mail source with the same interface as ``ImapSource``."""

    def __init__(
        self,
        path: Path,
        *,
        folders: Sequence[str] = (INBOX,),
        sent_folder: str | None = None,
        poll_interval: float = 1.0,
        settle_seconds: float = SETTLE_SECONDS,
    ) -> None:
        self.root = Path(path)
        self._folder_names = tuple(dict.fromkeys(n.lstrip(".") for n in (INBOX, *folders)))
        self._sent_override = sent_folder
        self._poll_interval = poll_interval
        self._margin_ns = int(settle_seconds * 1e9)
        self._yielded: dict[str, set[str]] = {}  # folder -> keys yielded by this object
        self._synced: dict[str, tuple[int, bool]] = {}  # folder -> (fingerprint, settled)

    @property
    def name(self) -> str:
        return f"maildir:{self.root.resolve()}"

    def close(self) -> None:
        """Nothing to release; kept for the common interface."""

    def __enter__(self) -> MaildirSource:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def folders(self) -> list[FolderSpec]:
        """INBOX, configured folders, then ``.Sent`` (or the configured Sent folder)."""
        if not is_maildir(self.root):
            raise ConfigError([f"mailbox.path: {self.root} is not a Maildir (no cur/ or new/)"])
        missing = [n for n in self._folder_names if not is_maildir(folder_dir(self.root, n))]
        if missing:
            raise ConfigError(
                [f"mailbox.folders: no Maildir folder {', '.join(missing)} in {self.root}"]
            )
        sent = self._sent_folder()
        specs = [FolderSpec(n, is_sent=n == sent) for n in self._folder_names]
        if sent is not None and sent not in self._folder_names:
            specs.append(FolderSpec(sent, is_sent=True))
        return specs

    def _sent_folder(self) -> str | None:
        if self._sent_override is not None:
            if not is_maildir(folder_dir(self.root, self._sent_override)):
                raise ConfigError(
                    [f"mailbox.sent_folder: no Maildir folder {self._sent_override} in {self.root}"]
                )
            return self._sent_override.lstrip(".")
        for candidate in SENT_NAMES:
            if is_maildir(self.root / candidate):
                return candidate.lstrip(".")
        return None

    def folder_id(self, folder: str) -> int:
        """The fixed "uidvalidity" of a folder: a 31-bit checksum of its absolute path."""
        path = str(folder_dir(self.root, folder).resolve())
        return zlib.crc32(path.encode("utf-8", "surrogateescape")) & 0x7FFFFFFF

    def _fingerprint(self, folder: str) -> tuple[int, int]:
        """(fingerprint of the cur/ and new/ mtimes, the newer mtime in ns)."""
        base = folder_dir(self.root, folder)
        mtimes = []
        for sub in ("new", "cur"):
            try:
                mtimes.append((base / sub).stat().st_mtime_ns)
            except FileNotFoundError:
                mtimes.append(0)
        digest = hashlib.blake2b(repr(mtimes).encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big") >> 1, max(mtimes)

    def fetch_new(
        self, folder: str, state: FolderState, batch_size: int = 200
    ) -> Iterator[FolderBatch]:
        """Batches of files not yet yielded, by change time; nothing when unchanged."""
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        folder = folder.lstrip(".")
        uidvalidity = self.folder_id(folder)
        is_sent = any(s.is_sent for s in self.folders() if s.name == folder)
        reset = state.uidvalidity is not None and state.uidvalidity != uidvalidity
        if state.uidvalidity != uidvalidity:
            state = FolderState(uidvalidity, 0, None)
        fingerprint, newest = self._fingerprint(folder)
        if state.highestmodseq == fingerprint and not reset:
            self._synced[folder] = (fingerprint, True)
            return
        now = time.time_ns()
        settled = now - newest > self._margin_ns  # no same-tick change can hide behind it
        watermark = state.last_uid if state.last_uid <= now else 0  # clock went back
        end_mark = max(watermark, now - self._margin_ns)
        final = FolderState(uidvalidity, end_mark, fingerprint if settled else None)
        yielded = self._yielded.setdefault(folder, set())
        candidates = sorted(
            (
                f
                for f in message_files(folder_dir(self.root, folder))
                if f.ctime_ns >= watermark and f.key not in yielded
            ),
            key=lambda f: (f.ctime_ns, f.key),
        )
        for start in range(0, len(candidates), batch_size):
            chunk = candidates[start : start + batch_size]
            messages = tuple(self._read(folder, uidvalidity, is_sent, f) for f in chunk)
            is_last = start + batch_size >= len(candidates)
            mark = min(chunk[-1].ctime_ns, end_mark)
            after = final if is_last else FolderState(uidvalidity, mark, state.highestmodseq)
            found = tuple(m for m in messages if m is not None)
            yield FolderBatch(folder, uidvalidity, found, after, reset)
            # a file renamed away while reading comes back (new ctime) under its key
            yielded.update(f.key for f, m in zip(chunk, messages, strict=True) if m is not None)
            reset, state = False, after
        if state != final or reset:
            yield FolderBatch(folder, uidvalidity, (), final, reset)
        self._synced[folder] = (fingerprint, settled)

    def _read(
        self, folder: str, uidvalidity: int, is_sent: bool, file: MessageFile
    ) -> FetchedMessage | None:
        try:
            raw = file.path.read_bytes()
            mtime = file.path.stat().st_mtime_ns
        except FileNotFoundError:
            return None  # renamed by another client just now: its new ctime brings it back
        return FetchedMessage(
            folder,
            uidvalidity,
            key_uid(file.key),
            raw,
            is_sent,
            delivery_time(file.path.name, mtime),
        )

    def wait_for_change(self, timeout: float) -> bool:
        """Poll the folders' directory mtimes every ``poll_interval`` s (two stat() each)."""
        deadline = time.monotonic() + timeout
        names = [spec.name for spec in self.folders()]
        while True:
            for name in names:
                synced = self._synced.get(name)
                if synced is None:
                    return True
                fingerprint, newest = self._fingerprint(name)
                if fingerprint != synced[0]:
                    return True
                if not synced[1] and time.time_ns() - newest > self._margin_ns:
                    return True  # synced while the dirs were fresh: rescan once settled
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            time.sleep(min(remaining, self._poll_interval))
