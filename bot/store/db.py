"""Opening the database: engines, sessions, and Alembic upgrades.

SQLite runs in WAL mode with a busy timeout so the daemon, the web page and CLI
commands can share one file; foreign keys are switched on. PostgreSQL is used by
URL (``postgresql+psycopg://...``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import StoreError

MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_MS = 10_000


def make_engine(url: str) -> Engine:
    """An engine for ``url``; creates the directory of a SQLite file if needed."""
    try:
        parsed = make_url(url)
    except ArgumentError as err:
        raise StoreError(f"database.url: not a database URL: {url!r}") from err
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_MS / 1000}, hide_parameters=True
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        event.listen(engine, "savepoint", _sqlite_savepoint)
        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


# pysqlite sends BEGIN (deferred) just before the first INSERT/UPDATE/DELETE, never
# before a SELECT, and that is kept: reads take no snapshot, so a session that reads
# and then writes waits for the write lock (busy timeout) instead of failing with
# "database is locked" because another connection committed in between. Two cases
# need a BEGIN of our own, both IMMEDIATE (take the write lock now, waiting for it):
# a writer that asks for it (``begin_writing``), and a SAVEPOINT outside a transaction,
# which SQLite would otherwise make the transaction itself, so that its RELEASE
# commits and a later rollback of the session cannot undo it.
SQLITE_BEGIN = "foibot_sqlite_begin"  # execution option: "IMMEDIATE" for a writer


def _sqlite_begin(conn: Connection) -> None:
    if str(conn.get_execution_options().get(SQLITE_BEGIN, "")).upper() == "IMMEDIATE":
        _begin_immediate(conn)


def _sqlite_savepoint(conn: Connection, _name: str) -> None:
    _begin_immediate(conn)


def _begin_immediate(conn: Connection) -> None:
    dbapi = conn.connection.dbapi_connection
    if dbapi is not None and not getattr(dbapi, "in_transaction", True):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def begin_writing(session: Session) -> None:
    """Start ``session``'s transaction as a writer (first thing in the session).

    On SQLite, BEGIN IMMEDIATE takes the write lock now, waiting up to the busy
    timeout, instead of failing later when a read transaction tries to write.
    """
    session.connection(execution_options={SQLITE_BEGIN: "IMMEDIATE"})


def alembic_config(engine: Engine) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    script = ScriptDirectory(str(MIGRATIONS))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Create or upgrade the schema to the newest revision; returns (before, after)."""
    try:
        before = current_revision(engine)
        command.upgrade(alembic_config(engine), "head")
        return before, head_revision()
    except OperationalError as err:
        raise StoreError(f"cannot open the database {_safe(engine)}: {err.orig}") from err
    except SQLAlchemyError as err:
        raise StoreError(f"cannot upgrade the database {_safe(engine)}: {err}") from err


def require_current(engine: Engine) -> None:
    """Fail with the fix when the schema is missing or older than this foibot."""
    try:
        rev = current_revision(engine)
    except OperationalError as err:
        raise StoreError(f"cannot open the database {_safe(engine)}: {err.orig}") from err
    if rev != head_revision():
        state = "not initialised" if rev is None else f"at revision {rev}, not the newest"
        raise StoreError(f"the database {_safe(engine)} is {state}; run: foibot init")


def _safe(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


class Database:
    """An engine plus a session factory; ``session()`` is one unit of work."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed when the block ends, rolled back on any error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def upgrade(self) -> tuple[str | None, str]:
        return upgrade(self.engine)

    def require_current(self) -> None:
        require_current(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()
