"""One SMTP submission connection, with a DATA phase whose final dot is written apart.

``SmtpConnection.open`` connects with implicit TLS or STARTTLS (the certificate and
host name verified against the system CAs plus ``smtp.ca_file``; plaintext only with
``allow_insecure``) and logs in with a password or an XOAUTH2 token. Failures are
sorted in two:

- ``SendError`` (a ``BotError``): the configuration cannot work — login refused, an
  untrusted certificate, no STARTTLS, no AUTH. Nothing was sent; retrying soon is
  pointless until the operator fixes it.
- ``OSError`` (``smtplib``'s errors are ``OSError`` too): the network or the server is
  having a bad moment — refused, timed out, dropped, a 4xx greeting. Retry later.

A letter goes out in three calls so the outbox can commit in between:
``begin`` (MAIL FROM, RCPT TO, DATA, content without the final dot), ``end_data``
(writes ``.\\r\\n``), ``read_reply``. A command answered with an error code raises
``ServerReply`` (4xx temporary, 5xx permanent).
"""

from __future__ import annotations

import contextlib
import re
import smtplib
import socket
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from bot.config import Config
from bot.errors import SendError
from bot.mailbox.connection import describe
from bot.outbox.faults import fault
from bot.secrets import smtp_password
from bot.tls import client_context

TlsMode = Literal["implicit", "starttls", "none"]


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    tls: TlsMode = "starttls"
    username: str | None = None
    secret: str | None = field(default=None, repr=False)  # password or OAuth2 token
    auth: Literal["password", "xoauth2"] = "password"
    ca_file: Path | None = None
    allow_insecure: bool = False
    timeout: float = 60.0

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"

    @classmethod
    def from_config(cls, config: Config) -> SmtpSettings:
        """The ``[smtp]`` settings with the secret read now (``SecretError`` if it cannot be)."""
        smtp = config.smtp
        return cls(
            host=smtp.host,
            port=smtp.effective_port,
            tls=smtp.tls,
            username=smtp.username,
            secret=smtp_password(config),
            auth=smtp.auth,
            ca_file=smtp.ca_file,
            allow_insecure=smtp.allow_insecure,
            timeout=smtp.timeout_seconds,
        )


class ServerReply(Exception):
    """The server answered ``stage`` with an error ``code`` (4xx temporary, 5xx permanent)."""

    def __init__(self, stage: str, code: int, text: str) -> None:
        self.stage, self.code, self.text = stage, code, text
        super().__init__(f"{stage}: {code} {text}")

    @property
    def temporary(self) -> bool:
        return not 500 <= self.code < 600


def reply_text(raw: bytes | str) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    return " ".join(text.split())[:500]


def dot_stuffed(raw: bytes) -> bytes:
    """The DATA content for ``raw``: CRLF line ends, leading dots doubled, a final CRLF
    (what ``smtplib`` does, without the terminating ``.\\r\\n``)."""
    text = re.sub(rb"\r\n|\n|\r", b"\r\n", raw)
    text = re.sub(rb"(?m)^\.", b"..", text)
    return text if text.endswith(b"\r\n") else text + b"\r\n"


class SmtpConnection:
    """A logged-in SMTP session (opened by ``open``), reused for several letters."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def open(self) -> None:
        s = self.settings
        if s.tls == "none" and not s.allow_insecure:
            raise SendError(f"refusing plaintext SMTP to {s.where}: set smtp.allow_insecure")
        context = None if s.tls == "none" else self._context()
        name = socket.gethostname() or "localhost"
        try:
            if s.tls == "implicit":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, s.port, local_hostname=name, timeout=s.timeout, context=context
                )
            else:
                smtp = smtplib.SMTP(s.host, s.port, local_hostname=name, timeout=s.timeout)
        except ssl.SSLCertVerificationError as err:
            raise _cert_error(s.where, err) from err
        except ssl.SSLError as err:
            if isinstance(err, ssl.SSLEOFError | ssl.SSLZeroReturnError):
                raise
            raise SendError(
                f"TLS handshake with {s.where} failed: {describe(err)} "
                f'(is {s.port} an implicit-TLS port? smtp.tls = "{s.tls}")'
            ) from err
        try:
            self._secure_and_login(smtp, context)
        except BaseException:
            with contextlib.suppress(Exception):
                smtp.close()
            raise
        self._smtp = smtp

    def _context(self) -> ssl.SSLContext:
        try:
            return client_context(self.settings.ca_file)
        except (OSError, ssl.SSLError) as err:
            raise SendError(f"smtp.ca_file: cannot load {self.settings.ca_file}: {err}") from err

    def _secure_and_login(self, smtp: smtplib.SMTP, context: ssl.SSLContext | None) -> None:
        s = self.settings
        smtp.ehlo()
        if s.tls == "starttls":
            if not smtp.has_extn("starttls"):
                raise SendError(f"{s.where} does not offer STARTTLS; check smtp.port and smtp.tls")
            try:
                smtp.starttls(context=context)
            except ssl.SSLCertVerificationError as err:
                raise _cert_error(s.where, err) from err
            smtp.ehlo()
        if s.username is None:
            return
        if not smtp.has_extn("auth"):
            raise SendError(f"{s.where} offers no AUTH; check smtp.tls, or remove smtp.username")
        secret = s.secret or ""
        try:
            if s.auth == "xoauth2":
                smtp.auth("XOAUTH2", _XOAuth2(s.username, secret))
            else:
                smtp.login(s.username, secret)
        except smtplib.SMTPServerDisconnected:
            raise
        except smtplib.SMTPResponseException as err:
            if 400 <= err.smtp_code < 500 and not isinstance(err, smtplib.SMTPAuthenticationError):
                raise  # a temporary refusal: retry later
            raise SendError(
                f"SMTP login refused for {s.username} at {s.where}: "
                f"{err.smtp_code} {reply_text(err.smtp_error)}"
            ) from err
        except smtplib.SMTPException as err:
            raise SendError(f"SMTP login at {s.where} impossible: {err}") from err

    def _require(self) -> smtplib.SMTP:
        if self._smtp is None:
            raise smtplib.SMTPServerDisconnected("not connected")
        return self._smtp

    def usable(self) -> bool:
        """Is the session still there (NOOP answered 250)? A dead one is dropped."""
        if self._smtp is None:
            return False
        try:
            code, _ = self._smtp.noop()
        except OSError:
            code = -1
        if code != 250:
            self.drop()
            return False
        return True

    def begin(self, sender: str, recipient: str, content: bytes) -> None:
        """MAIL FROM, RCPT TO, DATA, then ``content`` (already dot-stuffed), no final dot."""
        smtp = self._require()
        _expect("MAIL FROM", smtp.mail(sender), (250,))
        _expect("RCPT TO", smtp.rcpt(recipient), (250, 251))
        smtp.putcmd("data")
        _expect("DATA", smtp.getreply(), (354,))
        self.write(content[: len(content) // 2])
        fault("mid_data")
        self.write(content[len(content) // 2 :])

    def write(self, data: bytes) -> None:
        self._require().send(data)

    def end_data(self) -> None:
        """Write the final ``.\\r\\n``: from here the server may deliver the letter."""
        self.write(b".\r\n")

    def read_reply(self) -> tuple[int, str]:
        code, text = self._require().getreply()
        return code, reply_text(text)

    def reset(self) -> None:
        """RSET after a refused command, so the next letter starts clean."""
        try:
            self._require().rset()
        except OSError:
            self.drop()

    def drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            with contextlib.suppress(Exception):
                smtp.close()

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            with contextlib.suppress(Exception):
                smtp.quit()
            with contextlib.suppress(Exception):
                smtp.close()


def _expect(stage: str, reply: tuple[int, bytes], good: tuple[int, ...]) -> None:
    code, text = reply
    if code not in good:
        raise ServerReply(stage, code, reply_text(text))


class _XOAuth2:
    """The XOAUTH2 SASL response; to an error challenge the client answers an empty line."""

    def __init__(self, username: str, token: str) -> None:
        self._initial = f"user={username}\x01auth=Bearer {token}\x01\x01"

    def __call__(self, challenge: bytes | None = None, /) -> str:
        return self._initial if challenge is None else ""

    def __repr__(self) -> str:
        return "_XOAuth2(...)"  # never the token


def _cert_error(where: str, err: ssl.SSLCertVerificationError) -> SendError:
    reason = err.verify_message or err.reason or str(err)
    return SendError(
        f"certificate verify failed for SMTP {where}: {reason} (a private CA goes in smtp.ca_file)"
    )
