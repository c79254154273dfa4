"""The daemon's schedule and jobs, in-process: triggers from the config, catching up after
a stop, and each job against a real database and SMTP server."""

from __future__ import annotations

import datetime as dt
import logging
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.config import Config
from bot.daemon import schedule
from bot.daemon.instance import InstanceLock
from bot.daemon.jobs import Jobs, Outcome
from bot.daemon.lifecycle import catch_up
from bot.daemon.record import Book, is_live, read_record
from bot.deadlines import LONDON
from bot.errors import ConnectError, Interrupted
from bot.notify import Notifier
from bot.store import Database
from bot.store.models import Draft, Message, RawMessage
from bot.vocabulary import DraftStatus
from tests.outbox_support import (
    add_authority,
    add_draft,
    add_request_row,
    maildir_toml,
    open_db,
    write_config,
)
from tests.servers.smtp import SmtpServer
from tests.test_pipeline import deliver, make_message

UTC = dt.UTC


def london(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


def config_for(tmp_path: Path, extra: str = "", smtp: str = "") -> Config:
    return write_config(tmp_path, maildir_toml(tmp_path), smtp, extra)


def jobs_for(config: Config) -> tuple[Jobs, Database]:
    db = open_db(config)
    return Jobs(config, db, Book(db), Notifier({})), db


# -- triggers -------------------------------------------------------------------------


def test_the_daily_sweep_runs_at_sweep_time_london_on_both_sides_of_the_clock_change(
    tmp_path: Path,
) -> None:
    config = config_for(tmp_path, '[deadlines]\nsweep_time = "07:30"\n')
    trigger = schedule.cron_trigger(config, schedule.DEADLINE_SWEEP)
    before = trigger.get_next_fire_time(None, london(2026, 3, 27, 12, 0))
    after = trigger.get_next_fire_time(before, before + dt.timedelta(seconds=1))
    assert before.astimezone(UTC) == dt.datetime(2026, 3, 28, 7, 30, tzinfo=UTC)  # GMT
    assert after.astimezone(UTC) == dt.datetime(2026, 3, 29, 6, 30, tzinfo=UTC)  # BST


def test_the_digest_runs_weekly_on_the_configured_day_and_time(tmp_path: Path) -> None:
    config = config_for(tmp_path, '[digest]\nday_of_week = "wed"\ntime = "18:15"\n')
    found = schedule.next_runs(config, london(2026, 11, 23, 9, 0))  # a Monday
    assert found[schedule.DIGEST] == london(2026, 11, 25, 18, 15)
    assert found[schedule.DEADLINE_SWEEP] == london(2026, 11, 24, 7, 0)


def test_interval_jobs_come_from_poll_seconds_and_send_seconds(tmp_path: Path) -> None:
    config = write_config(
        tmp_path, maildir_toml(tmp_path) + "poll_seconds = 45\n", "", "[daemon]\nsend_seconds = 7\n"
    )
    now = london(2026, 11, 23, 9, 0)
    found = schedule.next_runs(config, now)
    assert found[schedule.SYNC] == now + dt.timedelta(seconds=45)
    assert found[schedule.SEND] == now + dt.timedelta(seconds=7)
    assert schedule.misfire_grace(config, schedule.SEND) is None
    assert schedule.misfire_grace(config, schedule.DIGEST) == 3600


def test_every_job_is_added_once_with_one_instance_and_coalescing(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    scheduler = schedule.new_scheduler()
    funcs = {job_id: (lambda: None) for job_id in (*schedule.JOB_IDS, schedule.HEARTBEAT)}
    schedule.add_jobs(scheduler, config, funcs, 15.0, dt.datetime.now(UTC))
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"sync", "deadline_sweep", "send", "digest", "heartbeat"}
    assert all(job.max_instances == 1 and job.coalesce for job in jobs.values())


# -- catching up after a stop ---------------------------------------------------------


def test_a_sweep_missed_while_foibot_was_down_runs_at_start_up(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    now = london(2026, 11, 24, 12, 0)
    assert catch_up(config, None, now) == [schedule.DEADLINE_SWEEP]
    yesterday = {"last_sweep": london(2026, 11, 23, 7, 0).isoformat()}
    assert catch_up(config, yesterday, now) == [schedule.DEADLINE_SWEEP]
    today = {"last_sweep": london(2026, 11, 24, 7, 0, 2).isoformat()}
    assert catch_up(config, today, now) == []


def test_a_missed_digest_runs_at_start_up_only_within_the_grace_time(tmp_path: Path) -> None:
    config = config_for(tmp_path, "[daemon]\nmisfire_grace_seconds = 7200\n")
    swept = {"last_sweep": london(2026, 11, 23, 7, 0).isoformat()}
    assert catch_up(config, swept, london(2026, 11, 23, 9, 30)) == [schedule.DIGEST]
    assert catch_up(config, swept, london(2026, 11, 23, 10, 30)) == []
    sent = {**swept, "jobs": {"digest": {"last_run": london(2026, 11, 23, 8, 0).isoformat()}}}
    assert catch_up(config, sent, london(2026, 11, 23, 9, 30)) == []


# -- the jobs ---------------------------------------------------------------------------


def test_the_deadline_sweep_drafts_a_chaser_for_an_overdue_request(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    jobs, db = jobs_for(config)
    authority = add_authority(db)
    request = add_request_row(db, config, authority, "Freedom of Information request: libraries")
    with db.session() as session:
        from bot.store.models import Request

        row = session.get(Request, request)
        assert row is not None
        sent = dt.datetime.now(UTC) - dt.timedelta(days=35)  # ~25 working days: overdue
        row.sent_at = sent
        for event in row.events:
            event.at = sent
    outcome = jobs.deadline_sweep()
    assert outcome.summary == "1 new drafts"
    with db.session() as session:
        drafts = list(session.query(Draft).filter_by(request_id=request))
    assert [(d.kind, d.trigger, d.status) for d in drafts] == [
        ("chaser", "response_overdue", "pending")
    ]
    assert jobs.book.record.last_sweep is not None
    assert jobs.deadline_sweep().summary == "0 new drafts"  # idempotent


def test_the_send_job_delivers_approved_drafts_and_is_quiet_when_none_are_due(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    config = config_for(tmp_path, smtp=smtp_server.smtp_toml() + 'sent_copy = "none"\n')
    jobs, db = jobs_for(config)
    assert jobs.send() == Outcome("outbox: 0 sent, 0 to retry, 0 failed", None, notable=False)
    draft = add_draft(db, authority_id=add_authority(db))
    outcome = jobs.send()
    assert outcome.summary.startswith("outbox: 1 sent") and outcome.notable
    assert len(smtp_server.messages) == 1
    with db.session() as session:
        row = session.get(Draft, draft)
        assert row is not None and row.status == DraftStatus.SENT.value


def test_while_the_smtp_server_is_down_sending_is_retried_after_a_growing_delay(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    smtp = smtp_server.smtp_toml() + 'sent_copy = "none"\nretry_seconds = 0.01\n'
    config = config_for(tmp_path, "[daemon]\nsend_seconds = 20\n", smtp)
    jobs, db = jobs_for(config)
    delays: list[tuple[str, float]] = []
    jobs.retry = lambda job_id, seconds: delays.append((job_id, seconds))
    add_draft(db, authority_id=add_authority(db))
    smtp_server.stop()
    for _ in range(2):
        outcome = jobs.send()
        assert outcome.error is not None and "refused" in outcome.error
        time.sleep(0.05)  # the letter's own retry time (retry_seconds) has passed
    assert delays == [("send", 20.0), ("send", 40.0)]
    smtp_server.start()
    assert jobs.send().summary.startswith("outbox: 1 sent")
    assert jobs.send_failures == 0


def test_the_digest_job_queues_and_sends_the_weekly_digest_once(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    smtp = smtp_server.smtp_toml() + 'sent_copy = "none"\n'
    config = config_for(tmp_path, '[digest]\nrecipients = ["team@example.ac.uk"]\n', smtp)
    jobs, _db = jobs_for(config)
    assert jobs.digest().summary == "1 digests queued, 1 sent"
    assert [m.rcpt_tos for m in smtp_server.messages] == [("team@example.ac.uk",)]
    assert jobs.digest().summary == "0 digests queued, 0 sent"  # once a week


def test_a_sync_told_to_stop_ends_at_a_batch_boundary_and_the_next_sync_finishes_the_work(
    tmp_path: Path,
) -> None:
    config = config_for(tmp_path)
    for n in range(3):
        deliver(tmp_path / "mail", make_message(n))
    jobs, db = jobs_for(config)
    jobs.stop.set()  # as SIGTERM does
    with pytest.raises(Interrupted):
        jobs.sync()
    with db.session() as session:
        assert session.scalar(select(func.count(RawMessage.id))) == 3  # the batch is kept
        assert session.scalar(select(func.count(Message.id))) == 0
    jobs.stop.clear()
    summary = jobs.sync().summary
    assert ", 0 new, " in summary and ", 3 processed, " in summary  # none stored twice
    with db.session() as session:
        assert session.scalar(select(func.count(Message.id))) == 3


def test_a_failing_sync_is_recorded_and_retried_sooner_each_time_up_to_the_poll_interval(
    tmp_path: Path,
) -> None:
    config = config_for(tmp_path)
    jobs, _db = jobs_for(config)
    delays: list[float] = []
    jobs.retry = lambda job_id, seconds: delays.append(seconds)

    def broken() -> Outcome:
        raise ConnectError("cannot connect to imap.example.org:993: connection refused")

    jobs._sync = broken  # type: ignore[method-assign]
    run = jobs.job("sync", jobs.sync)
    for _ in range(8):
        run()
    assert delays == [5.0, 10.0, 20.0, 40.0, 80.0, 160.0, 300.0, 300.0]
    record = jobs.book.record
    assert record.jobs["sync"].runs == 8
    assert "connection refused" in (record.jobs["sync"].last_error or "")
    assert record.last_error is not None and "connection refused" in record.last_error["error"]
    assert jobs.first_sync.is_set()  # READY is not held back by a server that is down


def test_a_bug_in_a_job_is_logged_with_its_traceback_and_the_next_run_goes_ahead(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = config_for(tmp_path)
    jobs, _db = jobs_for(config)
    calls: list[int] = []

    def body() -> Outcome:
        calls.append(1)
        if len(calls) == 1:
            raise KeyError("oops")
        return Outcome("fine")

    run = jobs.job("send", body)
    with caplog.at_level(logging.ERROR, logger="bot.daemon"):
        run()
    run()
    assert len(calls) == 2
    assert any(r.exc_info for r in caplog.records), "no traceback logged"
    assert jobs.book.record.jobs["send"].last_error is None  # the second run succeeded
    assert jobs.book.record.last_error is not None
    assert jobs.book.record.last_error["error"] == "KeyError: 'oops'"


def test_the_book_is_written_to_meta_and_read_back_as_a_live_daemon(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    db = open_db(config)
    book = Book(db)
    book.started("sync", dt.datetime.now(UTC))
    book.finished("sync", "1 fetched", None)
    book.set(state="active")
    book.write()
    with db.session() as session:
        record = read_record(session)
    assert record is not None and record["jobs"]["sync"]["runs"] == 1
    assert is_live(record, dt.datetime.now(UTC))
    assert not is_live(record, dt.datetime.now(UTC) + dt.timedelta(minutes=5))
    assert not is_live({**record, "state": "stopped"}, dt.datetime.now(UTC))


def test_only_one_instance_lock_is_held_on_a_sqlite_database_at_a_time(tmp_path: Path) -> None:
    config = config_for(tmp_path)
    first, second = (InstanceLock(Database(config.database_url)) for _ in range(2))
    assert first.try_acquire()
    assert not second.try_acquire()
    first.check()  # a lock file cannot be lost
    first.release()
    assert second.try_acquire()
    second.release()
    assert Path(config.database_url.removeprefix("sqlite:///") + ".daemon-lock").exists()
