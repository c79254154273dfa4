"""`foibot run` as a real process against Dovecot (IMAP IDLE) and aiosmtpd: new mail is
threaded and classified as it arrives, the sweep drafts a chaser, an approved letter
goes out, the digest arrives; SIGHUP reloads, SIGTERM stops cleanly, a second daemon
stands by and takes over. Conditions are polled with generous deadlines, never timed."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from sqlalchemy import select

from bot.config import load_config
from bot.store import Database
from bot.store.models import Draft, Message, Request
from tests.conftest import MINIMAL_CONFIG
from tests.outbox_support import PASSWORD_ENV, imap_toml
from tests.servers.dovecot import Dovecot
from tests.servers.smtp import SmtpServer

REPO = Path(__file__).resolve().parent.parent
DEADLINE = 30.0  # seconds to wait for a condition before failing
AUTHORITY = "foi@northmoor.gov.uk"
REQUEST_ID = "req-e2e-1@example.ac.uk"
SUBJECT = "Freedom of Information request - library opening hours"


class DaemonProcess:
    """`foibot run` in a subprocess; its output is collected line by line."""

    def __init__(self, config: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "--config", str(config), "run", *args],
            cwd=REPO, env={**os.environ, **(env or {})},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def saw(self, text: str) -> bool:
        return self.count(text) > 0

    def count(self, text: str) -> int:
        return sum(text in line for line in list(self.lines))

    def wait_for(self, text: str, seconds: float = DEADLINE) -> None:
        if not wait_until(lambda: self.saw(text) or self.proc.poll() is not None, seconds):
            raise AssertionError(f"no {text!r} within {seconds} s:\n{self.output}")
        if not self.saw(text):
            self._reader.join(5)
            code = self.proc.returncode
            assert self.saw(text), f"exited ({code}) before {text!r}:\n{self.output}"

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        code = self.proc.wait(timeout=DEADLINE)
        self._reader.join(5)
        return code


def wait_until(check: Callable[[], bool], seconds: float = DEADLINE) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def foibot(config: Path, *args: str, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(config), *args],
        cwd=REPO, env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def letter(sender: str, to: str, subject: str, message_id: str, when: dt.datetime,
           body: str, in_reply_to: str | None = None) -> bytes:  # fmt: skip
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg["Message-ID"], msg["Date"] = f"<{message_id}>", format_datetime(when)
    if in_reply_to:
        msg["In-Reply-To"] = msg["References"] = f"<{in_reply_to}>"
    msg.set_content(body)
    return msg.as_bytes()


def imap_config(root: Path, dovecot: Dovecot, user: str, smtp: SmtpServer) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "authorities.csv").write_text(
        f"name,email,nation,kind\nNorthmoor County Council,{AUTHORITY},england,council\n"
    )
    path = root / "config.toml"
    path.write_text(
        '[requester]\nname = "Research Team"\nemail = "research@example.ac.uk"\n\n'
        + imap_toml(dovecot.host, dovecot.tls_port, dovecot.cert_path, user)
        + f'\n[database]\nurl = "sqlite:///{root}/foibot.sqlite3"\nraw_dir = "{root}/raw"\n\n'
        + smtp.smtp_toml()
        + '\n[digest]\nrecipients = ["team@example.ac.uk"]\n'
        + "\n[daemon]\nsend_seconds = 1\n"
        + f'\n[authorities]\ncsv = "{root}/authorities.csv"\n',
        encoding="utf-8",
    )
    return path


def rows(config: Path, query: object) -> list[object]:
    db = Database(load_config(config).database_url)
    try:
        with db.session() as session:
            return list(session.scalars(query))  # type: ignore[call-overload]
    except Exception:
        return []  # not initialised yet
    finally:
        db.dispose()


def parts(raw: bytes) -> dict[str, str]:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    found: dict[str, str] = {}
    for part in message.walk():
        if part.get_content_type() in ("text/plain", "text/html"):
            found[part.get_content_type()] = str(part.get_content())
    return found


def test_the_daemon_threads_new_mail_drafts_sends_and_mails_the_digest(
    tmp_path: Path, dovecot: Dovecot, imap_user: str, smtp_server: SmtpServer
) -> None:
    config = imap_config(tmp_path, dovecot, imap_user, smtp_server)
    env = {PASSWORD_ENV: dovecot.password}
    sent_at = dt.datetime.now(dt.UTC) - dt.timedelta(days=35)  # ~25 working days: overdue
    dovecot.append("Sent", letter("Research Team <research@example.ac.uk>", AUTHORITY, SUBJECT,
                                  REQUEST_ID, sent_at, "Dear FOI team,\n\nUnder the Freedom of "
                                  "Information Act 2000 please send me the opening hours of "
                                  "each library.\n\nResearch Team\n"),
                   user=imap_user)  # fmt: skip
    daemon = DaemonProcess(config, env=env)
    try:
        daemon.wait_for("event=ready")
        assert "foibot: ready. 1 request: 1 awaiting_response" in daemon.output

        # The sweep drafts a chaser for the overdue request; approving it sends it.
        chasers = select(Draft).where(Draft.kind == "chaser")
        assert wait_until(lambda: bool(rows(config, chasers))), daemon.output
        chaser = rows(config, chasers)[0]
        assert isinstance(chaser, Draft) and chaser.trigger == "response_overdue"
        foibot(config, "drafts", "approve", str(chaser.id), "--confirm-address", env=env)
        assert wait_until(lambda: any(m.rcpt_tos == (AUTHORITY,) for m in smtp_server.messages)), (
            daemon.output
        )
        daemon.wait_for(f"event=sent draft={chaser.id}")

        # A reply APPENDed now is fetched through IDLE, threaded and classified.
        reply_id = "resp-e2e-1@northmoor.gov.uk"
        dovecot.append("INBOX", letter(f"FOI Team <{AUTHORITY}>", "research@example.ac.uk",
                                       f"RE: {SUBJECT}", reply_id, dt.datetime.now(dt.UTC),
                                       "Dear Research Team,\n\nThank you for your request. "
                                       "Please find below the information you requested: "
                                       "all libraries open 9am to 5pm.\n\nFOI Team\n",
                                       in_reply_to=REQUEST_ID),
                       user=imap_user)  # fmt: skip
        reply = select(Message).where(Message.message_id == reply_id)
        assert wait_until(lambda: bool(rows(config, reply))), daemon.output
        stored = rows(config, reply)[0]
        assert isinstance(stored, Message) and stored.request_id is not None
        assert stored.kind == "response", stored.kind
        daemon.wait_for(f"message_id={reply_id} direction=in request={stored.request_id}")
    finally:
        code = daemon.stop()
    assert code == 0, daemon.output
    assert "event=stopped" in daemon.output and "Traceback" not in daemon.output

    # The weekly digest, run on demand after a restart, arrives with its sections.
    again = DaemonProcess(config, "--run-job", "digest", env=env)
    try:
        digest_to = ("team@example.ac.uk",)
        assert wait_until(lambda: any(m.rcpt_tos == digest_to for m in smtp_server.messages)), (
            again.output
        )
        again.wait_for("event=digest_done queued=1 sent=1")
    finally:
        assert again.stop() == 0, again.output
    digest = next(m for m in smtp_server.messages if m.rcpt_tos == digest_to)
    text, html = parts(digest.content)["text/plain"], parts(digest.content)["text/html"]
    for section in ("AT A GLANCE", "REQUESTS BY STATE", "RESPONSES RECEIVED THIS WEEK (1)",
                    "LETTERS SENT THIS WEEK (1)", "DRAFTS AWAITING YOUR APPROVAL (0)"):  # fmt: skip
        assert section in text, f"{section} not in the digest text:\n{text}"
    for section in ("At a glance", "Requests by state", "Responses received this week"):
        assert section in html, f"{section} not in the digest HTML"
    assert "Northmoor County Council" in text and "Northmoor County Council" in html
    assert len([r for r in rows(config, select(Request))]) == 1


def maildir_config(write_config: Callable[..., Path], extra: str = "") -> Path:
    return write_config(MINIMAL_CONFIG + "\n[daemon]\nstandby_poll_seconds = 0.5\n" + extra)


def test_sighup_reloads_the_config_and_keeps_the_old_one_when_the_new_one_is_invalid(
    write_config: Callable[..., Path],
) -> None:
    path = maildir_config(write_config)
    daemon = DaemonProcess(path)
    try:
        daemon.wait_for("event=ready")
        good = path.read_text()
        path.write_text(good.replace("[daemon]", "[daemon]\nsend_seconds = 0"))
        daemon.proc.send_signal(signal.SIGHUP)
        daemon.wait_for("event=reload_failed")
        failed = next(line for line in daemon.lines if "event=reload_failed" in line)
        assert "daemon.send_seconds: expected an integer 1-3600" in failed
        assert 'action="kept the running config"' in failed
        path.write_text(good.replace("[daemon]", "[daemon]\nsend_seconds = 7"))
        daemon.proc.send_signal(signal.SIGHUP)
        daemon.wait_for("event=reloaded")
        assert "rescheduled=send" in next(line for line in daemon.lines if "event=reloaded" in line)
        assert daemon.proc.poll() is None
    finally:
        code = daemon.stop()
    assert code == 0, daemon.output


def test_a_second_daemon_on_the_same_database_stands_by_and_takes_over_when_the_first_dies(
    write_config: Callable[..., Path],
) -> None:
    path = maildir_config(write_config, "send_seconds = 1\n")
    first = DaemonProcess(path, "--log-level", "debug")
    second: DaemonProcess | None = None
    try:
        first.wait_for("event=ready")
        second = DaemonProcess(path, "--log-level", "debug")
        second.wait_for("event=standby")
        runs = first.count("event=job_start job=send")
        assert wait_until(lambda: first.count("event=job_start job=send") >= runs + 2), first.output
        assert not second.saw("event=job_start"), second.output  # no job while on standby
        first.stop(signal.SIGKILL)
        second.wait_for("event=took_over")
        second.wait_for("event=ready")
        second.wait_for("event=job_start job=sync")
    finally:
        first.stop(signal.SIGKILL)
        if second is not None:
            assert second.stop() == 0, second.output


def test_sigterm_while_on_standby_exits_cleanly(write_config: Callable[..., Path]) -> None:
    path = maildir_config(write_config)
    first = DaemonProcess(path)
    try:
        first.wait_for("event=ready")
        second = DaemonProcess(path)
        second.wait_for("event=standby")
        assert second.stop() == 0, second.output
        assert "foibot: SIGTERM received, stopping" in second.output
    finally:
        assert first.stop() == 0, first.output
