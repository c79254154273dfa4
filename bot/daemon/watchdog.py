"""The systemd watchdog: ``WATCHDOG=1`` at half of ``WatchdogSec`` while foibot is healthy.

A thread pings only while ``healthy()`` says so: on the active daemon, that the
scheduler runs and its ``heartbeat`` job ran lately (so jobs are still being
dispatched, not merely that the process exists); on standby, that the standby loop
still turns. When it stops pinging, systemd kills and restarts the service.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from bot.logs import log_event
from bot.notify import Notifier

log = logging.getLogger("bot.daemon")


def heartbeat_seconds(watchdog: float | None) -> float:
    """How often the ``heartbeat`` job runs: a quarter of the watchdog, 0.5-15 s."""
    if watchdog is None:
        return 15.0
    return min(15.0, max(0.5, watchdog / 4))


class Watchdog(threading.Thread):
    """Pings systemd every ``notifier.watchdog / 2`` s while ``healthy()`` returns None."""

    def __init__(self, notifier: Notifier, healthy: Callable[[], str | None]) -> None:
        super().__init__(name="foibot-watchdog", daemon=True)
        self.notifier = notifier
        self.healthy = healthy
        self.done = threading.Event()
        self._withheld = False

    @property
    def wanted(self) -> bool:
        return self.notifier.watchdog is not None

    def run(self) -> None:
        assert self.notifier.watchdog is not None
        interval = self.notifier.watchdog / 2
        while True:
            problem = self.healthy()
            if problem is None:
                self.notifier.ping()
                self._withheld = False
            elif not self._withheld:
                log_event(log, "watchdog_withheld", logging.WARNING, reason=problem)
                self._withheld = True
            if self.done.wait(interval):
                return

    def stop(self) -> None:
        self.done.set()
