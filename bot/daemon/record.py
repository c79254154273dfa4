"""What the running daemon tells `foibot status`: one JSON row in the ``meta`` table.

The active daemon (never one on standby) writes the row ``daemon`` after each job
and every ``WRITE_SECONDS``: its pid and host, when it started, a heartbeat, and per
job the next run, the last run and its result or error. A heartbeat older than
``STALE_SECONDS`` means no daemon is running (it died, or was stopped: then
``state`` says ``stopped``). ``last_sweep`` is also read back at start-up, so a daily
sweep missed while foibot was down runs at once.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import threading
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from bot.store import Database
from bot.store.models import Meta, utcnow

RECORD_KEY = "daemon"
WRITE_SECONDS = 60.0
STALE_SECONDS = 3 * WRITE_SECONDS


@dataclass
class JobRecord:
    next_run: str | None = None
    last_run: str | None = None  # when the last run started
    last_ok: str | None = None  # when the last successful run ended
    last_result: str | None = None  # e.g. "3 fetched, 2 new, ..."
    last_error: str | None = None  # of the last run; None when it succeeded
    runs: int = 0


@dataclass
class DaemonRecord:
    pid: int = field(default_factory=os.getpid)
    host: str = field(default_factory=socket.gethostname)
    state: str = "starting"  # starting | active | stopped
    started_at: str = field(default_factory=lambda: utcnow().isoformat())
    heartbeat_at: str | None = None
    jobs: dict[str, JobRecord] = field(default_factory=dict)
    last_error: dict[str, str] | None = None  # {"at", "job", "error"}
    last_sweep: str | None = None  # when the last deadline sweep ran (UTC)


class Book:
    """The active daemon's record, kept in memory and written to ``meta`` (thread-safe)."""

    def __init__(self, db: Database, last_sweep: str | None = None) -> None:
        self.db = db
        self.record = DaemonRecord(last_sweep=last_sweep)
        self._lock = threading.Lock()

    def started(self, job_id: str, at: dt.datetime) -> None:
        with self._lock:
            job = self.record.jobs.setdefault(job_id, JobRecord())
            job.last_run, job.runs = at.isoformat(), job.runs + 1

    def finished(self, job_id: str, result: str | None, error: str | None) -> None:
        now = utcnow().isoformat()
        with self._lock:
            job = self.record.jobs.setdefault(job_id, JobRecord())
            job.last_result, job.last_error = result, error
            if error is None:
                job.last_ok = now
            else:
                self.record.last_error = {"at": now, "job": job_id, "error": error}

    def set_next_runs(self, next_runs: dict[str, dt.datetime | None]) -> None:
        with self._lock:
            for job_id, when in next_runs.items():
                job = self.record.jobs.setdefault(job_id, JobRecord())
                job.next_run = when.isoformat() if when else None

    def set(self, **changes: Any) -> None:
        with self._lock:
            for key, value in changes.items():
                setattr(self.record, key, value)

    def write(self) -> None:
        """Store the record (with a fresh heartbeat) in its own transaction."""
        with self._lock:
            self.record.heartbeat_at = utcnow().isoformat()
            value = json.dumps(asdict(self.record), sort_keys=True)
        with self.db.session() as session:
            row = session.get(Meta, RECORD_KEY)
            if row is None:
                session.add(Meta(key=RECORD_KEY, value=value))
            else:
                row.value = value


def read_record(session: Session) -> dict[str, Any] | None:
    """The last record a daemon wrote, as a dict; None when no daemon ever ran."""
    row = session.get(Meta, RECORD_KEY)
    if row is None:
        return None
    try:
        found = json.loads(row.value)
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


def is_live(record: dict[str, Any] | None, now: dt.datetime) -> bool:
    """Did a daemon write ``record`` recently and not say it stopped?"""
    if not record or record.get("state") == "stopped" or not record.get("heartbeat_at"):
        return False
    try:
        beat = dt.datetime.fromisoformat(str(record["heartbeat_at"]))
    except ValueError:
        return False
    return (now - beat).total_seconds() < STALE_SECONDS
