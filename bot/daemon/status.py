"""Where everything stands, for `foibot status` and the daemon's start-up summary.

``gather`` reads the database only (it never contacts a server) and returns the
stable `foibot status --json` record documented in docs/cli.md. Next run times come
from the running daemon's record in ``meta`` when it is live (``next_jobs.source`` =
``"daemon"``), else they are computed from the config as if it started now
(``"config"``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from bot.config import Config
from bot.daemon.record import is_live, read_record
from bot.daemon.schedule import JOB_IDS, next_runs
from bot.drafting.registry import DORMANT
from bot.store import Database
from bot.store.clocks import overdue_flags, request_deadlines
from bot.store.models import Draft, Message, Quarantine, Request, SyncState
from bot.vocabulary import DraftStatus, MessageStatus

DRAFT_STATUSES = tuple(s.value for s in DraftStatus)


def gather(db: Database, config: Config, now: dt.datetime, today: dt.date) -> dict[str, Any]:
    """The `foibot status --json` record (see the module docstring)."""
    with db.session() as session:
        record = read_record(session)
        live = is_live(record, now)
        return {
            "database": db.engine.url.render_as_string(hide_password=True),
            "daemon": _daemon(record, live),
            "folders": _folders(session),
            "requests": _requests(session, config, today),
            "messages": int(session.scalar(select(func.count(Message.id))) or 0),
            "drafts": _drafts(session),
            "holding_pen": _count(session, Message.status == MessageStatus.HOLDING.value),
            "quarantine": int(
                session.scalar(
                    select(func.count(Quarantine.id)).where(Quarantine.resolved_at.is_(None))
                )
                or 0
            ),
            "next_jobs": _next_jobs(record if live else None, config, now),
            "jobs": {k: v for k, v in ((record or {}).get("jobs") or {}).items() if k in JOB_IDS},
            "last_error": _last_error(session, record),
        }


def _count(session: Session, condition: Any) -> int:
    return int(session.scalar(select(func.count(Message.id)).where(condition)) or 0)


def _daemon(record: dict[str, Any] | None, live: bool) -> dict[str, Any]:
    keys = ("pid", "host", "state", "started_at", "heartbeat_at")
    found = {key: (record or {}).get(key) for key in keys}
    return {"running": live, **found}


def _folders(session: Session) -> list[dict[str, Any]]:
    rows = session.scalars(select(SyncState).order_by(SyncState.mailbox, SyncState.folder))
    return [
        {
            "mailbox": row.mailbox,
            "folder": row.folder,
            "last_sync_at": row.last_sync_at.isoformat() if row.last_sync_at else None,
            "last_error": row.last_error,
        }
        for row in rows
    ]


def _requests(session: Session, config: Config, today: dt.date) -> dict[str, Any]:
    by_state = Counter(
        {
            state: int(n)
            for state, n in session.execute(
                select(Request.state, func.count(Request.id)).group_by(Request.state)
            )
        }
    )
    overdue = very = 0
    open_requests = session.scalars(
        select(Request)
        .where(Request.state.not_in([s.value for s in DORMANT]))
        .options(selectinload(Request.events), selectinload(Request.authority))
    )
    for request in open_requests:
        is_overdue, is_very = overdue_flags(request_deadlines(request, config), today)
        overdue += is_overdue
        very += is_very
    return {
        "total": sum(by_state.values()),
        "by_state": dict(sorted(by_state.items())),
        "overdue": overdue,
        "very_overdue": very,
    }


def _drafts(session: Session) -> dict[str, int]:
    counts = dict.fromkeys(DRAFT_STATUSES, 0)
    query = select(Draft.status, func.count(Draft.id)).group_by(Draft.status)
    for status, n in session.execute(query):
        counts[status] = int(n)
    return counts


def _next_jobs(record: dict[str, Any] | None, config: Config, now: dt.datetime) -> dict[str, Any]:
    if record is not None:
        jobs = record.get("jobs") or {}
        times = {job_id: (jobs.get(job_id) or {}).get("next_run") for job_id in JOB_IDS}
        return {"source": "daemon", **times}
    computed = next_runs(config, now)
    return {"source": "config", **{k: v.isoformat() for k, v in computed.items()}}


def _last_error(session: Session, record: dict[str, Any] | None) -> dict[str, Any] | None:
    """The newest of: the daemon's last job error, a failed draft, a quarantined message."""
    found: list[dict[str, Any]] = []
    if record and record.get("last_error"):
        error = record["last_error"]
        found.append(
            {"at": error.get("at"), "source": error.get("job"), "error": error.get("error")}
        )
    draft = session.scalars(
        select(Draft)
        .where(Draft.status == DraftStatus.FAILED.value)
        .order_by(Draft.updated_at.desc())
        .limit(1)
    ).first()
    if draft is not None:
        found.append({"at": draft.updated_at.isoformat(), "source": f"draft {draft.id}",
                      "error": draft.error})  # fmt: skip
    held = session.scalars(
        select(Quarantine)
        .where(Quarantine.resolved_at.is_(None))
        .order_by(Quarantine.created_at.desc())
        .limit(1)
    ).first()
    if held is not None:
        lines = (held.error or "").strip().splitlines()  # a traceback ends with the error
        found.append({"at": held.created_at.isoformat(), "source": f"quarantine {held.id}",
                      "error": lines[-1] if lines else ""})  # fmt: skip
    found = [f for f in found if f.get("at")]
    return max(found, key=lambda f: dt.datetime.fromisoformat(str(f["at"]))) if found else None
