"""One request's timeline: every message in and out, its deadlines and events, its drafts.

Each message shows what foibot decided and why: kind, outcome, exemptions, references,
the matching evidence (``Message.match_evidence``) and the classifier's
(``classification["evidence"]``), and its attachments with download links. The text
is the stored plain text, escaped by the template: mail never renders as HTML.
The operator can set the request's state with a reason (``requests set-state``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from flask import Blueprint, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from werkzeug.wrappers import Response

from bot.deadlines import RequestDeadlines, is_probably_overdue
from bot.store.clocks import overdue_flags, request_deadlines
from bot.store.models import Draft, Message, Request
from bot.store.progress import set_state
from bot.store.requests import get_request
from bot.vocabulary import RequestState
from bot.web.state import act, session_scope, web_state

bp = Blueprint("timeline", __name__)

SKIPPED_DEADLINE_FIELDS = frozenset({"regime"})
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def deadline_rows(deadlines: RequestDeadlines) -> list[tuple[str, str]]:
    """Every deadline field that is set, as (name, value) for display."""
    rows: list[tuple[str, str]] = []
    for field in dataclasses.fields(deadlines):
        value = getattr(deadlines, field.name)
        if field.name in SKIPPED_DEADLINE_FIELDS or value in (None, False, 0, ()):
            continue
        if isinstance(value, tuple):
            value = "; ".join(str(v) for v in value)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif value is True:
            value = "yes"
        rows.append((field.name, str(getattr(value, "value", value))))
    return rows


def message_view(message: Message) -> dict[str, Any]:
    """What the timeline shows for one message; every string is escaped by the template."""
    found: dict[str, Any] = message.classification or {}
    return {
        "row": message,
        "references": list(found.get("references") or []),
        "dates": dict(found.get("dates") or {}),
        "kind_confidence": found.get("confidence"),
        "uncertain": bool(found.get("uncertain")),
        "kind_evidence": list(found.get("evidence") or []),
        "notes": list(found.get("notes") or []),
        "operator": found.get("operator"),
        "match_evidence": list(message.match_evidence or []),
        "attachments": list(message.attachments),
    }


def load_request(session: Session, request_id: int) -> Request:
    get_request(session, request_id)  # NotFoundError (a 404 page) for an unknown id
    query = (
        select(Request)
        .where(Request.id == request_id)
        .options(
            selectinload(Request.messages).selectinload(Message.attachments),
            selectinload(Request.events),
            selectinload(Request.references),
            selectinload(Request.authority),
            selectinload(Request.campaign),
        )
    )
    return session.scalars(query).one()


@bp.route("/requests/<int:request_id>")
def show(request_id: int) -> str:
    state = web_state()
    today = state.today()
    with session_scope() as session:
        req = load_request(session, request_id)
        deadlines = request_deadlines(req, state.config)
        overdue, very_overdue = overdue_flags(deadlines, today)
        messages = sorted(req.messages, key=lambda m: (m.date or m.created_at or EPOCH, m.id))
        drafts = list(
            session.scalars(select(Draft).where(Draft.request_id == req.id).order_by(Draft.id))
        )
        return render_template(
            "request.html",
            req=req,
            today=today,
            due=deadlines.effective_due,
            overdue=overdue,
            very_overdue=very_overdue,
            probably_overdue=is_probably_overdue(deadlines, today),
            deadlines=deadline_rows(deadlines),
            messages=[message_view(m) for m in messages],
            events=sorted(req.events, key=lambda e: (e.at, e.id or 0)),
            drafts=drafts,
            states=[s.value for s in RequestState],
        )


@bp.route("/requests/<int:request_id>/state", methods=["POST"])
def change_state(request_id: int) -> Response:
    target = request.form.get("state", "")
    reason = request.form.get("reason", "")
    config = web_state().config

    def work(session: Session) -> str:
        req = set_state(session, get_request(session, request_id), target, reason, config)
        return f"Request {req.id} is now {req.state.replace('_', ' ')}."

    return act(work, url_for("timeline.show", request_id=request_id))
