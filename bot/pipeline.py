"""Orchestrates ingestion: fetch → keep raw → parse → store, in batches.

Two phases, each crash-safe on its own:

1. **Ingest.** For each batch a source yields, the raw bytes are written to the raw
   store and made durable first, then one transaction records the raw rows, where
   each message was seen, and the folder's new sync state. A crash before that commit
   re-fetches the batch next time; the content hash and the (mailbox, folder,
   uidvalidity, uid) key make the repeat a no-op.
2. **Process.** Every raw message still ``stored`` is loaded and parsed (in worker
   processes when there is enough of it, see ``bot.parsepool``), then written in
   batches of ``BATCH``, one transaction each (``write_parsed``). Any failure while
   processing a message rolls back that message only (the batch is written again
   with a SAVEPOINT per message), records it in quarantine with the error, and the
   run goes on. ``_process_in_batch`` is the per-message step.

Processing overlaps fetching: each stored batch is handed to the parser at once, and
parsed messages are written between fetches.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from types import TracebackType

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from bot.classify import Classification
from bot.config import Config
from bot.errors import BotError
from bot.mailbox.values import FolderBatch, FolderState, MailSource
from bot.parse import Email, ParseLimits
from bot.parsepool import Parsed, ParsePool, PendingParse
from bot.rawstore import RawStore, sha256_of
from bot.rematch import rematch_held
from bot.store import Database
from bot.store.db import begin_writing
from bot.store.models import (
    Attachment,
    Message,
    MessageLocation,
    Quarantine,
    RawMessage,
    Request,
    SyncState,
    utcnow,
)
from bot.store.progress import apply_to_request, classify_message
from bot.store.threading import Threader
from bot.vocabulary import Direction, MessageStatus

log = logging.getLogger(__name__)

Progress = Callable[[str], None]
BATCH = 200  # messages written per transaction
MAX_IN_FLIGHT = 600  # messages handed to the parser and not yet written
# RawMessage.status: stored -> processed, or quarantined (and back to stored on retry)
STORED, PROCESSED, QUARANTINED = MessageStatus.STORED.value, "processed", "quarantined"


@dataclass
class SyncReport:
    fetched: int = 0
    new: int = 0
    duplicates: int = 0
    processed: int = 0
    quarantined: int = 0
    rematched: int = 0  # held messages placed after new requests appeared
    folders: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        return (
            f"{self.fetched} fetched, {self.new} new, {self.duplicates} already stored, "
            f"{self.processed} processed, {self.quarantined} quarantined"
        )


def sync_once(
    db: Database,
    raws: RawStore,
    source: MailSource,
    limits: ParseLimits | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    config: Config | None = None,
) -> SyncReport:
    """Fetch everything new from every folder and process what was stored.

    ``workers``: parser processes (None: one per CPU but one, when there is enough mail; 0: parse
    in this process). ``config`` is handed to the per-message step.
    """
    report = SyncReport()
    requests_before = _request_count(db)
    raws.remove_stale_temp()
    processor = Processor(db, raws, limits or ParseLimits(), report, progress, workers, config)
    with processor:
        processor.add_pending()  # left over from an earlier run: oldest first
        # Sent first: a request must exist before the replies to it are matched.
        for spec in sorted(source.folders(), key=lambda folder: not folder.is_sent):
            state = load_state(db, source.name, spec.name)
            try:
                for batch in source.fetch_new(spec.name, state):
                    stored = store_batch(db, raws, source.name, batch)
                    report.fetched += len(batch.messages)
                    report.new += len(stored.new)
                    report.duplicates += stored.duplicates
                    count = report.folders.get(spec.name, 0) + len(batch.messages)
                    report.folders[spec.name] = count
                    if progress and batch.messages:
                        progress(f"{spec.name}: {count} fetched")
                    processor.add(stored.new)
            except BotError as err:
                _folder_checked(db, source.name, spec.name, str(err))
                raise
            _folder_checked(db, source.name, spec.name, None)
        processor.add_pending()  # stored meanwhile by another process (an import)
    if report.new and _request_count(db) > requests_before:
        report.rematched, _ = rematch_held(db, raws, config, limits)
    return report


def _request_count(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count(Request.id))) or 0


def load_state(db: Database, mailbox: str, folder: str) -> FolderState:
    with db.session() as session:
        row = _state_row(session, mailbox, folder)
        if row is None:
            return FolderState()
        return FolderState(row.uidvalidity, row.last_uid, row.highestmodseq)


def _folder_checked(db: Database, mailbox: str, folder: str, error: str | None) -> None:
    """Record that ``folder`` was read to the end (``last_sync_at``: the last successful
    sync, new mail or not), or why it could not be (``last_error``), for status and
    the digest's sync health. A folder never stored from has no row yet: nothing to say."""
    with db.session() as session:
        row = _state_row(session, mailbox, folder)
        if row is None:
            return
        if error is None:
            row.last_sync_at, row.last_error = utcnow(), None
        else:
            row.last_error = error[:1000]


def _state_row(session: Session, mailbox: str, folder: str) -> SyncState | None:
    return session.scalars(
        select(SyncState).where(SyncState.mailbox == mailbox, SyncState.folder == folder)
    ).first()


@dataclass(frozen=True)
class StoredBatch:
    """What ``store_batch`` recorded: the new raw rows (id, sha256) and the repeats."""

    new: list[tuple[int, str]]
    duplicates: int


def store_batch(db: Database, raws: RawStore, mailbox: str, batch: FolderBatch) -> StoredBatch:
    """Keep the batch's raw bytes, then commit rows and state together."""
    messages = batch.messages
    shas = raws.put_many([m.raw for m in messages])  # durable before the commit below
    new: list[tuple[int, str]] = []
    with db.session() as session:
        begin_writing(session)
        known = _raw_ids(session, shas)
        rows: dict[str, int] = {}
        for message, sha in zip(messages, shas, strict=True):
            if sha not in known and sha not in rows:
                rows[sha] = len(message.raw)
        if rows:
            created = session.execute(
                insert(RawMessage).returning(RawMessage.id, RawMessage.sha256),
                [{"sha256": sha, "size": size, "status": STORED} for sha, size in rows.items()],
            )
            for raw_id, sha in created:
                known[sha] = raw_id
            new = sorted((known[sha], sha) for sha in rows)
        seen = _located_uids(session, mailbox, batch.folder, batch.uidvalidity,
                             [m.uid for m in messages])  # fmt: skip
        locations = []
        for message, sha in zip(messages, shas, strict=True):
            if (message.uidvalidity, message.uid) not in seen:
                seen.add((message.uidvalidity, message.uid))
                locations.append({
                    "raw_id": known[sha], "mailbox": mailbox, "folder": message.folder,
                    "uidvalidity": message.uidvalidity, "uid": message.uid,
                    "is_sent": message.is_sent,
                })  # fmt: skip
        if locations:
            session.execute(insert(MessageLocation), locations)
        row_state = _state_row(session, mailbox, batch.folder)
        if row_state is None:
            row_state = SyncState(mailbox=mailbox, folder=batch.folder)
            session.add(row_state)
        after = batch.state_after
        row_state.uidvalidity = after.uidvalidity
        row_state.last_uid = after.last_uid
        row_state.highestmodseq = after.highestmodseq
        row_state.last_sync_at = utcnow()
        row_state.last_error = None
    return StoredBatch(new, len(messages) - len(rows))


def _raw_ids(session: Session, shas: Iterable[str]) -> dict[str, int]:
    unique = list(set(shas))
    if not unique:
        return {}
    rows = session.execute(
        select(RawMessage.sha256, RawMessage.id).where(RawMessage.sha256.in_(unique))
    )
    return {sha: raw_id for sha, raw_id in rows}


def _located_uids(
    session: Session, mailbox: str, folder: str, uidvalidity: int, uids: list[int]
) -> set[tuple[int, int]]:
    """(uidvalidity, uid) of the given UIDs already recorded in this folder."""
    if not uids:
        return set()
    rows = session.execute(
        select(MessageLocation.uidvalidity, MessageLocation.uid).where(
            MessageLocation.mailbox == mailbox,
            MessageLocation.folder == folder,
            MessageLocation.uidvalidity == uidvalidity,
            MessageLocation.uid.in_(uids),
        )
    )
    return {(v, u) for v, u in rows}


def store_imported(db: Database, raws: RawStore, origin: str, raw: bytes) -> bool:
    """Keep one message from `foibot import`; True when it was new."""
    sha = raws.put(raw)
    with db.session() as session:
        if _raw_ids(session, [sha]):
            return False
        session.add(RawMessage(sha256=sha, size=len(raw), status=STORED))
    log.debug("imported %s from %s", sha[:12], origin)
    return True


def process_pending(
    db: Database,
    raws: RawStore,
    limits: ParseLimits,
    report: SyncReport | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    config: Config | None = None,
) -> SyncReport:
    """Parse and store every raw message not yet processed."""
    report = report or SyncReport()
    with Processor(db, raws, limits, report, progress, workers, config) as processor:
        processor.add_pending()
    return report


def retry_quarantined(
    db: Database,
    raws: RawStore,
    quarantine_id: int | None,
    limits: ParseLimits,
    config: Config | None = None,
) -> tuple[int, int]:
    """Put quarantined messages back in the queue and process them; (ok, still failing)."""
    with db.session() as session:
        query = select(Quarantine.raw_id).where(Quarantine.resolved_at.is_(None))
        if quarantine_id is not None:
            query = query.where(Quarantine.id == quarantine_id)
        raw_ids = list(session.scalars(query.order_by(Quarantine.raw_id)))
        session.execute(update(RawMessage).where(RawMessage.id.in_(raw_ids)).values(status=STORED))
        items = [
            (raw_id, sha)
            for raw_id, sha in session.execute(
                select(RawMessage.id, RawMessage.sha256)
                .where(RawMessage.id.in_(raw_ids))
                .order_by(RawMessage.id)
            )
        ]
    report = SyncReport()
    with Processor(db, raws, limits, report, None, 0, config) as processor:
        processor.add(items)
    return report.processed, report.quarantined


class Processor:
    """Parses raw messages (through a ParsePool) and writes them in batches, in order.

    ``add`` hands messages over; finished ones are written whenever a batch is ready;
    leaving the ``with`` block writes the rest.
    """

    def __init__(self, db: Database, raws: RawStore, limits: ParseLimits, report: SyncReport,
                 progress: Progress | None, workers: int | None,
                 config: Config | None = None) -> None:  # fmt: skip
        self._db, self._report, self._progress, self._config = db, report, progress, config
        self._pool = ParsePool(raws.root, limits, workers)
        self._queue: deque[PendingParse] = deque()
        self._ready: list[Parsed] = []
        self._in_flight = 0
        self._written = 0

    def __enter__(self) -> Processor:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None:
                self.flush()
        finally:
            self._pool.close()

    def add(self, items: Sequence[tuple[int, str]]) -> None:
        """Hand over raw messages (id, sha256) already committed as ``stored``."""
        for pending in self._pool.submit(items):
            self._queue.append(pending)
            self._in_flight += pending.count
        self._drain(block=False)

    def flush(self) -> None:
        """Wait for everything handed over so far, and write it."""
        self._drain(block=True)
        self._write(final=True)

    def add_pending(self) -> None:
        """Write what was handed over, then hand over every raw message still ``stored``."""
        self.flush()
        after = 0
        while True:
            with self._db.session() as session:
                page = [
                    (raw_id, sha)
                    for raw_id, sha in session.execute(
                        select(RawMessage.id, RawMessage.sha256)
                        .where(RawMessage.status == STORED, RawMessage.id > after)
                        .order_by(RawMessage.id)
                        .limit(BATCH)
                    )
                ]
            if not page:
                return
            self.add(page)
            after = page[-1][0]

    def _drain(self, block: bool) -> None:
        """Collect parsed messages in order (waiting when ``block`` or too many are out;
        while waiting, this process parses the next chunk no worker has started, so the
        parsed messages held in memory stay few)."""
        while self._queue and (block or self._in_flight > MAX_IN_FLIGHT or self._queue[0].done()):
            while not self._queue[0].done() and any(p.take_over() for p in self._queue):
                pass
            pending = self._queue.popleft()
            self._ready += pending.result()
            self._in_flight -= pending.count
            self._write(final=False)

    def _write(self, final: bool) -> None:
        while len(self._ready) >= BATCH or (final and self._ready):
            batch, self._ready = self._ready[:BATCH], self._ready[BATCH:]
            ok, failed = write_parsed(self._db, batch, self._config)
            self._report.processed += ok
            self._report.quarantined += failed
            before, self._written = self._written, self._written + len(batch)
            if self._progress and (self._written // 500 > before // 500 or final):
                self._progress(f"processed {self._written}")


def write_parsed(
    db: Database, parsed: Sequence[Parsed], config: Config | None = None
) -> tuple[int, int]:
    """Store parsed messages in one transaction; (processed, quarantined).

    First all in one flush. If anything fails, that transaction is rolled back and the
    batch is written again with a SAVEPOINT per message: only the failing message is
    rolled back, and quarantined. Should even that fail (at commit), each message gets
    a transaction of its own.
    """
    for isolate in (False, True):
        try:
            with db.session() as session:
                return _write_batch(BatchContext.load(session, parsed, config, isolate), parsed)
        except Exception as err:
            log.debug("batch of %d failed (%s), isolate=%s", len(parsed), err, isolate)
            failure = err
    if len(parsed) == 1:
        log.warning("raw_id=%s quarantined at store: %s", parsed[0].raw_id, failure)
        quarantine(db, parsed[0].raw_id, "store", failure)
        return 0, 1
    totals = [write_parsed(db, [one], config) for one in parsed]
    return sum(ok for ok, _ in totals), sum(failed for _, failed in totals)


@dataclass
class BatchContext:
    """What the per-message step may use: loaded once per batch, in its transaction.

    ``isolate``: each message runs in a SAVEPOINT of its own (see ``write_parsed``).
    """

    session: Session
    config: Config | None
    raw_rows: dict[int, RawMessage]
    sent: set[int]  # raw ids seen in a Sent folder
    held: dict[int, Quarantine]  # quarantine rows of these raw ids (earlier failures)
    isolate: bool = True
    _threader: Threader | None = None

    @property
    def threader(self) -> Threader:
        """Matching's view of the store, loaded on first use in this transaction."""
        if self._threader is None:
            self._threader = Threader(self.session, self.config)
        return self._threader

    @classmethod
    def load(
        cls, session: Session, batch: Sequence[Parsed], config: Config | None, isolate: bool
    ) -> BatchContext:
        begin_writing(session)
        ids = [item.raw_id for item in batch]
        rows = session.scalars(select(RawMessage).where(RawMessage.id.in_(ids)))
        sent = session.scalars(
            select(MessageLocation.raw_id).where(
                MessageLocation.raw_id.in_(ids), MessageLocation.is_sent.is_(True)
            )
        )
        held = session.scalars(select(Quarantine).where(Quarantine.raw_id.in_(ids)))
        return cls(session, config, {r.id: r for r in rows}, set(sent),
                   {q.raw_id: q for q in held}, isolate)  # fmt: skip

    def unit(self) -> AbstractContextManager[object]:
        """One message's unit of work: a SAVEPOINT when isolating."""
        return self.session.begin_nested() if self.isolate else nullcontext()


def _write_batch(batch: BatchContext, parsed: Sequence[Parsed]) -> tuple[int, int]:
    ok = failed = 0
    for item in sorted(parsed, key=_date_order):  # a request before the replies to it
        raw_row = batch.raw_rows.get(item.raw_id)
        if raw_row is None or raw_row.status != STORED:
            continue  # gone, or processed by another process meanwhile
        if item.email is None:
            if batch.isolate:
                log.warning("raw_id=%s quarantined at %s: %s", item.raw_id, item.stage,
                            item.error)  # fmt: skip
            _hold(batch, raw_row, item.stage, item.error)
            failed += 1
            continue
        if not batch.isolate:  # a failure redoes the batch
            _process_in_batch(batch, raw_row, item.email, item.classification)
            ok += 1
            continue
        try:
            with batch.unit():
                _process_in_batch(batch, raw_row, item.email, item.classification)
            ok += 1
        except Exception as err:  # per-message isolation: this message only is rolled back
            batch._threader = None  # its view may hold what the rollback undid
            log.warning("raw_id=%s quarantined at store: %s", item.raw_id, err)
            _hold(batch, raw_row, "store", _describe(err))
            failed += 1
    return ok, failed


_LAST = dt.datetime.max.replace(tzinfo=dt.UTC)


def _date_order(item: Parsed) -> dt.datetime:
    return (item.email.date if item.email else None) or _LAST


def _process_in_batch(
    batch: BatchContext, raw_row: RawMessage, email: Email, classified: Classification | None
) -> None:
    """Turn one parsed raw message into a Message (``classified``: the parser's
    classification of it, if any).

    The place for per-message steps that touch the database (matching, classifying).
    Anything raised here rolls back this message alone, which is then quarantined (the
    batch is written again with a SAVEPOINT per message, see ``write_parsed``), so a
    step may raise at any point but must not catch database errors and go on.
    """
    own = email.from_addr in batch.threader.world.own_addresses  # imported sent mail
    message = _message_row(raw_row.id, email, raw_row.id in batch.sent or own)
    batch.session.add(message)  # flushed only when a step needs its id (batching)
    batch.threader.thread(batch.session, message, email)
    if message.status != MessageStatus.UNRELATED.value:  # newsletters, personal mail: no need
        classify_message(message, email, classified)  # incoming only; an operator's kind
        # is kept
    if message.request is not None:  # what it did to the request: state, events, due date
        apply_to_request(batch.session, message.request, message, batch.config)
    raw_row.status = PROCESSED
    held = batch.held.get(raw_row.id)
    if held is not None and held.resolved_at is None:
        held.resolved_at = dt.datetime.now(dt.UTC)


def _message_row(raw_id: int, email: Email, is_sent: bool) -> Message:
    message = Message(
        raw_id=raw_id,
        message_id=email.message_id,
        direction=(Direction.OUTGOING if is_sent else Direction.INCOMING).value,
        status=MessageStatus.STORED.value,
        subject=email.subject,
        from_addr=email.from_addr,
        from_name=email.from_name,
        to_addrs=list(email.to),
        date=email.date,
        in_reply_to=email.in_reply_to,
        references_header=list(email.references),
        text=email.reply_text,
    )
    for att in email.attachments:
        message.attachments.append(
            Attachment(
                filename=att.filename,
                content_type=att.content_type,
                size=att.size,
                sha256=att.sha256,
                text=att.text,
                note=att.note,
            )
        )
    return message


def _describe(err: BaseException) -> str:
    return "".join(traceback.format_exception_only(err)).strip()


def _hold(batch: BatchContext, raw_row: RawMessage, stage: str, error: str) -> None:
    """Quarantine one message inside the batch (in a unit of its own)."""
    with batch.unit():
        raw_row.status = QUARANTINED
        held = batch.held.get(raw_row.id)
        if held is None:
            held = Quarantine(raw_id=raw_row.id, stage=stage, error=error[:4000])
            batch.session.add(held)
            batch.held[raw_row.id] = held
        else:
            held.stage, held.error = stage, error[:4000]
            held.attempts += 1
            held.resolved_at = None


def quarantine(db: Database, raw_id: int, stage: str, err: BaseException) -> None:
    """Quarantine one message in a transaction of its own."""
    with db.session() as session:
        batch = BatchContext.load(session, [Parsed(raw_id, None)], None, isolate=True)
        raw_row = batch.raw_rows.get(raw_id)
        if raw_row is not None:
            _hold(batch, raw_row, stage, _describe(err))


__all__ = [
    "BatchContext",
    "Processor",
    "SyncReport",
    "process_pending",
    "retry_quarantined",
    "sha256_of",
    "store_batch",
    "sync_once",
]
