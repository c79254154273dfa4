"""`foibot run`: the daemon's life, from the single-instance lock to a clean stop.

1. Take the single-instance lock (``instance``), or stand by until it can be taken.
2. Initialise the database, start the scheduler (``schedule``, ``jobs``), the mailbox
   watcher and the systemd watchdog.
3. Once the first sync has finished: ``READY=1``, a short summary for the operator,
   a deadline sweep (or digest) missed while foibot was down, and any ``--run-job``.
4. Until SIGTERM/SIGINT: SIGHUP reloads the config (an invalid one is reported in one
   log line and the old one kept).
5. Stop: ``STOPPING=1``; running jobs finish (a sync at its next batch boundary);
   exit 0. Losing the lock (its PostgreSQL session) stops foibot with exit code 1.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import queue
import signal
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED, JobEvent

from bot.config import Config
from bot.daemon import schedule
from bot.daemon.instance import InstanceLock
from bot.daemon.jobs import Jobs, Outcome
from bot.daemon.lifecycle import Standby, catch_up, reload_config
from bot.daemon.record import WRITE_SECONDS, Book, read_record
from bot.daemon.status import gather
from bot.daemon.statustext import summary_lines
from bot.daemon.watchdog import Watchdog, heartbeat_seconds
from bot.daemon.watcher import MailboxWatcher
from bot.errors import DaemonError
from bot.logs import log_event
from bot.notify import Notifier
from bot.secrets import mailbox_password, smtp_password
from bot.store import Database
from bot.store.models import utcnow
from bot.timeutil import today_london

log = logging.getLogger("bot.daemon")
MAIN_POLL = 0.5  # seconds: how often the main thread looks at signals and the jobs
WATCHER_JOIN = 2.0


class Daemon:
    def __init__(self, config_path: Path, config: Config, initialise: Callable[[Config], Database],
                 say: Callable[[str], None], run_jobs: Sequence[str] = (),
                 notifier: Notifier | None = None) -> None:  # fmt: skip
        self.config_path, self.config = config_path, config
        self.initialise, self.say, self.run_jobs = initialise, say, tuple(run_jobs)
        self.notifier = notifier or Notifier()
        self.stop = threading.Event()
        self.reload_wanted = False
        self.signalled: str | None = None
        self.fatal: DaemonError | None = None
        self.heartbeat = heartbeat_seconds(self.notifier.watchdog)
        self.last_tick = time.monotonic()
        self.last_write = 0.0
        self.jobs: Jobs | None = None
        self.scheduler: Any = None
        # Other threads never call the scheduler (a job doing so while it shuts down
        # would deadlock): they hand the main thread a call through ``soon``.
        self._todo: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._wake = threading.Event()

    # -- signals ---------------------------------------------------------------------

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        """Only set flags (no locks in a signal handler); the main loop acts on them."""
        if signum == signal.SIGHUP:
            self.reload_wanted = True
        else:
            self.signalled = self.signalled or signal.Signals(signum).name

    def stopping(self) -> bool:
        """Has foibot been told to stop? (Sets the stop events for the other threads.)"""
        if self.signalled is not None or self.fatal is not None:
            self.stop.set()
            if self.jobs is not None:
                self.jobs.stop.set()
        return self.stop.is_set()

    def soon(self, call: Callable[[], None]) -> None:
        """Have the main thread make ``call`` (within ``MAIN_POLL``, at once if it waits)."""
        self._todo.put(call)
        self._wake.set()

    def _install_signals(self) -> None:
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, self._on_signal)

    # -- the life ----------------------------------------------------------------------

    def run(self) -> int:
        """Run until stopped; the exit code (0, or 1 when the lock was lost)."""
        mailbox_password(self.config), smtp_password(self.config)  # fail now, not on takeover
        self._install_signals()
        lock = InstanceLock(Database(self.config.database_url))
        watchdog = Watchdog(self.notifier, self._health)
        if watchdog.wanted:
            watchdog.start()
        try:
            if not Standby(self, lock).wait():
                self.say(f"foibot: {self.signalled or 'stop'} received, stopping")
                return 0
            self._run_active(lock)
        finally:
            watchdog.stop()
            lock.release()
            lock.db.dispose()
            self.notifier.close()
        return 1 if self.fatal else 0

    def tick(self) -> None:
        self.last_tick = time.monotonic()

    def _health(self) -> str | None:
        if self.scheduler is not None and not self.scheduler.running and not self.stop.is_set():
            return "the scheduler is not running"
        allowed = 3 * max(self.heartbeat, MAIN_POLL) + 1.0
        if self.jobs is None:  # standby, or starting
            allowed = max(allowed, 3 * self.config.daemon.standby_poll_seconds + 1.0)
        late = time.monotonic() - self.last_tick
        return f"no heartbeat for {late:.0f} s" if late > allowed else None

    def _run_active(self, lock: InstanceLock) -> None:
        db = self.initialise(self.config)
        with db.session() as session:
            previous = read_record(session)
        book = Book(db, last_sweep=(previous or {}).get("last_sweep"))
        book.set(state="active")
        jobs = self.jobs = Jobs(self.config, db, book, self.notifier)
        if self.stop.is_set():
            jobs.stop.set()
        jobs.after_job, jobs.retry = self._after_job, self._retry
        self.scheduler = scheduler = schedule.new_scheduler()
        scheduler.add_listener(self._on_job_event, EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES)
        funcs = {job_id: jobs.job(job_id, getattr(jobs, job_id)) for job_id in schedule.JOB_IDS}
        funcs[schedule.HEARTBEAT] = lambda: self._heartbeat(lock)
        schedule.add_jobs(scheduler, self.config, funcs, self.heartbeat, utcnow())
        log_event(log, "started", pid=os.getpid(), lock=lock.describe(), heartbeat=self.heartbeat)
        self.notifier.status("first sync")
        scheduler.start()
        watcher = MailboxWatcher(jobs, lambda: self.soon(lambda: self._run_now(schedule.SYNC)))
        watcher.start()
        try:
            ready = False
            while not self.stopping():
                self._wake.wait(MAIN_POLL)
                self._wake.clear()
                if not ready and jobs.first_sync.is_set():
                    self._ready(db, previous)
                    ready = True
                if self.reload_wanted:
                    self.reload_wanted = False
                    reload_config(self, jobs)
                while not self._todo.empty() and not self.stopping():
                    self._todo.get()()
        finally:
            self._shutdown(db, book, jobs, watcher)

    def _ready(self, db: Database, previous: dict[str, Any] | None) -> None:
        status = gather(db, self.config, utcnow(), today_london())
        requests, drafts = status["requests"], status["drafts"]
        text = (f"ready: {requests['total']} requests, {requests['overdue']} overdue, "
                f"{drafts['pending']} drafts pending")  # fmt: skip
        self.notifier.ready(text)
        log_event(log, "ready", requests=requests["total"], overdue=requests["overdue"],
                  very_overdue=requests["very_overdue"], drafts_pending=drafts["pending"],
                  holding_pen=status["holding_pen"], quarantine=status["quarantine"])  # fmt: skip
        for line in summary_lines(status):
            self.say(line)
        for job_id in (*catch_up(self.config, previous, utcnow()), *self.run_jobs):
            log_event(log, "run_now", job=job_id)
            self._run_now(job_id)

    def _shutdown(self, db: Database, book: Book, jobs: Jobs, watcher: MailboxWatcher) -> None:
        if self.signalled:
            self.say(f"foibot: {self.signalled} received, stopping")
        self.stop.set()
        jobs.stop.set()
        with jobs.synced:
            jobs.synced.notify_all()
        self.notifier.stopping("stopping")
        log_event(log, "stopping", signal=self.signalled)
        self.scheduler.shutdown(wait=True)  # running jobs finish (a sync at a batch boundary)
        if not watcher.waiting:  # an IDLE is not waited out: the connection ends with us
            watcher.join(WATCHER_JOIN)
        jobs.close(timeout=0.0 if watcher.is_alive() else 5.0)
        book.set(state="stopped")
        self._write(book)
        db.dispose()
        log_event(log, "stopped")

    # -- scheduler hooks -----------------------------------------------------------------

    def _run_now(self, job_id: str, when: dt.datetime | None = None) -> None:
        """Run ``job_id`` now (or at ``when``); main thread only."""
        try:
            self.scheduler.modify_job(job_id, next_run_time=when or utcnow())
        except Exception as err:  # no such job (a bug), or the scheduler stopped
            log_event(log, "run_now_failed", logging.WARNING, job=job_id, error=err)

    def _retry(self, job_id: str, seconds: float) -> None:
        when = utcnow() + dt.timedelta(seconds=seconds)
        log_event(log, "retry", logging.INFO, job=job_id, seconds=round(seconds, 1))
        self.soon(lambda: self._run_now(job_id, when))

    def _on_job_event(self, event: JobEvent) -> None:
        if event.code == EVENT_JOB_MISSED:
            log_event(log, "job_missed", logging.WARNING, job=event.job_id,
                      scheduled=getattr(event, "scheduled_run_time", None))  # fmt: skip
        else:
            log_event(log, "job_skipped", logging.DEBUG, job=event.job_id, reason="still running")

    def _heartbeat(self, lock: InstanceLock) -> None:
        self.tick()
        try:
            lock.check()
        except DaemonError as err:
            self.fatal = err
            log_event(log, "lock_lost", logging.ERROR, error=str(err))
            self._wake.set()
            return
        if self.jobs is not None and time.monotonic() - self.last_write >= WRITE_SECONDS:
            book = self.jobs.book
            self.soon(lambda: self._write(book))

    def _after_job(self, job_id: str, outcome: Outcome) -> None:
        if self.jobs is None:
            return
        book = self.jobs.book
        if job_id != schedule.SEND or outcome.notable or outcome.error:  # not every idle send
            self.soon(lambda: self._write(book))
        if job_id == schedule.SYNC:
            summary = book.record.jobs[job_id].last_result or ""
            self.notifier.status(f"last sync {time.strftime('%H:%M')}: {summary}")

    def _write(self, book: Book) -> None:
        """Store the record with each job's next run (main thread only: it asks the
        scheduler); a failure is logged, never raised."""
        if self.scheduler is not None:
            jobs = {job.id: job.next_run_time for job in self.scheduler.get_jobs()}
            book.set_next_runs({k: v for k, v in jobs.items() if k in schedule.JOB_IDS})
        try:
            book.write()
            self.last_write = time.monotonic()
        except Exception as err:
            log_event(log, "record_failed", logging.WARNING, error=" ".join(str(err).split()))
