"""Crash trials: the sending process is SIGKILLed at every step of the protocol, and at
random moments, over and over; afterwards no letter was delivered twice, every draft
is sent, and every letter is in Sent once.

The SMTP server runs in its own process and appends each message it accepts to a
spool file, so its count survives the client's deaths. The one place where a letter
can be lost is the chosen at-most-once window (docs/outbox.md): a death after the
``phase = "dot"`` commit and before the dot reaches the socket. Those drafts are
recorded as they are found (``sending``, phase ``dot``), and only they may be missing.
"""

from __future__ import annotations

import collections
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from bot.mailbox.maildir import message_files
from bot.outbox import FAULT_ENV, POINTS
from bot.outbox.sentcopy import _file_id
from bot.outbox.state import DOT_WRITTEN
from bot.store import Database
from bot.store.models import Draft
from bot.vocabulary import DraftStatus
from tests.outbox_support import add_authority, add_draft, maildir_toml, write_config
from tests.servers.smtp import SpoolServer

REPO = Path(__file__).resolve().parents[1]
CHILD = """
import sys
from bot.config import load_config
from bot.outbox import send_due
from bot.store import Database
config = load_config(sys.argv[1])
db = Database(config.database_url)
print("start", flush=True)
print(send_due(db, config), flush=True)
"""
RANDOM_KILLS = 10


def run_child(config_path: Path, fault: str | None, kill_after: float | None) -> int:
    env = {k: v for k, v in os.environ.items() if k != FAULT_ENV}
    if fault:
        env[FAULT_ENV] = fault
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(config_path)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "start"
    if kill_after is not None:
        time.sleep(kill_after)
        child.send_signal(signal.SIGKILL)
    child.stdout.read()
    return child.wait(timeout=30)


def in_flight_after_the_dot(db: Database) -> set[str]:
    """Message-IDs of drafts a death left between the dot commit and the reply."""
    with db.session() as session:
        rows = session.scalars(
            select(Draft.message_id).where(
                Draft.status == DraftStatus.SENDING.value, Draft.phase == "dot"
            )
        )
        return {m for m in rows if m}


def test_sigkill_at_every_step_and_at_random_never_sends_a_letter_twice(tmp_path: Path) -> None:
    rng = random.Random(7)
    with SpoolServer(tmp_path / "spool.jsonl") as server:
        smtp = (
            f'[smtp]\nhost = "{server.host}"\nport = {server.port}\ntls = "none"\n'
            "allow_insecure = true\nmax_per_minute = 10000\ntimeout_seconds = 10\n"
        )
        config = write_config(tmp_path, maildir_toml(tmp_path), smtp)
        config_path = tmp_path / "config.toml"
        db = Database(config.database_url)
        db.upgrade()
        authority = add_authority(db)
        ambiguous: set[str] = set()
        kills: list[str] = []
        lost_by_point: dict[str, set[str]] = collections.defaultdict(set)

        trials: list[tuple[str | None, float | None]]
        trials = [(f"{point}:{nth}", None) for point in POINTS for nth in (1, 2)]
        trials += [(None, rng.uniform(0.0, 0.03)) for _ in range(RANDOM_KILLS)]
        for fault, delay in trials:
            for _ in range(3 if fault else 5):
                add_draft(db, authority_id=authority)
            code = run_child(config_path, fault, delay)
            if fault is not None:
                assert code == -signal.SIGKILL, f"{fault} was never reached (exit {code})"
            if code == -signal.SIGKILL:
                kills.append(fault or f"random {delay:.3f}s")
                found = in_flight_after_the_dot(db)
                ambiguous |= found
                if fault is not None:
                    lost_by_point[fault.split(":")[0]] |= found
        assert run_child(config_path, None, None) == 0  # a clean run settles everything
        delivered = collections.Counter(m["message_id"] for m in server.received())

    assert len(kills) >= 20, kills
    with db.session() as session:
        drafts = list(session.scalars(select(Draft)))
    assert {d.status for d in drafts} == {DraftStatus.SENT.value}
    assert all(count == 1 for count in delivered.values()), delivered.most_common(3)
    for draft in drafts:
        if delivered[draft.message_id] == 0:  # only the chosen at-most-once window loses
            assert draft.message_id in ambiguous and draft.error == DOT_WRITTEN, draft.id
    # a death after the dot commit, before the dot: taken as sent, never delivered;
    # a death after the dot was written: delivered, and taken as sent
    assert len(lost_by_point["after_dot_commit"]) == 2
    assert all(delivered[m] == 0 for m in lost_by_point["after_dot_commit"])
    assert len(lost_by_point["after_dot_written"]) == 2
    assert all(delivered[m] == 1 for m in lost_by_point["after_dot_written"])
    copies = collections.Counter(
        _file_id(f.path) for f in message_files(tmp_path / "mail" / ".Sent")
    )
    assert copies == collections.Counter(d.message_id for d in drafts)
