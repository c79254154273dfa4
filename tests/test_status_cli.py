"""`foibot status [--json]` on the synced demo mailbox: counts, folders, next jobs (from the
running daemon or the config), and the last error."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.config import load_config
from bot.daemon.record import Book
from bot.deadlines import LONDON
from bot.store import Database
from bot.store.models import Quarantine, RawMessage
from bot.vocabulary import DraftStatus
from tests.outbox_support import add_draft

REPO = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 21)  # the demo story's today
KEYS = ["database", "daemon", "folders", "requests", "messages", "drafts", "holding_pen",
        "quarantine", "next_jobs", "jobs", "last_error"]  # fmt: skip


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The demo mailbox, synced on the story's today."""
    import bot.cli.mail_cmd
    import bot.cli.status_cmd

    monkeypatch.setattr(bot.cli.mail_cmd, "today_london", lambda: TODAY)
    monkeypatch.setattr(bot.cli.status_cmd, "today_london", lambda: TODAY)
    shutil.copytree(REPO / "demo" / "mailbox", tmp_path / "mail")
    config = tmp_path / "config.toml"
    config.write_text(
        '[requester]\nname = "Research Team"\nemail = "research@example.ac.uk"\n\n'
        f'[mailbox]\nkind = "maildir"\npath = "{tmp_path / "mail"}"\n\n'
        f'[database]\nurl = "sqlite:///{tmp_path / "foibot.sqlite3"}"\n'
        f'raw_dir = "{tmp_path / "raw"}"\n\n'
        f'[authorities]\ncsv = "{REPO / "demo" / "authorities.csv"}"\n',
        encoding="utf-8",
    )
    for args in (["init"], ["sync", "--once"]):
        result = CliRunner().invoke(main, ["--config", str(config), *args])
        assert result.exit_code == 0, result.output
    yield config


def status(config: Path, *args: str) -> Any:
    result = CliRunner().invoke(main, ["--config", str(config), "status", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output) if "--json" in args else result.output


def database(config: Path) -> Database:
    return Database(load_config(config).database_url)


def test_status_json_has_the_documented_keys_and_the_demo_counts(demo: Path) -> None:
    record = status(demo, "--json")
    assert list(record) == KEYS
    states = {"awaiting_response": 3, "delivery_failed": 1, "extended": 1,
              "partially_successful": 1, "refused": 1, "successful": 1}  # fmt: skip
    assert record["requests"] == {
        "total": 8,
        "by_state": states,
        "overdue": 1,
        "very_overdue": 1,
    }
    assert record["messages"] == 23
    assert record["drafts"] == {"pending": 4, "approved": 0, "sending": 0, "sent": 0,
                                "rejected": 0, "failed": 0}  # fmt: skip
    assert (record["holding_pen"], record["quarantine"], record["last_error"]) == (0, 0, None)
    assert [f["folder"] for f in record["folders"]] == ["INBOX", "Sent"]
    assert all(f["last_sync_at"] for f in record["folders"])


def test_without_a_running_daemon_next_jobs_are_computed_from_the_config(demo: Path) -> None:
    record = status(demo, "--json")
    assert record["daemon"]["running"] is False and record["daemon"]["pid"] is None
    jobs = record["next_jobs"]
    assert jobs["source"] == "config"
    assert set(jobs) == {"source", "sync", "deadline_sweep", "send", "digest"}
    sweep = dt.datetime.fromisoformat(jobs["deadline_sweep"]).astimezone(LONDON)
    assert sweep.strftime("%H:%M") == "07:00"
    digest = dt.datetime.fromisoformat(jobs["digest"]).astimezone(LONDON)
    assert digest.strftime("%a %H:%M") == "Mon 08:00"
    assert record["jobs"] == {}


def test_with_a_running_daemon_next_jobs_are_the_ones_it_recorded(demo: Path) -> None:
    db = database(demo)
    book = Book(db)
    nxt = dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)
    book.set_next_runs({"sync": nxt, "deadline_sweep": nxt, "send": nxt, "digest": None})
    book.started("sync", nxt - dt.timedelta(minutes=5))
    book.finished("sync", "0 fetched", None)
    book.set(state="active")
    book.write()
    db.dispose()
    record = status(demo, "--json")
    assert record["daemon"]["running"] is True and record["daemon"]["state"] == "active"
    assert record["next_jobs"] == {"source": "daemon", "sync": nxt.isoformat(),
                                   "deadline_sweep": nxt.isoformat(),
                                   "send": nxt.isoformat(), "digest": None}  # fmt: skip
    assert record["jobs"]["sync"]["runs"] == 1
    assert "from the running daemon" in status(demo)


def test_the_last_error_is_the_newest_of_a_failed_draft_quarantine_and_the_daemon(
    demo: Path,
) -> None:
    db = database(demo)
    draft = add_draft(db, status=DraftStatus.FAILED)
    with db.session() as session:
        raw = RawMessage(sha256="0" * 64, size=10, status="quarantined")
        session.add(raw)
        session.flush()
        old = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        session.add(Quarantine(raw_id=raw.id, stage="parse", created_at=old,
                               error="Traceback ...\nValueError: bad MIME"))  # fmt: skip
    db.dispose()
    record = status(demo, "--json")
    assert record["quarantine"] == 1 and record["drafts"]["failed"] == 1
    assert record["last_error"]["source"] == f"draft {draft}"
    db = database(demo)
    book = Book(db)
    book.finished("sync", "failed", "cannot connect to imap.example.org:993: timed out")
    book.write()
    db.dispose()
    error = status(demo, "--json")["last_error"]
    assert (error["source"], error["error"]) == (
        "sync",
        "cannot connect to imap.example.org:993: timed out",
    )


def test_status_text_says_what_to_do_next(demo: Path) -> None:
    text = status(demo)
    assert "daemon       not running (never started on this database)" in text
    assert "requests     8 requests: 3 awaiting_response" in text
    assert "overdue      1 overdue (1 very overdue)" in text
    assert "4 pending" in text and "`foibot drafts list`" in text
    assert "next jobs    (if started now)" in text
    assert "last error   none" in text


def test_status_on_a_database_never_initialised_says_to_run_init(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    (tmp_path / "mail").mkdir()
    config.write_text('[requester]\nname = "R"\nemail = "r@example.ac.uk"\n'
                      '[mailbox]\nkind = "maildir"\npath = "mail"\n')  # fmt: skip
    result = CliRunner().invoke(main, ["--config", str(config), "status"])
    assert result.exit_code == 2
    assert "foibot init" in result.output
