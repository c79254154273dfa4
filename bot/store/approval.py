"""The operator's side of drafts: list, show, edit, approve, reject.

Nothing is sent from here: approval only fixes what will be sent (the sender and
the Message-ID, so a retry after a crash is recognisably the same letter) and hands
the draft to the outbox. A draft is approved only when its headers are safe, its
skeleton has no unfilled placeholder and a new recipient address has been confirmed.
Nothing here commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.compose import new_message_id, validate_draft_fields
from bot.config import Config
from bot.drafting import unfilled_placeholders
from bot.drafting.registry import DORMANT
from bot.errors import InputError, NotFoundError
from bot.outbox.letter import letter_bytes, sender_address
from bot.store.models import Campaign, Draft, Request, utcnow
from bot.vocabulary import DraftStatus

EDITABLE = (DraftStatus.PENDING, DraftStatus.APPROVED)  # not yet handed to SMTP


def get_draft(session: Session, draft_id: int | str) -> Draft:
    try:
        key = int(str(draft_id).lstrip("#"))
    except ValueError:
        raise InputError(f'"{draft_id}" is not a draft id (see `foibot drafts list`)') from None
    draft = session.get(Draft, key)
    if draft is None:
        raise NotFoundError(f"no draft {key} (see `foibot drafts list`)")
    return draft


def list_drafts(
    session: Session, statuses: tuple[str, ...] = (), campaign: str | None = None
) -> list[Draft]:
    query = select(Draft).order_by(Draft.id)
    if statuses:
        query = query.where(Draft.status.in_(statuses))
    if campaign is not None:
        query = query.where(Draft.campaign_id == _campaign(session, campaign).id)
    return list(session.scalars(query))


def problems_of(draft: Draft, config: Config) -> list[str]:
    """Why ``draft`` cannot be approved as it stands (empty: it can)."""
    problems = list(
        validate_draft_fields(
            from_addr=sender_address(draft, config),
            to_addr=draft.to_addr,
            subject=draft.subject,
            body=draft.body,
            in_reply_to=draft.in_reply_to,
            references=list(draft.references_header or []),
        )
    )
    problems += [f"fill in the placeholder {p}" for p in unfilled_placeholders(draft.body)]
    if draft.address_note:
        problems.append(
            f"{draft.address_note} — confirm the recipient with --confirm-address "
            "or change it with `foibot drafts edit`"
        )
    return problems


def approve(session: Session, draft: Draft, config: Config, confirm_address: bool = False) -> Draft:
    """Hand ``draft`` to the outbox: its sender and Message-ID are fixed now."""
    if draft.status == DraftStatus.APPROVED:
        raise InputError(f"draft {draft.id} is already approved")
    if draft.status != DraftStatus.PENDING:
        raise InputError(f"draft {draft.id} is {draft.status}; only a pending draft is approved")
    request = session.get(Request, draft.request_id) if draft.request_id else None
    if request is not None and request.state in {s.value for s in DORMANT}:
        raise InputError(
            f"draft {draft.id}: request {request.id} is {request.state}; nothing is sent "
            "for it (reject the draft, or set the request's state first)"
        )
    if confirm_address:
        draft.address_note = None
    problems = problems_of(draft, config)
    if problems:
        raise InputError(f"draft {draft.id} cannot be approved:\n  " + "\n  ".join(problems))
    _move(session, draft, (DraftStatus.PENDING,), DraftStatus.APPROVED)
    draft.from_addr = sender_address(draft, config)
    draft.message_id = new_message_id(draft.from_addr.rpartition("@")[2])
    draft.approved_at = utcnow()
    draft.next_attempt_at = None
    draft.error = None
    return draft


def approve_all(
    session: Session, config: Config, campaign: str | None
) -> tuple[list[Draft], list[tuple[Draft, str]]]:
    """Approve every pending draft (of one campaign); those with problems (an address to
    confirm among them: that is done one draft at a time) are left pending."""
    approved: list[Draft] = []
    refused: list[tuple[Draft, str]] = []
    for draft in list_drafts(session, (DraftStatus.PENDING,), campaign):
        try:
            with session.begin_nested():
                approved.append(approve(session, draft, config))
        except InputError as err:
            refused.append((draft, str(err)))
    return approved, refused


def reject(session: Session, draft: Draft, reason: str) -> Draft:
    """The letter will never be sent; the trigger that made it will not make it again."""
    if not reason.strip():
        raise InputError("say why the draft is rejected (--reason)")
    if draft.status not in EDITABLE:
        raise InputError(f"draft {draft.id} is {draft.status} and can no longer be rejected")
    _move(session, draft, EDITABLE, DraftStatus.REJECTED)
    draft.reason = reason.strip()
    draft.message_id = None
    return draft


@dataclass(frozen=True)
class EditedDraft:
    to_addr: str
    subject: str
    body: str


def edit_text(draft: Draft) -> str:
    """The draft as the operator edits it: two header lines, a blank line, the body."""
    return f"To: {draft.to_addr}\nSubject: {draft.subject}\n\n{draft.body}"


def parse_edit(text: str) -> EditedDraft:
    head, sep, body = text.replace("\r\n", "\n").partition("\n\n")
    if not sep:
        raise InputError("keep the To: and Subject: lines, then a blank line, then the letter")
    fields: dict[str, str] = {}
    for line in head.split("\n"):
        name, colon, value = line.partition(":")
        key = name.strip().lower()
        if not colon or key not in ("to", "subject"):
            raise InputError(f'only "To:" and "Subject:" can be edited above the letter: "{line}"')
        if key in fields:
            raise InputError(f'"{name.strip()}:" appears twice')
        fields[key] = value.strip()
    missing = [k for k in ("to", "subject") if not fields.get(k)]
    if missing:
        raise InputError(f"the {' and '.join(missing)} line is missing or empty")
    if not body.strip():
        raise InputError("the letter is empty")
    return EditedDraft(fields["to"], fields["subject"], body.rstrip() + "\n")


def apply_edit(session: Session, draft: Draft, edited: EditedDraft, config: Config) -> list[str]:
    """Store the operator's edit; an approved draft goes back to pending.

    Returns what still stops approval (placeholders, header problems), for the CLI to show.
    """
    if draft.status not in EDITABLE:
        raise InputError(f"draft {draft.id} is {draft.status} and can no longer be edited")
    was_approved = draft.status == DraftStatus.APPROVED
    _move(session, draft, (DraftStatus(draft.status),), DraftStatus.PENDING)
    if edited.to_addr.lower() != draft.to_addr.lower():
        draft.address_note = None  # the operator chose this address themselves
    draft.to_addr, draft.subject, draft.body = edited.to_addr, edited.subject, edited.body
    if was_approved:
        draft.message_id, draft.approved_at = None, None
    return problems_of(draft, config)


def _move(session: Session, draft: Draft, expected: tuple[str, ...], new: str) -> None:
    """Compare-and-set the status in the database, so a change made meanwhile (the outbox
    taking the draft to send, another operator) is never overwritten: it is an error.

    The outbox claims a draft the same way (``bot.outbox.state.claim``); whichever
    UPDATE comes second finds the status changed and does nothing.
    """
    result = session.execute(
        update(Draft)
        .where(Draft.id == draft.id, Draft.status.in_([str(s) for s in expected]))
        .values(status=str(new))
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        session.refresh(draft)
        raise InputError(f"draft {draft.id} changed meanwhile (it is now {draft.status}): "
                         "nothing was done; look at it again")  # fmt: skip
    draft.status = str(new)


def rendered(draft: Draft, config: Config) -> bytes:
    """The exact bytes that will be sent, but for the Date (set when it is sent) and, before
    approval, the Message-ID. Raises ``LetterError`` naming what stops it being built."""
    if draft.message_id:
        return letter_bytes(draft, config, draft.approved_at or utcnow())
    preview = Draft(**{c: getattr(draft, c) for c in _LETTER_FIELDS})
    preview.message_id = "assigned-at-approval@foibot.invalid"
    return letter_bytes(preview, config, utcnow())


_LETTER_FIELDS = ("from_addr", "to_addr", "subject", "body", "in_reply_to", "references_header")


def draft_record(draft: Draft) -> dict[str, Any]:
    """One draft as `drafts list --json` prints it."""

    def iso(value: dt.datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "id": draft.id,
        "status": draft.status,
        "kind": draft.kind,
        "trigger": draft.trigger,
        "request_id": draft.request_id,
        "campaign_id": draft.campaign_id,
        "authority_id": draft.authority_id,
        "to": draft.to_addr,
        "subject": draft.subject,
        "address_note": draft.address_note,
        "message_id": draft.message_id,
        "attempts": draft.attempts,
        "error": draft.error,
        "reason": draft.reason,
        "created_at": iso(draft.created_at),
        "approved_at": iso(draft.approved_at),
        "sent_at": iso(draft.sent_at),
    }


def _campaign(session: Session, name: str) -> Campaign:
    campaign = session.scalar(select(Campaign).where(Campaign.name == name))
    if campaign is None:
        raise NotFoundError(f'no campaign "{name}"')
    return campaign
