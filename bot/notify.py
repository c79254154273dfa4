"""The systemd notification protocol (``sd_notify``), in a few lines of our own.

Under ``Type=notify`` systemd passes the address of an ``AF_UNIX`` datagram socket in
``$NOTIFY_SOCKET``; the service sends newline-separated assignments to it:
``READY=1`` (started), ``STATUS=...`` (one line shown by ``systemctl status``),
``WATCHDOG=1`` (alive), ``STOPPING=1``, ``EXTEND_TIMEOUT_USEC=...`` (start-up takes
longer). An address starting with ``@`` is in the abstract namespace (the ``@``
stands for a leading NUL byte). ``$WATCHDOG_USEC`` asks for a ``WATCHDOG=1`` at least
that often (we ping at half of it), unless ``$WATCHDOG_PID`` names another process.

Outside systemd (no ``$NOTIFY_SOCKET``) every call does nothing and returns False.
A failed send is logged once and never raised: notifications must not stop the daemon.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Mapping

from bot.logs import log_event

log = logging.getLogger(__name__)

NOTIFY_ENV, WATCHDOG_USEC_ENV, WATCHDOG_PID_ENV = "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"


def socket_address(value: str) -> str | bytes | None:
    """The address to ``sendto``: a path, abstract bytes (``@name``), or None if unusable."""
    if value.startswith("@") and len(value) > 1:
        return b"\0" + value[1:].encode()
    if value.startswith("/"):
        return value
    return None  # unset, relative, or a kind we do not speak (vsock:)


def watchdog_seconds(environ: Mapping[str, str]) -> float | None:
    """The WatchdogSec= systemd asked for, in seconds; None when there is none for us."""
    pid = environ.get(WATCHDOG_PID_ENV)
    if pid and pid.strip() != str(os.getpid()):
        return None
    try:
        usec = int(environ.get(WATCHDOG_USEC_ENV, ""))
    except ValueError:
        return None
    return usec / 1_000_000 if usec > 0 else None


class Notifier:
    """Sends notifications to systemd; does nothing when not started by it."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        raw = env.get(NOTIFY_ENV, "")
        self.address = socket_address(raw)
        self.watchdog = watchdog_seconds(env) if self.address is not None else None
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._failed = False
        if raw and self.address is None:
            log_event(log, "notify_unusable", logging.WARNING, socket=raw)

    @property
    def enabled(self) -> bool:
        return self.address is not None

    def send(self, **fields: object) -> bool:
        """Send ``KEY=value`` lines (keys as given, e.g. ``READY=1``); True when sent."""
        if self.address is None:
            return False
        lines = [f"{key}={' '.join(str(value).split())}" for key, value in fields.items()]
        payload = "\n".join(lines).encode()
        with self._lock:
            try:
                if self._sock is None:
                    kind = socket.SOCK_DGRAM | socket.SOCK_CLOEXEC
                    self._sock = socket.socket(socket.AF_UNIX, kind)
                self._sock.sendto(payload, self.address)
            except OSError as err:
                if not self._failed:
                    log_event(log, "notify_failed", logging.WARNING, error=err.strerror or err)
                self._failed = True
                return False
        return True

    def ready(self, status: str | None = None) -> bool:
        return self.send(READY=1, **({"STATUS": status} if status else {}))

    def status(self, text: str) -> bool:
        return self.send(STATUS=text)

    def ping(self) -> bool:
        return self.send(WATCHDOG=1)

    def stopping(self, status: str | None = None) -> bool:
        return self.send(STOPPING=1, **({"STATUS": status} if status else {}))

    def extend_timeout(self, seconds: float) -> bool:
        """Start-up (or stopping) needs ``seconds`` more before systemd gives up on it."""
        return self.send(EXTEND_TIMEOUT_USEC=int(seconds * 1_000_000))

    def close(self) -> None:
        with self._lock:
            if self._sock is not None:
                self._sock.close()
                self._sock = None
