"""Read every message of an mbox file or a Maildir tree, for ``foibot import PATH``.

Both are lazy iterators of ``ImportedMessage`` and never modify what they read.
"""

from __future__ import annotations

import datetime as dt
import mailbox
from collections.abc import Iterator
from pathlib import Path

from bot.errors import InputError
from bot.mailbox.maildir import delivery_time, is_maildir, message_files
from bot.mailbox.values import ImportedMessage


def read_maildir(path: Path | str) -> Iterator[ImportedMessage]:
    """The root folder, then each Maildir++ ``.Folder``, files in name order."""
    root = Path(path)
    if not is_maildir(root):
        raise InputError(f"{root}: not a Maildir (no cur/ or new/ directory)")
    folders = [root, *sorted(p for p in root.iterdir() if p.name.startswith(".") and is_maildir(p))]
    for folder in folders:
        for file in sorted(message_files(folder), key=lambda f: f.path.name):
            try:
                raw = file.path.read_bytes()
                mtime = file.path.stat().st_mtime_ns
            except FileNotFoundError:
                continue
            yield ImportedMessage(str(file.path), raw, delivery_time(file.path.name, mtime))


def read_mbox(path: Path | str) -> Iterator[ImportedMessage]:
    """Messages of an mbox file in order; ``origin`` is ``PATH#N`` (N from 1)."""
    source = Path(path)
    if not source.is_file():
        raise InputError(f"{source}: not an mbox file")
    box = mailbox.mbox(source, create=False)
    try:
        for number, key in enumerate(box.iterkeys(), start=1):
            from_line, _, raw = box.get_bytes(key, from_=True).partition(b"\n")
            yield ImportedMessage(f"{source}#{number}", raw, _from_line_date(from_line))
    finally:
        box.close()


def _from_line_date(from_line: bytes) -> dt.datetime | None:
    """The date on the ``From sender Thu Nov 21 14:00:00 2024`` separator line (UTC)."""
    words = from_line.decode("ascii", "replace").split()
    try:
        parsed = dt.datetime.strptime(" ".join(words[2:7]), "%a %b %d %H:%M:%S %Y")
    except ValueError:
        return None
    return parsed.replace(tzinfo=dt.UTC)
