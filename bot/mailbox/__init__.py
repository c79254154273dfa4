"""The mailbox edge: read mail from IMAP or a Maildir through one small interface.

    source = source_from_config(config.mailbox, password)
    for spec in source.folders():
        for batch in source.fetch_new(spec.name, state_of(spec.name)):
            store(batch.messages); commit(batch.state_after)   # one transaction
    source.wait_for_change(timeout=300)

Nothing here changes the mailbox: no flags, no moves, no deletes.
"""

from bot.mailbox.factory import source_from_config
from bot.mailbox.imap import ImapSource
from bot.mailbox.imports import read_maildir, read_mbox
from bot.mailbox.maildir import MaildirSource
from bot.mailbox.retry import Backoff
from bot.mailbox.values import (
    FetchedMessage,
    FolderBatch,
    FolderSpec,
    FolderState,
    ImportedMessage,
    MailSource,
)

__all__ = [
    "Backoff",
    "FetchedMessage",
    "FolderBatch",
    "FolderSpec",
    "FolderState",
    "ImapSource",
    "ImportedMessage",
    "MailSource",
    "MaildirSource",
    "read_maildir",
    "read_mbox",
    "source_from_config",
]
