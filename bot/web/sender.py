"""Sending what the operator approved on the web page, in a background thread.

After an approval the page calls ``Sender.kick()``; one thread runs
``bot.outbox.send_due`` (which takes the outbox lock itself, so it is safe beside a
running ``foibot run``: whichever process holds the lock sends, the other reports
"busy" and the daemon's next pass picks the letter up). A kick while a run is going
asks for one more run afterwards, so an approval made meanwhile is not left waiting.
The page shows the draft's own status from the database and the last run's summary
from here.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from bot.errors import BotError

log = logging.getLogger(__name__)

SendRun = Callable[[], str]  # one outbox run; returns its one-line summary


@dataclass(frozen=True)
class RunSummary:
    """What the last background run said, and when it ended."""

    finished_at: dt.datetime
    text: str
    failed: bool = False


class Sender:
    """At most one background outbox run at a time; ``kick`` starts or re-arms it."""

    def __init__(self, run: SendRun | None) -> None:
        self._run = run  # None: approvals wait for `foibot run` / `foibot drafts send`
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._again = False
        self._last: RunSummary | None = None

    @property
    def enabled(self) -> bool:
        return self._run is not None

    @property
    def running(self) -> bool:
        with self._lock:
            return self._thread is not None

    @property
    def last(self) -> RunSummary | None:
        with self._lock:
            return self._last

    def kick(self) -> bool:
        """Start a run now, or one more after the current one; False when sending is off."""
        if self._run is None:
            return False
        with self._lock:
            if self._thread is not None:
                self._again = True
                return True
            self._thread = threading.Thread(target=self._loop, name="foibot-web-send", daemon=True)
            self._thread.start()
        return True

    def join(self, timeout: float | None = None) -> None:
        """Wait for the current run (tests and shutdown)."""
        with self._lock:
            thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _loop(self) -> None:
        assert self._run is not None
        while True:
            summary = self._once(self._run)
            with self._lock:
                self._last = summary
                if not self._again:
                    self._thread = None
                    return
                self._again = False

    @staticmethod
    def _once(run: SendRun) -> RunSummary:
        try:
            text, failed = run(), False
        except BotError as err:
            text, failed = str(err), True
            log.warning("web: sending approved drafts failed: %s", err)
        except Exception as err:  # a bug must not kill the page; it is logged in full
            text, failed = f"unexpected error: {type(err).__name__}: {err}", True
            log.exception("web: sending approved drafts crashed")
        return RunSummary(dt.datetime.now(dt.UTC), text, failed)
