"""The daemon's jobs as APScheduler 3 triggers, from the config.

Fixed job ids (``foibot status`` and ``foibot run --run-job`` use them):

- ``sync``: every ``mailbox.poll_seconds``, and at once when the mailbox watcher
  (IMAP IDLE, Maildir directory checks) sees new mail;
- ``deadline_sweep``: daily at ``deadlines.sweep_time``, Europe/London;
- ``send``: every ``daemon.send_seconds`` (cheap when nothing is approved);
- ``digest``: weekly at ``digest.day_of_week`` + ``digest.time``, Europe/London;
- ``heartbeat`` (internal): proves to the watchdog that jobs still run.

Every job: ``max_instances=1`` and ``coalesce=True`` (runs missed while the previous one
was busy collapse into one). Interval jobs may run however late; the daily and weekly
ones only within ``daemon.misfire_grace_seconds``. Jobs live in memory only (never
in a shared job store: two processes would run them twice); see ``instance``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.config import Config
from bot.deadlines import LONDON

SYNC, DEADLINE_SWEEP, SEND, DIGEST, HEARTBEAT = (
    "sync",
    "deadline_sweep",
    "send",
    "digest",
    "heartbeat",
)
JOB_IDS = (SYNC, DEADLINE_SWEEP, SEND, DIGEST)  # the public ones
INTERVAL_JOBS = frozenset({SYNC, SEND, HEARTBEAT})
WORKERS = 6  # one thread per job and a spare: the heartbeat never waits for a worker

Trigger = Any  # IntervalTrigger | CronTrigger (APScheduler 3 has no type hints)


def interval_seconds(config: Config, job_id: str, heartbeat: float) -> float:
    return {
        SYNC: float(config.mailbox.poll_seconds),
        SEND: float(config.daemon.send_seconds),
        HEARTBEAT: heartbeat,
    }[job_id]


def cron_trigger(config: Config, job_id: str) -> CronTrigger:
    if job_id == DEADLINE_SWEEP:
        at = config.deadlines.sweep_time
        return CronTrigger(hour=at.hour, minute=at.minute, second=at.second, timezone=LONDON)
    digest = config.digest
    return CronTrigger(
        day_of_week=digest.day_of_week,
        hour=digest.time.hour,
        minute=digest.time.minute,
        second=digest.time.second,
        timezone=LONDON,
    )


def triggers(config: Config, heartbeat: float) -> dict[str, Trigger]:
    """Each job's trigger; an interval job's first run is one interval from now."""
    found: dict[str, Trigger] = {}
    for job_id in (*JOB_IDS, HEARTBEAT):
        if job_id in INTERVAL_JOBS:
            seconds = interval_seconds(config, job_id, heartbeat)
            found[job_id] = IntervalTrigger(seconds=seconds, timezone=LONDON)
        else:
            found[job_id] = cron_trigger(config, job_id)
    return found


def misfire_grace(config: Config, job_id: str) -> int | None:
    """None (run however late) for interval jobs; the configured grace for the others."""
    return None if job_id in INTERVAL_JOBS else config.daemon.misfire_grace_seconds


def new_scheduler() -> BackgroundScheduler:
    return BackgroundScheduler(
        executors={"default": ThreadPoolExecutor(WORKERS)},
        job_defaults={"max_instances": 1, "coalesce": True},
        timezone=LONDON,
    )


def add_jobs(
    scheduler: BackgroundScheduler,
    config: Config,
    funcs: Mapping[str, Callable[[], None]],
    heartbeat: float,
    now: dt.datetime,
) -> None:
    """Add every job; ``sync`` and ``heartbeat`` run at once, the others when due."""
    for job_id, trigger in triggers(config, heartbeat).items():
        extra = {"next_run_time": now} if job_id in (SYNC, HEARTBEAT) else {}
        scheduler.add_job(
            funcs[job_id],
            trigger,
            id=job_id,
            name=job_id,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=misfire_grace(config, job_id),
            replace_existing=True,
            **extra,
        )


def reschedule(
    scheduler: BackgroundScheduler, old: Config, new: Config, heartbeat: float
) -> list[str]:
    """Apply a reloaded config's schedule; the ids of the jobs whose schedule changed."""
    before, after = triggers(old, heartbeat), triggers(new, heartbeat)
    changed = []
    for job_id, trigger in after.items():
        if str(trigger) != str(before[job_id]):
            scheduler.reschedule_job(job_id, trigger=trigger)
            changed.append(job_id)
        scheduler.modify_job(job_id, misfire_grace_time=misfire_grace(new, job_id))
    return changed


def next_runs(config: Config, now: dt.datetime) -> dict[str, dt.datetime]:
    """When each job would next run if the daemon started at ``now`` (for `foibot status`)."""
    found: dict[str, dt.datetime] = {}
    for job_id in JOB_IDS:
        if job_id in INTERVAL_JOBS:
            found[job_id] = now + dt.timedelta(seconds=interval_seconds(config, job_id, 0.0))
        else:
            found[job_id] = cron_trigger(config, job_id).get_next_fire_time(None, now)
    return found


def last_due(trigger: CronTrigger, now: dt.datetime, window: dt.timedelta) -> dt.datetime | None:
    """The latest time ``trigger`` fired in ``(now - window, now]``, or None."""
    last = None
    fire = trigger.get_next_fire_time(None, now - window)
    while fire is not None and fire <= now:
        last = fire
        fire = trigger.get_next_fire_time(fire, fire + dt.timedelta(microseconds=1))
    return last
