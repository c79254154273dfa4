"""The bytes of one stored attachment, found again in its raw message.

The database keeps an attachment's name, type, size, text and SHA-256, not its bytes:
those stay in the raw message (``bot.rawstore``). To download one we walk the raw
message as the parser does (``bot.mimewalk``) and return the part whose SHA-256 is the
stored one, looking inside the containers the parser opens too: forwarded messages,
TNEF ``winmail.dat`` and inline uuencoded files. Pure; never raises on bad mail.
"""

from __future__ import annotations

import email
import hashlib
from collections.abc import Iterator

from bot.mailparts import find_uuencoded, unpack_tnef
from bot.mimewalk import walk_message

MAX_DEPTH = 8  # forwarded-within-forwarded levels searched
_MESSAGE_TYPES = frozenset({"message/rfc822", "message/global"})
_TNEF_TYPES = frozenset({"application/ms-tnef", "application/vnd.ms-tnef"})
_TNEF_MAGIC = b"\x78\x9f\x3e\x22"


def attachment_bytes(raw: bytes, sha256: str) -> bytes | None:
    """The attachment of ``raw`` whose SHA-256 is ``sha256``; None when there is none."""
    wanted = sha256.lower()
    for data in _parts(raw, 0):
        if hashlib.sha256(data).hexdigest() == wanted:
            return data
    return None


def _parts(raw: bytes, depth: int) -> Iterator[bytes]:
    """Every attachment payload of ``raw``, containers first, then what they hold."""
    try:
        walk = walk_message(email.message_from_bytes(raw))
    except Exception:  # a message the stdlib cannot even walk has no attachments to give
        return
    leaves = [(leaf.data, leaf.content_type.lower(), leaf.filename or "") for leaf in walk.leaves]
    _, uuencoded = find_uuencoded("\n\n".join(walk.plain))
    leaves += [(data, "application/octet-stream", name) for name, data in uuencoded]
    for data, content_type, name in leaves:
        yield data
        if depth >= MAX_DEPTH:
            continue
        if content_type in _MESSAGE_TYPES:
            yield from _parts(data, depth + 1)
        elif _is_tnef(data, content_type, name):
            yield from _tnef_files(data)


def _is_tnef(data: bytes, content_type: str, name: str) -> bool:
    return (
        content_type in _TNEF_TYPES
        or data.startswith(_TNEF_MAGIC)
        or name.lower() == ("winmail.dat")
    )


def _tnef_files(data: bytes) -> Iterator[bytes]:
    try:
        _, files = unpack_tnef(data)
    except Exception:  # a broken container: its files cannot be had
        return
    for _, payload in files:
        yield payload
