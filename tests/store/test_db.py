"""The database: Alembic upgrade from empty, models and migrations agree, both backends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, text

from bot.errors import StoreError
from bot.store import Database
from bot.store.db import current_revision, head_revision
from bot.store.models import Authority, Base, Event, Request, SyncState


def test_upgrade_from_empty_creates_the_schema(db_url: str) -> None:
    """`init` on an empty database creates every table at the newest revision."""
    db = Database(db_url)
    before, after = db.upgrade()
    assert before is None
    assert after == head_revision() == current_revision(db.engine)
    with db.engine.connect() as conn:
        diffs = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
    assert diffs == [], "the Alembic migrations and the models disagree"
    db.dispose()


def test_upgrade_twice_changes_nothing(db_url: str) -> None:
    db = Database(db_url)
    db.upgrade()
    before, after = db.upgrade()
    assert before == after == head_revision()
    db.dispose()


def test_times_round_trip_as_aware_utc(db_url: str) -> None:
    """A BST instant stored and read back is the same instant, in UTC."""
    db = Database(db_url)
    db.upgrade()
    sent = dt.datetime(2024, 6, 11, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    with db.session() as session:
        authority = Authority(name="A", email="foi@a.example", nation="wales", kind="council")
        request = Request(
            authority=authority, regime="foia", subject="S", state="awaiting_response",
            sent_at=sent,
        )  # fmt: skip
        request.events.append(Event(kind="sent", at=sent))
        session.add(request)
    with db.session() as session:
        stored = session.scalars(select(Request)).one()
        assert stored.sent_at == sent
        assert stored.sent_at is not None and stored.sent_at.tzinfo is not None
        assert stored.sent_at.utcoffset() == dt.timedelta(0)
        assert stored.events[0].at == sent
    db.dispose()


def test_failed_unit_of_work_rolls_back(db_url: str) -> None:
    """An error inside a session block leaves nothing half-written."""
    db = Database(db_url)
    db.upgrade()
    with pytest.raises(RuntimeError), db.session() as session:
        session.add(SyncState(mailbox="m", folder="INBOX", last_uid=5))
        session.flush()
        raise RuntimeError("boom")
    with db.session() as session:
        assert session.scalars(select(SyncState)).all() == []
    db.dispose()


def test_sqlite_runs_in_wal_mode_with_busy_timeout(tmp_path: Path) -> None:
    """The daemon and the web page can share the SQLite file."""
    db = Database(f"sqlite:///{tmp_path}/sub/dir/foibot.sqlite3")
    db.upgrade()
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 10_000
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    db.dispose()


def test_uninitialised_database_says_run_init(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path}/empty.sqlite3")
    with pytest.raises(StoreError, match="not initialised; run: foibot init"):
        db.require_current()
    db.dispose()


def test_unreachable_postgres_is_a_store_error(tmp_path: Path) -> None:
    """A PostgreSQL URL whose server is not there gives a clear StoreError."""
    db = Database(f"postgresql+psycopg://postgres@/nodb?host={tmp_path}")
    with pytest.raises(StoreError, match="cannot open the database"):
        db.upgrade()
    db.dispose()


def test_bad_url_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="not a database URL"):
        Database("not a url")


def test_a_savepoint_after_reads_is_undone_by_the_outer_rollback(db_url: str) -> None:
    """A draft added in a SAVEPOINT, in a session that had only read, is not committed
    by the savepoint's RELEASE: rolling the session back removes it (pysqlite would
    otherwise let the savepoint start, and its RELEASE end, SQLite's transaction)."""
    db = Database(db_url)
    db.upgrade()
    with pytest.raises(RuntimeError), db.session() as session:
        session.scalars(select(Authority)).all()  # only reads so far
        with session.begin_nested():
            session.add(Authority(name="Kept?", email="foi@kept.example", nation="england",
                                  kind="council"))  # fmt: skip
        raise RuntimeError("something later fails")
    with db.session() as session:
        assert session.scalars(select(Authority).where(Authority.name == "Kept?")).all() == []
    db.dispose()


def test_a_writer_session_takes_sqlite_s_write_lock_at_once(tmp_path: Path) -> None:
    """begin_writing: a second writer waits for the first instead of failing mid-way."""
    from bot.store.db import begin_writing

    db = Database(f"sqlite:///{tmp_path / 'w.sqlite3'}")
    db.upgrade()
    with db.session() as session:
        begin_writing(session)
        raw = session.connection().connection.dbapi_connection
        assert raw is not None and raw.in_transaction
        other = Database(f"sqlite:///{tmp_path / 'w.sqlite3'}")
        other_conn = other.engine.raw_connection()
        try:
            other_conn.execute("PRAGMA busy_timeout=0")
            with pytest.raises(Exception, match="locked"):
                other_conn.execute("BEGIN IMMEDIATE")
        finally:
            other_conn.close()
            other.dispose()
    db.dispose()


def test_a_session_that_read_can_still_write_after_another_commit(tmp_path: Path) -> None:
    """Reads take no snapshot: writing after another connection committed waits for the
    lock and succeeds (the daemon, the web page and the outbox share one SQLite file)."""
    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    db, other = Database(url), Database(url)
    db.upgrade()
    with db.session() as session:
        session.scalars(select(Authority)).all()
        with other.session() as elsewhere:
            elsewhere.add(Authority(name="A", email="foi@a.example", nation="england",
                                    kind="council"))  # fmt: skip
        session.add(Authority(name="B", email="foi@b.example", nation="england", kind="council"))
    with db.session() as session:
        assert sorted(a.name for a in session.scalars(select(Authority))) == ["A", "B"]
    db.dispose()
    other.dispose()
