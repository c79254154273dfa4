"""Recovery after a crash, copies in Sent, and what a sent request becomes after `sync`.

Real servers: aiosmtpd for SMTP, Dovecot for the mailbox; `foibot sync` is the real
pipeline reading the Sent folder the outbox wrote to.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.config import Config
from bot.mailbox import source_from_config
from bot.outbox import recover, send_due
from bot.outbox.letter import letter_bytes
from bot.outbox.state import BEFORE_DOT, DOT_WRITTEN, FOUND_IN_SENT
from bot.pipeline import sync_once
from bot.rawstore import RawStore
from bot.store import Database
from bot.store.models import Draft, Message, Request
from bot.store.requests import NewRequest, add_request, export_record
from bot.vocabulary import DraftStatus, OutgoingKind
from tests.outbox_support import (
    PASSWORD_ENV,
    add_authority,
    add_draft,
    draft_row,
    imap_toml,
    maildir_toml,
    open_db,
    request_row,
    write_config,
)
from tests.servers.dovecot import Dovecot
from tests.servers.smtp import SmtpServer

BODY = (
    "Dear FOI team,\n\nUnder the Freedom of Information Act 2000, please send me the "
    "opening hours of each library you run.\n\nResearch Team\n"
)


@pytest.fixture
def setup(
    tmp_path: Path,
    dovecot: Dovecot,
    imap_user: str,
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[Config, Database, int]:
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    mailbox = imap_toml(dovecot.host, dovecot.tls_port, dovecot.cert_path, imap_user)
    config = write_config(tmp_path, mailbox, smtp_server.smtp_toml())
    db = open_db(config)
    return config, db, add_authority(db)


def crashed(db: Database, draft_id: int, phase: str) -> Draft:
    """The draft as a process killed in ``phase`` leaves it."""
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        assert draft is not None
        draft.status, draft.phase, draft.attempts = DraftStatus.SENDING.value, phase, 1
        draft.sent_at = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return draft_row(db, draft_id)


def sent_ids(dovecot: Dovecot, user: str) -> list[str]:
    with dovecot.client(user) as imap:
        imap.select_folder("Sent", readonly=True)
        uids = imap.search(["ALL"])
        data = imap.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"]) if uids else {}
    return sorted(
        v[b"BODY[HEADER.FIELDS (MESSAGE-ID)]"].decode().split(":", 1)[1].strip().strip("<>")
        for v in data.values()
    )


def put_in_sent(dovecot: Dovecot, user: str, config: Config, draft: Draft) -> None:
    assert draft.sent_at is not None
    dovecot.append("Sent", letter_bytes(draft, config, draft.sent_at), flags=[b"\\Seen"], user=user)


def run_sync(config: Config, db: Database, dovecot: Dovecot) -> None:
    source = source_from_config(config.mailbox, dovecot.password)
    try:
        sync_once(db, RawStore(config.database.raw_dir), source, config=config, workers=0)
    finally:
        source.close()


# -- recovery ---------------------------------------------------------------------------------


def test_crash_before_the_dot_sends_again_once(
    setup: tuple[Config, Database, int], smtp_server: SmtpServer, dovecot: Dovecot, imap_user: str
) -> None:
    config, db, authority = setup
    draft = crashed(db, add_draft(db, authority_id=authority), "smtp")
    report = send_due(db, config)
    assert report.recovered == {draft.id: "resend"} and report.sent == [draft.id]
    assert [m.message_id for m in smtp_server.messages] == [draft.message_id]
    after = draft_row(db, draft.id)
    assert after.status == DraftStatus.SENT and after.attempts == 2 and after.error is None
    assert sent_ids(dovecot, imap_user) == [draft.message_id]


def test_crash_after_the_dot_commit_is_sent_without_sending_again(
    setup: tuple[Config, Database, int], smtp_server: SmtpServer, dovecot: Dovecot, imap_user: str
) -> None:
    """``recover`` alone settles it, the reason on the draft; ``send_due`` then adds the
    copy to Sent, once."""
    config, db, authority = setup
    draft = crashed(db, add_draft(db, authority_id=authority), "dot")
    assert recover(db, config).recovered == {draft.id: "sent"}
    after = draft_row(db, draft.id)
    assert after.status == DraftStatus.SENT and after.error == DOT_WRITTEN
    assert after.sent_copy_at is None and smtp_server.messages == []
    send_due(db, config)
    send_due(db, config)
    assert sent_ids(dovecot, imap_user) == [draft.message_id]
    assert smtp_server.messages == []


def test_a_letter_found_in_sent_is_sent_whatever_its_phase(
    setup: tuple[Config, Database, int], smtp_server: SmtpServer, dovecot: Dovecot, imap_user: str
) -> None:
    """A server that files sent mail itself (Gmail) had it: the Sent search decides."""
    config, db, authority = setup
    draft = crashed(db, add_draft(db, authority_id=authority), "smtp")
    put_in_sent(dovecot, imap_user, config, draft)
    assert send_due(db, config).recovered == {draft.id: "sent"}
    after = draft_row(db, draft.id)
    assert after.status == DraftStatus.SENT and after.error == FOUND_IN_SENT
    assert after.sent_copy_at is not None and smtp_server.messages == []
    assert sent_ids(dovecot, imap_user) == [draft.message_id]


def test_mailbox_down_during_recovery_falls_back_to_the_phase(
    setup: tuple[Config, Database, int], smtp_server: SmtpServer, dovecot: Dovecot
) -> None:
    config, db, authority = setup
    before_dot = crashed(db, add_draft(db, authority_id=authority), "smtp")
    dovecot.stop()
    report = send_due(db, config)
    assert report.recovered == {before_dot.id: "resend"} and report.sent == [before_dot.id]
    assert report.copy_errors  # the copy waits for the mailbox
    assert draft_row(db, before_dot.id).sent_copy_at is None
    assert BEFORE_DOT not in (draft_row(db, before_dot.id).error or "")


# -- copies ---------------------------------------------------------------------------------


def test_copy_failure_never_unsends_and_the_copy_follows_once(
    setup: tuple[Config, Database, int], smtp_server: SmtpServer, dovecot: Dovecot, imap_user: str
) -> None:
    config, db, authority = setup
    draft_id = add_draft(db, authority_id=authority)
    dovecot.stop()
    report = send_due(db, config)
    assert report.sent == [draft_id] and report.copies == 0 and report.copy_errors
    assert draft_row(db, draft_id).status == DraftStatus.SENT
    dovecot.start()
    assert send_due(db, config).copies == 1
    assert send_due(db, config).copies == 0
    draft = draft_row(db, draft_id)
    assert draft.sent_copy_at is not None and sent_ids(dovecot, imap_user) == [draft.message_id]
    assert smtp_server.messages[0].content == letter_bytes(draft, config, draft.sent_at)  # type: ignore[arg-type]


def test_a_copy_already_in_sent_is_not_added_twice(
    setup: tuple[Config, Database, int], dovecot: Dovecot, imap_user: str
) -> None:
    """A crash after APPEND, before ``sent_copy_at`` was committed."""
    config, db, authority = setup
    draft_id = add_draft(db, authority_id=authority)
    with db.session() as session:
        row = session.get(Draft, draft_id)
        assert row is not None
        row.status, row.sent_at = DraftStatus.SENT.value, dt.datetime.now(dt.UTC)
    put_in_sent(dovecot, imap_user, config, draft_row(db, draft_id))
    send_due(db, config)
    assert draft_row(db, draft_id).sent_copy_at is not None
    assert len(sent_ids(dovecot, imap_user)) == 1


# -- a sent request and `foibot sync` ----------------------------------------------------------


def test_sent_request_becomes_one_request_and_sync_threads_its_copy_and_the_reply(
    setup: tuple[Config, Database, int], dovecot: Dovecot, imap_user: str
) -> None:
    """The outbox makes the request (clock from the send time); sync reads the copy in
    Sent onto it, as the request itself, and an answer to it by its headers."""
    config, db, authority = setup
    draft_id = add_draft(db, authority_id=authority, kind=OutgoingKind.REQUEST,
                         subject="Library opening hours", body=BODY)  # fmt: skip
    send_due(db, config)
    draft = draft_row(db, draft_id)
    assert draft.request_id is not None and draft.sent_at is not None
    reply = (
        f"From: FOI Team <foi@northmoor.gov.uk>\r\nTo: research@example.ac.uk\r\n"
        f"Subject: RE: Library opening hours\r\nMessage-ID: <ack1@northmoor.gov.uk>\r\n"
        f"In-Reply-To: <{draft.message_id}>\r\nDate: Mon, 07 Dec 2026 10:00:00 +0000\r\n\r\n"
        "Thank you for your request for information, which we received today. We will "
        "respond within 20 working days.\r\n"
    ).encode()
    dovecot.append("INBOX", reply, user=imap_user)

    run_sync(config, db, dovecot)
    run_sync(config, db, dovecot)  # nothing new: still one request

    with db.session() as session:
        (request,) = session.scalars(select(Request)).all()
        record = export_record(request, dt.date(2026, 12, 8), config)
    assert request.id == draft.request_id and record["state"] == "awaiting_response"
    assert record["regime"] == "foia" and record["sent_at"] == draft.sent_at.isoformat()
    out = [m for m in record["messages"] if m["direction"] == "out"]
    assert [(m["message_id"], m["kind"], m["matched_by"]) for m in out] == [
        (draft.message_id, "request", "outbox")
    ]
    incoming = [m for m in record["messages"] if m["direction"] == "in"]
    assert [(m["message_id"], m["matched_by"]) for m in incoming] == [
        ("ack1@northmoor.gov.uk", "headers")
    ]
    events = request_row(db, request.id).events
    assert [e.kind for e in events if e.kind == "sent"] == ["sent"]
    assert record["response_due"] is not None


def test_copy_read_by_sync_before_the_outbox_recorded_it_gives_one_request(
    setup: tuple[Config, Database, int], dovecot: Dovecot, imap_user: str
) -> None:
    """Crash after the server accepted the letter (which filed it in Sent) and before
    the commit; sync runs first and makes the request from Sent; the outbox then adopts
    that request instead of making a second one."""
    config, db, authority = setup
    draft_id = add_draft(db, authority_id=authority, kind=OutgoingKind.REQUEST,
                         subject="Library opening hours", body=BODY)  # fmt: skip
    draft = crashed(db, draft_id, "dot")
    put_in_sent(dovecot, imap_user, config, draft)
    run_sync(config, db, dovecot)
    send_due(db, config)
    with db.session() as session:
        assert session.scalar(select(func.count(Request.id))) == 1
        message = session.scalars(select(Message)).one()
    assert draft_row(db, draft_id).request_id == message.request_id is not None
    assert draft_row(db, draft_id).status == DraftStatus.SENT


def test_request_to_a_scottish_authority_is_foisa_and_keeps_the_drafts_token(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    config = write_config(tmp_path, maildir_toml(tmp_path), smtp_server.smtp_toml())
    db = open_db(config)
    authority = add_authority(db, "Glenmuir Council", "foi@glenmuir.gov.scot", "scotland")
    draft_id = add_draft(db, authority_id=authority, kind=OutgoingKind.REQUEST,
                         to_addr="foi@glenmuir.gov.scot",
                         subject="Library opening hours [FOI-1A2B3C]", body=BODY)  # fmt: skip
    send_due(db, config)
    draft = draft_row(db, draft_id)
    assert draft.request_id is not None
    request = request_row(db, draft.request_id)
    assert request.regime == "foisa" and request.tracking_token == "FOI-1A2B3C"
    assert request.sent_at == draft.sent_at and request.state == "awaiting_response"


def test_a_sent_request_that_cannot_be_recorded_stays_sent_and_is_recorded_later(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    """No authority for the address yet: the letter is sent all the same, the draft says
    why it is on no request, and the next run records it once the authority exists."""
    config = write_config(tmp_path, maildir_toml(tmp_path), smtp_server.smtp_toml())
    db = open_db(config)
    draft_id = add_draft(db, kind=OutgoingKind.REQUEST, to_addr="foi@unknown.gov.uk",
                         subject="Library opening hours", body=BODY)  # fmt: skip
    assert send_due(db, config).sent == [draft_id]
    draft = draft_row(db, draft_id)
    assert draft.status == DraftStatus.SENT and draft.request_id is None
    assert "not yet recorded on a request" in (draft.error or "")
    add_authority(db, "Unknown Council", "foi@unknown.gov.uk")
    send_due(db, config)
    request = request_row(db, draft_row(db, draft_id).request_id or 0)
    assert request.sent_at == draft.sent_at and request.state == "awaiting_response"
    assert draft_row(db, draft_id).error is None and len(smtp_server.messages) == 1


def test_sending_the_letter_of_a_request_made_as_a_draft_starts_its_clock(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    config = write_config(tmp_path, maildir_toml(tmp_path), smtp_server.smtp_toml())
    db = open_db(config)
    authority = add_authority(db)
    with db.session() as session:
        request = add_request(
            session, NewRequest(authority=str(authority), subject="Library opening hours"), config
        )
        request_id = request.id
    assert request_row(db, request_id).state == "draft"
    draft_id = add_draft(
        db, authority_id=authority, request_id=request_id, kind=OutgoingKind.REQUEST, body=BODY
    )
    send_due(db, config)
    sent = request_row(db, request_id)
    assert sent.state == "awaiting_response" and sent.sent_at == draft_row(db, draft_id).sent_at
    assert sent.response_due is not None and [e.kind for e in sent.events] == ["sent"]
