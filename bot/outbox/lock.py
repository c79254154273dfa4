"""One sender at a time: the outbox lock.

While a process holds it, a draft in ``sending`` is that process's own; when a process
starts sending and gets the lock, every draft it finds in ``sending`` was left by a
process that died, and is recovered at once. SQLite: ``flock`` on a file beside the
database (the kernel releases it when the holder dies, even by SIGKILL). PostgreSQL:
a session advisory lock on a connection held for the run (released when the session
ends). An in-memory SQLite database is private to its process: no lock needed.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import text

from bot.store import Database

ADVISORY_KEY = 0x0F0B_0710  # "foibot outbox"


@contextlib.contextmanager
def outbox_lock(db: Database) -> Iterator[bool]:
    """Yields True while this process holds the lock, False when another one does."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            yield True
            return
        with _file_lock(Path(url.database + ".outbox-lock")) as held:
            yield held
        return
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        held = bool(conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_KEY}))
        try:
            yield held
        finally:
            if held:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_KEY})


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[bool]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # closing releases the lock
