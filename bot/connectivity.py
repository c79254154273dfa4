"""`check-config` connection checks: database, mailbox, SMTP (edge).

Each check returns one line, "ok" or the reason, so the operator sees every
problem at once.
"""

from __future__ import annotations

import smtplib
import ssl

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from bot.config import Config
from bot.errors import StoreError
from bot.secrets import mailbox_password, smtp_password
from bot.store import Database
from bot.tls import client_context


def check_connections(config: Config) -> list[tuple[bool, str]]:
    """Run every check; each result is (ok, one line saying what was found)."""
    return [check_database(config), check_mailbox(config), check_smtp(config)]


def check_database(config: Config) -> tuple[bool, str]:
    db = Database(config.database_url)
    try:
        db.require_current()
    except StoreError as err:
        return False, f"database.url: {err}"
    finally:
        db.dispose()
    return True, "database: ok"


def check_mailbox(config: Config) -> tuple[bool, str]:
    box = config.mailbox
    if box.kind == "maildir":
        assert box.path is not None
        if not (box.path / "cur").is_dir() or not (box.path / "new").is_dir():
            return False, f"mailbox.path: {box.path} is not a Maildir (no cur/ and new/)"
        return True, f"mailbox: ok (Maildir {box.path})"
    host, port = box.host or "", box.effective_port
    try:
        client = IMAPClient(
            host,
            port=port,
            ssl=box.tls == "implicit",
            ssl_context=client_context(box.ca_file),
            timeout=box.timeout_seconds,
        )
        if box.tls == "starttls":
            client.starttls(client_context(box.ca_file))
        password = mailbox_password(config) or ""
        if box.auth == "xoauth2":
            client.oauth2_login(box.username, password)
        else:
            client.login(box.username, password)
        client.logout()
    except (TimeoutError, OSError, ssl.SSLError, IMAPClientError) as err:
        return False, f"mailbox: cannot use {host}:{port}: {err}"
    return True, f"mailbox: ok ({box.username}@{host}:{port})"


def check_smtp(config: Config) -> tuple[bool, str]:
    smtp = config.smtp
    host, port = smtp.host, smtp.effective_port
    context = client_context(smtp.ca_file)
    try:
        if smtp.tls == "implicit":
            conn: smtplib.SMTP = smtplib.SMTP_SSL(
                host, port, timeout=smtp.timeout_seconds, context=context
            )
        else:
            conn = smtplib.SMTP(host, port, timeout=smtp.timeout_seconds)
            if smtp.tls == "starttls":
                conn.starttls(context=context)
        password = smtp_password(config)
        if smtp.username and password is not None:
            conn.login(smtp.username, password)
        conn.quit()
    except (OSError, smtplib.SMTPException) as err:
        return False, f"smtp: cannot use {host}:{port}: {err}"
    return True, f"smtp: ok ({host}:{port})"
