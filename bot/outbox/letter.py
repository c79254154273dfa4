"""One letter through the exactly-once protocol (docs/outbox.md).

1. commit ``status=sending, phase=smtp``, one more attempt;
2. MAIL FROM, RCPT TO, DATA and the content, without the final dot;
3. commit ``phase=dot``: the durable record that the dot is about to be written;
4. write ``.\\r\\n`` and read the reply: 2xx → commit ``sent`` (and the request);
   4xx → approved with a backoff; 5xx → failed with the server's words;
5. with ``sent_copy = "append"``: the same bytes into Sent, then ``sent_copy_at``.

A process that dies anywhere leaves the draft ``sending``; ``Run.recover`` settles it
by its phase (``smtp``: never delivered, send again; ``dot``: taken as sent).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.compose import build_message, new_message_id
from bot.config import Config
from bot.errors import BotError, LetterError
from bot.mailbox.connection import describe
from bot.outbox import state
from bot.outbox.faults import fault
from bot.outbox.smtp import ServerReply, SmtpConnection, dot_stuffed
from bot.store.models import Draft
from bot.vocabulary import DraftStatus

if TYPE_CHECKING:
    import datetime as dt

    from bot.outbox.run import Run


def sender_address(draft: Draft, config: Config) -> str:
    """The From address: fixed at approval, else the configured one."""
    return draft.from_addr or config.smtp.from_address or config.requester.email


def letter_bytes(draft: Draft, config: Config, date: dt.datetime) -> bytes:
    """The exact bytes sent for ``draft`` with the Date ``date`` (also the Sent copy);
    ``multipart/alternative`` when the draft carries an HTML version."""
    message = build_message(
        from_addr=sender_address(draft, config),
        from_name=config.requester.name,
        to_addr=draft.to_addr,
        subject=draft.subject,
        body=draft.body,
        message_id=draft.message_id or "",
        in_reply_to=draft.in_reply_to,
        references=list(draft.references_header or []),
        date=date,
        html=_html_part(draft),
    )
    return message.as_bytes()


def _html_part(draft: Draft) -> str | None:
    """The HTML alternative a draft carries in ``context["html"]`` (the weekly digest)."""
    html = (draft.context or {}).get("html")
    return html if isinstance(html, str) and html.strip() else None


class LetterSender:
    """Sends letters over the run's SMTP session, committing each step."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.db = run.db
        self.config = run.config
        self.report = run.report

    def connected(self, remaining: list[int]) -> bool:
        """A usable session, opened now if needed; on failure the ``remaining`` drafts
        learn why and False is returned (the run stops sending)."""
        run = self.run
        if run.smtp is not None and run.smtp.usable():
            return True
        try:
            if run.smtp is None:
                run.smtp = SmtpConnection(run.smtp_settings())
            run.smtp.open()
            return True
        except BotError as err:  # login refused, certificate, no STARTTLS, no secret
            self._not_sent(remaining, str(err), count=False)
        except OSError as err:  # refused, timed out, a 4xx greeting
            where = f"{self.config.smtp.host}:{self.config.smtp.effective_port}"
            self._not_sent(remaining, f"cannot connect to SMTP {where}: {describe(err)}", True)
        return False

    def _not_sent(self, ids: list[int], why: str, count: bool) -> None:
        """The server cannot be used. Unreachable (``count``): each draft has had an
        attempt and backs off. A configuration problem: no attempt is counted, the
        drafts stay due and say why, until the operator fixes the configuration."""
        self.report.problem = why
        state.log_event("problem", 0, error=why)
        now = self.run.clock()
        with self.db.session() as session:
            for draft_id in ids:
                draft = session.get(Draft, draft_id)
                if draft is None or draft.status != DraftStatus.APPROVED.value:
                    continue
                if count:
                    draft.attempts += 1
                    outcome = state.retry_later(draft, self.config.smtp, now, why)
                    self._count(draft, outcome)
                else:
                    draft.error = f"not sent: {why}"

    def _count(self, draft: Draft, outcome: str) -> None:
        (self.report.failed if outcome == "failed" else self.report.retrying).append(draft.id)
        state.log_event(outcome, draft, error=draft.error)

    def send(self, draft_id: int) -> None:
        now = self.run.clock()
        with self.db.session() as session:
            draft = session.get(Draft, draft_id)
            if draft is None or draft.status != DraftStatus.APPROVED.value:
                return
            sender, recipient = sender_address(draft, self.config), draft.to_addr
            try:
                if not draft.message_id:
                    draft.message_id = new_message_id(sender.rpartition("@")[2])
                raw = letter_bytes(draft, self.config, now)
            except LetterError as err:
                state.fail(draft, f"cannot be sent as it stands: {err}")
                self._count(draft, "failed")
                return
            if not state.claim(session, draft_id, now, draft.message_id):
                return
        fault("after_sending_commit")
        self._transmit(draft_id, sender, recipient, raw)

    def _transmit(self, draft_id: int, sender: str, recipient: str, raw: bytes) -> None:
        smtp = self.run.smtp
        assert smtp is not None
        try:
            smtp.begin(sender, recipient, dot_stuffed(raw))
        except ServerReply as err:
            smtp.reset()
            return self._refused(draft_id, err)
        except OSError as err:
            smtp.drop()
            return self._retry(draft_id, f"SMTP connection lost during the letter: {describe(err)}")
        with self.db.session() as session:
            draft = session.get(Draft, draft_id)
            assert draft is not None
            draft.phase = state.DOT
        fault("after_dot_commit")
        try:
            smtp.end_data()
        except OSError as err:  # the dot never reached the server: nothing was delivered
            smtp.drop()
            return self._retry(
                draft_id, f"SMTP connection lost before the final dot: {describe(err)}"
            )
        fault("after_dot_written")
        try:
            code, text = smtp.read_reply()
        except OSError:
            smtp.drop()
            return self._sent(draft_id, raw, state.NO_REPLY)
        if 200 <= code < 300:
            fault("after_250")
            return self._sent(draft_id, raw)
        if code < 0:  # not an SMTP reply at all: as good as no reply
            smtp.drop()
            return self._sent(draft_id, raw, state.NO_REPLY)
        return self._refused(draft_id, ServerReply("end of data", code, text))

    def _refused(self, draft_id: int, err: ServerReply) -> None:
        if err.temporary:
            return self._retry(draft_id, f"the server said {err}")
        with self.db.session() as session:
            draft = session.get(Draft, draft_id)
            assert draft is not None
            state.fail(draft, f"refused by the server: {err}")
            self._count(draft, "failed")

    def _retry(self, draft_id: int, why: str) -> None:
        with self.db.session() as session:
            draft = session.get(Draft, draft_id)
            assert draft is not None
            self._count(draft, state.retry_later(draft, self.config.smtp, self.run.clock(), why))

    def _sent(self, draft_id: int, raw: bytes, note: str | None = None) -> None:
        with self.db.session() as session:
            draft = session.get(Draft, draft_id)
            assert draft is not None and draft.sent_at is not None
            state.mark_sent(draft, note)
            self.run.record(session, draft)
            message_id, when = draft.message_id or "", draft.sent_at
            state.log_event("sent", draft, message_id=message_id, note=note)
        self.report.sent.append(draft_id)
        fault("after_sent_commit")
        if self.config.smtp.sent_copy == "append":
            self.run.copy(draft_id, message_id, raw, when, check_first=False)
