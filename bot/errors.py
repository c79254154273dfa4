"""Every error foibot raises on purpose, under one base class.

Library errors are caught at the edge and re-raised as one of these, chained with
``from``. The CLI and web layers turn a BotError into one clear line for the user;
anything else is a bug and may show a traceback (with ``--debug``).
"""

from __future__ import annotations


class BotError(Exception):
    """Base of every foibot error. ``str(err)`` is the user-facing message."""

    exit_code = 2


class ConfigError(BotError):
    """The configuration is missing, unreadable or invalid.

    ``problems`` holds one line per problem, each naming the TOML key and the fix.
    """

    def __init__(self, problems: list[str], source: str = "") -> None:
        self.problems = problems
        self.source = source
        prefix = f"{source}: " if source else ""
        super().__init__("\n".join(prefix + p for p in problems))


class SecretError(ConfigError):
    """A secret named by the config (env var, file, credential) cannot be read."""


class InputError(BotError):
    """A value given on the command line or in an input file is invalid."""


class NotFoundError(BotError):
    """A request, message, draft or authority named by the user does not exist."""


class StoreError(BotError):
    """The database cannot be opened, migrated or written."""


class ConnectError(BotError):
    """A server (IMAP, SMTP, database) cannot be reached or refused us."""


class LetterError(InputError):
    """A letter's fields cannot be sent safely: a bad address, Message-ID or empty text.

    ``problems`` holds one line per problem, each naming the field.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class SendError(ConnectError):
    """The SMTP server cannot be used at all: login refused, untrusted certificate, TLS.

    Nothing was sent; the letters stay approved until the configuration is fixed.
    """


class LetterTemplateError(BotError):
    """A letter template cannot be found, parsed or rendered; the message names it.

    ``template`` is the template's name (``chaser.txt.j2``), ``problem`` what is wrong.
    """

    def __init__(self, template: str, problem: str) -> None:
        self.template = template
        self.problem = problem
        super().__init__(f"letter template {template}: {problem}")


class SentFolderError(BotError):
    """The Sent folder cannot be searched or written (IMAP or Maildir).

    Never about the letter itself: a sent letter stays sent, its copy is retried.
    """


class DaemonError(BotError):
    """`foibot run` cannot go on safely, e.g. it lost its single-instance lock."""

    exit_code = 1


class Interrupted(BotError):
    """A long step stopped early because foibot is stopping; what it committed stays."""


class DigestError(BotError):
    """The weekly digest cannot be sent: no recipients, or the outbox could not send it."""
