"""sd_notify spoken by foibot itself: READY, STATUS, WATCHDOG, STOPPING over $NOTIFY_SOCKET."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.notify import Notifier, socket_address, watchdog_seconds
from tests.conftest import MINIMAL_CONFIG

REPO = Path(__file__).resolve().parent.parent


class Listener:
    """A datagram socket standing in for systemd's notify socket; keeps what it receives."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(socket_address(address) or address)
        self.sock.settimeout(0.2)
        self.messages: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._receive, daemon=True)
        self._thread.start()

    def _receive(self) -> None:
        while not self._stop.is_set():
            try:
                self.messages.append(self.sock.recv(4096).decode())
            except TimeoutError:
                continue

    def lines(self) -> list[str]:
        return [line for message in list(self.messages) for line in message.split("\n")]

    def wait_for(self, check: Callable[[list[str]], bool], seconds: float = 30.0) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if check(self.lines()):
                return True
            time.sleep(0.05)
        return False

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def abstract_listener() -> Iterator[Listener]:
    listener = Listener(f"@foibot-test-{uuid.uuid4().hex}")
    yield listener
    listener.close()


@pytest.fixture
def path_listener() -> Iterator[Listener]:
    directory = tempfile.mkdtemp(prefix="notify-")  # short: socket paths max 107 bytes
    listener = Listener(os.path.join(directory, "notify.sock"))
    yield listener
    listener.close()
    os.unlink(listener.address)
    os.rmdir(directory)


def test_ready_with_status_reaches_a_socket_given_by_path(path_listener: Listener) -> None:
    notifier = Notifier({"NOTIFY_SOCKET": path_listener.address})
    assert notifier.ready("ready: 3 requests")
    assert path_listener.wait_for(lambda lines: "STATUS=ready: 3 requests" in lines)
    assert path_listener.messages[0] == "READY=1\nSTATUS=ready: 3 requests"
    notifier.close()


def test_an_address_starting_with_at_is_an_abstract_socket(abstract_listener: Listener) -> None:
    notifier = Notifier({"NOTIFY_SOCKET": abstract_listener.address})
    assert notifier.ping() and notifier.stopping() and notifier.extend_timeout(1.5)
    expected = ["WATCHDOG=1", "STOPPING=1", "EXTEND_TIMEOUT_USEC=1500000"]
    assert abstract_listener.wait_for(lambda lines: lines == expected)
    notifier.close()


def test_a_status_is_always_one_line(abstract_listener: Listener) -> None:
    Notifier({"NOTIFY_SOCKET": abstract_listener.address}).status("two\nlines  here")
    assert abstract_listener.wait_for(lambda lines: lines == ["STATUS=two lines here"])


def test_without_notify_socket_nothing_is_sent_and_nothing_fails() -> None:
    notifier = Notifier({})
    assert not notifier.enabled
    assert not notifier.ready() and not notifier.ping()
    assert notifier.watchdog is None


@pytest.mark.parametrize("value", ["relative/notify.sock", "@", "vsock:2:1234"])
def test_an_unusable_notify_socket_disables_notifications(value: str) -> None:
    assert socket_address(value) is None
    assert not Notifier({"NOTIFY_SOCKET": value}).ready()


def test_a_vanished_socket_makes_sending_fail_quietly(tmp_path: Path) -> None:
    notifier = Notifier({"NOTIFY_SOCKET": str(tmp_path / "gone.sock")})
    assert notifier.enabled
    assert notifier.ready() is False
    assert notifier.ping() is False


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"WATCHDOG_USEC": "30000000"}, 30.0),
        ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(os.getpid())}, 30.0),
        ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"}, None),  # meant for another process
        ({"WATCHDOG_USEC": "0"}, None),
        ({"WATCHDOG_USEC": "soon"}, None),
        ({}, None),
    ],
)
def test_the_watchdog_interval_comes_from_watchdog_usec_when_it_is_ours(
    environ: dict[str, str], expected: float | None
) -> None:
    assert watchdog_seconds(environ) == expected


def test_the_daemon_says_ready_after_the_first_sync_pings_the_watchdog_and_says_stopping(
    write_config: Callable[..., Path], abstract_listener: Listener
) -> None:
    path = write_config(MINIMAL_CONFIG)
    env = {**os.environ, "NOTIFY_SOCKET": abstract_listener.address, "WATCHDOG_USEC": "1000000"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "--config", str(path), "run"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        ready = abstract_listener.wait_for(lambda lines: "READY=1" in lines)
        pinged = abstract_listener.wait_for(
            lambda lines: (
                "READY=1" in lines and lines[lines.index("READY=1") :].count("WATCHDOG=1") >= 2
            )
        )
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=30)
    text = out.decode()
    assert ready, f"no READY=1; got {abstract_listener.lines()}\n{text}"
    assert pinged, f"no WATCHDOG=1 after READY=1; got {abstract_listener.lines()}\n{text}"
    lines = abstract_listener.lines()
    assert any(line.startswith("STATUS=ready: 0 requests") for line in lines), lines
    assert abstract_listener.wait_for(lambda lines: "STOPPING=1" in lines, 5)
    assert proc.returncode == 0, text
