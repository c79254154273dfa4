"""Classification in the parser (bot.parsepool): the same answer as classifying in the
per-message step, whether a worker or this process parsed the message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from bot import parsepool
from bot.classify import classify
from bot.config import load_config
from bot.mailbox import source_from_config
from bot.parse import ParseLimits, parse_email
from bot.pipeline import sync_once
from bot.rawstore import RawStore
from bot.store import Database
from bot.store.models import Message
from tests.conftest import MINIMAL_CONFIG
from tests.test_pipeline import deliver

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "classify" / "eml"
# Kinds of every sort: responses, refusals, extensions, bounces, auto-replies ...
SAMPLE = sorted(FIXTURES.glob("*.eml"))[::9]


def _raws() -> list[bytes]:
    return [path.read_bytes() for path in SAMPLE]


def test_parsed_messages_carry_their_classification(tmp_path: Path) -> None:
    """In this process and in a worker alike, each Parsed holds classify(its Email)."""
    raws = RawStore(tmp_path / "raw")
    shas = raws.put_many(_raws())
    expected = [classify(parse_email(raw)).as_json() for raw in _raws()]
    here = parsepool.parse_stored(raws, list(enumerate(shas)), ParseLimits())
    assert [p.classification.as_json() for p in here if p.classification] == expected
    pool = parsepool.ParsePool(tmp_path / "raw", ParseLimits(), workers=1)
    pool._submitted = parsepool.POOL_MIN  # past the in-process start: use the worker
    try:
        chunks = pool.submit(list(enumerate(shas)))
        assert any(chunk._future is not None for chunk in chunks)
        there = [item for chunk in chunks for item in chunk.result()]
    finally:
        pool.close()
    assert [p.classification.as_json() for p in there if p.classification] == expected


def test_a_classifier_failure_in_the_parser_leaves_it_to_the_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Classifying is not parsing: if it raises, the message is parsed all the same,
    without a classification (the per-message step classifies it again)."""
    raws = RawStore(tmp_path / "raw")
    shas = raws.put_many(_raws()[:2])

    def explode(email: object) -> None:
        raise RuntimeError("classifier exploded")

    monkeypatch.setattr(parsepool, "classify", explode)
    parsed = parsepool.parse_stored(raws, list(enumerate(shas)), ParseLimits())
    assert [(p.email is not None, p.classification, p.stage) for p in parsed] == [
        (True, None, ""),
        (True, None, ""),
    ]


def _stored_classifications(root: Path, workers: int) -> dict[str, object]:
    for sub in ("cur", "new", "tmp"):
        (root / "mail" / sub).mkdir(parents=True)
    (root / "config.toml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    config = load_config(root / "config.toml")
    for raw in _raws():
        deliver(root / "mail", raw)
    db = Database(config.database_url)
    db.upgrade()
    source = source_from_config(config.mailbox)
    try:
        report = sync_once(db, RawStore(config.database.raw_dir), source, ParseLimits(),
                           workers=workers, config=config)  # fmt: skip
    finally:
        source.close()
    assert report.processed == len(SAMPLE)
    with db.session() as session:
        rows = session.scalars(select(Message))
        out = {f"{m.message_id} {m.subject}": (m.kind, m.outcome, m.exemptions, m.classification)
               for m in rows}  # fmt: skip
    db.dispose()
    return out


def test_the_stored_classification_is_the_one_the_step_would_make(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Messages stored with the parser's classification (a worker's or this process's)
    have the same kind, outcome, exemptions and classification JSON as when the
    per-message step classifies them itself."""
    monkeypatch.setattr(parsepool, "POOL_MIN", 0)
    monkeypatch.setattr(parsepool, "CHUNK", 3)
    with_workers = _stored_classifications(tmp_path / "parser", workers=1)
    monkeypatch.setattr(parsepool, "_classified", lambda email: None)
    in_the_step = _stored_classifications(tmp_path / "step", workers=0)
    assert json.dumps(with_workers, sort_keys=True, default=str) == json.dumps(
        in_the_step, sort_keys=True, default=str
    )
    assert {kind for kind, *_ in with_workers.values()} >= {"response", "bounce"}


def test_a_chunk_no_worker_has_started_is_parsed_here(tmp_path: Path) -> None:
    """take_over: a queued chunk is parsed in this process, with the worker's result."""
    raws = RawStore(tmp_path / "raw")
    shas = raws.put_many(_raws())
    items = list(enumerate(shas))
    pool = parsepool.ParsePool(tmp_path / "raw", ParseLimits(), workers=1)
    pool._submitted = parsepool.POOL_MIN
    try:
        chunks = [pool.submit(items[i : i + 1])[0] for i in range(len(items))]
        taken = [chunk.take_over() for chunk in reversed(chunks)]
        results = [chunk.result() for chunk in chunks]
    finally:
        pool.close()
    assert any(taken)  # the last ones were still queued
    assert not chunks[-1].take_over()  # done already
    expected = parsepool.parse_stored(raws, items, ParseLimits())
    assert [r for chunk in results for r in chunk] == expected
