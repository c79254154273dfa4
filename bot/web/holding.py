"""The holding pen: messages matching could not place, with ranked suggestions.

Each suggestion has its own one-click "assign" button (a POST form), and any request
can be chosen from a list; "dismiss" marks the message as not FOI correspondence.
Assigning teaches foibot the sender and the references, as ``holding-pen assign`` does.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from werkzeug.wrappers import Response

from bot.errors import InputError
from bot.store.holding import (
    assign,
    dismiss,
    get_message,
    held_messages,
    held_record,
    suggested_requests,
)
from bot.store.models import Request
from bot.web.state import act, session_scope, web_state

bp = Blueprint("holding", __name__)


@bp.route("/holding")
def index() -> str:
    with session_scope() as session:
        messages = held_messages(session)
        known = suggested_requests(session, messages)
        held = [
            {"record": held_record(m, known), "row": m, "attachments": list(m.attachments)}
            for m in messages
        ]
        choices = [
            (r.id, f"#{r.id} {r.authority.name}: {r.subject}")
            for r in session.scalars(
                select(Request).options(selectinload(Request.authority)).order_by(Request.id)
            )
        ]
    return render_template("holding.html", held=held, choices=choices)


def _request_id(text: str | None) -> int:
    try:
        return int(text or "")
    except ValueError:
        raise InputError("choose the request to put the message on") from None


@bp.route("/holding/<int:message_id>/assign", methods=["POST"])
def assign_message(message_id: int) -> Response:
    config = web_state().config
    form_value = request.form.get("request_id")

    def work(session: Session) -> str:
        get_message(session, message_id)  # an unknown message is a 404 page
        target = _request_id(form_value)
        if session.get(Request, target) is None:
            raise InputError(f"there is no request {target}")
        message = assign(session, message_id, target, config)
        return f"Message {message.id} is now on request {message.request_id}."

    return act(work, url_for("holding.index"))


@bp.route("/holding/<int:message_id>/dismiss", methods=["POST"])
def dismiss_message(message_id: int) -> Response:
    reason = (request.form.get("reason") or "").strip() or None

    def work(session: Session) -> str:
        message = dismiss(session, message_id, reason)
        return f"Message {message.id} dismissed: not FOI correspondence."

    return act(work, url_for("holding.index"))
