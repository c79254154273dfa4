"""Login throttling: too many wrong passwords and logins wait.

Failures are counted in a sliding window, per client address and for the account as a
whole (there is one operator account, so the second counter caps guessing spread over
many addresses). While either counter is full, every login attempt, right or wrong, is
answered 429 with ``Retry-After`` without checking the password: a guesser learns
nothing and costs no scrypt work.

``attempt`` checks and counts in one step under one lock: an attempt is counted as a
failure before the password is checked, and ``succeeded`` takes it back. So however
many of waitress's worker threads handle logins at once, no more passwords are
checked than the limits allow. The counters live in the process (waitress runs one);
a restart forgets them.

The clock is injectable so tests can move time instead of waiting.
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

ACCOUNT = "\x00account"  # the key of the account-wide counter (never an address)
PER_ADDRESS = 5  # wrong passwords from one address per window
PER_ACCOUNT = 20  # wrong passwords from all addresses together per window
WINDOW_SECONDS = 15 * 60.0
MAX_ADDRESSES = 10_000  # counters kept; the stalest address is forgotten first


class LoginThrottle:
    """Sliding-window counters of failed logins; thread-safe."""

    def __init__(
        self,
        *,
        per_address: int = PER_ADDRESS,
        per_account: int = PER_ACCOUNT,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._limits = {"address": per_address, "account": per_account}
        self._window = window
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def attempt(self, address: str) -> int | None:
        """Seconds to wait before trying again, or None: go ahead (counted as a failure
        until ``succeeded`` takes it back)."""
        with self._lock:
            now = self._clock()
            wait = self._longest_wait(address, now)
            if wait is None:
                for key in (address, ACCOUNT):
                    self._failures.setdefault(key, deque()).append(now)
                    self._failures.move_to_end(key)
                self._forget_stalest()
            return wait

    def retry_after(self, address: str) -> int | None:
        """Seconds the client at ``address`` must wait before trying; None: it may try now."""
        with self._lock:
            return self._longest_wait(address, self._clock())

    def succeeded(self, address: str) -> None:
        """A right password: that address starts afresh; the account forgets this attempt."""
        with self._lock:
            mine = self._failures.pop(address, None)
            account = self._failures.get(ACCOUNT)
            if mine and account:
                with contextlib.suppress(ValueError):
                    account.remove(mine[-1])

    def _longest_wait(self, address: str, now: float) -> int | None:
        waits = [
            self._wait(address, self._limits["address"], now),
            self._wait(ACCOUNT, self._limits["account"], now),
        ]
        longest = max((w for w in waits if w is not None), default=None)
        return None if longest is None else max(1, math.ceil(longest))

    def _forget_stalest(self) -> None:
        while len(self._failures) > MAX_ADDRESSES + 1:
            oldest = next(k for k in self._failures if k != ACCOUNT)
            del self._failures[oldest]

    def _wait(self, key: str, limit: int, now: float) -> float | None:
        times = self._failures.get(key)
        if times is None:
            return None
        self._prune(times, now)
        if len(times) < limit:
            return None
        # Allowed again once enough of the failures have left the window.
        return times[len(times) - limit] + self._window - now

    def _prune(self, times: deque[float], now: float) -> None:
        while times and times[0] <= now - self._window:
            times.popleft()
