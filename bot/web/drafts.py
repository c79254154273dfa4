"""Drafts: the list, one draft as the exact email that will be sent, edit, approve, reject.

The draft page shows ``approval.rendered()``: the letter's bytes as they will go out,
headers included (but for the Date, set at sending, and before approval the
Message-ID). Editing goes through the same checks as ``drafts edit``; approving through
``approval.approve`` (a new recipient needs the confirm-address box ticked). After an
approval the background sender runs the outbox (``bot.web.sender``), and the page
shows the draft's sending status, which ``static/foibot.js`` refreshes while it is
on its way (``/drafts/ID/status``).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, render_template, request, url_for
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from bot.errors import InputError, LetterError
from bot.store.approval import (
    EditedDraft,
    apply_edit,
    approve,
    edit_text,
    get_draft,
    list_drafts,
    parse_edit,
    problems_of,
    reject,
    rendered,
)
from bot.store.models import Draft
from bot.vocabulary import DraftStatus
from bot.web.nav import london
from bot.web.state import act, session_scope, web_state

bp = Blueprint("drafts", __name__)

STATUSES = [s.value for s in DraftStatus]
IN_FLIGHT = frozenset({DraftStatus.APPROVED.value, DraftStatus.SENDING.value})


@bp.route("/drafts")
def index() -> str:
    status = request.args.get("status", "")
    status = status if status in STATUSES else ""
    with session_scope() as session:
        drafts = list_drafts(session, (status,) if status else ())
    return render_template("drafts.html", drafts=drafts, status=status, statuses=STATUSES)


def send_status(draft: Draft) -> dict[str, Any]:
    """Where the draft is on its way out, and what the last background outbox run said."""
    sender = web_state().sender
    last = sender.last
    return {
        "status": draft.status,
        "in_flight": draft.status in IN_FLIGHT,
        "attempts": draft.attempts,
        "error": draft.error,
        "approved_at": london(draft.approved_at),
        "sent_at": london(draft.sent_at),
        "next_attempt_at": london(draft.next_attempt_at),
        "sent_copy_at": london(draft.sent_copy_at),
        "sending_enabled": sender.enabled,
        "outbox_running": sender.running,
        "outbox_last": last.text if last else None,
        "outbox_last_failed": bool(last and last.failed),
        "outbox_last_at": london(last.finished_at) if last else None,
    }


@bp.route("/drafts/<int:draft_id>")
def show(draft_id: int) -> str:
    config = web_state().config
    with session_scope() as session:
        draft = get_draft(session, draft_id)
        pending = draft.status == DraftStatus.PENDING.value
        problems = problems_of(draft, config) if pending else []
        try:
            letter = rendered(draft, config).decode("utf-8", "replace").replace("\r\n", "\n")
        except LetterError as err:  # unsafe fields: show them as stored, and why
            letter, problems = edit_text(draft), [*problems, str(err)]
        return render_template(
            "draft.html",
            draft=draft,
            letter=letter,
            problems=list(dict.fromkeys(problems)),
            editable=draft.status in (DraftStatus.PENDING.value, DraftStatus.APPROVED.value),
            sending=send_status(draft),
        )


@bp.route("/drafts/<int:draft_id>/status")
def status(draft_id: int) -> Response:
    with session_scope() as session:
        return jsonify(send_status(get_draft(session, draft_id)))


def _edited(form: dict[str, str]) -> EditedDraft:
    to, subject = form.get("to", "").strip(), form.get("subject", "").strip()
    if any(c in to + subject for c in "\r\n"):
        raise InputError("the To and Subject fields must each be one line")
    return parse_edit(f"To: {to}\nSubject: {subject}\n\n{form.get('body', '')}")


@bp.route("/drafts/<int:draft_id>/edit", methods=["POST"])
def edit(draft_id: int) -> Response:
    config = web_state().config
    form = {k: request.form.get(k, "") for k in ("to", "subject", "body")}

    def work(session: Session) -> str:
        draft = get_draft(session, draft_id)
        problems = apply_edit(session, draft, _edited(form), config)
        note = "" if not problems else " Before approval: " + "; ".join(problems)
        return f"Draft {draft.id} saved ({draft.status}).{note}"

    return act(work, url_for("drafts.show", draft_id=draft_id))


@bp.route("/drafts/<int:draft_id>/approve", methods=["POST"])
def approve_draft(draft_id: int) -> Response:
    state = web_state()
    confirm = request.form.get("confirm_address") == "yes"
    approved: list[int] = []

    def work(session: Session) -> str:
        draft = approve(session, get_draft(session, draft_id), state.config, confirm)
        approved.append(draft.id)
        return f"Draft {draft.id} approved for sending to {draft.to_addr}."

    response = act(work, url_for("drafts.show", draft_id=draft_id))
    if approved:  # committed: the background sender may pick it up now
        state.sender.kick()
    return response


@bp.route("/drafts/<int:draft_id>/reject", methods=["POST"])
def reject_draft(draft_id: int) -> Response:
    reason = request.form.get("reason", "")

    def work(session: Session) -> str:
        draft = reject(session, get_draft(session, draft_id), reason)
        return f"Draft {draft.id} rejected: it will not be sent."

    return act(work, url_for("drafts.show", draft_id=draft_id))
