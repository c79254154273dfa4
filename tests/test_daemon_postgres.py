"""Two `foibot run` on one PostgreSQL database: only the lock holder runs jobs, each
approved letter goes out once, and the standby takes over when the active one dies or
loses its database session."""

from __future__ import annotations

import signal
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.config import Config
from bot.daemon.instance import DAEMON_KEY
from bot.store import Database
from tests.outbox_support import add_authority, add_draft, maildir_toml, write_config
from tests.servers.postgres import PostgresCluster
from tests.servers.smtp import SmtpServer
from tests.test_daemon_e2e import DaemonProcess, wait_until

pytestmark = pytest.mark.postgres


def pg_config(tmp_path: Path, url: str, smtp: SmtpServer) -> Config:
    config = write_config(
        tmp_path,
        maildir_toml(tmp_path),
        smtp.smtp_toml() + 'sent_copy = "none"\n',
        "\n[daemon]\nsend_seconds = 1\nstandby_poll_seconds = 0.5\n",
    )
    path = config.source
    path.write_text(path.read_text().replace(f'url = "{config.database_url}"', f'url = "{url}"'))
    return Config.model_validate({**config.model_dump(), "database": {"url": url}})


def lock_holders(db: Database) -> list[int]:
    query = "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = :key AND granted"
    with db.engine.connect() as conn:
        return [int(pid) for pid in conn.scalars(text(query), {"key": DAEMON_KEY})]


def approve_letters(db: Database, authority: int, count: int, tag: str) -> None:
    for n in range(count):
        add_draft(db, authority_id=authority, subject=f"Chaser {tag}-{n}")


def delivered(smtp: SmtpServer) -> Counter[str]:
    return Counter(m.message_id for m in smtp.messages)


def test_two_daemons_never_both_run_jobs_and_the_standby_takes_over_after_sigkill(
    tmp_path: Path, postgres: PostgresCluster, smtp_server: SmtpServer
) -> None:
    config = pg_config(tmp_path, postgres.create_database(), smtp_server)
    first = DaemonProcess(config.source, "--log-level", "debug")
    second: DaemonProcess | None = None
    db = Database(config.database_url)
    try:
        first.wait_for("event=ready")
        second = DaemonProcess(config.source, "--log-level", "debug")
        second.wait_for("event=standby")
        authority = add_authority(db)
        approve_letters(db, authority, 5, "a")
        assert wait_until(lambda: len(smtp_server.messages) == 5), first.output
        assert not second.saw("event=job_start"), second.output  # it never ran a job
        assert len(lock_holders(db)) == 1

        first.stop(signal.SIGKILL)
        second.wait_for("event=took_over")
        second.wait_for("event=ready")
        approve_letters(db, authority, 3, "b")
        assert wait_until(lambda: len(smtp_server.messages) == 8), second.output
        assert second.saw("event=job_start job=send")
        assert len(lock_holders(db)) == 1
    finally:
        first.stop(signal.SIGKILL)
        code = second.stop() if second is not None else 0
        db.dispose()
    assert code == 0, second.output if second else ""
    counts = delivered(smtp_server)
    assert len(counts) == 8 and set(counts.values()) == {1}, counts  # each letter once


def test_a_daemon_that_loses_its_lock_session_stops_and_the_standby_takes_over(
    tmp_path: Path, postgres: PostgresCluster, smtp_server: SmtpServer
) -> None:
    config = pg_config(tmp_path, postgres.create_database(), smtp_server)
    first = DaemonProcess(config.source)
    second: DaemonProcess | None = None
    db = Database(config.database_url)
    try:
        first.wait_for("event=ready")
        second = DaemonProcess(config.source)
        second.wait_for("event=standby")
        [holder] = lock_holders(db)
        with db.engine.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": holder})
        assert first.proc.wait(timeout=60) == 1, first.output
        assert "event=lock_lost" in first.output
        assert "foibot: error: lost the database session holding the single-instance lock" in (
            first.output
        )
        second.wait_for("event=took_over")
        second.wait_for("event=ready")
    finally:
        first.stop(signal.SIGKILL)
        code = second.stop() if second is not None else 0
        db.dispose()
    assert code == 0
