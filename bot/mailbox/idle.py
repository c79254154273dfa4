"""Wait for new mail with IMAP IDLE (RFC 2177) on the selected folder.

IDLE is re-issued at least every 29 minutes (servers may drop an IDLE after 30) and
every ``poll_interval`` s, when the caller checks its other folders with STATUS.
Dovecot reports a change about 500 ms after it happens.
"""

from __future__ import annotations

import imaplib
import time
from collections.abc import Callable
from typing import Any

from imapclient import IMAPClient

IDLE_MAX_SECONDS = 29 * 60
_EARLY = 0.05  # an idle_check that returns nothing this early means the socket hit EOF


def wait(
    client: IMAPClient,
    deadline: float,
    poll_interval: float,
    others_changed: Callable[[], bool],
) -> bool:
    """IDLE until new mail (True) or ``deadline`` (False, on ``time.monotonic()``).

    Network errors (``OSError``, ``imaplib.IMAP4.abort``) propagate to the caller.
    """
    while (remaining := deadline - time.monotonic()) > 0:
        client.idle()
        try:
            new_mail = _idle_for(client, min(remaining, poll_interval, IDLE_MAX_SECONDS))
        finally:
            _text, pending = client.idle_done()
        if new_mail or _has_new_mail(pending) or others_changed():
            return True
    return False


def _idle_for(client: IMAPClient, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while (remaining := end - time.monotonic()) > 0:
        responses = client.idle_check(timeout=remaining)
        if _has_new_mail(responses):
            return True
        if not responses and end - time.monotonic() > _EARLY:
            raise imaplib.IMAP4.abort("connection closed during IDLE")
    return False


def _has_new_mail(responses: list[Any]) -> bool:
    for response in responses:
        if not isinstance(response, tuple) or len(response) < 2:
            continue
        if response[0] == b"BYE":
            raise imaplib.IMAP4.abort(f"server said BYE during IDLE: {response[1]!r}")
        if response[1] == b"EXISTS":
            return True
    return False
