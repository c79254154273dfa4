"""Build the configured mail source from ``[mailbox]`` settings."""

from __future__ import annotations

from bot.config import Mailbox
from bot.mailbox.connection import TlsMode
from bot.mailbox.imap import ImapSource
from bot.mailbox.maildir import MaildirSource
from bot.mailbox.values import MailSource


def source_from_config(config: Mailbox, password: str | None = None) -> MailSource:
    """An ``ImapSource`` or ``MaildirSource`` for ``config`` (the ``[mailbox]`` section).

    ``password`` is the secret ``bot.secrets`` read for IMAP: the password, or the
    OAuth2 access token when ``auth = "xoauth2"``. Plaintext IMAP only with the explicit
    ``tls = "none"``, which the config accepts only together with ``allow_insecure = true``.
    """
    if config.kind == "maildir":
        assert config.path is not None  # checked when the config was loaded
        return MaildirSource(
            config.path,
            folders=config.folders,
            sent_folder=config.sent_folder,
        )
    assert config.host is not None and config.username is not None
    tls: TlsMode = config.tls
    xoauth2 = config.auth == "xoauth2"
    return ImapSource(
        config.host,
        config.effective_port,
        username=config.username,
        password=None if xoauth2 else password,
        oauth2_token=password if xoauth2 else None,
        tls=tls,
        ca_file=config.ca_file,
        allow_insecure=config.allow_insecure,
        timeout=config.timeout_seconds,
        folders=config.folders,
        sent_folder=config.sent_folder,
        use_idle=config.idle,
        poll_interval=float(config.poll_seconds),
    )
