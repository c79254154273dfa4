"""The mailbox watcher: a thread that waits for new mail and starts the ``sync`` job.

It starts once the first sync has finished, then calls the source's
``wait_for_change`` (IMAP IDLE on INBOX with STATUS checks of the other folders;
Maildir directory checks) in slices of ``SLICE`` seconds (Maildir: ``MAILDIR_SLICE``),
holding the source lock only while it waits, so a scheduled sync gets the connection
between two slices. When the source reports a change, the watcher asks for a sync now and waits
until a sync has finished before it watches again (the source compares against what
the last complete sync saw). The other jobs never wait for it: they run in the
scheduler's threads.

While syncs are failing (a server down), the watcher leaves the retries to the sync
job's growing delay instead of asking for a sync on every change it thinks it sees.
An IMAP server without IDLE (or ``idle = false``) is polled by the sync job alone.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from bot.config import Config
from bot.daemon.jobs import LOCK_POLL, Jobs
from bot.errors import BotError, Interrupted
from bot.logs import log_event

log = logging.getLogger("bot.daemon")
SLICE = 20.0  # seconds per wait_for_change call (IMAP: each starts with STATUS, EXAMINE)
MAILDIR_SLICE = 2.0  # a Maildir check is two stat() calls per folder
SYNC_WAIT = 120.0  # longest wait for the requested sync before watching again
ERROR_PAUSE = 30.0  # after an error while waiting


def wants_watcher(config: Config) -> bool:
    """A Maildir, or IMAP with IDLE allowed; otherwise the sync job polls."""
    return config.mailbox.kind == "maildir" or config.mailbox.idle


def slice_for(config: Config) -> float:
    return MAILDIR_SLICE if config.mailbox.kind == "maildir" else SLICE


class MailboxWatcher(threading.Thread):
    def __init__(self, jobs: Jobs, sync_now: Callable[[], None]) -> None:
        super().__init__(name="foibot-mailbox-watcher", daemon=True)
        self.jobs = jobs
        self.sync_now = sync_now
        self.waiting = False  # inside wait_for_change: nothing to finish when stopping

    def run(self) -> None:
        jobs = self.jobs
        while not jobs.first_sync.wait(LOCK_POLL):  # the first sync runs without us
            if jobs.stop.is_set():
                return
        while not jobs.stop.is_set():
            if not wants_watcher(jobs.config):  # IMAP with idle = false: the sync job polls
                jobs.stop.wait(SLICE)
                continue
            try:
                with jobs.holding(jobs.source_lock):
                    self.waiting = True
                    try:
                        changed = jobs.current_source().wait_for_change(slice_for(jobs.config))
                    finally:
                        self.waiting = False
            except Interrupted:
                return
            except BotError as err:
                log_event(log, "watch_failed", logging.WARNING, error=" ".join(str(err).split()))
                jobs.stop.wait(ERROR_PAUSE)
                continue
            except Exception:  # a bug: keep watching; the sync job still polls
                log_event(log, "watch_crashed", logging.ERROR, exc_info=True)
                jobs.stop.wait(ERROR_PAUSE)
                continue
            if not changed or jobs.stop.is_set():
                continue
            seen = jobs.syncs
            if jobs.sync_failures == 0:
                log_event(log, "mail_waiting", logging.DEBUG)
                self.sync_now()
            self._wait_for_sync(seen)

    def _wait_for_sync(self, seen: int) -> None:
        jobs = self.jobs
        with jobs.synced:
            jobs.synced.wait_for(lambda: jobs.syncs > seen or jobs.stop.is_set(), SYNC_WAIT)
