"""One active ``foibot run`` per database: the daemon's single-instance lock.

APScheduler 3 keeps its jobs in each process's memory, so two daemons on one
database would both run every job. The first to take this lock runs jobs; another
waits on standby, trying again every ``daemon.standby_poll_seconds``, and takes over
when the holder dies. SQLite: ``flock`` on ``<database>.daemon-lock`` (the kernel
drops it when the holder dies, even by SIGKILL). PostgreSQL: the session advisory lock
``DAEMON_KEY``, held on a connection of its own for the life of the process (the
server drops it when that session ends). Both come from ``bot.outbox.lock``.

A PostgreSQL session can be lost while we run (server restart, network): ``check``
notices it, and the daemon stops rather than run beside a process that took over.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from sqlalchemy import Connection, text
from sqlalchemy.exc import SQLAlchemyError

from bot.errors import DaemonError
from bot.outbox.lock import database_lock
from bot.store import Database

DAEMON_KEY = 0x0F0B_0D43  # "foibot daemon"; the outbox's key is 0x0F0B_0710
LOCK_SUFFIX = ".daemon-lock"


class InstanceLock:
    """The daemon lock on ``db`` (a Database used for nothing else)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._stack: contextlib.ExitStack | None = None
        self._holder: Connection | Path | str | None = None

    @property
    def held(self) -> bool:
        return self._stack is not None

    def describe(self) -> str:
        """Where the lock lives, for the log: a lock file or an advisory lock key."""
        if (
            isinstance(self._holder, Connection)
            or self.db.engine.url.get_backend_name() != "sqlite"
        ):
            return f"pg_advisory_lock({DAEMON_KEY})"
        return str(self.db.engine.url.database) + LOCK_SUFFIX

    def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; True when this process holds it now."""
        if self._stack is not None:
            return True
        stack = contextlib.ExitStack()
        try:
            holder = stack.enter_context(database_lock(self.db, LOCK_SUFFIX, DAEMON_KEY))
        except (SQLAlchemyError, OSError) as err:
            stack.close()
            raise DaemonError(
                f"cannot take the single-instance lock {self.describe()}: {err}"
            ) from err
        if holder is None:
            stack.close()
            return False
        self._stack, self._holder = stack, holder
        return True

    def check(self) -> None:
        """Raise DaemonError when the lock may have been lost (its PostgreSQL session died)."""
        holder = self._holder
        if not isinstance(holder, Connection):
            return
        try:
            holder.scalar(text("SELECT 1"))
        except SQLAlchemyError as err:
            raise DaemonError(
                "lost the database session holding the single-instance lock; stopping so "
                "that only one foibot runs jobs (the service manager restarts it)"
            ) from err

    def release(self) -> None:
        stack, self._stack, self._holder = self._stack, None, None
        if stack is not None:
            with contextlib.suppress(SQLAlchemyError, OSError):
                stack.close()
