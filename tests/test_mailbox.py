"""The mailbox edge against a real Dovecot (IMAP) and real Maildir trees on disk."""

from __future__ import annotations

import logging
import mailbox
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import config_from_dict
from bot.errors import ConfigError, ConnectError
from bot.mailbox import (
    Backoff,
    FolderBatch,
    FolderState,
    ImapSource,
    MaildirSource,
    read_maildir,
    read_mbox,
    source_from_config,
)
from tests.servers.dovecot import Dovecot

FAST_RETRY = Backoff(attempts=8, initial=0.1, maximum=0.5)


def message(n: int, subject: str = "Your FOI request") -> bytes:
    return (
        f"From: foi{n}@council.example.gov.uk\r\nTo: research@example.ac.uk\r\n"
        f"Subject: {subject} {n}\r\nMessage-ID: <m{n}@council.example.gov.uk>\r\n"
        f"Date: Thu, 21 Nov 2024 10:00:{n % 60:02d} +0000\r\n\r\nBody of message {n}.\r\n"
    ).encode()


def imap(server: Dovecot, user: str, **options: object) -> ImapSource:
    """A source on the implicit-TLS port trusting the test CA, unless options say otherwise."""
    settings: dict[str, object] = {
        "username": user,
        "password": server.password,
        "ca_file": server.cert_path,
        "timeout": 10.0,
        "backoff": FAST_RETRY,
    }
    settings.update(options)
    port = settings.pop("port", server.tls_port)
    return ImapSource(server.host, port, **settings)  # type: ignore[arg-type]


def drain(batches: Iterator[FolderBatch]) -> tuple[list[FolderBatch], FolderState | None]:
    out = list(batches)
    return out, (out[-1].state_after if out else None)


# -- incremental fetch ---------------------------------------------------------------------


def test_fetch_new_yields_exactly_the_appended_messages_in_uid_batches(
    dovecot: Dovecot, imap_user: str
) -> None:
    """Seven appended messages come back in batches of 3, with their UIDs and bytes."""
    raws = [message(n) for n in range(7)]
    uids = dovecot.multiappend("INBOX", raws, user=imap_user)
    with imap(dovecot, imap_user) as source:
        batches, state = drain(source.fetch_new("INBOX", FolderState(), batch_size=3))
    assert [[m.uid for m in b.messages] for b in batches] == [uids[:3], uids[3:6], uids[6:]]
    assert [m.raw for b in batches for m in b.messages] == raws
    assert [b.state_after.last_uid for b in batches] == [uids[2], uids[5], uids[6]]
    assert not any(b.reset for b in batches)
    assert all(not m.is_sent and m.received_at is not None for b in batches for m in b.messages)
    assert state is not None and state.highestmodseq is not None  # CONDSTORE recorded


def test_batches_are_also_limited_by_size(dovecot: Dovecot, imap_user: str) -> None:
    """With max_batch_bytes, big messages are split into smaller batches; none is lost."""
    big = [message(n) + b"x" * 3000 + b"\r\n" for n in range(5)]
    uids = dovecot.multiappend("INBOX", big, user=imap_user)
    with imap(dovecot, imap_user, max_batch_bytes=7000) as source:
        batches, _ = drain(source.fetch_new("INBOX", FolderState(), batch_size=100))
    assert [[m.uid for m in b.messages] for b in batches] == [uids[:2], uids[2:4], uids[4:]]


def imap_commands(caplog: pytest.LogCaptureFixture) -> str:
    """The IMAP commands imapclient logged (lines it sent, ``> b'TAG COMMAND ...'``)."""
    return " ".join(r.getMessage() for r in caplog.records if r.getMessage().startswith("> "))


def test_second_fetch_yields_nothing_and_sends_no_examine(
    dovecot: Dovecot, imap_user: str, caplog: pytest.LogCaptureFixture
) -> None:
    """An unchanged folder still selected costs a NOOP and a UID SEARCH: no EXAMINE, no FETCH."""
    dovecot.multiappend("INBOX", [message(n) for n in range(3)], user=imap_user)
    with imap(dovecot, imap_user) as source:
        _, state = drain(source.fetch_new("INBOX", FolderState()))
        assert state is not None
        caplog.set_level(logging.DEBUG, logger="imapclient")
        caplog.clear()
        assert list(source.fetch_new("INBOX", state)) == []
    sent = imap_commands(caplog)
    assert "NOOP" in sent and "UID SEARCH" in sent
    assert "EXAMINE" not in sent and "FETCH" not in sent


def test_unchanged_other_folder_costs_one_status(
    dovecot: Dovecot, imap_user: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A folder that is not selected (Sent, after INBOX) is checked with STATUS alone."""
    dovecot.append("Sent", message(1), user=imap_user)
    dovecot.append("INBOX", message(2), user=imap_user)
    with imap(dovecot, imap_user) as source:
        _, sent_state = drain(source.fetch_new("Sent", FolderState()))
        _, inbox_state = drain(source.fetch_new("INBOX", FolderState()))
        assert sent_state is not None and inbox_state is not None
        caplog.set_level(logging.DEBUG, logger="imapclient")
        caplog.clear()
        assert list(source.fetch_new("Sent", sent_state)) == []
        commands = imap_commands(caplog)
        uid = dovecot.append("Sent", message(3), user=imap_user)
        batches, _ = drain(source.fetch_new("Sent", sent_state))
    assert "STATUS" in commands
    assert not any(word in commands for word in ("EXAMINE", "SEARCH", "FETCH", "NOOP"))
    assert [m.uid for b in batches for m in b.messages] == [uid]


def test_recreated_folder_is_read_again_after_a_status_check(
    dovecot: Dovecot, imap_user: str
) -> None:
    """A folder deleted and recreated between syncs (new UIDVALIDITY) resets and is re-read."""
    dovecot.create_folder("FOI", user=imap_user)
    dovecot.multiappend("FOI", [message(n) for n in range(2)], user=imap_user)
    with imap(dovecot, imap_user, folders=["FOI"]) as source:
        _, state = drain(source.fetch_new("FOI", FolderState()))
        drain(source.fetch_new("INBOX", FolderState()))  # FOI is no longer selected
        dovecot.delete_folder("FOI", user=imap_user)
        dovecot.create_folder("FOI", user=imap_user)
        dovecot.multiappend("FOI", [message(n) for n in range(5)], user=imap_user)
        assert state is not None
        batches, after = drain(source.fetch_new("FOI", state))
    assert batches and batches[0].reset
    assert sum(len(b.messages) for b in batches) == 5
    assert after is not None and after.uidvalidity != state.uidvalidity


def test_only_mail_arriving_after_the_committed_state_is_fetched(
    dovecot: Dovecot, imap_user: str
) -> None:
    """After a sync, a new APPEND yields just that message."""
    dovecot.multiappend("INBOX", [message(n) for n in range(2)], user=imap_user)
    with imap(dovecot, imap_user) as source:
        _, state = drain(source.fetch_new("INBOX", FolderState()))
        assert state is not None
        uid = dovecot.append("INBOX", message(99), user=imap_user)
        batches, _ = drain(source.fetch_new("INBOX", state))
    assert [m.uid for b in batches for m in b.messages] == [uid]


def test_fetching_never_sets_seen_or_changes_flags(dovecot: Dovecot, imap_user: str) -> None:
    """BODY.PEEK[] on an EXAMINEd folder leaves every flag as it was (no \\Seen)."""
    dovecot.append("INBOX", message(1), user=imap_user)
    dovecot.append("INBOX", message(2), flags=[b"\\Flagged"], user=imap_user)
    before = dovecot.flags("INBOX", user=imap_user)
    with imap(dovecot, imap_user) as source:
        batches, _ = drain(source.fetch_new("INBOX", FolderState()))
    assert len([m for b in batches for m in b.messages]) == 2
    after = dovecot.flags("INBOX", user=imap_user)
    assert after == before
    assert all(b"\\Seen" not in flags for flags in after.values())


# -- folders -------------------------------------------------------------------------------


def test_sent_folder_is_found_by_special_use(dovecot: Dovecot, imap_user: str) -> None:
    """Dovecot marks Sent with \\Sent; its messages come back with is_sent=True."""
    dovecot.append("Sent", message(1), user=imap_user)
    with imap(dovecot, imap_user) as source:
        specs = source.folders()
        batches, _ = drain(source.fetch_new("Sent", FolderState()))
    assert [(s.name, s.is_sent) for s in specs] == [("INBOX", False), ("Sent", True)]
    assert [m.is_sent for b in batches for m in b.messages] == [True]


def test_configured_sent_folder_overrides_special_use(dovecot: Dovecot, imap_user: str) -> None:
    """sent_folder names the Sent folder; configured folders are synced too."""
    dovecot.create_folder("Sent by hand", user=imap_user)
    dovecot.create_folder("FOI/Archive", user=imap_user)
    with imap(dovecot, imap_user, sent_folder="Sent by hand", folders=["FOI/Archive"]) as source:
        specs = source.folders()
    assert [(s.name, s.is_sent) for s in specs] == [
        ("INBOX", False),
        ("FOI/Archive", False),
        ("Sent by hand", True),
    ]


def test_a_missing_configured_folder_is_a_config_error(dovecot: Dovecot, imap_user: str) -> None:
    """A sent_folder the server does not have names the key and the folders it has."""
    with (
        imap(dovecot, imap_user, sent_folder="Nope") as source,
        pytest.raises(ConfigError, match=r"mailbox.sent_folder: no folder 'Nope'.*INBOX"),
    ):
        source.folders()


def test_uidvalidity_change_resets_and_returns_the_new_messages(
    dovecot: Dovecot, imap_user: str
) -> None:
    """Deleting and recreating a folder yields reset=True and its new messages from UID 1."""
    dovecot.create_folder("Project", user=imap_user)
    dovecot.multiappend("Project", [message(1), message(2)], user=imap_user)
    with imap(dovecot, imap_user, folders=["Project"]) as source:
        _, old = drain(source.fetch_new("Project", FolderState()))
        assert old is not None and old.last_uid == 2
        dovecot.delete_folder("Project", user=imap_user)
        dovecot.create_folder("Project", user=imap_user)
        dovecot.append("Project", message(3), user=imap_user)
        batches, new = drain(source.fetch_new("Project", old))
    assert batches[0].reset and not any(b.reset for b in batches[1:])
    assert new is not None and new.uidvalidity != old.uidvalidity
    assert [(m.uid, m.raw) for b in batches for m in b.messages] == [(1, message(3))]


# -- TLS, login, errors --------------------------------------------------------------------


def test_implicit_tls_trusting_the_test_ca_connects(dovecot: Dovecot, imap_user: str) -> None:
    """ca_file makes the self-signed test certificate trusted on the IMAPS port."""
    with imap(dovecot, imap_user) as source:
        source.connect()


def test_untrusted_certificate_is_refused(dovecot: Dovecot, imap_user: str) -> None:
    """Without the test CA the connection fails at once, naming the certificate problem."""
    source = imap(dovecot, imap_user, ca_file=None)
    with pytest.raises(
        ConnectError,
        match=f"certificate verify failed for 127.0.0.1:"
        f"{dovecot.tls_port}: self[- ]signed certificate",
    ):
        source.connect()


def test_starttls_upgrades_the_plain_port(dovecot: Dovecot, imap_user: str) -> None:
    """tls="starttls" on port 143-style listener works and verifies the certificate."""
    dovecot.append("INBOX", message(1), user=imap_user)
    with imap(dovecot, imap_user, port=dovecot.plain_port, tls="starttls") as source:
        batches, _ = drain(source.fetch_new("INBOX", FolderState()))
    assert len(batches[0].messages) == 1
    untrusted = imap(dovecot, imap_user, port=dovecot.plain_port, tls="starttls", ca_file=None)
    with pytest.raises(ConnectError, match="certificate verify failed"):
        untrusted.connect()


def test_plaintext_is_refused_unless_allow_insecure(dovecot: Dovecot, imap_user: str) -> None:
    """tls="none" raises a clear error; with allow_insecure=True it connects."""
    with pytest.raises(ConnectError, match=r"refusing plaintext IMAP to 127\.0\.0\.1"):
        imap(dovecot, imap_user, port=dovecot.plain_port, tls="none")
    with imap(
        dovecot, imap_user, port=dovecot.plain_port, tls="none", allow_insecure=True
    ) as source:
        source.connect()


def test_wrong_password_is_login_refused(dovecot: Dovecot, imap_user: str) -> None:
    """A refused login is reported at once (no retries), naming the user and server."""
    source = imap(dovecot, imap_user, password="wrong")
    started = time.monotonic()
    with pytest.raises(ConnectError, match=f"login refused for {imap_user} at 127.0.0.1"):
        source.connect()
    assert time.monotonic() - started < 2


def test_xoauth2_login(dovecot: Dovecot, imap_user: str) -> None:
    """oauth2_token logs in with XOAUTH2 (the test Dovecot checks it like a password)."""
    with imap(dovecot, imap_user, password=None, oauth2_token=dovecot.password) as source:
        source.connect()


def test_nothing_listening_is_cannot_connect_after_retries() -> None:
    """A closed port gives "cannot connect to HOST:PORT: connection refused"."""
    from tests.servers.dovecot import free_port

    port = free_port()
    source = ImapSource(
        "127.0.0.1",
        port,
        username="u",
        password="p",
        backoff=Backoff(attempts=2, initial=0.01, maximum=0.02),
    )
    with pytest.raises(
        ConnectError, match=f"cannot connect to 127.0.0.1:{port}: connection refused"
    ):
        source.connect()


def test_fetch_survives_a_server_restart_without_losing_mail(
    dovecot: Dovecot, imap_user: str
) -> None:
    """A generator consumed across a Dovecot restart reconnects and yields every UID once."""
    uids = dovecot.multiappend("INBOX", [message(n) for n in range(6)], user=imap_user)
    with imap(dovecot, imap_user) as source:
        batches = source.fetch_new("INBOX", FolderState(), batch_size=2)
        first = next(batches)
        dovecot.stop()
        restart = threading.Timer(0.5, dovecot.start)
        restart.start()
        try:
            rest = list(batches)
        finally:
            restart.join()
    got = [m.uid for b in [first, *rest] for m in b.messages]
    assert got == uids
    assert rest[-1].state_after.last_uid == uids[-1]


def test_missing_dovecot_fails_with_the_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without Dovecot the server refuses to start and says `make test` installs it."""
    import tests.servers.dovecot as server_module

    monkeypatch.setattr(server_module, "DOVECOT", "/nonexistent/dovecot")
    with pytest.raises(RuntimeError, match=r"not installed.*`make test` installs it"):
        Dovecot()


# -- waiting for mail ----------------------------------------------------------------------


def _sync_all(source: ImapSource | MaildirSource) -> None:
    for spec in source.folders():
        drain(source.fetch_new(spec.name, FolderState()))


def test_idle_reports_new_mail_within_seconds(dovecot: Dovecot, imap_user: str) -> None:
    """wait_for_change returns True soon after another client APPENDs to INBOX."""
    with imap(dovecot, imap_user) as source:
        _sync_all(source)
        timer = threading.Timer(0.3, dovecot.append, ("INBOX", message(1)), {"user": imap_user})
        timer.start()
        started = time.monotonic()
        changed = source.wait_for_change(10)
        timer.join()
    assert changed
    assert time.monotonic() - started < 5


def test_idle_is_reissued_and_other_folders_are_checked_between(
    dovecot: Dovecot, imap_user: str
) -> None:
    """IDLE watches INBOX; every poll_interval it stops, STATUSes Sent, and IDLEs again."""
    with imap(dovecot, imap_user, poll_interval=0.3) as source:
        _sync_all(source)
        timer = threading.Timer(0.5, dovecot.append, ("Sent", message(1)), {"user": imap_user})
        timer.start()
        started = time.monotonic()
        changed = source.wait_for_change(10)
        timer.join()
    assert changed
    assert time.monotonic() - started < 3


def test_server_going_away_during_idle_ends_the_wait(dovecot: Dovecot, imap_user: str) -> None:
    """A dropped IDLE connection returns True promptly (the next sync reconnects)."""
    with imap(dovecot, imap_user) as source:
        _sync_all(source)
        timer = threading.Timer(0.3, dovecot.stop)
        timer.start()
        started = time.monotonic()
        changed = source.wait_for_change(10)
        timer.join()
        elapsed = time.monotonic() - started
        dovecot.start()
        assert list(source.fetch_new("INBOX", FolderState())) != []  # reconnected
    assert changed
    assert elapsed < 5


def test_wait_for_change_is_false_on_timeout(dovecot: Dovecot, imap_user: str) -> None:
    """With no new mail, wait_for_change returns False after the timeout."""
    with imap(dovecot, imap_user) as source:
        _sync_all(source)
        started = time.monotonic()
        assert source.wait_for_change(1.0) is False
    assert 0.9 < time.monotonic() - started < 3


def test_wait_for_change_is_true_at_once_for_unsynced_folders(
    dovecot: Dovecot, imap_user: str
) -> None:
    """A folder never fully synced (or changed since) needs a sync now."""
    with imap(dovecot, imap_user) as source:
        assert source.wait_for_change(5) is True


def test_polling_fallback_sees_mail_in_the_sent_folder(dovecot: Dovecot, imap_user: str) -> None:
    """Without IDLE, STATUS polling notices a change in any synced folder."""
    with imap(dovecot, imap_user, use_idle=False, poll_interval=0.2) as source:
        _sync_all(source)
        timer = threading.Timer(0.3, dovecot.append, ("Sent", message(1)), {"user": imap_user})
        timer.start()
        changed = source.wait_for_change(5)
        timer.join()
    assert changed


def test_source_from_config_builds_a_working_imap_source(
    dovecot: Dovecot, imap_user: str, tmp_path: Path
) -> None:
    """The [mailbox] section (host, port, tls, ca_file, ...) becomes an ImapSource."""
    dovecot.append("INBOX", message(1), user=imap_user)
    config = config_from_dict(
        {
            "requester": {"name": "R", "email": "r@example.ac.uk"},
            "mailbox": {
                "kind": "imap",
                "host": dovecot.host,
                "port": dovecot.plain_port,
                "username": imap_user,
                "tls": "starttls",
                "ca_file": str(dovecot.cert_path),
                "timeout_seconds": 10,
            },
        },
        tmp_path / "config.toml",
    )
    source = source_from_config(config.mailbox, dovecot.password)
    try:
        assert isinstance(source, ImapSource)
        batches, _ = drain(source.fetch_new("INBOX", FolderState()))
        assert len(batches[0].messages) == 1
    finally:
        source.close()


# -- Maildir -------------------------------------------------------------------------------


def make_folder(path: Path) -> Path:
    for sub in ("cur", "new", "tmp"):
        (path / sub).mkdir(parents=True, exist_ok=True)
    return path


def deliver(folder: Path, name: str, raw: bytes, sub: str = "new") -> Path:
    target = folder / sub / name
    target.write_bytes(raw)
    return target


@pytest.fixture
def maildir(tmp_path: Path) -> Path:
    root = make_folder(tmp_path / "Maildir")
    sent = make_folder(root / ".Sent")
    deliver(root, "1700000001.M1P1.host", message(1))
    deliver(root, "1700000002.M2P1.host:2,S", message(2), sub="cur")
    deliver(root, "1700000003.M3P1.host", message(3), sub="tmp")  # being delivered
    deliver(root, ".hidden", message(4))
    deliver(sent, "1700000005.M5P1.host:2,S", message(5), sub="cur")
    return root


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_maildir_reads_new_and_cur_but_not_tmp_or_dot_files(maildir: Path) -> None:
    """INBOX is the root's new/ and cur/; tmp/ and dot-files are ignored."""
    source = MaildirSource(maildir)
    batches, state = drain(source.fetch_new("INBOX", FolderState()))
    assert sorted(m.raw for b in batches for m in b.messages) == [message(1), message(2)]
    assert state is not None and state.uidvalidity == source.folder_id("INBOX")


def test_maildir_sent_folder_is_dot_sent(maildir: Path) -> None:
    """.Sent is the Sent folder (Maildir++); its messages have is_sent=True."""
    source = MaildirSource(maildir)
    assert [(s.name, s.is_sent) for s in source.folders()] == [("INBOX", False), ("Sent", True)]
    batches, _ = drain(source.fetch_new("Sent", FolderState()))
    assert [(m.raw, m.is_sent) for b in batches for m in b.messages] == [(message(5), True)]


def test_maildir_sent_folder_can_be_configured(maildir: Path) -> None:
    """sent_folder names another Maildir++ folder as Sent."""
    make_folder(maildir / ".Outgoing")
    source = MaildirSource(maildir, sent_folder=".Outgoing")
    assert [(s.name, s.is_sent) for s in source.folders()] == [("INBOX", False), ("Outgoing", True)]


def test_maildir_is_read_only(maildir: Path) -> None:
    """Fetching never renames, moves or changes a file (new/ stays new/)."""
    before = tree(maildir)
    source = MaildirSource(maildir)
    _sync_all(source)
    assert tree(maildir) == before


def test_maildir_second_fetch_yields_nothing_and_new_files_are_yielded(maildir: Path) -> None:
    """Only files added after a sync come back; the unchanged folder yields no batch."""
    source = MaildirSource(maildir)
    _, state = drain(source.fetch_new("INBOX", FolderState()))
    assert state is not None
    assert [m for b in source.fetch_new("INBOX", state) for m in b.messages] == []
    deliver(maildir, "1700000009.M9P1.host", message(9))
    batches, _ = drain(source.fetch_new("INBOX", state))
    assert [m.raw for b in batches for m in b.messages] == [message(9)]


def test_maildir_uid_is_stable_when_another_client_moves_the_file(maildir: Path) -> None:
    """A message's uid comes from the unique part of its name, not new/ or the flags."""
    source = MaildirSource(maildir)
    batches, _ = drain(source.fetch_new("INBOX", FolderState()))
    uids = {m.raw: m.uid for b in batches for m in b.messages}
    (maildir / "new" / "1700000001.M1P1.host").rename(maildir / "cur" / "1700000001.M1P1.host:2,S")
    again, _ = drain(MaildirSource(maildir).fetch_new("INBOX", FolderState()))
    assert {m.raw: m.uid for b in again for m in b.messages} == uids


def test_maildir_committed_state_survives_a_restart(maildir: Path) -> None:
    """A new source given the committed state skips old mail (listing-free when settled)."""
    first = MaildirSource(maildir, settle_seconds=0.05)
    _, state = drain(first.fetch_new("INBOX", FolderState()))
    time.sleep(0.1)
    _, state = drain(first.fetch_new("INBOX", state or FolderState()))  # records settled dirs
    assert state is not None and state.highestmodseq is not None
    second = MaildirSource(maildir, settle_seconds=0.05)
    assert list(second.fetch_new("INBOX", state)) == []
    deliver(maildir, "1700000010.M10P1.host", message(10))
    batches, _ = drain(second.fetch_new("INBOX", state))
    assert [m.raw for b in batches for m in b.messages] == [message(10)]


def test_maildir_batches_commit_progress(maildir: Path) -> None:
    """Many files come in batches; each batch's state covers what was yielded."""
    for n in range(10, 15):
        deliver(maildir, f"17000000{n}.M{n}P1.host", message(n))
    batches, _ = drain(MaildirSource(maildir).fetch_new("INBOX", FolderState(), batch_size=3))
    assert [len(b.messages) for b in batches] == [3, 3, 1]
    marks = [b.state_after.last_uid for b in batches]
    assert marks == sorted(marks)


def test_maildir_wait_for_change_sees_a_new_file(maildir: Path) -> None:
    """Polling the new/ and cur/ mtimes notices a delivery; an idle Maildir times out."""
    source = MaildirSource(maildir, poll_interval=0.05, settle_seconds=0.05)
    _sync_all(source)
    time.sleep(0.1)
    _sync_all(source)  # the directories have settled: record their fingerprints
    assert source.wait_for_change(0.3) is False
    timer = threading.Timer(0.1, deliver, (maildir, "1700000020.M20P1.host", message(20)))
    timer.start()
    assert source.wait_for_change(5) is True
    timer.join()


def test_source_from_config_builds_a_maildir_source(maildir: Path, tmp_path: Path) -> None:
    """kind = "maildir" with path gives a MaildirSource on that path."""
    config = config_from_dict(
        {
            "requester": {"name": "R", "email": "r@example.ac.uk"},
            "mailbox": {"kind": "maildir", "path": str(maildir)},
        },
        tmp_path / "config.toml",
    )
    source = source_from_config(config.mailbox)
    assert isinstance(source, MaildirSource)
    assert [s.name for s in source.folders()] == ["INBOX", "Sent"]


# -- import readers ------------------------------------------------------------------------


def test_read_maildir_reads_every_folder(maildir: Path) -> None:
    """read_maildir yields root and .Sent messages (not tmp/, not dot-files)."""
    got = sorted(m.raw for m in read_maildir(maildir))
    assert got == [message(1), message(2), message(5)]


def test_read_mbox_yields_each_message_with_its_date(tmp_path: Path) -> None:
    """read_mbox yields messages in order without the From_ line, dated from it."""
    path = tmp_path / "export.mbox"
    box = mailbox.mbox(path)
    for n in (1, 2):
        entry = mailbox.mboxMessage(message(n))
        entry.set_from("foi@council.example.gov.uk", time.gmtime(1732183200 + n))
        box.add(entry)
    box.close()
    got = list(read_mbox(path))
    assert [m.origin for m in got] == [f"{path}#1", f"{path}#2"]
    assert got[0].raw.startswith(b"From: foi1@") and b"Body of message 1." in got[0].raw
    assert got[1].received_at is not None and got[1].received_at.timestamp() == 1732183202
