"""Quarantine: messages that failed processing, with their error, and a retry button.

The same data and the same retry as ``foibot quarantine list | show | retry``
(``bot.pipeline.retry_quarantined``). The detail page re-reads the raw message to show
who sent it and what it says, as escaped text.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from bot.errors import BotError, NotFoundError
from bot.parse import ParseLimits, parse_email
from bot.pipeline import retry_quarantined
from bot.store.models import Quarantine, RawMessage
from bot.web.state import session_scope, web_state

bp = Blueprint("quarantine", __name__)

PREVIEW_CHARS = 20_000


def quarantine_record(row: Quarantine, raw: RawMessage | None) -> dict[str, Any]:
    return {
        "id": row.id,
        "stage": row.stage,
        "error": row.error,
        "summary": (row.error.splitlines() or [""])[0][:200],
        "attempts": row.attempts,
        "created_at": row.created_at,
        "sha256": raw.sha256 if raw else None,
        "size": raw.size if raw else None,
    }


def _get(session: Session, quarantine_id: int) -> Quarantine:
    row = session.get(Quarantine, quarantine_id)
    if row is None:
        raise NotFoundError(f"no quarantined message {quarantine_id}")
    return row


@bp.route("/quarantine")
def index() -> str:
    with session_scope() as session:
        query = select(Quarantine).where(Quarantine.resolved_at.is_(None)).order_by(Quarantine.id)
        rows = [
            quarantine_record(q, session.get(RawMessage, q.raw_id)) for q in session.scalars(query)
        ]
    return render_template("quarantine.html", rows=rows)


@bp.route("/quarantine/<int:quarantine_id>")
def show(quarantine_id: int) -> str:
    with session_scope() as session:
        row = _get(session, quarantine_id)
        record = quarantine_record(row, session.get(RawMessage, row.raw_id))
        resolved = row.resolved_at
    email, problem = None, None
    if record["sha256"]:
        try:
            email = parse_email(web_state().raws.get(record["sha256"]), ParseLimits())
        except BotError as err:
            problem = str(err)
    text = email.text[:PREVIEW_CHARS] if email else ""
    return render_template(
        "quarantine_item.html", q=record, email=email, text=text, problem=problem, resolved=resolved
    )


def _retry(quarantine_id: int | None) -> tuple[int, int]:
    state = web_state()
    return retry_quarantined(state.db, state.raws, quarantine_id, ParseLimits(), state.config)


@bp.route("/quarantine/<int:quarantine_id>/retry", methods=["POST"])
def retry_one(quarantine_id: int) -> Response:
    with session_scope() as session:
        _get(session, quarantine_id)
    return _after_retry(quarantine_id, url_for("quarantine.show", quarantine_id=quarantine_id))


@bp.route("/quarantine/retry", methods=["POST"])
def retry_all() -> Response:
    return _after_retry(None, url_for("quarantine.index"))


def _after_retry(quarantine_id: int | None, then: str) -> Response:
    try:
        ok, failing = _retry(quarantine_id)
    except BotError as err:
        flash(str(err), "error")
    else:
        flash(f"Retry: {ok} processed, {failing} still failing.", "ok" if not failing else "error")
    return redirect(then, code=303)
