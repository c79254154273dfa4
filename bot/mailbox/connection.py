"""Open one verified, logged-in IMAP connection; name every failure in one line.

Permanent failures (bad certificate, login refused, plaintext not allowed, TLS mode
mismatch) raise ``ConnectError`` at once. Network failures (refused, reset, timed out,
EOF) propagate as ``OSError`` / ``imaplib.IMAP4.abort``: callers retry those
(``NETWORK_ERRORS``) and describe them with ``describe()``.
"""

from __future__ import annotations

import contextlib
import imaplib
import re
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from imapclient import IMAPClient
from imapclient.exceptions import LoginError
from imapclient.imapclient import SocketTimeout

from bot.errors import ConnectError

TlsMode = Literal["implicit", "starttls", "none"]
NETWORK_ERRORS: tuple[type[BaseException], ...] = (OSError, imaplib.IMAP4.abort)


@dataclass(frozen=True)
class ImapSettings:
    """Where and how to connect; plain values, no config object."""

    host: str
    port: int
    username: str
    password: str | None = None
    oauth2_token: str | None = None
    tls: TlsMode = "implicit"
    ca_file: Path | None = None
    ssl_context: ssl.SSLContext | None = None
    allow_insecure: bool = False
    timeout: float = 60.0

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"

    def check(self) -> None:
        """Refuse settings that could never work or would leak the password."""
        if (self.password is None) == (self.oauth2_token is None):
            raise ValueError("give exactly one of password and oauth2_token")
        if self.tls == "none" and not self.allow_insecure:
            raise ConnectError(
                f"refusing plaintext IMAP to {self.where}: the password would travel "
                f"unencrypted; use TLS (implicit or starttls) or set allow_insecure"
            )
        if self.timeout <= 0:
            raise ValueError("timeout must be positive")

    def context(self) -> ssl.SSLContext:
        """The TLS context: the given one, one trusting ``ca_file``, or the system CAs."""
        if self.ssl_context is not None:
            return self.ssl_context
        cafile = str(self.ca_file) if self.ca_file is not None else None
        try:
            return ssl.create_default_context(cafile=cafile)
        except (OSError, ssl.SSLError) as err:
            raise ConnectError(f"cannot load ca_file {self.ca_file}: {err}") from err


def connect(settings: ImapSettings) -> IMAPClient:
    """A logged-in client with CONDSTORE enabled when offered, read timeouts set."""
    settings.check()
    where = settings.where
    context = None if settings.tls == "none" else settings.context()
    timeout = SocketTimeout(connect=settings.timeout, read=settings.timeout)
    try:
        client = IMAPClient(
            settings.host,
            settings.port,
            ssl=settings.tls == "implicit",
            ssl_context=context,
            timeout=timeout,
        )
    except ssl.SSLCertVerificationError as err:
        raise _cert_error(where, err) from err
    except ssl.SSLError as err:
        if isinstance(err, ssl.SSLEOFError | ssl.SSLZeroReturnError):
            raise
        raise ConnectError(
            f"TLS handshake with {where} failed: {describe(err)} "
            f'(is {settings.port} an implicit-TLS port? tls = "{settings.tls}")'
        ) from err
    try:
        _secure_and_login(client, settings, context)
    except BaseException:
        _shutdown(client)
        raise
    client.normalise_times = False  # keep INTERNALDATE timezone-aware
    return client


def _secure_and_login(
    client: IMAPClient, settings: ImapSettings, context: ssl.SSLContext | None
) -> None:
    where = settings.where
    if settings.tls == "starttls":
        if not client.has_capability("STARTTLS"):
            raise ConnectError(f"{where} does not offer STARTTLS; use implicit TLS")
        try:
            client.starttls(context)
        except ssl.SSLCertVerificationError as err:
            raise _cert_error(where, err) from err
    try:
        if settings.oauth2_token is not None:
            client.oauth2_login(settings.username, settings.oauth2_token)
        else:
            client.login(settings.username, settings.password or "")
    except LoginError as err:
        if isinstance(err.__context__, NETWORK_ERRORS):
            raise err.__context__ from err  # a dropped connection, not a refusal
        raise ConnectError(
            f"login refused for {settings.username} at {where}: {server_text(err)}"
        ) from err
    if client.has_capability("CONDSTORE"):
        client.enable("CONDSTORE")


def _cert_error(where: str, err: ssl.SSLCertVerificationError) -> ConnectError:
    reason = err.verify_message or err.reason or str(err)
    return ConnectError(f"certificate verify failed for {where}: {reason}")


def _shutdown(client: IMAPClient) -> None:
    with contextlib.suppress(Exception):
        client.shutdown()


def close_quietly(client: IMAPClient, logout: bool = True) -> None:
    """LOGOUT (optional) and close; errors are ignored, the connection is gone either way."""
    if logout:
        try:
            client.logout()
            return
        except Exception:
            pass
    _shutdown(client)


def server_text(err: BaseException) -> str:
    """The server's words from an imaplib error, without Python's b'...' wrapping."""
    text = str(err.args[0]) if err.args else str(err)
    match = re.fullmatch(r"""b(['"])(.*)\1""", text, re.DOTALL)
    return match.group(2) if match else text


def describe(err: BaseException) -> str:
    """A short cause for a network error: "connection refused", "timed out", ..."""
    if isinstance(err, ConnectionRefusedError):
        return "connection refused"
    if isinstance(err, socket.gaierror):
        return f"host name not resolved ({err.strerror})"
    if isinstance(err, TimeoutError | socket.timeout):
        return "timed out"
    if isinstance(err, ConnectionResetError):
        return "connection reset"
    if isinstance(err, imaplib.IMAP4.abort):
        return f"connection lost ({server_text(err)})"
    if isinstance(err, ssl.SSLError):
        return err.reason or str(err)
    if isinstance(err, OSError) and err.strerror:
        return err.strerror[0].lower() + err.strerror[1:]
    return str(err) or type(err).__name__
