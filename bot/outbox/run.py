"""``send_due`` and ``recover``: one outbox run, under the outbox lock.

A run: recover drafts a dead process left in ``sending``; record sent initial
requests not yet on a request; send the approved drafts that are due (at most
``smtp.max_per_minute`` within any minute, and ``limit``) over one SMTP session;
put copies in Sent that an earlier run could not. Each letter follows the protocol
of ``bot.outbox.letter``; docs/outbox.md explains why each crash window is safe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import TracebackType

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.config import Config
from bot.errors import BotError
from bot.outbox import state
from bot.outbox.faults import fault
from bot.outbox.letter import LetterSender, letter_bytes
from bot.outbox.lock import outbox_lock
from bot.outbox.records import needs_recording, record_sent
from bot.outbox.report import OutboxReport
from bot.outbox.sentcopy import SentFolder, open_sent_folder
from bot.outbox.smtp import SmtpConnection, SmtpSettings
from bot.store import Database
from bot.store.models import Draft, utcnow
from bot.vocabulary import DraftStatus, OutgoingKind

COPY_BATCH = 50  # earlier letters whose copy is retried per run
RATE_WINDOW = dt.timedelta(minutes=1)


def send_due(
    db: Database, config: Config, *, now: dt.datetime | None = None, limit: int | None = None
) -> OutboxReport:
    """Send every approved draft that is due (see the module docstring)."""
    report = OutboxReport()
    with outbox_lock(db) as held:
        if not held:
            report.busy = True
            state.log_event("busy", 0, detail="another process holds the outbox lock")
            return report
        with Run(db, config, report, now) as run:
            run.recover()
            run.record_pending()
            run.send(limit)
            run.copy_pending()
    return report


def recover(db: Database, config: Config, *, now: dt.datetime | None = None) -> OutboxReport:
    """Settle drafts left in ``sending`` by a process that died (``send_due`` does this too)."""
    report = OutboxReport()
    with outbox_lock(db) as held:
        if not held:
            report.busy = True
            return report
        with Run(db, config, report, now) as run:
            run.recover()
    return report


class Run:
    """One run's connections (opened when first needed) and its report."""

    def __init__(
        self, db: Database, config: Config, report: OutboxReport, now: dt.datetime | None
    ) -> None:
        self.db, self.config, self.report = db, config, report
        self.clock: Callable[[], dt.datetime] = (lambda: now) if now is not None else utcnow
        self.smtp: SmtpConnection | None = None
        self._sent_folder: SentFolder | None = None
        self._copies_broken = False
        self._search_broken = False

    def __enter__(self) -> Run:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.smtp is not None:
            self.smtp.close()
        if self._sent_folder is not None:
            self._sent_folder.close()

    # -- the Sent folder -----------------------------------------------------------------

    def sent_folder(self) -> SentFolder:
        if self._sent_folder is None:
            self._sent_folder = open_sent_folder(self.config)
        return self._sent_folder

    def in_sent(self, draft_id: int, message_id: str) -> bool | None:
        """Is the letter in Sent? None when the folder cannot be searched (then the
        run does not try again: the next draft would wait for the same timeout)."""
        if self._search_broken:
            return None
        try:
            return self.sent_folder().contains(message_id)
        except BotError as err:
            self._search_broken = True
            state.log_event("sent_search_failed", draft_id, error=str(err))
            return None

    def copy(
        self, draft_id: int, message_id: str, raw: bytes, when: dt.datetime, check_first: bool
    ) -> None:
        """Step 5: the exact bytes into Sent, then ``sent_copy_at``. A failure leaves the
        copy for the next run; it never touches the letter's status."""
        if self._copies_broken:
            return
        try:
            folder = self.sent_folder()
            if not (check_first and folder.contains(message_id)):
                folder.append(raw, when)
        except BotError as err:  # SentFolderError, or a mailbox secret that cannot be read
            self._copies_broken = True  # one message per run is enough
            self.report.copy_errors.append(str(err))
            state.log_event("copy_failed", draft_id, error=str(err))
            return
        fault("after_append")
        with self.db.session() as session:
            draft = session.get(Draft, draft_id)
            assert draft is not None
            draft.sent_copy_at = self.clock()
        self.report.copies += 1
        state.log_event("copied", draft_id)

    # -- the steps of a run ----------------------------------------------------------------

    def recover(self) -> None:
        with self.db.session() as session:
            stuck = list(
                session.execute(
                    select(Draft.id, Draft.message_id)
                    .where(Draft.status == DraftStatus.SENDING.value)
                    .order_by(Draft.id)
                )
            )
        for draft_id, message_id in stuck:
            found = self.in_sent(draft_id, message_id) if message_id else None
            with self.db.session() as session:
                draft = session.get(Draft, draft_id)
                if draft is None or draft.status != DraftStatus.SENDING.value:
                    continue
                phase = draft.phase
                if found or phase == state.DOT:
                    state.mark_sent(draft, state.FOUND_IN_SENT if found else state.DOT_WRITTEN)
                    if found:
                        draft.sent_copy_at = self.clock()
                    self.record(session, draft)
                    outcome = "sent"
                else:
                    state.back_to_approved(draft, state.BEFORE_DOT)
                    outcome = "resend"
                state.log_event("recovered", draft, outcome=outcome, phase=phase, found=found)
            self.report.recovered[draft_id] = outcome

    def record(self, session: Session, draft: Draft) -> None:
        """``record_sent`` in a savepoint: a failure there never undoes "sent"; the draft
        says why (after any note already there) until a later run records it."""
        note = (draft.error or "").split(state.NOT_RECORDED)[0].removesuffix("; ") or None
        try:
            with session.begin_nested():
                record_sent(session, draft, self.config)
            draft.error = note
        except Exception as err:  # the letter is sent whatever happens here
            draft.error = "; ".join(filter(None, [note, f"{state.NOT_RECORDED}: {err}"]))
            state.log_event("record_failed", draft, error=str(err))

    def record_pending(self) -> None:
        with self.db.session() as session:
            ids = list(
                session.scalars(
                    select(Draft.id).where(
                        Draft.status == DraftStatus.SENT.value,
                        Draft.kind == OutgoingKind.REQUEST.value,
                        Draft.request_id.is_(None),
                    )
                )
            )
        for draft_id in ids:
            with self.db.session() as session:
                draft = session.get(Draft, draft_id)
                if draft is not None and needs_recording(draft):
                    self.record(session, draft)

    def send(self, limit: int | None) -> None:
        now = self.clock()
        with self.db.session() as session:
            due = list(
                session.scalars(
                    select(Draft.id)
                    .where(
                        Draft.status == DraftStatus.APPROVED.value,
                        or_(Draft.next_attempt_at.is_(None), Draft.next_attempt_at <= now),
                    )
                    .order_by(func.coalesce(Draft.approved_at, Draft.created_at), Draft.id)
                )
            )
            recent = session.scalar(
                select(func.count(Draft.id)).where(
                    Draft.status.in_((DraftStatus.SENT.value, DraftStatus.SENDING.value)),
                    Draft.sent_at > now - RATE_WINDOW,
                )
            )
        budget = max(0, self.config.smtp.max_per_minute - (recent or 0))
        if limit is not None and limit <= budget:
            batch = due[:limit]
        else:
            batch = due[:budget]
            self._defer(due[budget:], now + RATE_WINDOW)
        sender = LetterSender(self)
        for position, draft_id in enumerate(batch):
            if not sender.connected(batch[position:]):
                return
            sender.send(draft_id)

    def _defer(self, ids: list[int], until: dt.datetime) -> None:
        if not ids:
            return
        with self.db.session() as session:
            for draft_id in ids:
                draft = session.get(Draft, draft_id)
                if draft is not None and draft.status == DraftStatus.APPROVED.value:
                    draft.next_attempt_at = until
                    state.log_event("deferred", draft, until=until.isoformat())
        self.report.deferred += ids

    def copy_pending(self) -> None:
        if self.config.smtp.sent_copy != "append" or self._copies_broken:
            return
        with self.db.session() as session:
            drafts = list(
                session.scalars(
                    select(Draft)
                    .where(
                        Draft.status == DraftStatus.SENT.value,
                        Draft.sent_copy_at.is_(None),
                        Draft.message_id.is_not(None),
                        Draft.sent_at.is_not(None),
                    )
                    .order_by(Draft.id)
                    .limit(COPY_BATCH)
                )
            )
        for draft in drafts:
            assert draft.sent_at is not None
            try:
                raw = letter_bytes(draft, self.config, draft.sent_at)
            except BotError as err:
                state.log_event("copy_failed", draft, error=str(err))
                continue
            self.copy(draft.id, draft.message_id or "", raw, draft.sent_at, check_first=True)

    def smtp_settings(self) -> SmtpSettings:
        return SmtpSettings.from_config(self.config)
