"""Reading secrets named by the config: env var, file, or systemd credential.

config.toml only names where a secret is; this module reads it when a connection
needs it, and fails naming the TOML key and the fix.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from bot.config import Config
from bot.errors import SecretError

CREDENTIALS_ENV = "CREDENTIALS_DIRECTORY"


def read_secret(
    section: str,
    env_name: str | None,
    file_path: Path | None,
    credential: str | None,
    *,
    prefix: str = "password",
    environ: Mapping[str, str] | None = None,
) -> str:
    """The secret from whichever source is configured; SecretError when unreadable."""
    environ = os.environ if environ is None else environ
    if env_name is not None:
        value = environ.get(env_name, "")
        if not value:
            raise SecretError(
                [f"{section}.{prefix}_env: environment variable {env_name} is not set or empty"]
            )
        return value
    if file_path is not None:
        return _read_file(f"{section}.{prefix}_file", file_path)
    if credential is not None:
        directory = environ.get(CREDENTIALS_ENV)
        if not directory:
            raise SecretError(
                [
                    f"{section}.{prefix}_credential: ${CREDENTIALS_ENV} is not set "
                    f"(run under systemd with LoadCredential={credential}:PATH)"
                ]
            )
        return _read_file(f"{section}.{prefix}_credential", Path(directory) / credential)
    raise SecretError(
        [
            f'{section}: no {prefix} configured; set {prefix}_env = "VARNAME", '
            f'{prefix}_file = "PATH" or {prefix}_credential = "NAME"'
        ]
    )


def _read_file(key: str, path: Path) -> str:
    try:
        value = path.read_text(encoding="utf-8").rstrip("\r\n")
    except OSError as err:
        raise SecretError([f"{key}: cannot read {path}: {err.strerror}"]) from err
    if not value:
        raise SecretError([f"{key}: {path} is empty"])
    return value


def mailbox_password(config: Config) -> str | None:
    """The IMAP password (or XOAUTH2 token); None for a Maildir."""
    box = config.mailbox
    if box.kind != "imap":
        return None
    return read_secret("mailbox", box.password_env, box.password_file, box.password_credential)


def smtp_password(config: Config) -> str | None:
    """The SMTP password; None when the server needs no login (no username set)."""
    smtp = config.smtp
    if smtp.username is None:
        return None
    return read_secret("smtp", smtp.password_env, smtp.password_file, smtp.password_credential)


def web_password_hash(config: Config) -> str | None:
    web = config.web
    if (web.password_hash_env, web.password_hash_file, web.password_hash_credential) == (
        None,
        None,
        None,
    ):
        return None
    return read_secret(
        "web",
        web.password_hash_env,
        web.password_hash_file,
        web.password_hash_credential,
        prefix="password_hash",
    )


def check_secrets(config: Config) -> list[str]:
    """Every configured secret that cannot be read, one line each."""
    problems: list[str] = []
    for reader in (mailbox_password, smtp_password, web_password_hash):
        try:
            reader(config)
        except SecretError as err:
            problems.extend(err.problems)
    return problems
