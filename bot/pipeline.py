"""Orchestrates ingestion: fetch → keep raw → parse → store, one message at a time.

Two phases, each crash-safe on its own:

1. **Ingest.** For each batch a source yields, the raw bytes are written to the raw
   store first, then one transaction records the raw rows, where each message was
   seen, and the folder's new sync state. A crash before that commit re-fetches the
   batch next time; the content hash and the (mailbox, folder, uidvalidity, uid)
   key make the repeat a no-op.
2. **Process.** Every raw message still ``stored`` is parsed and turned into a
   Message in its own transaction. Any failure rolls back that message only, puts
   it in quarantine with the error, and the run goes on.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.mailbox.values import FolderBatch, FolderState, MailSource
from bot.parse import Email, ParseLimits, parse_email
from bot.rawstore import RawStore, sha256_of
from bot.store import Database
from bot.store.models import (
    Attachment,
    Message,
    MessageLocation,
    Quarantine,
    RawMessage,
    SyncState,
    utcnow,
)
from bot.vocabulary import Direction, MessageStatus

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


@dataclass
class SyncReport:
    fetched: int = 0
    new: int = 0
    duplicates: int = 0
    processed: int = 0
    quarantined: int = 0
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
) -> SyncReport:
    """Fetch everything new from every folder, then process what was stored."""
    report = SyncReport()
    for spec in source.folders():
        state = load_state(db, source.name, spec.name)
        for batch in source.fetch_new(spec.name, state):
            new, dupes = store_batch(db, raws, source.name, batch)
            report.fetched += len(batch.messages)
            report.new += new
            report.duplicates += dupes
            report.folders[spec.name] = report.folders.get(spec.name, 0) + len(batch.messages)
            if progress and batch.messages:
                progress(f"{spec.name}: {report.folders[spec.name]} fetched")
    process_pending(db, raws, limits or ParseLimits(), report, progress)
    return report


def load_state(db: Database, mailbox: str, folder: str) -> FolderState:
    with db.session() as session:
        row = _state_row(session, mailbox, folder)
        if row is None:
            return FolderState()
        return FolderState(row.uidvalidity, row.last_uid, row.highestmodseq)


def _state_row(session: Session, mailbox: str, folder: str) -> SyncState | None:
    return session.scalars(
        select(SyncState).where(SyncState.mailbox == mailbox, SyncState.folder == folder)
    ).first()


def store_batch(db: Database, raws: RawStore, mailbox: str, batch: FolderBatch) -> tuple[int, int]:
    """Keep the batch's raw bytes, then commit rows and state together; (new, duplicate)."""
    shas = [raws.put(m.raw) for m in batch.messages]  # durable before the commit below
    new = dupes = 0
    with db.session() as session:
        known = _raw_ids(session, shas)
        for message, sha in zip(batch.messages, shas, strict=True):
            raw_id = known.get(sha)
            if raw_id is None:
                row = RawMessage(sha256=sha, size=len(message.raw), status=MessageStatus.STORED)
                session.add(row)
                session.flush()
                raw_id = known[sha] = row.id
                new += 1
            else:
                dupes += 1
            _record_location(session, raw_id, mailbox, message.folder, message.uidvalidity,
                             message.uid, message.is_sent)  # fmt: skip
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
    return new, dupes


def _raw_ids(session: Session, shas: Iterable[str]) -> dict[str, int]:
    unique = list(set(shas))
    if not unique:
        return {}
    rows = session.execute(
        select(RawMessage.sha256, RawMessage.id).where(RawMessage.sha256.in_(unique))
    )
    return {sha: raw_id for sha, raw_id in rows}


def _record_location(
    session: Session, raw_id: int, mailbox: str, folder: str, uidvalidity: int, uid: int,
    is_sent: bool,
) -> None:  # fmt: skip
    exists = session.scalars(
        select(MessageLocation.id).where(
            MessageLocation.mailbox == mailbox,
            MessageLocation.folder == folder,
            MessageLocation.uidvalidity == uidvalidity,
            MessageLocation.uid == uid,
        )
    ).first()
    if exists is None:
        session.add(
            MessageLocation(
                raw_id=raw_id, mailbox=mailbox, folder=folder, uidvalidity=uidvalidity,
                uid=uid, is_sent=is_sent,
            )
        )  # fmt: skip


def store_imported(db: Database, raws: RawStore, origin: str, raw: bytes) -> bool:
    """Keep one message from `foibot import`; True when it was new."""
    sha = raws.put(raw)
    with db.session() as session:
        if _raw_ids(session, [sha]):
            return False
        session.add(RawMessage(sha256=sha, size=len(raw), status=MessageStatus.STORED))
    log.debug("imported %s from %s", sha[:12], origin)
    return True


def process_pending(
    db: Database,
    raws: RawStore,
    limits: ParseLimits,
    report: SyncReport | None = None,
    progress: Progress | None = None,
) -> SyncReport:
    """Parse and store every raw message not yet processed, one transaction each."""
    report = report or SyncReport()
    with db.session() as session:
        pending = list(
            session.scalars(
                select(RawMessage.id)
                .where(RawMessage.status == MessageStatus.STORED)
                .order_by(RawMessage.id)
            )
        )
    for count, raw_id in enumerate(pending, 1):
        if process_one(db, raws, raw_id, limits):
            report.processed += 1
        else:
            report.quarantined += 1
        if progress and (count % 500 == 0 or count == len(pending)):
            progress(f"processed {count}/{len(pending)}")
    return report


def process_one(db: Database, raws: RawStore, raw_id: int, limits: ParseLimits) -> bool:
    """Turn one raw message into a Message; on any failure quarantine it. True if done."""
    stage = "load"
    try:
        with db.session() as session:
            raw_row = session.get(RawMessage, raw_id)
            if raw_row is None or raw_row.status == "processed":
                return True
            raw = raws.get(raw_row.sha256)
            stage = "parse"
            email = parse_email(raw, limits)
            stage = "store"
            is_sent = _seen_in_sent(session, raw_id)
            session.add(_message_row(raw_id, email, is_sent))
            raw_row.status = "processed"
            _resolve_quarantine(session, raw_id)
        return True
    except Exception as err:  # per-message isolation: any failure is quarantined
        log.warning("message raw_id=%s quarantined at %s: %s", raw_id, stage, err)
        quarantine(db, raw_id, stage, err)
        return False


def _seen_in_sent(session: Session, raw_id: int) -> bool:
    return bool(
        session.scalars(
            select(MessageLocation.id).where(
                MessageLocation.raw_id == raw_id, MessageLocation.is_sent.is_(True)
            )
        ).first()
    )


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


def quarantine(db: Database, raw_id: int, stage: str, err: BaseException) -> None:
    detail = "".join(traceback.format_exception_only(err)).strip()
    with db.session() as session:
        raw_row = session.get(RawMessage, raw_id)
        if raw_row is None:
            return
        raw_row.status = "quarantined"
        row = session.scalars(select(Quarantine).where(Quarantine.raw_id == raw_id)).first()
        if row is None:
            session.add(Quarantine(raw_id=raw_id, stage=stage, error=detail[:4000]))
        else:
            row.stage, row.error = stage, detail[:4000]
            row.attempts += 1
            row.resolved_at = None


def _resolve_quarantine(session: Session, raw_id: int) -> None:
    row = session.scalars(select(Quarantine).where(Quarantine.raw_id == raw_id)).first()
    if row is not None and row.resolved_at is None:
        row.resolved_at = dt.datetime.now(dt.UTC)


def retry_quarantined(db: Database, raws: RawStore, quarantine_id: int | None,
                      limits: ParseLimits) -> tuple[int, int]:  # fmt: skip
    """Put quarantined messages back in the queue and process them; (ok, still failing)."""
    with db.session() as session:
        query = select(Quarantine).where(Quarantine.resolved_at.is_(None))
        if quarantine_id is not None:
            query = query.where(Quarantine.id == quarantine_id)
        raw_ids = [q.raw_id for q in session.scalars(query)]
        for raw_id in raw_ids:
            raw_row = session.get(RawMessage, raw_id)
            if raw_row is not None:
                raw_row.status = MessageStatus.STORED.value
    ok = sum(process_one(db, raws, raw_id, limits) for raw_id in raw_ids)
    return ok, len(raw_ids) - ok


__all__ = ["SyncReport", "process_pending", "retry_quarantined", "sha256_of", "sync_once"]
