"""A real SMTP server (aiosmtpd) on a free 127.0.0.1 port, for the outbox tests.

Modes: ``plain``; ``starttls`` (STARTTLS required before anything else, self-signed
certificate made by openssl as for Dovecot); ``implicit`` (TLS from the first byte).
With ``auth=True`` the server wants AUTH PLAIN/LOGIN (or XOAUTH2) as ``USER`` /
``PASSWORD`` (token ``TOKEN``) before MAIL. The handler records every envelope and
its content; ``refuse_data`` / ``refuse_rcpt`` make it answer the end of DATA or
RCPT TO with a 4xx/5xx line instead; ``stop()`` makes it be down, ``start()`` brings
it back on the same port.

For crash trials the server runs in its own process and appends each message to a
spool file (one JSON line, fsynced), so counts survive the client being killed:

    with SpoolServer(tmp_path / "spool.jsonl") as server:
        ...  server.port ...  server.received()
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.policy import compat32
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from tests.servers.dovecot import HOST, free_port

Mode = Literal["plain", "starttls", "implicit"]
USER, PASSWORD, TOKEN = "sender", "smtp-secret", "oauth-token"
REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    content: bytes

    @property
    def headers(self) -> Any:
        return BytesHeaderParser(policy=compat32).parsebytes(self.content)

    @property
    def message_id(self) -> str:
        return str(self.headers.get("Message-ID", "")).strip().strip("<>")


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost and 127.0.0.1: (cert, key)."""
    cert, key = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


class Recorder:
    """The aiosmtpd handler: records messages, refuses when told, appends to a spool."""

    def __init__(self, spool: Path | None = None) -> None:
        self.messages: list[Received] = []
        self.refuse_rcpt: str | None = None  # e.g. "550 5.1.1 no such user"
        self.refuse_data: str | None = None  # e.g. "451 4.3.0 try again later"
        self.spool = spool
        self._lock = threading.Lock()

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if self.refuse_rcpt:
            return self.refuse_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.refuse_data:
            return self.refuse_data
        content = envelope.original_content or b""
        received = Received(str(envelope.mail_from), tuple(envelope.rcpt_tos), content)
        with self._lock:
            self.messages.append(received)
            if self.spool is not None:
                line = json.dumps({"mail_from": received.mail_from,
                                   "rcpt_tos": list(received.rcpt_tos),
                                   "message_id": received.message_id,
                                   "content": base64.b64encode(content).decode()})  # fmt: skip
                with self.spool.open("a", encoding="utf-8") as fh:
                    fh.write(line + "\n")
                    fh.flush()
                    os.fsync(fh.fileno())
        return "250 2.0.0 Message accepted for delivery"

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        blob = args[1] if len(args) > 1 else ""
        try:
            text = base64.b64decode(blob).decode()
        except ValueError:
            text = ""
        if text == f"user={USER}\x01auth=Bearer {TOKEN}\x01\x01":
            return AuthResult(success=True, auth_data=USER)
        error = json.dumps({"status": "401", "schemes": "bearer"})
        await server.challenge_auth(error)  # the client answers an empty line
        return AuthResult(success=False, handled=False)


def _authenticator(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
) -> AuthResult:
    if isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    ):
        return AuthResult(success=True)
    return AuthResult(success=False, handled=False)  # handled=True would hang the client


class SmtpServer:
    """One aiosmtpd server (see the module docstring); a context manager."""

    def __init__(
        self,
        mode: Mode = "plain",
        auth: bool = False,
        spool: Path | None = None,
        certificate: tuple[Path, Path] | None = None,
        port: int | None = None,
    ) -> None:
        self.mode, self.auth = mode, auth
        self.host, self.port = HOST, port or free_port()
        self.handler = Recorder(spool)
        self._root: Path | None = None
        self.cert_path: Path | None = None
        self._context: ssl.SSLContext | None = None
        if mode != "plain":
            if certificate is None:
                self._root = Path(tempfile.mkdtemp(prefix="smtp-"))
                certificate = make_certificate(self._root)
            self.cert_path, key = certificate
            self._context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            self._context.load_cert_chain(str(self.cert_path), str(key))
        self._controller: Controller | None = None

    @property
    def messages(self) -> list[Received]:
        return list(self.handler.messages)

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> None:
        if self._controller is not None:
            return
        kwargs: dict[str, Any] = {"hostname": self.host, "port": self.port}
        if self.mode == "implicit":
            kwargs["ssl_context"] = self._context
        elif self.mode == "starttls":
            kwargs |= {"tls_context": self._context, "require_starttls": True}
        if self.auth:
            kwargs |= {"authenticator": _authenticator, "auth_required": True,
                       "auth_require_tls": self.mode == "starttls"}  # fmt: skip
        controller = Controller(self.handler, **kwargs)
        controller.start()
        self._controller = controller

    def stop(self) -> None:
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()

    def close(self) -> None:
        self.stop()
        if self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)

    def __enter__(self) -> SmtpServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def smtp_toml(self, password_env: str | None = "FOIBOT_TEST_SMTP_PASSWORD") -> str:
        """The ``[smtp]`` section of a foibot config for this server."""
        tls = {"plain": "none", "starttls": "starttls", "implicit": "implicit"}[self.mode]
        lines = ["[smtp]", f'host = "{self.host}"', f"port = {self.port}", f'tls = "{tls}"']
        lines.append("timeout_seconds = 10")
        if self.mode == "plain":
            lines.append("allow_insecure = true")
        if self.cert_path is not None:
            lines.append(f'ca_file = "{self.cert_path}"')
        if self.auth and password_env:
            lines += [f'username = "{USER}"', f'password_env = "{password_env}"']
        return "\n".join(lines) + "\n"


class SpoolServer:
    """A plain SMTP server in its own process, appending each message to ``spool``."""

    def __init__(self, spool: Path) -> None:
        self.spool = spool
        self.host, self.port = HOST, free_port()
        self._process: subprocess.Popen[str] | None = None

    def __enter__(self) -> SpoolServer:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.servers.smtp", str(self.port), str(self.spool)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._process.stdout is not None
        if self._process.stdout.readline().strip() != "ready":
            raise RuntimeError("the spool SMTP server did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        process, self._process = self._process, None
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def received(self) -> list[dict[str, Any]]:
        if not self.spool.exists():
            return []
        with self.spool.open(encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]


def _serve(port: int, spool: Path) -> None:
    server = SmtpServer("plain", spool=spool, port=port)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with server:
        print("ready", flush=True)
        while not stop.is_set():
            stop.wait(0.2)


# -- pytest fixtures (tests/conftest.py imports them) -------------------------------------

SmtpFactory = Callable[..., SmtpServer]


@pytest.fixture(scope="session")
def smtp_certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One self-signed certificate for every TLS test server of the session."""
    return make_certificate(tmp_path_factory.mktemp("smtp-cert"))


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A plain SMTP server that accepts everything (no TLS, no AUTH)."""
    with SmtpServer("plain") as server:
        yield server


@pytest.fixture
def smtp_factory(smtp_certificate: tuple[Path, Path]) -> Iterator[SmtpFactory]:
    """``make(mode, auth=False)``: a started server of that kind, stopped after the test."""
    servers: list[SmtpServer] = []

    def make(mode: Mode = "plain", auth: bool = False) -> SmtpServer:
        server = SmtpServer(mode, auth=auth, certificate=smtp_certificate)
        servers.append(server)
        server.start()
        return server

    yield make
    for server in servers:
        server.close()


if __name__ == "__main__":
    _serve(int(sys.argv[1]), Path(sys.argv[2]))
