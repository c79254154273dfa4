"""The digest from the database, and queueing it for the outbox; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.config import Config, load_config
from bot.digest import Lateness, render_html, render_text
from bot.errors import ConfigError
from bot.outbox import send_due
from bot.store import Database
from bot.store.digests import build, queue_weekly_digest, week_drafts
from bot.store.models import (
    Authority,
    Draft,
    Message,
    Quarantine,
    RawMessage,
    Request,
    SyncState,
)
from bot.store.progress import apply_to_request
from bot.store.requests import NewRequest, add_request
from bot.vocabulary import Direction, DraftStatus, MessageStatus
from tests.conftest import MINIMAL_CONFIG
from tests.servers.smtp import SmtpServer

UTC = dt.UTC
TODAY = dt.date(2026, 11, 21)  # a Saturday, ISO week 2026-W47
NOW = dt.datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
Store = tuple[Database, Config]


@pytest.fixture
def make_store(db_url: str, write_config: Callable[..., Path]) -> Iterator[Callable[..., Store]]:
    """``make(extra_toml)``: an upgraded database and a config with ``extra_toml`` added."""
    databases: list[Database] = []

    def make(extra: str = "") -> Store:
        text = MINIMAL_CONFIG.replace("sqlite:///state/foibot.sqlite3", db_url) + extra
        db = Database(db_url)
        db.upgrade()
        databases.append(db)
        return db, load_config(write_config(text))

    yield make
    for db in databases:
        db.dispose()


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def new_request(
    session: Session, config: Config, name: str, sent: str, kind: str = "council",
    campaign: str | None = None,
) -> Request:  # fmt: skip
    slug = "".join(c for c in name.lower() if c.isalnum())
    session.add(Authority(name=name, email=f"foi@{slug}.example", nation="england", kind=kind))
    session.flush()
    return add_request(session, NewRequest(name, f"Request to {name}", at(sent),
                                           campaign=campaign), config)  # fmt: skip


def receive(
    session: Session, config: Config, request: Request, kind: str, day: str,
    outcome: str | None = None, exemptions: tuple[str, ...] = (),
) -> Message:  # fmt: skip
    """A classified incoming message placed on ``request`` and applied to its lifecycle."""
    message = Message(
        request=request, direction=Direction.INCOMING.value, status=MessageStatus.MATCHED.value,
        subject=f"Re: {request.subject}", date=at(day), from_addr=request.authority.email,
        message_id=f"{kind}.{request.id}.{day}@x.example", text=f"{kind} {outcome or ''}",
        kind=kind, outcome=outcome, exemptions=list(exemptions),
        classification={"confidence": 0.9, "flags": {}},
    )  # fmt: skip
    session.add(message)
    apply_to_request(session, request, message, config)
    session.flush()
    return message


def letter(request: Request | None, status: DraftStatus, **fields: object) -> Draft:
    values: dict[str, object] = {
        "kind": "chaser", "trigger": "response_overdue", "to_addr": "foi@x.example",
        "subject": "Re: a request", "body": "Dear FOI team,\n", "status": status.value,
        "request_id": request.id if request else None,
    }  # fmt: skip
    return Draft(**(values | fields))


def story(session: Session, config: Config) -> dict[str, Request]:
    """Requests in each position on TODAY, answers, letters, folders, held mail."""
    slow = new_request(session, config, "Slow Council", "2026-09-14", campaign="Bins")
    school = new_request(session, config, "St Hilda's School", "2026-10-05", "school", "Bins")
    soon = new_request(session, config, "Quick Council", "2026-10-26")
    answered = new_request(session, config, "Answering Council", "2026-10-19", campaign="Bins")
    receive(session, config, answered, "acknowledgement", "2026-10-20")
    receive(session, config, answered, "response", "2026-11-19", "refused", ("s12",))
    earlier = new_request(session, config, "Earlier Council", "2026-10-01")
    receive(session, config, earlier, "response", "2026-11-10", "successful")
    session.add_all([
        letter(slow, DraftStatus.PENDING, subject="Re: chasing Slow Council"),
        letter(soon, DraftStatus.FAILED, error="refused by the server: 550 no such user"),
        letter(earlier, DraftStatus.SENT, sent_at=at("2026-11-20"), kind="review_request"),
        letter(school, DraftStatus.SENT, sent_at=at("2026-11-19"),
               error="the server did not answer after the final dot: taken as sent"),
        letter(slow, DraftStatus.SENT, sent_at=at("2026-10-20")),  # last month's
        letter(None, DraftStatus.REJECTED),
        SyncState(mailbox="imap:alice", folder="INBOX", last_sync_at=NOW - dt.timedelta(hours=1)),
        SyncState(mailbox="imap:alice", folder="Sent", last_sync_at=NOW - dt.timedelta(days=2),
                  last_error="IMAP: connection reset"),
        Message(direction="in", status=MessageStatus.HOLDING.value, subject="Who is this?",
                from_addr="someone@else.example", date=at("2026-11-18")),
    ])  # fmt: skip
    for number, resolved in enumerate((None, NOW)):
        raw = RawMessage(sha256=f"{number:064d}", size=10)
        session.add(raw)
        session.flush()
        session.add(Quarantine(raw_id=raw.id, stage="parse", error="boom", resolved_at=resolved))
    session.flush()
    return {"slow": slow, "school": school, "soon": soon, "answered": answered}


def test_the_digest_shows_each_section_from_the_database(
    make_store: Callable[..., Store],
) -> None:
    db, config = make_store('\n[web]\nbase_url = "https://foi.example.org/"\n')
    with db.session() as session:
        requests = story(session, config)
        digest = build(session, config, TODAY, now=NOW)
    ids = {name: r.id for name, r in requests.items()}
    bins, other = digest.groups
    assert (bins.name, bins.total, other.name, other.total) == (
        "Bins", 3, "Requests without a campaign", 2,
    )  # fmt: skip
    assert {b.state: b.count for b in bins.bars} == {"awaiting_response": 2, "refused": 1}
    assert [(r.request_id, r.lateness, r.days_late) for r in digest.late] == [
        (ids["slow"], Lateness.VERY_OVERDUE, 29),
        (ids["school"], Lateness.PROBABLY_OVERDUE, 14),
    ]  # fmt: skip
    assert digest.late[1].legal_limit == dt.date(2026, 12, 31)
    assert [(r.request_id, r.due) for r in digest.due_soon] == [
        (ids["soon"], dt.date(2026, 11, 23))
    ]
    (answer,) = digest.answers
    assert (answer.request_id, answer.label) == (ids["answered"], "response: refused (s12)")
    assert answer.authority == "Answering Council" and answer.campaign == "Bins"
    (pending,) = digest.awaiting_approval
    assert pending.authority == "Slow Council"
    assert pending.link == f"https://foi.example.org/drafts/{pending.id}"
    assert [d.kind for d in digest.sent] == ["review_request", "chaser"]
    assert [(d.status, d.authority) for d in digest.failed] == [
        ("failed", "Quick Council"), ("sent", "St Hilda's School"),
    ]  # fmt: skip
    assert (digest.holding, digest.quarantine) == (1, 1)
    assert [(f.folder, f.ok) for f in digest.folders] == [("INBOX", True), ("Sent", False)]


def count(session: Session, model: type[Draft] | type[Request]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


TWO = '\n[digest]\nrecipients = ["Boss@Uni.example", "research@example.ac.uk"]\n'


def test_the_digest_is_queued_approved_once_per_recipient_and_week(
    make_store: Callable[..., Store],
) -> None:
    db, config = make_store(TWO)
    with db.session() as session:
        story(session, config)
        queued = queue_weekly_digest(session, config, NOW)
        digest = build(session, config, TODAY, now=NOW)
    assert [d.to_addr for d in queued] == ["boss@uni.example", "research@example.ac.uk"]
    for draft in queued:
        assert (draft.kind, draft.trigger, draft.status) == ("digest", "weekly_digest", "approved")
        assert draft.trigger_key == f"digest:2026-W47:{draft.to_addr}"
        assert draft.request_id is None and draft.approved_at == NOW
        assert draft.from_addr == "research@example.ac.uk"
        assert draft.message_id and draft.message_id.endswith(".foibot@example.ac.uk")
        assert draft.body == render_text(digest)
        assert draft.context == {"html": render_html(digest), "week": "2026-W47",
                                 "today": "2026-11-21"}  # fmt: skip
        assert draft.subject.startswith("foibot digest 2026-W47: 1 overdue, 1 probably overdue")
    with db.session() as session:
        sunday = NOW + dt.timedelta(days=1)  # still ISO week 47
        assert queue_weekly_digest(session, config, sunday) == []
        assert len(week_drafts(session, "2026-W47")) == 2
        monday = NOW + dt.timedelta(days=2)
        assert [d.trigger_key for d in queue_weekly_digest(session, config, monday)] == [
            "digest:2026-W48:boss@uni.example", "digest:2026-W48:research@example.ac.uk",
        ]  # fmt: skip


def test_queueing_never_commits(make_store: Callable[..., Store]) -> None:
    """The caller's transaction decides: rolled back, nothing was queued (the draft is
    inserted without a savepoint: pysqlite commits a RELEASEd outermost savepoint)."""
    db, config = make_store(TWO)
    with pytest.raises(RuntimeError), db.session() as session:
        assert len(queue_weekly_digest(session, config, NOW)) == 2
        raise RuntimeError("the caller rolls back")
    with db.session() as session:
        assert count(session, Draft) == 0


def test_no_recipients_queue_nothing(make_store: Callable[..., Store]) -> None:
    db, config = make_store()
    with db.session() as session:
        assert queue_weekly_digest(session, config, NOW) == []
        assert count(session, Draft) == 0


def test_a_recipient_that_is_not_one_address_is_refused_naming_the_key(
    make_store: Callable[..., Store],
) -> None:
    db, config = make_store('\n[digest]\nrecipients = ["a@x.example, b@y.example"]\n')
    with db.session() as session, pytest.raises(ConfigError, match=r"digest\.recipients"):
        queue_weekly_digest(session, config, NOW)


def test_the_configured_sender_sends_the_digest(make_store: Callable[..., Store]) -> None:
    db, config = make_store(TWO + '\n[smtp]\nfrom_address = "bot@foi.example.org"\n')
    with db.session() as session:
        drafts = queue_weekly_digest(session, config, NOW)
    assert {d.from_addr for d in drafts} == {"bot@foi.example.org"}
    assert all(d.message_id and d.message_id.endswith("@foi.example.org") for d in drafts)


def test_the_outbox_sends_the_digest_once_as_text_and_html_and_makes_no_request(
    make_store: Callable[..., Store], smtp_server: SmtpServer
) -> None:
    db, config = make_store(TWO + smtp_server.smtp_toml())
    with db.session() as session:
        story(session, config)
        queue_weekly_digest(session, config, NOW)
        requests_before = count(session, Request)
    report = send_due(db, config)
    assert len(report.sent) == 2 and send_due(db, config).sent == []
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == [
        "boss@uni.example", "research@example.ac.uk",
    ]  # fmt: skip
    parsed = email.message_from_bytes(smtp_server.messages[0].content, policy=email.policy.default)
    assert parsed.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in parsed.iter_parts()] == ["text/plain", "text/html"]
    with db.session() as session:
        assert count(session, Request) == requests_before
        assert {(d.status, d.request_id) for d in week_drafts(session, "2026-W47")} == {
            ("sent", None)
        }
