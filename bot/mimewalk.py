"""Walk a parsed MIME tree into body texts, attachment parts and delivery-status fields.

Pure. Unlike mail-parser's walk, a forwarded message (message/rfc822) stays one
attachment instead of lending its body to ours, so a bounce's returned copy of our
own request never reads as the authority's words. A multipart part whose boundary
never appears is recovered: from the boundary actually used, else from the raw body.
"""

from __future__ import annotations

import email
import re
from collections import Counter
from dataclasses import dataclass, field
from email.message import Message
from email.parser import HeaderParser

from bot.charsets import decode_bytes
from bot.mailheaders import msgid, raw_header_text

_MAX_NESTING = 50  # multipart levels; deeper trees are cut with a note
_MAX_PARTS = 2_000  # MIME parts visited in one message
_BOUNDARY = re.compile(rb"^--([\x21-\x7e][\x20-\x7e]{0,69}?)(?:--)?[ \t]*\r?$", re.MULTILINE)
_PART_HEADERS = re.compile(rb"^\s*(content-[a-z-]+|mime-version)\s*:", re.IGNORECASE)
_MESSAGE_TYPES = frozenset({"message/rfc822", "message/global"})
_BODY_TYPES = frozenset({"text/plain", "text/html"})


@dataclass(frozen=True)
class DsnRecipient:
    """One per-recipient block of a delivery status notification (RFC 3464)."""

    final_recipient: str
    action: str  # failed, delayed, delivered, relayed, expanded
    status: str  # "5.1.1"
    diagnostic_code: str = ""
    original_recipient: str = ""


@dataclass(frozen=True)
class DeliveryStatus:
    """The machine-readable part of a multipart/report bounce."""

    reporting_mta: str = ""
    recipients: tuple[DsnRecipient, ...] = ()
    original_message_id: str | None = None  # of our message that bounced, when returned


@dataclass
class Leaf:
    """A MIME part that becomes an attachment."""

    data: bytes
    content_type: str
    filename: str | None
    charset: str | None


@dataclass
class Walk:
    """What a walk found. Mutable while walking, then read once by the parser."""

    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    leaves: list[Leaf] = field(default_factory=list)
    dsn_fields: list[dict[str, str]] = field(default_factory=list)  # per-message block first
    original_headers: str | None = None  # text/rfc822-headers of a report
    defects: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    parts: int = 0


def _payload(part: Message) -> bytes:
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
        if name and "\ufffd" in name:  # raw 8-bit name: the stdlib replaced its bytes
            fixed = Message()
            for key, value in part.raw_items():
                if key.lower() in ("content-disposition", "content-type"):
                    fixed[key] = raw_header_text(value)
            name = fixed.get_filename() or name
    except Exception:  # broken RFC 2231 parameters
        return None
    return str(name) if name else None


def _fields(block: Message) -> dict[str, str]:
    return {str(k).lower(): " ".join(str(v).split()) for k, v in block.items()}


def _dsn_blocks(part: Message, walk: Walk) -> None:
    payload = part.get_payload()
    if isinstance(payload, list):
        walk.dsn_fields += [_fields(b) for b in payload if isinstance(b, Message)]
        return
    text = decode_bytes(_payload(part)).text.replace("\r\n", "\n")
    for chunk in re.split(r"\n\s*\n", text):
        if chunk.strip():
            walk.dsn_fields.append(_fields(HeaderParser().parsestr(chunk.strip() + "\n")))


def _message_bytes(part: Message) -> bytes:
    inner = part.get_payload(0) if part.is_multipart() else None
    if isinstance(inner, Message):
        try:
            return inner.as_bytes()
        except Exception:  # headers the generator cannot write back
            return inner.as_string().encode("utf-8", "surrogateescape")
    return _payload(part)


def _recover(part: Message, data: bytes, walk: Walk, depth: int) -> None:
    """A multipart part that did not split: re-split on the boundary it really uses."""
    found = Counter(m.group(1).rstrip() for m in _BOUNDARY.finditer(data[:5_000_000]))
    if found:
        boundary = found.most_common(1)[0][0].replace(b'"', b"")
        rebuilt = b'Content-Type: multipart/mixed; boundary="' + boundary + b'"\r\n\r\n' + data
        sub = email.message_from_bytes(rebuilt)
        if sub.is_multipart():
            walk.notes.append(
                f"multipart boundary not found; split on '{boundary.decode('ascii', 'replace')}'"
            )
            for child in sub.get_payload():
                if isinstance(child, Message):
                    _visit(child, walk, depth + 1)
            return
    if _PART_HEADERS.match(data):
        sub = email.message_from_bytes(data.lstrip())
        if not sub.get_content_type().startswith("multipart/"):
            walk.notes.append("multipart without boundaries; read the body as one part")
            _visit(sub, walk, depth + 1)
            return
    walk.notes.append("multipart without usable boundaries; raw body used as text")
    walk.plain.append(_decode(data, part.get_content_charset(), walk, "raw body"))


def _decode(data: bytes, charset: str | None, walk: Walk, what: str) -> str:
    decoded = decode_bytes(data, charset)
    if decoded.note:
        walk.notes.append(f"{what}: {decoded.note}")
    return decoded.text


def _visit(part: Message, walk: Walk, depth: int) -> None:
    walk.parts += 1
    if walk.parts > _MAX_PARTS or depth > _MAX_NESTING:
        if walk.parts == _MAX_PARTS + 1 or depth == _MAX_NESTING + 1:
            walk.notes.append("MIME structure too large or deep; the rest was skipped")
        return
    walk.defects += [type(d).__name__ for d in part.defects]
    ctype = part.get_content_type()
    filename = _filename(part)
    if ctype in _MESSAGE_TYPES:
        walk.leaves.append(Leaf(_message_bytes(part), ctype, filename, None))
        return
    if ctype == "message/delivery-status":
        _dsn_blocks(part, walk)
        return
    if part.is_multipart():
        for child in part.get_payload():
            if isinstance(child, Message):
                _visit(child, walk, depth + 1)
        return
    data = _payload(part)
    if ctype.startswith("multipart/"):
        _recover(part, data, walk, depth)
        return
    if ctype == "text/rfc822-headers":
        walk.original_headers = decode_bytes(data).text
        return
    disposition = part.get_content_disposition()
    if ctype in _BODY_TYPES and disposition != "attachment" and not filename:
        target = walk.plain if ctype == "text/plain" else walk.html
        target.append(_decode(data, part.get_content_charset(), walk, ctype + " body"))
        return
    walk.leaves.append(Leaf(data, ctype, filename, part.get_content_charset()))


def walk_message(message: Message) -> Walk:
    """Body texts, attachment parts, DSN fields, defects and notes of a parsed message."""
    walk = Walk()
    _visit(message, walk, 0)
    return walk


def delivery_status(walk: Walk) -> DeliveryStatus:
    """The delivery-status fields a walk collected, as a value."""
    blocks = walk.dsn_fields
    head = blocks[0] if blocks and "reporting-mta" in blocks[0] else {}

    def addr(value: str) -> str:
        return value.split(";", 1)[-1].strip().strip("<>").lower()

    recipients = tuple(
        DsnRecipient(
            final_recipient=addr(b.get("final-recipient", "")),
            action=b.get("action", "").lower(),
            status=b.get("status", "").split(" ", 1)[0],
            diagnostic_code=b.get("diagnostic-code", "")[:4_000],
            original_recipient=addr(b.get("original-recipient", "")),
        )
        for b in blocks
        if "final-recipient" in b or "action" in b or "status" in b
    )
    original = None
    if walk.original_headers:
        original = msgid(email.message_from_string(walk.original_headers).get("Message-ID"))
    for leaf in walk.leaves:
        if original is None and leaf.content_type in ("message/rfc822", "message/global"):
            original = msgid(email.message_from_bytes(leaf.data[:200_000]).get("Message-ID"))
    return DeliveryStatus(head.get("reporting-mta", "").split(";", 1)[-1].strip(),
                          recipients, original)  # fmt: skip
