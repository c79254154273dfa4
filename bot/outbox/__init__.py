"""The outbox: approved drafts go out over SMTP exactly once, threaded, with a copy in Sent.

    report = send_due(db, config)      # recover, send what is due, retry copies
    print(report)                      # "outbox: 3 sent, 0 to retry, 0 failed"

Nothing is sent unless its draft is ``approved``. The protocol, its crash windows and
why each is safe, the ``sent_copy`` modes and the retry rules are in docs/outbox.md.
Modules: ``run`` (a run under the outbox lock), ``letter`` (one letter's steps),
``smtp`` (the connection), ``sentcopy`` (the Sent folder), ``records`` (the request
and thread key a sent letter makes), ``state`` (draft transitions and log lines),
``lock``, ``faults`` (named crash points for the crash trials).
"""

from bot.outbox.faults import FAULT_ENV, POINTS
from bot.outbox.report import OutboxReport
from bot.outbox.run import recover, send_due

__all__ = ["FAULT_ENV", "POINTS", "OutboxReport", "recover", "send_due"]
