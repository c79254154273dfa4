"""The ingestion pipeline on a Maildir: kept once, parsed once, failures quarantined."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import mailbox
import os
import shutil
import signal
from collections.abc import Callable, Iterator, Sequence
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select

from bot import parsepool, pipeline
from bot.classify import Classification
from bot.cli import main
from bot.config import load_config
from bot.mailbox import source_from_config
from bot.parse import Email, ParseLimits
from bot.pipeline import retry_quarantined, sync_once
from bot.rawstore import RawStore, sha256_of
from bot.store import Database
from bot.store.models import Message, MessageLocation, Quarantine, RawMessage, SyncState
from tests.conftest import MINIMAL_CONFIG

REPO = Path(__file__).resolve().parent.parent


def make_message(n: int, subject: str = "FOI reply") -> bytes:
    msg = EmailMessage()
    msg["From"] = f"FOI Team <foi{n}@council{n}.gov.example>"
    msg["To"] = "research@example.ac.uk"
    msg["Subject"] = f"{subject} {n}"
    msg["Message-ID"] = f"<reply-{n}@council{n}.gov.example>"
    msg["Date"] = "Mon, 14 Sep 2026 10:00:00 +0100"
    msg.set_content(f"Dear Requester,\n\nYour reference is FOI {1000 + n}.\n")
    return msg.as_bytes()


def deliver(root: Path, raw: bytes, folder: str | None = None) -> None:
    box = mailbox.Maildir(root, create=True)
    target = box.add_folder(folder) if folder else box
    target.add(mailbox.MaildirMessage(raw))


@pytest.fixture
def setup(write_config: Callable[..., Path], tmp_path: Path) -> tuple[Database, RawStore, Path]:
    config = load_config(write_config(MINIMAL_CONFIG))
    db = Database(config.database_url)
    db.upgrade()
    return db, RawStore(config.database.raw_dir), tmp_path


def sync(tmp_path: Path, db: Database, raws: RawStore) -> object:
    config = load_config(tmp_path / "config.toml")
    source = source_from_config(config.mailbox)
    try:
        return sync_once(db, raws, source, ParseLimits())
    finally:
        source.close()


def count(db: Database, model: type) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_each_message_is_kept_and_parsed_once(setup: tuple[Database, RawStore, Path]) -> None:
    """A second sync of an unchanged mailbox stores nothing new."""
    db, raws, tmp_path = setup
    for n in range(5):
        deliver(tmp_path / "mail", make_message(n))
    first = sync(tmp_path, db, raws)
    second = sync(tmp_path, db, raws)
    assert (first.fetched, first.new, first.processed) == (5, 5, 5)  # type: ignore[attr-defined]
    # Mail delivered in the same clock tick as the sync may be offered again; the
    # content hash makes that a no-op.
    assert (second.new, second.processed) == (0, 0)  # type: ignore[attr-defined]
    assert count(db, RawMessage) == count(db, Message) == 5
    with db.session() as session:
        subjects = sorted(m.subject for m in session.scalars(select(Message)))
        assert subjects == [f"FOI reply {n}" for n in range(5)]
        for raw_row in session.scalars(select(RawMessage)):
            assert raws.get(raw_row.sha256)  # the exact bytes are kept


def test_same_message_in_two_folders_is_stored_once(
    setup: tuple[Database, RawStore, Path],
) -> None:
    """A message in INBOX and Sent is one raw message seen in two places, marked outgoing."""
    db, raws, tmp_path = setup
    raw = make_message(1)
    deliver(tmp_path / "mail", raw)
    deliver(tmp_path / "mail", raw, folder="Sent")
    sync(tmp_path, db, raws)
    assert count(db, RawMessage) == count(db, Message) == 1
    assert count(db, MessageLocation) == 2
    with db.session() as session:
        assert session.scalars(select(Message)).one().direction == "out"


def test_failure_is_quarantined_and_the_run_goes_on(
    setup: tuple[Database, RawStore, Path],
) -> None:
    """A message whose raw file vanished is quarantined; the others are processed; retry works."""
    db, raws, tmp_path = setup
    for n in range(3):
        deliver(tmp_path / "mail", make_message(n))
    config = load_config(tmp_path / "config.toml")
    source = source_from_config(config.mailbox)
    victim = raws.put(make_message(1))
    saved = raws.path_for(victim).read_bytes()
    # Break the raw store for one message between fetch and processing.
    original_put_many = raws.put_many

    def put_then_lose(batch: Sequence[bytes]) -> list[str]:
        shas = original_put_many(batch)
        if victim in shas:
            raws.path_for(victim).unlink()
        return shas

    raws.put_many = put_then_lose  # type: ignore[method-assign]
    raws.path_for(victim).unlink()
    report = sync_once(db, raws, source, ParseLimits())
    source.close()
    assert (report.processed, report.quarantined) == (2, 1)
    with db.session() as session:
        row = session.scalars(select(Quarantine)).one()
        assert row.stage == "load" and "missing" in row.error
    raws.path_for(victim).parent.mkdir(parents=True, exist_ok=True)
    raws.path_for(victim).write_bytes(saved)
    assert retry_quarantined(db, raws, None, ParseLimits()) == (1, 0)
    assert count(db, Message) == 3


@pytest.fixture
def any_db(
    db_url: str, write_config: Callable[..., Path], tmp_path: Path
) -> Iterator[tuple[Database, RawStore, Path]]:
    """A Maildir source, a raw store and an empty database: SQLite, then PostgreSQL."""
    write_config(MINIMAL_CONFIG)
    db = Database(db_url)
    db.upgrade()
    yield db, RawStore(tmp_path / "raw"), tmp_path
    db.dispose()


def test_a_failing_message_rolls_back_alone_in_its_batch(
    any_db: tuple[Database, RawStore, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A step failing after it wrote is undone for that message only; the batch commits."""
    db, raws, tmp_path = any_db
    for n in range(6):
        deliver(tmp_path / "mail", make_message(n))
    original = pipeline._process_in_batch

    def fail_on_the_third(
        batch: pipeline.BatchContext,
        raw_row: RawMessage,
        email: Email,
        classified: Classification | None,
    ) -> None:
        original(batch, raw_row, email, classified)  # writes its Message, then fails
        if email.subject == "FOI reply 2":
            raise RuntimeError("classifier exploded")

    monkeypatch.setattr(pipeline, "_process_in_batch", fail_on_the_third)
    report = sync(tmp_path, db, raws)
    assert (report.processed, report.quarantined) == (5, 1)  # type: ignore[attr-defined]
    with db.session() as session:
        subjects = sorted(m.subject for m in session.scalars(select(Message)))
        assert subjects == [f"FOI reply {n}" for n in (0, 1, 3, 4, 5)]
        held = session.scalars(select(Quarantine)).one()
        assert held.stage == "store" and "classifier exploded" in held.error
        statuses = sorted(r.status for r in session.scalars(select(RawMessage)))
        assert statuses == ["processed"] * 5 + ["quarantined"]
    monkeypatch.setattr(pipeline, "_process_in_batch", original)
    assert retry_quarantined(db, raws, None, ParseLimits()) == (1, 0)
    assert count(db, Message) == 6


def test_parsing_in_worker_processes_gives_the_same_result(
    setup: tuple[Database, RawStore, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With parser processes (forced on for a few messages) all are stored, in order,
    and a message whose raw file vanished is still quarantined alone."""
    db, raws, tmp_path = setup
    monkeypatch.setattr(parsepool, "POOL_MIN", 0)
    monkeypatch.setattr(parsepool, "CHUNK", 4)
    for n in range(25):
        deliver(tmp_path / "mail", make_message(n))
    victim = sha256_of(make_message(7))
    original_put_many = raws.put_many

    def put_then_lose(batch: Sequence[bytes]) -> list[str]:
        shas = original_put_many(batch)
        if victim in shas:
            raws.path_for(victim).unlink()
        return shas

    raws.put_many = put_then_lose  # type: ignore[method-assign]
    config = load_config(tmp_path / "config.toml")
    source = source_from_config(config.mailbox)
    try:
        report = sync_once(db, raws, source, ParseLimits(), workers=2)
    finally:
        source.close()
    assert (report.fetched, report.processed, report.quarantined) == (25, 24, 1)
    with db.session() as session:
        assert session.scalars(select(Quarantine.stage)).one() == "load"
        subjects = {m.subject for m in session.scalars(select(Message))}
    assert subjects == {f"FOI reply {n}" for n in range(25) if n != 7}


_PARSE_IN_WORKER = parsepool._parse_in_worker


def _die_on_the_second_chunk(items: list[tuple[int, str]]) -> list[parsepool.Parsed]:
    """Run in a parser worker (so defined at module level, to be picklable)."""
    if items[0][0] == 10:
        os.kill(os.getpid(), signal.SIGKILL)
    return _PARSE_IN_WORKER(items)


def test_a_parser_worker_that_dies_costs_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker killed mid-run (a crash, the OOM killer): its chunks are parsed in-process."""
    raws = RawStore(tmp_path / "raw")
    shas = raws.put_many([make_message(n) for n in range(60)])
    monkeypatch.setattr(parsepool, "POOL_MIN", 0)
    monkeypatch.setattr(parsepool, "CHUNK", 10)
    monkeypatch.setattr(parsepool, "_parse_in_worker", _die_on_the_second_chunk)
    pool = parsepool.ParsePool(tmp_path / "raw", ParseLimits(), workers=2)
    try:
        chunks = pool.submit(list(enumerate(shas)))
        parsed = [item for chunk in chunks for item in chunk.result()]
    finally:
        pool.close()
    assert [p.raw_id for p in parsed] == list(range(60))
    assert all(p.email is not None for p in parsed)


# -- the raw store -------------------------------------------------------------------------


def test_raw_store_keeps_exact_bytes_once_under_a_final_name(tmp_path: Path) -> None:
    """put_many: each message once, compressed, at path_for(sha); nothing left in .tmp."""
    raws = RawStore(tmp_path / "raw")
    messages = [make_message(n) for n in range(5)]
    shas = raws.put_many([*messages, messages[0]])
    assert shas == [sha256_of(m) for m in [*messages, messages[0]]]
    assert [raws.get(sha) for sha in shas[:5]] == messages
    assert all(raws.path_for(sha).parent.name == sha[:2] for sha in shas)
    assert list((tmp_path / "raw" / ".tmp").iterdir()) == []
    assert raws.put(messages[1]) == shas[1]  # already there: a no-op


def test_raw_store_reads_the_two_level_layout_of_early_versions(tmp_path: Path) -> None:
    raw = make_message(1)
    sha = sha256_of(raw)
    old = tmp_path / "raw" / sha[:2] / sha[2:4] / f"{sha}.eml.gz"
    old.parent.mkdir(parents=True)
    old.write_bytes(gzip.compress(raw))
    raws = RawStore(tmp_path / "raw")
    assert raws.get(sha) == raw
    assert raws.path_for(sha) == old
    assert raws.put(raw) == sha and not (tmp_path / "raw" / sha[:2] / f"{sha}.eml.gz").exists()


def test_stale_temp_files_of_dead_writers_are_removed(tmp_path: Path) -> None:
    """Temp files of processes that died go; those of running ones stay."""
    raws = RawStore(tmp_path / "raw")
    raws.put(make_message(1))
    temp = tmp_path / "raw" / ".tmp"
    mine = temp / f"{os.getpid()}-{'a' * 64}.eml.gz"
    gone = temp / f"{2**22 + 12345}-{'b' * 64}.eml.gz"  # above pid_max: never running
    mine.write_bytes(b"partial")
    gone.write_bytes(b"partial")
    assert raws.remove_stale_temp() == 1
    assert mine.exists() and not gone.exists()


@pytest.fixture
def cli(write_config: Callable[..., Path]) -> Callable[..., Result]:
    path = write_config(MINIMAL_CONFIG)

    def run(*args: str) -> Result:
        return CliRunner().invoke(main, ["--config", str(path), *args])

    assert run("init").exit_code == 0
    return run


def test_sync_once_on_the_demo_mailbox(cli: Callable[..., Result], tmp_path: Path) -> None:
    """The shipped demo mailbox syncs completely with nothing quarantined."""
    shutil.rmtree(tmp_path / "mail")
    shutil.copytree(REPO / "demo" / "mailbox", tmp_path / "mail")
    result = cli("sync", "--once")
    assert result.exit_code == 0, result.output
    assert "23 fetched, 23 new, 0 already stored, 23 processed, 0 quarantined" in result.output
    again = cli("sync", "--once")
    assert "0 fetched" in again.output
    assert json.loads(cli("quarantine", "list", "--json").output) == []


def test_import_mbox_is_idempotent(cli: Callable[..., Result], tmp_path: Path) -> None:
    box = mailbox.mbox(tmp_path / "old.mbox")
    for n in range(4):
        box.add(mailbox.mboxMessage(make_message(n)))
    box.flush()
    first = cli("import", str(tmp_path / "old.mbox"))
    assert "import: 4 read, 4 new, 4 processed, 0 quarantined" in first.output, first.output
    second = cli("import", str(tmp_path / "old.mbox"))
    assert "import: 4 read, 0 new" in second.output


def test_quarantine_show_unknown_id_is_a_clear_error(cli: Callable[..., Result]) -> None:
    result = cli("quarantine", "show", "42")
    assert result.exit_code == 2
    assert "no quarantined message 42" in result.output


EXPLAIN_KEYS = {
    "message_id", "subject", "from", "date", "kind", "outcome", "exemptions", "references",
    "dates", "confidence", "evidence", "attachments", "text",
}  # fmt: skip


def test_explain_json_contract(tmp_path: Path) -> None:
    """`explain --json` gives the stable keys for a normal message, without a database."""
    eml = tmp_path / "reply.eml"
    eml.write_bytes(make_message(7))
    result = CliRunner().invoke(main, ["explain", str(eml), "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert set(record) >= EXPLAIN_KEYS
    assert record["from"] == "foi7@council7.gov.example"
    assert record["subject"] == "FOI reply 7"
    assert "FOI 1007" in record["text"]


def test_explain_broken_mime_exits_0_and_unreadable_exits_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.eml"
    broken.write_bytes(
        b'Content-Type: multipart/mixed; boundary="never"\r\nSubject: x\r\n\r\nbody text only\r\n'
    )
    ok = CliRunner().invoke(main, ["explain", str(broken), "--json"])
    assert ok.exit_code == 0
    assert "body text only" in json.loads(ok.output)["text"]
    missing = CliRunner().invoke(main, ["explain", str(tmp_path / "nope.eml")])
    assert missing.exit_code == 2
    assert "cannot read" in missing.output


def test_a_sync_without_new_mail_still_counts_as_a_successful_sync_of_each_folder(
    setup: tuple[Database, RawStore, Path],
) -> None:
    """last_sync_at is the last successful read of the folder (what status and the
    digest's sync health show), not the last time new mail came; a failed read records
    its error there."""
    db, raws, tmp_path = setup
    deliver(tmp_path / "mail", make_message(1))
    sync(tmp_path, db, raws)
    with db.session() as session:
        row = session.scalars(select(SyncState).where(SyncState.folder == "INBOX")).one()
        row.last_sync_at = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
        row.last_error = "connection reset"
    assert sync(tmp_path, db, raws).new == 0  # type: ignore[attr-defined]
    with db.session() as session:
        row = session.scalars(select(SyncState).where(SyncState.folder == "INBOX")).one()
        assert row.last_sync_at is not None and row.last_sync_at.year >= 2026
        assert row.last_error is None
