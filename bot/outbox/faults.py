"""Named crash points for the crash trials: ``FOIBOT_FAULT=point[:n]`` kills the process.

The outbox calls ``fault(point)`` at each step of the exactly-once protocol; with the
environment variable set to that point, the process sends itself SIGKILL the ``n``-th
time it gets there (the first time when ``:n`` is left out). Unset (always, outside
tests), ``fault`` does nothing. The variable is read at each call, never at import.
"""

from __future__ import annotations

import os
import signal

FAULT_ENV = "FOIBOT_FAULT"

POINTS = (
    "after_sending_commit",  # status=sending, phase=smtp committed; nothing sent yet
    "mid_data",  # half of the message content written after DATA
    "after_dot_commit",  # phase=dot committed; the final dot not yet written
    "after_dot_written",  # the final ".\r\n" written; the reply not read
    "after_250",  # the server accepted the letter; nothing committed
    "after_sent_commit",  # status=sent committed; no copy in Sent yet
    "after_append",  # the copy is in Sent; sent_copy_at not committed
)

_reached: dict[str, int] = {}


def fault(point: str) -> None:
    """SIGKILL this process if ``$FOIBOT_FAULT`` names ``point`` (see the module docstring)."""
    spec = os.environ.get(FAULT_ENV)
    if not spec:
        return
    name, _, nth = spec.partition(":")
    if name != point:
        return
    _reached[point] = _reached.get(point, 0) + 1
    if _reached[point] >= int(nth or "1"):
        os.kill(os.getpid(), signal.SIGKILL)
