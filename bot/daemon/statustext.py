"""The status record as text: `foibot status`, and the summary `foibot run` prints once ready."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.daemon.schedule import JOB_IDS
from bot.deadlines import LONDON


def local(when: str | None) -> str:
    """An ISO time as London local time, e.g. ``Mon 24 Nov 08:00``; ``-`` when unknown."""
    if not when:
        return "-"
    moment = dt.datetime.fromisoformat(when)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(LONDON).strftime("%a %d %b %H:%M:%S")


def count(n: int, noun: str) -> str:
    """``1 request``, ``2 requests``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def requests_line(status: dict[str, Any]) -> str:
    requests = status["requests"]
    states = ", ".join(f"{n} {state}" for state, n in requests["by_state"].items())
    return count(requests["total"], "request") + (f": {states}" if states else "")


def overdue_line(status: dict[str, Any]) -> str:
    requests = status["requests"]
    very = f" ({requests['very_overdue']} very overdue)" if requests["very_overdue"] else ""
    return f"{requests['overdue']} overdue{very}"


def summary_lines(status: dict[str, Any]) -> list[str]:
    """A few lines for the operator once `foibot run` has synced (make run)."""
    drafts = status["drafts"]
    lines = [
        f"foibot: ready. {requests_line(status)}",
        f"foibot: {overdue_line(status)}; {count(status['messages'], 'message')} stored",
    ]
    if drafts["pending"]:
        lines.append(
            f"foibot: {count(drafts['pending'], 'draft')} waiting for your approval: "
            "see `foibot drafts list`"
        )
    if status["holding_pen"]:
        lines.append(
            f"foibot: {count(status['holding_pen'], 'message')} in the holding pen: "
            "see `foibot holding-pen list`"
        )
    if status["quarantine"]:
        lines.append(
            f"foibot: {count(status['quarantine'], 'message')} failed processing: "
            "see `foibot quarantine list`"
        )
    lines.append("foibot: running; `foibot status` shows more, Ctrl-C stops")
    return lines


def describe(status: dict[str, Any]) -> list[str]:
    """`foibot status` as text, one fact per line."""
    daemon = status["daemon"]
    if daemon["running"]:
        state = (
            f"running (pid {daemon['pid']} on {daemon['host']}, since "
            f"{local(daemon['started_at'])}; last heartbeat {local(daemon['heartbeat_at'])})"
        )
    elif daemon.get("heartbeat_at"):
        state = f"not running (last seen {local(daemon['heartbeat_at'])})"
    else:
        state = "not running (never started on this database)"
    drafts = status["drafts"]
    lines = [
        f"{'daemon':<12} {state}",
        f"{'database':<12} {status['database']}",
    ]
    for folder in status["folders"] or [{"folder": "(none yet)", "last_sync_at": None}]:
        when = local(folder["last_sync_at"])
        lines.append(f"{'folder':<12} {folder['folder']}: last synced {when}")
    lines += [
        f"{'requests':<12} {requests_line(status)}",
        f"{'overdue':<12} {overdue_line(status)}",
        f"{'messages':<12} {status['messages']}",
        f"{'drafts':<12} {drafts['pending']} pending, {drafts['approved']} approved, "
        f"{drafts['sending']} sending, {drafts['failed']} failed, {drafts['sent']} sent"
        + ("  (see `foibot drafts list`)" if drafts["pending"] else ""),
        f"{'holding pen':<12} {status['holding_pen']}",
        f"{'quarantine':<12} {status['quarantine']}",
    ]
    jobs = status["next_jobs"]
    origin = "from the running daemon" if jobs["source"] == "daemon" else "if started now"
    lines.append(f"{'next jobs':<12} ({origin})")
    for job_id in JOB_IDS:
        job = status["jobs"].get(job_id) or {}
        outcome = "" if not job.get("last_run") else "  failed" if job.get("last_error") else "  ok"
        lines.append(
            f"  {job_id:<15} next {local(jobs.get(job_id))}   last {local(job.get('last_run'))}"
            + outcome
        )
    error = status["last_error"]
    if error:
        lines.append(f"{'last error':<12} {local(error['at'])} {error['source']}: {error['error']}")
    else:
        lines.append(f"{'last error':<12} none")
    return lines
