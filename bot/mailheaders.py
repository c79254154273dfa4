"""Decode mail header values leniently: RFC 2047 (broken ones too), raw 8-bit, UTF-7.

Pure. The stdlib decoder gives up on the encoded words real mail contains: words
glued to text, split multi-byte characters, unknown charsets, missing padding,
words inside quoted display names. These helpers never raise.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from bot.charsets import decode_bytes, decode_raw_utf7, decode_with, safe_text

# charset ?  B|Q  ? text ?=   (text may not contain "?"; a missing final "?=" is tolerated
# at the end of the value, as some mailers truncate folded headers).
_WORD = re.compile(r"=\?([^?\s]{1,40})\?([bBqQ])\?([^?]*?)(?:\?=|\??$)")
_FOLD = re.compile(r"\r?\n[ \t]*")
_MSGID = re.compile(r"<([^<>\s]{1,500})>")
_MAX_IDS = 100


def _word_bytes(encoding: str, text: str) -> bytes:
    if encoding in "bB":
        clean = re.sub(r"[^A-Za-z0-9+/]", "", text)
        clean += "=" * (-len(clean) % 4)
        try:
            return base64.b64decode(clean)
        except (binascii.Error, ValueError):
            return text.encode("ascii", "replace")
    raw = text.replace("_", " ").encode("latin-1", "replace")
    return binascii.a2b_qp(raw)


def raw_header_text(value: str) -> str:
    """Undo the surrogate escapes the stdlib leaves for raw 8-bit header bytes."""
    if any("\udc80" <= c <= "\udcff" for c in value):
        data = value.encode("utf-8", "surrogateescape")
        return decode_bytes(data).text
    return value


def decode_header_value(value: object) -> str:
    """One readable line for a raw header value; never raises.

    Adjacent encoded words in one charset are joined as bytes before decoding, so a
    character split across two words survives; whitespace between words is dropped
    (RFC 2047 section 6.2).
    """
    if value is None:
        return ""
    text = raw_header_text(str(value))
    text = _FOLD.sub(" ", text)
    if "=?" not in text:
        return decode_raw_utf7(text).strip()
    out: list[str] = []
    pending: list[bytes] = []
    pending_charset = ""
    pos = 0

    def flush() -> None:
        if pending:
            out.append(decode_with(b"".join(pending), pending_charset))
            pending.clear()

    for match in _WORD.finditer(text):
        between = text[pos : match.start()]
        charset = match.group(1).split("*", 1)[0].lower()
        if between.strip() or charset != pending_charset:
            flush()
            if between.strip() or not out:
                out.append(between)
        pending_charset = charset
        pending.append(_word_bytes(match.group(2), match.group(3)))
        pos = match.end()
    flush()
    out.append(text[pos:])
    return " ".join("".join(out).split())


def msgid(value: object) -> str | None:
    """The first <message-id> in a header, without angle brackets, or None.

    A bare id without brackets (some mailers) is accepted when it contains an "@".
    """
    if not value:
        return None
    value = str(value)
    match = _MSGID.search(value)
    if match:
        return safe_text(match.group(1))
    bare = value.strip()
    if "@" in bare and " " not in bare and len(bare) <= 500:
        return safe_text(bare.strip("<>"))
    return None


def msgid_list(value: object) -> tuple[str, ...]:
    """Every <message-id> in a References header, in order, without duplicates."""
    if not value:
        return ()
    value = str(value)
    seen: dict[str, None] = {}
    for match in _MSGID.finditer(value):
        seen.setdefault(safe_text(match.group(1)), None)
        if len(seen) >= _MAX_IDS:
            break
    return tuple(seen)


def to_utc(value: object) -> datetime | None:
    """An aware UTC datetime from mail-parser's date (naive means UTC), else None."""
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def parse_date(value: str | None) -> datetime | None:
    """Fallback Date parsing with the stdlib; None when unparseable."""
    if not value:
        return None
    try:
        return to_utc(parsedate_to_datetime(value.strip()))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def split_address(pair: object) -> tuple[str, str]:
    """(display name, lowercased address) from one mail-parser address pair."""
    if not isinstance(pair, tuple | list) or len(pair) != 2:
        return "", ""
    name, addr = (str(x) if x is not None else "" for x in pair)
    return decode_header_value(name).strip('"'), addr.strip().strip("<>").lower()
