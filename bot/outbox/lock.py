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

from sqlalchemy import Connection, text
from sqlalchemy.exc import SQLAlchemyError

from bot.store import Database

ADVISORY_KEY = 0x0F0B_0710  # "foibot outbox"


@contextlib.contextmanager
def outbox_lock(db: Database) -> Iterator[bool]:
    """Yields True while this process holds the lock, False when another one does."""
    with database_lock(db, ".outbox-lock", ADVISORY_KEY) as held:
        yield held is not None


@contextlib.contextmanager
def database_lock(db: Database, suffix: str, key: int) -> Iterator[Connection | Path | str | None]:
    """A lock on ``db`` for one process at a time (the outbox's, the daemon's).

    SQLite: ``flock`` on the file beside the database named with ``suffix``; PostgreSQL:
    the session advisory lock ``key``. Yields what holds the lock (the lock file's
    path, or the PostgreSQL connection, which must stay open), or None when another
    process holds it. An in-memory SQLite database needs no lock (yields ``":memory:"``).
    """
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            yield ":memory:"
            return
        path = Path(url.database + suffix)
        with _file_lock(path) as held:
            yield path if held else None
        return
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        held = bool(conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}))
        try:
            yield conn if held else None
        finally:
            if held:
                with contextlib.suppress(SQLAlchemyError):  # a lost session has no lock
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})


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
