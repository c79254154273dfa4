"""The outbox against real servers: aiosmtpd for SMTP, Dovecot (or a Maildir) for Sent."""

from __future__ import annotations

import datetime as dt
import email
import logging
from email import policy
from pathlib import Path

import pytest

from bot.config import Config
from bot.outbox import send_due
from bot.outbox.lock import outbox_lock
from bot.store import Database
from bot.store.models import Draft
from bot.vocabulary import DraftStatus, OutgoingKind
from tests.outbox_support import (
    AUTHORITY_EMAIL,
    PASSWORD_ENV,
    REQUESTER,
    add_authority,
    add_draft,
    add_request_row,
    draft_row,
    imap_toml,
    maildir_toml,
    open_db,
    request_row,
    write_config,
)
from tests.servers.dovecot import Dovecot
from tests.servers.postgres import PostgresCluster
from tests.servers.smtp import PASSWORD, USER, SmtpFactory, SmtpServer

# implicit TLS with AUTH: aiosmtpd cannot tell the session is encrypted and warns
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
SMTP_PASSWORD_ENV = "FOIBOT_TEST_SMTP_PASSWORD"
REPLY_TO = "CAB+reply.1@mail.northmoor.gov.uk"
EARLIER = "20260901090000.aaaa.foibot@example.ac.uk"


@pytest.fixture
def maildir_setup(
    tmp_path: Path, smtp_server: SmtpServer
) -> tuple[Config, Database, SmtpServer, int]:
    """A Maildir mailbox, a plain SMTP server, a database with one authority."""
    config = write_config(tmp_path, maildir_toml(tmp_path), smtp_server.smtp_toml())
    db = open_db(config)
    return config, db, smtp_server, add_authority(db)


def parsed(content: bytes) -> email.message.EmailMessage:
    message = email.message_from_bytes(content, policy=policy.default)
    assert isinstance(message, email.message.EmailMessage)
    return message


def sent_copies(root: Path) -> list[bytes]:
    return [p.read_bytes() for p in sorted((root / "mail" / ".Sent" / "cur").iterdir())]


# -- delivery -----------------------------------------------------------------------------


def test_approved_reply_is_delivered_threaded_with_a_copy_in_dovecot_sent(
    tmp_path: Path,
    dovecot: Dovecot,
    imap_user: str,
    smtp_factory: SmtpFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """STARTTLS + AUTH: the server gets the letter with To, Subject, Message-ID and the
    threading headers; the same bytes land in Sent, read; the draft is sent."""
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    monkeypatch.setenv(SMTP_PASSWORD_ENV, PASSWORD)
    server = smtp_factory("starttls", auth=True)
    mailbox = imap_toml(dovecot.host, dovecot.tls_port, dovecot.cert_path, imap_user)
    config = write_config(tmp_path, mailbox, server.smtp_toml(SMTP_PASSWORD_ENV))
    db = open_db(config)
    authority = add_authority(db)
    request = add_request_row(db, config, authority, "Library opening hours")
    draft_id = add_draft(
        db, request_id=request, authority_id=authority, in_reply_to=REPLY_TO,
        references=(EARLIER, REPLY_TO),
    )  # fmt: skip

    report = send_due(db, config)

    assert report.sent == [draft_id] and report.copies == 1, str(report)
    (received,) = server.messages
    draft = draft_row(db, draft_id)
    assert received.mail_from == REQUESTER and received.rcpt_tos == (AUTHORITY_EMAIL,)
    message = parsed(received.content)
    assert message["To"] == AUTHORITY_EMAIL
    assert message["Subject"] == "Re: FOI 10400 - Library opening hours"
    assert message["Message-ID"] == f"<{draft.message_id}>"
    assert message["In-Reply-To"] == f"<{REPLY_TO}>"
    assert message["References"].split() == [f"<{EARLIER}>", f"<{REPLY_TO}>"]
    assert draft.status == DraftStatus.SENT and draft.sent_at and draft.sent_copy_at
    assert draft.attempts == 1 and draft.error is None
    with dovecot.client(imap_user) as imap:
        imap.select_folder("Sent", readonly=True)
        (uid,) = imap.search(["HEADER", "Message-ID", f"<{draft.message_id}>"])
        fetched = imap.fetch([uid], ["BODY.PEEK[]", "FLAGS"])[uid]
    assert fetched[b"BODY[]"] == received.content
    assert b"\\Seen" in fetched[b"FLAGS"]
    assert f"mid:{draft.message_id}" in {k.key for k in request_row(db, request).thread_keys}


def test_implicit_tls_and_xoauth2_login_deliver(
    tmp_path: Path, smtp_factory: SmtpFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.servers.smtp import TOKEN

    monkeypatch.setenv(SMTP_PASSWORD_ENV, TOKEN)
    server = smtp_factory("implicit", auth=True)
    smtp = server.smtp_toml(SMTP_PASSWORD_ENV) + 'auth = "xoauth2"\nsent_copy = "none"\n'
    config = write_config(tmp_path, maildir_toml(tmp_path), smtp)
    db = open_db(config)
    draft_id = add_draft(db, authority_id=add_authority(db))
    assert send_due(db, config).sent == [draft_id]
    assert len(server.messages) == 1
    assert draft_row(db, draft_id).sent_copy_at is None  # sent_copy = "none"
    assert sent_copies(tmp_path) == []


def test_copy_goes_to_the_maildir_sent_folder_as_read(
    maildir_setup: tuple[Config, Database, SmtpServer, int], tmp_path: Path
) -> None:
    config, db, server, authority = maildir_setup
    add_draft(db, authority_id=authority)
    send_due(db, config)
    (name,) = (tmp_path / "mail" / ".Sent" / "cur").iterdir()
    assert name.name.endswith(":2,S")
    assert name.read_bytes() == server.messages[0].content


def test_pending_rejected_and_failed_drafts_are_never_sent(
    maildir_setup: tuple[Config, Database, SmtpServer, int],
) -> None:
    config, db, server, authority = maildir_setup
    for status in (DraftStatus.PENDING, DraftStatus.REJECTED, DraftStatus.FAILED):
        add_draft(db, authority_id=authority, status=status)
    report = send_due(db, config)
    assert server.messages == [] and report.sent == []


def test_a_letter_due_later_waits(maildir_setup: tuple[Config, Database, SmtpServer, int]) -> None:
    config, db, _, authority = maildir_setup
    draft_id = add_draft(db, authority_id=authority)

    later = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    with db.session() as session:
        row = session.get(Draft, draft_id)
        assert row is not None
        row.next_attempt_at = later
    assert send_due(db, config).sent == []
    assert send_due(db, config, now=later).sent == [draft_id]


# -- failures and retries -------------------------------------------------------------------


def test_server_down_keeps_the_draft_approved_and_it_goes_when_the_server_is_back(
    maildir_setup: tuple[Config, Database, SmtpServer, int],
) -> None:
    config, db, server, authority = maildir_setup
    draft_id = add_draft(db, authority_id=authority)
    server.stop()
    now = dt.datetime.now(dt.UTC)
    report = send_due(db, config, now=now)
    draft = draft_row(db, draft_id)
    assert report.retrying == [draft_id] and "connection refused" in (report.problem or "")
    assert draft.status == DraftStatus.APPROVED and draft.attempts == 1
    assert draft.next_attempt_at is not None
    retry = config.smtp.retry_seconds
    assert now + dt.timedelta(seconds=retry) <= draft.next_attempt_at
    assert draft.next_attempt_at <= now + dt.timedelta(seconds=retry * 1.25)
    assert "connection refused" in (draft.error or "")

    server.start()
    assert send_due(db, config, now=now).sent == []  # not due yet
    assert send_due(db, config, now=draft.next_attempt_at).sent == [draft_id]
    assert len(server.messages) == 1 and draft_row(db, draft_id).status == DraftStatus.SENT


def test_temporary_refusal_after_the_dot_retries_with_doubling_backoff(
    maildir_setup: tuple[Config, Database, SmtpServer, int],
) -> None:
    config, db, server, authority = maildir_setup
    draft_id = add_draft(db, authority_id=authority)
    server.handler.refuse_data = "451 4.3.0 Mailbox busy, try later"
    now = dt.datetime.now(dt.UTC)
    delays = []
    for _ in range(2):
        report = send_due(db, config, now=now)
        draft = draft_row(db, draft_id)
        assert report.retrying == [draft_id] and draft.status == DraftStatus.APPROVED
        assert draft.next_attempt_at is not None and "451" in (draft.error or "")
        delays.append((draft.next_attempt_at - now).total_seconds())
        now = draft.next_attempt_at
    retry = config.smtp.retry_seconds
    assert retry <= delays[0] <= retry * 1.25 and 2 * retry <= delays[1] <= 2 * retry * 1.25
    server.handler.refuse_data = None
    assert send_due(db, config, now=now).sent == [draft_id]
    assert draft_row(db, draft_id).attempts == 3 and len(server.messages) == 1


def test_permanent_refusal_fails_the_draft_with_the_servers_words(
    maildir_setup: tuple[Config, Database, SmtpServer, int],
) -> None:
    config, db, server, authority = maildir_setup
    at_data = add_draft(db, authority_id=authority)
    server.handler.refuse_data = "554 5.7.1 Message rejected as spam"
    assert send_due(db, config).failed == [at_data]
    server.handler.refuse_data = None
    server.handler.refuse_rcpt = "550 5.1.1 No such mailbox"
    at_rcpt = add_draft(db, authority_id=authority)
    assert send_due(db, config).failed == [at_rcpt]
    assert "554 5.7.1 Message rejected as spam" in (draft_row(db, at_data).error or "")
    assert "550 5.1.1 No such mailbox" in (draft_row(db, at_rcpt).error or "")
    assert {draft_row(db, d).status for d in (at_data, at_rcpt)} == {DraftStatus.FAILED}
    assert server.messages == []


def test_after_max_attempts_the_draft_fails(tmp_path: Path, smtp_server: SmtpServer) -> None:
    smtp = smtp_server.smtp_toml() + "max_attempts = 2\n"
    config = write_config(tmp_path, maildir_toml(tmp_path), smtp)
    db = open_db(config)
    draft_id = add_draft(db, authority_id=add_authority(db))
    smtp_server.handler.refuse_data = "421 4.7.0 Try again"
    now = dt.datetime.now(dt.UTC)
    assert send_due(db, config, now=now).retrying == [draft_id]
    assert send_due(db, config, now=now + dt.timedelta(days=1)).failed == [draft_id]
    draft = draft_row(db, draft_id)
    assert draft.status == DraftStatus.FAILED and "gave up after 2 attempts" in (draft.error or "")


def test_login_refused_is_a_clear_error_and_burns_no_attempt(
    tmp_path: Path,
    smtp_factory: SmtpFactory,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    wrong = "not-the-password-42"
    monkeypatch.setenv(SMTP_PASSWORD_ENV, wrong)
    server = smtp_factory("starttls", auth=True)
    config = write_config(tmp_path, maildir_toml(tmp_path), server.smtp_toml(SMTP_PASSWORD_ENV))
    db = open_db(config)
    draft_id = add_draft(db, authority_id=add_authority(db))
    with caplog.at_level(logging.INFO, logger="bot.outbox"):
        report = send_due(db, config)
    draft = draft_row(db, draft_id)
    assert f"SMTP login refused for {USER}" in (report.problem or "")
    assert draft.status == DraftStatus.APPROVED and draft.attempts == 0
    assert "login refused" in (draft.error or "") and draft.next_attempt_at is None
    assert "login refused" in caplog.text and wrong not in caplog.text
    assert server.messages == []


def test_a_refused_xoauth2_token_is_a_clear_error(
    tmp_path: Path, smtp_factory: SmtpFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SMTP_PASSWORD_ENV, "expired-token")
    server = smtp_factory("starttls", auth=True)
    smtp = server.smtp_toml(SMTP_PASSWORD_ENV) + 'auth = "xoauth2"\n'
    config = write_config(tmp_path, maildir_toml(tmp_path), smtp)
    db = open_db(config)
    draft_id = add_draft(db, authority_id=add_authority(db))
    report = send_due(db, config)
    assert "SMTP login refused" in (report.problem or "") and "535" in (report.problem or "")
    assert draft_row(db, draft_id).attempts == 0 and server.messages == []


def test_untrusted_certificate_is_refused_before_anything_is_sent(
    tmp_path: Path, smtp_factory: SmtpFactory
) -> None:
    for mode in ("starttls", "implicit"):
        server = smtp_factory(mode)
        smtp = "\n".join(
            line for line in server.smtp_toml().splitlines() if not line.startswith("ca_file")
        )
        root = tmp_path / mode
        config = write_config(root, maildir_toml(root), smtp + "\n")
        db = open_db(config)
        draft_id = add_draft(db, authority_id=add_authority(db))
        report = send_due(db, config)
        assert "certificate verify failed" in (report.problem or ""), mode
        assert "certificate verify failed" in (draft_row(db, draft_id).error or "")
        assert draft_row(db, draft_id).status == DraftStatus.APPROVED
        assert server.messages == []


def test_letter_with_a_bad_recipient_fails_without_touching_the_server(
    maildir_setup: tuple[Config, Database, SmtpServer, int],
) -> None:
    config, db, server, authority = maildir_setup
    draft_id = add_draft(db, authority_id=authority, to_addr="foi@northmoor.gov.uk, x@evil.example")
    assert send_due(db, config).failed == [draft_id]
    assert "to:" in (draft_row(db, draft_id).error or "") and server.messages == []


# -- rate limit, limit, lock ------------------------------------------------------------------


def test_rate_limit_sends_max_per_minute_and_defers_the_rest_a_minute(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    smtp = smtp_server.smtp_toml() + 'max_per_minute = 2\nsent_copy = "none"\n'
    config = write_config(tmp_path, maildir_toml(tmp_path), smtp)
    db = open_db(config)
    authority = add_authority(db)
    ids = [add_draft(db, authority_id=authority) for _ in range(5)]
    now = dt.datetime.now(dt.UTC)

    first = send_due(db, config, now=now)
    assert first.sent == ids[:2] and first.deferred == ids[2:]
    assert {draft_row(db, d).next_attempt_at for d in ids[2:]} == {now + dt.timedelta(minutes=1)}
    assert send_due(db, config, now=now + dt.timedelta(seconds=30)).sent == []
    assert send_due(db, config, now=now + dt.timedelta(seconds=61)).sent == ids[2:4]
    assert len(smtp_server.messages) == 4


def test_limit_sends_at_most_n_and_leaves_the_rest_due(
    maildir_setup: tuple[Config, Database, SmtpServer, int],
) -> None:
    config, db, _, authority = maildir_setup
    ids = [add_draft(db, authority_id=authority) for _ in range(3)]
    report = send_due(db, config, limit=1)
    assert report.sent == ids[:1] and report.deferred == []
    assert draft_row(db, ids[1]).next_attempt_at is None


def test_a_second_sender_waits_for_the_first(
    maildir_setup: tuple[Config, Database, SmtpServer, int],
) -> None:
    config, db, server, authority = maildir_setup
    add_draft(db, authority_id=authority)
    other = Database(config.database_url)
    with outbox_lock(other) as held:
        assert held
        report = send_due(db, config)
    other.dispose()
    assert report.busy and server.messages == []
    assert "another foibot process" in str(report)
    assert send_due(db, config).sent


def test_log_has_one_key_value_line_per_event_and_never_the_body(
    maildir_setup: tuple[Config, Database, SmtpServer, int], caplog: pytest.LogCaptureFixture
) -> None:
    config, db, _, authority = maildir_setup
    draft_id = add_draft(db, authority_id=authority, body="Secret body text.\n")
    with caplog.at_level(logging.INFO, logger="bot.outbox"):
        send_due(db, config)
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.outbox"]
    assert f"outbox event=sent draft={draft_id} request=- attempts=1" in lines[0]
    assert any(line.startswith("outbox event=copied") for line in lines)
    assert "Secret body" not in caplog.text


def test_kinds_other_than_request_record_their_message_id_on_the_request(
    maildir_setup: tuple[Config, Database, SmtpServer, int],
) -> None:
    config, db, _, authority = maildir_setup
    request = add_request_row(db, config, authority, "Library opening hours")
    draft_id = add_draft(db, authority_id=authority, request_id=request,
                         kind=OutgoingKind.REVIEW_REQUEST)  # fmt: skip
    send_due(db, config)
    keys = {k.key for k in request_row(db, request).thread_keys}
    assert f"mid:{draft_row(db, draft_id).message_id}" in keys


@pytest.mark.postgres
def test_outbox_lock_on_postgresql_admits_one_sender(postgres: PostgresCluster) -> None:
    url = postgres.create_database()
    first, second = Database(url), Database(url)
    try:
        with outbox_lock(first) as held:
            assert held
            with outbox_lock(second) as other:
                assert not other
        with outbox_lock(second) as again:
            assert again  # released when the first run ended
    finally:
        first.dispose()
        second.dispose()
