"""`foibot run` as a real process: initialises, syncs new mail as it arrives, stops on SIGTERM."""

from __future__ import annotations

import mailbox
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from bot.config import load_config
from bot.store import Database
from bot.store.models import Message
from tests.conftest import MINIMAL_CONFIG
from tests.test_pipeline import make_message

REPO = Path(__file__).resolve().parent.parent


def messages_stored(config_path: Path) -> int:
    db = Database(load_config(config_path).database_url)
    try:
        with db.session() as session:
            return int(session.scalar(select(func.count(Message.id))) or 0)
    except Exception:
        return -1  # not initialised yet
    finally:
        db.dispose()


def wait_until(check: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_run_syncs_new_mail_and_stops_cleanly(
    write_config: Callable[..., Path], tmp_path: Path
) -> None:
    path = write_config(MINIMAL_CONFIG.replace('path = "mail"', 'path = "mail"\npoll_seconds = 10'))
    box = mailbox.Maildir(tmp_path / "mail")
    box.add(mailbox.MaildirMessage(make_message(1)))
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "--config", str(path), "run"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        assert wait_until(lambda: messages_stored(path) == 1, 30), "first sync did not happen"
        time.sleep(1.5)  # let the directory settle past the source's mtime margin
        box.add(mailbox.MaildirMessage(make_message(2)))
        assert wait_until(lambda: messages_stored(path) == 2, 30), "new mail was not synced"
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    text = out.decode()
    assert proc.returncode == 0, text
    assert "SIGTERM received, stopping" in text
    assert "foibot: stopped" in text
    assert "Traceback" not in text
