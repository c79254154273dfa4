"""Moments in the daemon's life: standing by, catching up after a stop, reloading.

``Standby.wait``: until this process holds the single-instance lock (True) or is told
to stop (False). A process on standby tells systemd it is ready (it is healthy: it
waits by design) with ``STATUS=standby ...``, and keeps the watchdog fed.

``catch_up``: jobs to run at once after start-up: the deadline sweep when its last
scheduled time passed since the last sweep (so a sweep missed while foibot was down
is never skipped; it is idempotent), the digest only when at most
``daemon.misfire_grace_seconds`` late.

``reload_config`` (SIGHUP): read and check the config again; an invalid one is one
log line and the old one stays. A new ``database.url`` needs a restart (said in the
log); everything else applies: schedules at once, mailbox settings at the next sync.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import TYPE_CHECKING, Any

from bot.config import Config, load_config
from bot.daemon import schedule
from bot.daemon.instance import InstanceLock
from bot.daemon.jobs import Jobs
from bot.errors import ConfigError, DaemonError
from bot.logs import log_event
from bot.mailbox import source_from_config
from bot.secrets import mailbox_password

if TYPE_CHECKING:
    from bot.daemon.runner import Daemon

log = logging.getLogger("bot.daemon")
MAIN_POLL = 0.5  # seconds: how soon a signal is noticed while on standby
SWEEP_LOOKBACK = dt.timedelta(days=1, minutes=1)


class Standby:
    def __init__(self, daemon: Daemon, lock: InstanceLock) -> None:
        self.daemon, self.lock = daemon, lock

    def wait(self) -> bool:
        daemon, lock = self.daemon, self.lock
        if self._try():
            return True
        poll = daemon.config.daemon.standby_poll_seconds
        if daemon.notifier.watchdog is not None:
            poll = min(poll, daemon.notifier.watchdog / 4)
        log_event(log, "standby", lock=lock.describe(), poll_seconds=poll)
        daemon.notifier.ready("standby: another foibot runs the jobs on this database")
        next_try = time.monotonic() + poll
        while not daemon.stopping():
            daemon.stop.wait(min(MAIN_POLL, poll))  # a signal is noticed within MAIN_POLL
            daemon.tick()
            if time.monotonic() >= next_try:
                next_try = time.monotonic() + poll
                if self._try():
                    log_event(log, "took_over", lock=lock.describe())
                    daemon.notifier.status("took over from the other foibot")
                    return True
        return False

    def _try(self) -> bool:
        try:
            return self.lock.try_acquire()
        except DaemonError as err:
            log_event(log, "lock_failed", logging.WARNING, error=" ".join(str(err).split()))
            return False


def catch_up(config: Config, previous: dict[str, Any] | None, now: dt.datetime) -> list[str]:
    """The jobs to run now (see the module docstring)."""
    due_now: list[str] = []
    jobs = (previous or {}).get("jobs") or {}
    sweep_due = schedule.last_due(schedule.cron_trigger(config, schedule.DEADLINE_SWEEP), now,
                                  SWEEP_LOOKBACK)  # fmt: skip
    last_sweep = _time((previous or {}).get("last_sweep"))
    if sweep_due is not None and (last_sweep is None or last_sweep < sweep_due):
        due_now.append(schedule.DEADLINE_SWEEP)
    grace = dt.timedelta(seconds=config.daemon.misfire_grace_seconds)
    digest_due = schedule.last_due(schedule.cron_trigger(config, schedule.DIGEST), now, grace)
    last_digest = _time((jobs.get(schedule.DIGEST) or {}).get("last_run"))
    if digest_due is not None and (last_digest is None or last_digest < digest_due):
        due_now.append(schedule.DIGEST)
    return due_now


def _time(text: object) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(text)) if text else None
    except ValueError:
        return None


def reload_config(daemon: Daemon, jobs: Jobs) -> None:
    """Apply the config file again (see the module docstring)."""
    old = jobs.config
    try:
        new = load_config(daemon.config_path)
        source = source_from_config(new.mailbox, mailbox_password(new))
    except ConfigError as err:
        problems = "; ".join(err.problems) or str(err)
        log_event(log, "reload_failed", logging.WARNING, config=str(daemon.config_path),
                  error=problems, action="kept the running config")  # fmt: skip
        return
    if new.database_url != old.database_url:
        why = "database.url changed: restart foibot to use the new database"
        log_event(log, "reload_partial", logging.WARNING, reason=why)
        new = new.model_copy(update={"database": old.database})
    jobs.config = daemon.config = new
    jobs.replace_source(source)
    changed = schedule.reschedule(daemon.scheduler, old, new, daemon.heartbeat)
    log_event(
        log, "reloaded", config=str(daemon.config_path), rescheduled=",".join(changed) or None
    )
