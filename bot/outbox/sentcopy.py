"""The Sent folder of the configured mailbox: find a letter by Message-ID, add a copy.

IMAP: ``mailbox.sent_folder``, else the folder marked SPECIAL-USE ``\\Sent`` (or, on a
server without SPECIAL-USE, one of the usual names), searched with ``UID SEARCH HEADER
Message-ID <id>`` and written with ``APPEND`` flagged ``\\Seen``. Maildir: the Sent
folder ``bot.mailbox.maildir`` reads (``.Sent`` unless configured; created if missing),
searched by reading each file's headers and written ``tmp/`` → ``cur/`` (flag ``S``)
with one atomic rename, so a reader never sees half a message.

Every failure is a ``SentFolderError``: it is never about the letter, only its copy.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import socket
from collections.abc import Callable
from email.parser import BytesHeaderParser
from email.policy import compat32
from pathlib import Path
from typing import Protocol, TypeVar

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError
from imapclient.imapclient import SEEN, SENT

from bot.compose import strip_id
from bot.config import Config
from bot.errors import BotError, SentFolderError
from bot.mailbox.connection import (
    NETWORK_ERRORS,
    ImapSettings,
    close_quietly,
    connect,
    describe,
    server_text,
)
from bot.mailbox.maildir import SENT_NAMES, folder_dir, is_maildir, message_files
from bot.mailheaders import msgid
from bot.secrets import mailbox_password

T = TypeVar("T")
HEADER_BYTES = 65_536  # enough of a file to hold its headers
_counter = itertools.count()


class SentFolder(Protocol):
    def contains(self, message_id: str) -> bool:
        """Is a message with this Message-ID in the Sent folder?"""
        ...

    def append(self, raw: bytes, when: dt.datetime) -> None:
        """Add ``raw`` to the Sent folder, read (``\\Seen``), dated ``when``."""
        ...

    def close(self) -> None: ...


def open_sent_folder(config: Config) -> SentFolder:
    """The Sent folder of ``[mailbox]`` (nothing is connected until it is used)."""
    box = config.mailbox
    if box.kind == "maildir":
        assert box.path is not None  # checked when the config was loaded
        return MaildirSent(box.path, box.sent_folder)
    assert box.host is not None and box.username is not None
    secret = mailbox_password(config)
    xoauth2 = box.auth == "xoauth2"
    settings = ImapSettings(
        host=box.host,
        port=box.effective_port,
        username=box.username,
        password=None if xoauth2 else secret,
        oauth2_token=secret if xoauth2 else None,
        tls=box.tls,
        ca_file=box.ca_file,
        allow_insecure=box.allow_insecure,
        timeout=box.timeout_seconds,
    )
    return ImapSent(settings, box.sent_folder)


class ImapSent:
    def __init__(self, settings: ImapSettings, folder: str | None = None) -> None:
        self._settings = settings
        self._override = folder
        self._client: IMAPClient | None = None
        self._folder: str | None = None

    def _run(self, what: str, op: Callable[[IMAPClient, str], T]) -> T:
        where = self._settings.where
        try:
            if self._client is None:
                self._client = connect(self._settings)
            if self._folder is None:
                self._folder = self._find_folder(self._client)
            return op(self._client, self._folder)
        except NETWORK_ERRORS as err:
            self._drop()
            raise SentFolderError(f"IMAP {what} on {where} failed: {describe(err)}") from err
        except IMAPClientError as err:
            raise SentFolderError(f"{where} refused {what}: {server_text(err)}") from err
        except SentFolderError:
            raise
        except BotError as err:  # ConnectError from connect: login, certificate
            raise SentFolderError(str(err)) from err

    def _find_folder(self, client: IMAPClient) -> str:
        existing = {name for _flags, _sep, name in client.list_folders()}
        folder = self._override or client.find_special_folder(SENT)
        if folder is None or folder not in existing:
            wanted = f"mailbox.sent_folder {folder!r}" if self._override else "a Sent folder"
            raise SentFolderError(
                f"{self._settings.where} has no {wanted} (it has {', '.join(sorted(existing))}); "
                "set mailbox.sent_folder"
            )
        return str(folder)

    def contains(self, message_id: str) -> bool:
        def search(client: IMAPClient, folder: str) -> bool:
            client.select_folder(folder, readonly=True)
            return bool(client.search(["HEADER", "Message-ID", f"<{strip_id(message_id)}>"]))

        return self._run("SEARCH", search)

    def append(self, raw: bytes, when: dt.datetime) -> None:
        def add(client: IMAPClient, folder: str) -> None:
            client.append(folder, raw, flags=[SEEN], msg_time=when)

        self._run("APPEND", add)

    def _drop(self) -> None:
        if self._client is not None:
            close_quietly(self._client, logout=False)
        self._client = None

    def close(self) -> None:
        if self._client is not None:
            close_quietly(self._client)
        self._client = None


class MaildirSent:
    def __init__(self, root: Path, folder: str | None = None) -> None:
        self.root = Path(root)
        if folder is not None:
            self.dir = folder_dir(self.root, folder)
        else:
            found = [self.root / n for n in SENT_NAMES if is_maildir(self.root / n)]
            self.dir = found[0] if found else self.root / SENT_NAMES[0]

    def contains(self, message_id: str) -> bool:
        wanted = strip_id(message_id)
        try:
            return any(_file_id(f.path) == wanted for f in message_files(self.dir))
        except OSError as err:
            raise SentFolderError(f"cannot read the Maildir folder {self.dir}: {err}") from err

    def append(self, raw: bytes, when: dt.datetime) -> None:
        """Write to ``tmp/``, fsync, rename into ``cur/`` as read; the name starts with
        the send time, which the Maildir reader takes as the delivery time."""
        stamp = int(when.timestamp())
        name = f"{stamp}.M{dt.datetime.now().microsecond}P{os.getpid()}Q{next(_counter)}"
        name += f".{socket.gethostname().replace('/', '_').replace(':', '_')}"
        try:
            for sub in ("tmp", "new", "cur"):
                (self.dir / sub).mkdir(parents=True, exist_ok=True)
            tmp = self.dir / "tmp" / name
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                os.write(fd, raw)
                os.fsync(fd)
            finally:
                os.close(fd)
            os.utime(tmp, (when.timestamp(), when.timestamp()))
            os.rename(tmp, self.dir / "cur" / f"{name}:2,S")
            _fsync_dir(self.dir / "cur")
        except OSError as err:
            raise SentFolderError(f"cannot write the copy to {self.dir}: {err}") from err

    def close(self) -> None:
        """Nothing to release."""


def _file_id(path: Path) -> str | None:
    try:
        with path.open("rb") as fh:
            head = fh.read(HEADER_BYTES)
    except FileNotFoundError:
        return None  # moved by a mail client meanwhile
    end = min((i for i in (head.find(b"\r\n\r\n"), head.find(b"\n\n")) if i >= 0), default=-1)
    headers = BytesHeaderParser(policy=compat32).parsebytes(head if end < 0 else head[:end])
    return msgid(headers.get("Message-ID"))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
