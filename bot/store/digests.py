"""The weekly digest at the store edge: gather its values, build it, queue it for sending.

    digest = build(session, config, today)             # a bot.digest.Digest
    render_text(digest), render_html(digest)
    drafts = queue_weekly_digest(session, config, now)  # then bot.outbox.send_due

The digest goes out through the outbox like any letter, but without approval: one
draft per ``[digest] recipients`` address, queued ``approved``, with the trigger key
``digest:<ISO year-week>:<recipient>``, so a second run in the same week queues
nothing and the outbox sends each exactly once. Nothing here commits.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from bot.compose import address_problem, new_message_id
from bot.config import Config
from bot.deadlines import LONDON, calendar_for, london_date
from bot.digest import (
    Digest,
    DigestInput,
    DraftInput,
    FolderInput,
    MessageInput,
    RequestInput,
    build_digest,
    iso_week,
    render_html,
    render_text,
    subject,
)
from bot.digest.build import ANSWERS, WEEK
from bot.errors import ConfigError
from bot.store.clocks import overrides_from_config, request_deadlines
from bot.store.models import (
    Authority,
    Draft,
    Message,
    Quarantine,
    Request,
    SyncState,
    utcnow,
)
from bot.vocabulary import (
    DIGEST_DRAFT_KIND,
    Direction,
    DraftStatus,
    MessageStatus,
    Regime,
    RequestState,
)

KIND = DIGEST_DRAFT_KIND
TRIGGER = "weekly_digest"

__all__ = ["build", "gather", "queue_weekly_digest", "render_html", "render_text", "week_drafts"]


def default_now(today: dt.date) -> dt.datetime:
    """Now, when ``today`` is today in London; else the end of ``today`` (reproducible)."""
    now = utcnow()
    if london_date(now) == today:
        return now
    return dt.datetime.combine(today, dt.time(23, 59, 59), tzinfo=LONDON).astimezone(dt.UTC)


def build(
    session: Session, config: Config, today: dt.date, *, now: dt.datetime | None = None
) -> Digest:
    """The digest for ``today`` (the week being the seven days up to ``now``)."""
    return build_digest(gather(session, config, today, now or default_now(today)))


def gather(session: Session, config: Config, today: dt.date, now: dt.datetime) -> DigestInput:
    """Everything the digest shows, read in this session."""
    since = now - WEEK - dt.timedelta(days=1)  # a margin; the week is cut exactly when built
    return DigestInput(
        today=today,
        now=now,
        requests=tuple(_requests(session, config)),
        messages=tuple(_answers(session, since)),
        drafts=tuple(_drafts(session, since)),
        folders=tuple(
            FolderInput(s.mailbox, s.folder, s.last_sync_at, s.last_error)
            for s in session.scalars(select(SyncState).order_by(SyncState.id))
        ),
        holding=session.scalar(
            select(func.count(Message.id)).where(Message.status == MessageStatus.HOLDING.value)
        )
        or 0,
        quarantine=session.scalar(
            select(func.count(Quarantine.id)).where(Quarantine.resolved_at.is_(None))
        )
        or 0,
        web_base_url=config.web.base_url,
    )


def queue_weekly_digest(
    session: Session, config: Config, now: dt.datetime, *, today: dt.date | None = None
) -> list[Draft]:
    """Queue this week's digest, approved, one draft per recipient not yet sent it.

    Returns the new drafts: [] when ``[digest] recipients`` is empty or every
    recipient already has this week's. ``today`` defaults to London's date at ``now``.
    Raises ``ConfigError`` naming a recipient that is not one plain address.
    """
    recipients = list(dict.fromkeys(r.strip().lower() for r in config.digest.recipients))
    problems = [p for r in recipients if (p := address_problem("digest.recipients", r))]
    if problems:
        raise ConfigError(problems, str(config.source))
    day = today or london_date(now)
    week = iso_week(day)
    keys = {r: f"digest:{week}:{r}" for r in recipients}
    taken = set(
        session.scalars(select(Draft.trigger_key).where(Draft.trigger_key.in_(keys.values())))
    )
    todo = [r for r in recipients if keys[r] not in taken]
    if not todo:
        return []
    # Another day than now's (``foibot digest --send --today``): its week, as --print shows it.
    digest = build(session, config, day, now=now if today is None else None)
    text, html, title = render_text(digest), render_html(digest), subject(digest)
    sender = config.smtp.from_address or config.requester.email
    queued: list[Draft] = []
    for recipient in todo:
        draft = Draft(
            kind=KIND,
            trigger=TRIGGER,
            trigger_key=keys[recipient],
            to_addr=recipient,
            subject=title,
            body=text,
            status=DraftStatus.APPROVED.value,
            approved_at=now,
            from_addr=sender,
            message_id=new_message_id(sender.rpartition("@")[2]),
            context={"html": html, "week": week, "today": day.isoformat()},
        )
        session.add(draft)
        queued.append(draft)
    # The unique trigger key stops a second process queueing the same digest: its
    # flush fails (IntegrityError) and its transaction is rolled back, so each is sent once.
    session.flush()
    return queued


def week_drafts(session: Session, week: str) -> list[Draft]:
    """The digest drafts of ``week`` (e.g. "2026-W47"), one per recipient."""
    query = select(Draft).where(
        Draft.trigger == TRIGGER, Draft.trigger_key.like(f"digest:{week}:%")
    )
    return list(session.scalars(query.order_by(Draft.id)))


def _requests(session: Session, config: Config) -> list[RequestInput]:
    query = select(Request).options(
        selectinload(Request.authority),
        selectinload(Request.campaign),
        selectinload(Request.events),
    )
    overrides = overrides_from_config(config)
    return [
        RequestInput(
            id=r.id,
            authority=r.authority.name,
            subject=r.subject,
            state=RequestState(r.state),
            deadlines=request_deadlines(r, config),
            calendar=calendar_for(Regime(r.regime), overrides),
            campaign=r.campaign.name if r.campaign else None,
        )
        for r in session.scalars(query.order_by(Request.id))
    ]


def _answers(session: Session, since: dt.datetime) -> list[MessageInput]:
    query = (
        select(Message)
        .where(
            Message.direction == Direction.INCOMING.value,
            Message.kind.in_(ANSWERS),
            Message.request_id.is_not(None),
            Message.date > since,
        )
        .options(
            selectinload(Message.request).selectinload(Request.authority),
            selectinload(Message.request).selectinload(Request.campaign),
        )
    )
    found = []
    for m in session.scalars(query.order_by(Message.date, Message.id)):
        request = m.request
        assert request is not None and m.date is not None and m.kind is not None
        found.append(
            MessageInput(
                id=m.id,
                request_id=request.id,
                authority=request.authority.name,
                kind=m.kind,
                date=m.date,
                outcome=m.outcome,
                exemptions=tuple(m.exemptions or ()),
                subject=m.subject,
                campaign=request.campaign.name if request.campaign else None,
            )
        )
    return found


def _drafts(session: Session, since: dt.datetime) -> list[DraftInput]:
    """Pending and failed drafts, and those sent since ``since``."""
    waiting = (DraftStatus.PENDING.value, DraftStatus.FAILED.value)
    query = select(Draft).where(
        or_(
            Draft.status.in_(waiting),
            (Draft.status == DraftStatus.SENT.value) & (Draft.sent_at > since),
        )
    )
    drafts = list(session.scalars(query.order_by(Draft.id)))
    names = _authority_names(session, drafts)
    return [
        DraftInput(
            id=d.id,
            kind=d.kind,
            status=DraftStatus(d.status),
            to_addr=d.to_addr,
            subject=d.subject,
            trigger=d.trigger,
            request_id=d.request_id,
            authority=names.get(d.id),
            error=d.error,
            sent_at=d.sent_at,
        )
        for d in drafts
    ]


def _authority_names(session: Session, drafts: list[Draft]) -> dict[int, str]:
    """Draft id -> the name of the authority it is written to (by request, else directly)."""
    request_ids = {d.request_id for d in drafts if d.request_id}
    authority_ids = {d.authority_id for d in drafts if d.authority_id}
    by_request = {
        request_id: name
        for request_id, name in session.execute(
            select(Request.id, Authority.name)
            .join(Authority, Request.authority_id == Authority.id)
            .where(Request.id.in_(request_ids))
        )
    }
    direct = {
        authority_id: name
        for authority_id, name in session.execute(
            select(Authority.id, Authority.name).where(Authority.id.in_(authority_ids))
        )
    }
    names: dict[int, str] = {}
    for d in drafts:
        name = by_request.get(d.request_id or 0) or direct.get(d.authority_id or 0)
        if name:
            names[d.id] = name
    return names
