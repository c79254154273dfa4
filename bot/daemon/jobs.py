"""The daemon's jobs: what ``sync``, ``deadline_sweep``, ``send`` and ``digest`` do.

Each job runs in a scheduler thread through ``Jobs.job``, which records the run in
the ``Book``, logs one line for anything that happened, and turns a ``BotError`` into
a logged failure (a bug is logged with its traceback): the daemon goes on either way.
A failed sync is retried after a growing delay (5 s, 10 s, ... up to
``mailbox.poll_seconds``); so is sending while the SMTP server cannot be used
(``daemon.send_seconds`` doubled, up to 30 minutes).

Two locks keep the jobs from tripping over each other: ``source_lock`` (one user of
the mail connection at a time: the sync or the mailbox watcher) and ``heavy`` (the sync
and the sweeps write many rows; on SQLite they would otherwise wait on each other's
write lock). Waiting for either stops when foibot is stopping. A sync stops early at
the next batch boundary when foibot is stopping (the batch is committed; the rest is
fetched next time).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from bot.config import Config
from bot.daemon.activity import log_drafts, log_messages, touched_requests
from bot.daemon.record import Book
from bot.errors import BotError, Interrupted
from bot.logs import log_event
from bot.mailbox import MailSource, source_from_config
from bot.notify import Notifier
from bot.outbox import send_due
from bot.parse import ParseLimits
from bot.pipeline import sync_once
from bot.rawstore import RawStore
from bot.secrets import mailbox_password
from bot.store import Database
from bot.store.models import utcnow
from bot.timeutil import today_london

log = logging.getLogger("bot.daemon")
SYNC, SEND = "sync", "send"  # the job ids (bot.daemon.schedule) this module retries
SEND_BACKOFF_MAX = 1800.0
LOCK_POLL = 0.25  # seconds between checks for a stop while waiting for a lock
START_EXTENSION = 120.0  # each batch of the first sync gives systemd this much more time


@dataclass(frozen=True)
class Outcome:
    """What a job did: a summary, an error (recorded as the job's failure), and whether
    it is worth a log line (a send job that found nothing to send is not)."""

    summary: str
    error: str | None = None
    notable: bool = True


def backoff(failures: int, first: float, most: float) -> float:
    """``first`` doubled per failure after the first, at most ``most``."""
    return min(first * 2.0 ** (failures - 1), most)


class Jobs:
    """The job bodies and the state they share (see the module docstring)."""

    def __init__(self, config: Config, db: Database, book: Book, notifier: Notifier) -> None:
        self.config, self.db, self.book, self.notifier = config, db, book, notifier
        self.stop = threading.Event()
        self.source: MailSource = source_from_config(config.mailbox, mailbox_password(config))
        self._next_source: MailSource | None = None
        self.source_lock = threading.Lock()
        self.heavy = threading.Lock()
        self.first_sync = threading.Event()
        self.sync_failures = 0
        self.syncs = 0  # finished sync runs; the watcher waits for this to move
        self.synced = threading.Condition()
        self.after_job: Callable[[str, Outcome], None] = lambda job_id, outcome: None
        self.send_failures = 0
        self.retry: Callable[[str, float], None] = lambda job_id, seconds: None

    # -- running a job ---------------------------------------------------------------

    def job(self, job_id: str, body: Callable[[], Outcome]) -> Callable[[], None]:
        def run() -> None:
            if self.stop.is_set():
                return
            self.book.started(job_id, utcnow())
            log_event(log, "job_start", logging.DEBUG, job=job_id)
            try:
                outcome = body()
            except Interrupted:
                outcome = Outcome("stopped early: foibot is stopping")
            except BotError as err:
                outcome = Outcome("failed", " ".join(str(err).split()))
            except Exception as err:  # a bug: logged with its traceback; the daemon goes on
                log_event(log, "job_crashed", logging.ERROR, exc_info=True, job=job_id)
                outcome = Outcome("crashed", f"{type(err).__name__}: {err}", notable=False)
            self.book.finished(job_id, outcome.summary, outcome.error)
            if outcome.error is not None and outcome.notable:
                log_event(log, "job_failed", logging.WARNING, job=job_id, error=outcome.error)
            log_event(log, "job_done", logging.DEBUG, job=job_id, result=outcome.summary)
            self.after_job(job_id, outcome)

        return run

    @contextlib.contextmanager
    def holding(self, lock: threading.Lock) -> Iterator[None]:
        """Hold ``lock``; Interrupted if foibot starts stopping while waiting for it."""
        while not lock.acquire(timeout=LOCK_POLL):
            if self.stop.is_set():
                raise Interrupted("foibot is stopping")
        try:
            yield
        finally:
            lock.release()

    # -- the mail source ---------------------------------------------------------------

    def replace_source(self, source: MailSource) -> None:
        """Use ``source`` from the next sync or wait on (after a reload)."""
        self._next_source = source

    def current_source(self) -> MailSource:
        """The source to use now; call with ``source_lock`` held."""
        if self._next_source is not None:
            old, self.source, self._next_source = self.source, self._next_source, None
            old.close()
        return self.source

    # -- the jobs ------------------------------------------------------------------------

    def sync(self) -> Outcome:
        try:
            outcome = self._sync()
        except Interrupted:
            raise
        except BotError:
            self.sync_failures += 1
            self.retry(SYNC, backoff(self.sync_failures, 5.0, self.poll_seconds))
            raise
        else:
            self.sync_failures = 0
            return outcome
        finally:
            self.first_sync.set()
            with self.synced:
                self.syncs += 1
                self.synced.notify_all()

    @property
    def poll_seconds(self) -> float:
        return float(self.config.mailbox.poll_seconds)

    def _sync(self) -> Outcome:
        config = self.config
        with self.holding(self.heavy):
            with self.holding(self.source_lock):
                started = utcnow()
                report = sync_once(self.db, RawStore(config.database.raw_dir),
                                   self.current_source(), ParseLimits(), self._progress,
                                   config=config)  # fmt: skip
            log_messages(self.db, started)
            touched = touched_requests(self.db, started)
            drafts = self._sweep(touched) if touched else 0
        first = not self.first_sync.is_set()
        notable = bool(first or report.fetched or report.quarantined or drafts)
        log_event(log, "sync_done", logging.INFO if notable else logging.DEBUG,
                  fetched=report.fetched, new=report.new, duplicates=report.duplicates,
                  processed=report.processed, quarantined=report.quarantined,
                  rematched=report.rematched, requests_touched=len(touched),
                  drafts=drafts)  # fmt: skip
        return Outcome(f"{report.summary()}, {drafts} new drafts", notable=notable)

    def _progress(self, line: str) -> None:
        if self.stop.is_set():
            raise Interrupted("sync stopped at a batch boundary: foibot is stopping")
        log_event(log, "sync_progress", logging.DEBUG, detail=line)
        if not self.first_sync.is_set():
            self.notifier.extend_timeout(START_EXTENSION)
            self.notifier.status(f"first sync: {line}")

    def _sweep(self, request_ids: list[int] | None) -> int:
        from bot.store.drafts import sweep  # the drafting stack: imported when first used

        with self.db.session() as session:
            made = sweep(session, self.config, today_london(), request_ids)
        log_drafts(made)
        return len(made)

    def deadline_sweep(self) -> Outcome:
        with self.holding(self.heavy):
            drafts = self._sweep(None)
        self.book.set(last_sweep=utcnow().isoformat())
        log_event(log, "sweep_done", drafts=drafts)
        return Outcome(f"{drafts} new drafts")

    def send(self) -> Outcome:
        """Send what is due; while the SMTP server cannot be used (down, login refused),
        try again after a growing delay (up to ``SEND_BACKOFF_MAX``), not every run."""
        report = send_due(self.db, self.config)
        if report.problem:
            self.send_failures += 1
            seconds = float(self.config.daemon.send_seconds)
            self.retry(SEND, backoff(self.send_failures, seconds, SEND_BACKOFF_MAX))
        elif not report.busy:
            self.send_failures = 0
        summary = str(report).splitlines()[0]
        busy = report.busy
        did = report.sent or report.failed or report.retrying or report.recovered or report.copies
        if did:
            log_event(log, "send_done", sent=len(report.sent), retrying=len(report.retrying),
                      failed=len(report.failed), recovered=len(report.recovered),
                      copies=report.copies)  # fmt: skip
        return Outcome(summary, report.problem, notable=not busy and bool(did))

    def digest(self) -> Outcome:
        if not self.config.digest.recipients:
            return Outcome("no [digest] recipients configured", notable=False)
        try:
            from bot.store.digests import queue_weekly_digest
        except ImportError:
            return Outcome("skipped", "the weekly digest is not available in this foibot")
        with self.holding(self.heavy), self.db.session() as session:
            drafts = queue_weekly_digest(session, self.config, utcnow())
            ids = [draft.id for draft in drafts]
        report = send_due(self.db, self.config) if ids else None
        sent = len([i for i in ids if report and i in report.sent])
        log_event(log, "digest_done", queued=len(ids), sent=sent,
                  recipients=len(self.config.digest.recipients))  # fmt: skip
        return Outcome(
            f"{len(ids)} digests queued, {sent} sent", report.problem if report else None
        )

    def close(self, timeout: float) -> bool:
        """Close the mail connection if nobody is using it within ``timeout`` s."""
        if not self.source_lock.acquire(timeout=timeout):
            return False
        try:
            self.current_source().close()
        finally:
            self.source_lock.release()
        return True
