"""`foibot sync --once` against a real Dovecot: complete, idempotent, crash-safe."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.config import load_config
from bot.rawstore import RawStore
from bot.store import Database
from bot.store.models import Message, MessageLocation, Quarantine, RawMessage
from tests.servers.dovecot import Dovecot

REPO = Path(__file__).resolve().parent.parent
PASSWORD_ENV = "FOIBOT_TEST_IMAP_PASSWORD"


def message(n: int) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"FOI Team <foi@council{n % 50}.gov.example>"
    msg["To"] = "research@example.ac.uk"
    msg["Subject"] = f"Freedom of Information request FOI {10000 + n}"
    msg["Message-ID"] = f"<crash-{n}@council{n % 50}.gov.example>"
    msg["Date"] = "Tue, 15 Sep 2026 11:00:00 +0100"
    msg.set_content(f"Dear Requester,\n\nThank you for your request, reference FOI {10000 + n}.\n"
                    + "We will respond within 20 working days.\n" * 20)  # fmt: skip
    return msg.as_bytes()


def write_config(tmp_path: Path, dovecot: Dovecot, user: str) -> Path:
    return dovecot.foibot_config(tmp_path, user, PASSWORD_ENV)


def foibot(config: Path, *args: str, password: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, PASSWORD_ENV: password}
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "--config", str(config), *args],
        env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip


def run_ok(config: Path, *args: str, password: str) -> str:
    proc = foibot(config, *args, password=password)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, out.decode()
    return out.decode()


def processes_mentioning(config: Path) -> list[int]:
    """Live processes whose command line names ``config`` (a sync and its parser workers)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and str(config).encode() in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def counts(config: Path) -> dict[str, int]:
    db = Database(load_config(config).database_url)
    with db.session() as session:
        result = {
            model.__name__: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (RawMessage, Message, MessageLocation, Quarantine)
        }
        result["distinct_message_ids"] = int(
            session.scalar(select(func.count(func.distinct(Message.message_id)))) or 0
        )
    db.dispose()
    return result


def test_sync_fetches_inbox_and_sent_once(dovecot: Dovecot, imap_user: str, tmp_path: Path) -> None:
    """Everything in INBOX and Sent is stored once; the next sync finds nothing new."""
    dovecot.multiappend("INBOX", [message(n) for n in range(30)], user=imap_user)
    dovecot.multiappend("Sent", [message(n) for n in range(100, 105)], user=imap_user)
    config = write_config(tmp_path, dovecot, imap_user)
    run_ok(config, "init", password=dovecot.password)
    out = run_ok(config, "sync", "--once", password=dovecot.password)
    assert "35 fetched, 35 new" in out
    again = run_ok(config, "sync", "--once", password=dovecot.password)
    assert "0 fetched, 0 new" in again
    assert counts(config)["Message"] == 35


def test_sigkill_at_random_points_loses_nothing_and_duplicates_nothing(
    dovecot: Dovecot, imap_user: str, tmp_path: Path
) -> None:
    """`sync --once` killed with SIGKILL 12 times over 5,000 messages; then one clean sync.

    Afterwards every message is stored exactly once (raw, location, parsed), none lost.
    """
    total = 5000
    dovecot.multiappend("INBOX", [message(n) for n in range(total)], user=imap_user)
    config = write_config(tmp_path, dovecot, imap_user)
    run_ok(config, "init", password=dovecot.password)
    rng = random.Random(20261121)
    kills = 0
    for _ in range(12):
        proc = foibot(config, "sync", "--once", password=dovecot.password)
        time.sleep(rng.uniform(0.4, 2.5))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.communicate(timeout=60)
    assert kills >= 10, "the sync finished too fast to be interrupted; raise the volume"
    time.sleep(0.2)
    assert processes_mentioning(config) == [], "parser workers outlived their killed sync"
    run_ok(config, "sync", "--once", password=dovecot.password)
    found = counts(config)
    assert found == {
        "RawMessage": total,
        "Message": total,
        "MessageLocation": total,
        "Quarantine": 0,
        "distinct_message_ids": total,
    }
    raws = RawStore(load_config(config).database.raw_dir)
    db = Database(load_config(config).database_url)
    with db.session() as session:
        for sha in session.scalars(select(RawMessage.sha256)):
            assert raws.get(sha)  # every recorded raw message is on disk, intact
    db.dispose()
    # Temp files of killed runs are removed by the next sync; every file under a final
    # name holds complete bytes (recorded or not).
    assert list((tmp_path / "raw" / ".tmp").iterdir()) == []
    for path in (tmp_path / "raw").glob("*/*.eml.gz"):
        assert raws.get(path.name.removesuffix(".eml.gz"))


@pytest.mark.parametrize("when", [0.3, 1.0])
def test_server_restart_mid_sync_completes(
    dovecot: Dovecot, imap_user: str, tmp_path: Path, when: float
) -> None:
    """Dovecot stopped and restarted during a sync: the sync reconnects and completes."""
    total = 1500
    dovecot.multiappend("INBOX", [message(n) for n in range(total)], user=imap_user)
    config = write_config(tmp_path, dovecot, imap_user)
    run_ok(config, "init", password=dovecot.password)
    proc = foibot(config, "sync", "--once", password=dovecot.password)
    time.sleep(when)
    dovecot.stop()
    time.sleep(1.0)
    dovecot.start()
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, out.decode()
    found = counts(config)
    assert found["Message"] == found["RawMessage"] == found["distinct_message_ids"] == total


def test_uidvalidity_change_resyncs_without_duplicates(
    dovecot: Dovecot, imap_user: str, tmp_path: Path
) -> None:
    """A folder recreated (new UIDVALIDITY) is read again; known mail is not duplicated."""
    dovecot.create_folder("FOI", user=imap_user)
    dovecot.multiappend("FOI", [message(n) for n in range(10)], user=imap_user)
    config = write_config(tmp_path, dovecot, imap_user)
    text = config.read_text().replace("password_env", 'folders = ["INBOX", "FOI"]\npassword_env')
    config.write_text(text)
    run_ok(config, "init", password=dovecot.password)
    run_ok(config, "sync", "--once", password=dovecot.password)
    dovecot.delete_folder("FOI", user=imap_user)
    dovecot.create_folder("FOI", user=imap_user)
    dovecot.multiappend("FOI", [message(n) for n in range(5, 15)], user=imap_user)
    out = run_ok(config, "sync", "--once", password=dovecot.password)
    assert "10 fetched, 5 new, 5 already stored" in out
    assert counts(config)["Message"] == 15


def test_untrusted_certificate_is_refused(dovecot: Dovecot, imap_user: str, tmp_path: Path) -> None:
    """Without the test CA, the self-signed server is refused with a one-line error."""
    config = write_config(tmp_path, dovecot, imap_user)
    config.write_text("\n".join(x for x in config.read_text().splitlines() if "ca_file" not in x))
    run_ok(config, "init", password=dovecot.password)
    proc = foibot(config, "sync", "--once", password=dovecot.password)
    out, _ = proc.communicate(timeout=60)
    text = out.decode()
    assert proc.returncode == 2
    assert "certificate" in text.lower()
    assert "Traceback" not in text
