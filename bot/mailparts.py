"""Attachments as values: safe names, hashes, text, and the contents of containers.

Pure. An attachment's name comes from the sender and is never used as a path: we keep
only a safe display name. Containers are opened here: TNEF ``winmail.dat`` (its files
become attachments of their own) and inline ``begin 644`` uuencoded files; forwarded
messages are opened through a callback so this module does not import the parser.
"""

from __future__ import annotations

import binascii
import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from tnefparse import TNEF  # type: ignore[import-untyped,unused-ignore]

from bot.charsets import decode_bytes, safe_text
from bot.extract import ParseLimits, extract_text
from bot.mailheaders import decode_header_value


@dataclass(frozen=True)
class Attachment:
    """One attachment: what a user would see, plus its extracted text."""

    filename: str  # sanitised display name: no directories, control or reserved names
    content_type: str
    size: int
    sha256: str
    text: str | None = None  # None when not extracted (unsupported, over a limit, failed)
    note: str | None = None  # why text is None or incomplete
    parent: str | None = None  # the container it came out of (winmail.dat, a forwarded .eml)

    @property
    def text_chars(self) -> int:
        return len(self.text) if self.text else 0


# (text of the nested message, its attachments) for raw bytes at a depth
NestedParser = Callable[[bytes, int], tuple[str, list[Attachment]]]

_EXTENSIONS = {
    "application/pdf": ".pdf",
    "text/plain": ".txt",
    "text/html": ".html",
    "text/csv": ".csv",
    "message/rfc822": ".eml",
    "application/ms-tnef": ".dat",
    "application/vnd.ms-tnef": ".dat",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
}
_TYPES = {ext: ctype for ctype, ext in _EXTENSIONS.items() if ext != ".dat"} | {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".htm": "text/html",
    ".jpeg": "image/jpeg",
}
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
_UNSAFE = re.compile(r'[<>:"|?*\x00-\x1f\x7f]')
_MAX_NAME = 150
_TNEF_MAGIC = b"\x78\x9f\x3e\x22"
_TNEF_TYPES = frozenset({"application/ms-tnef", "application/vnd.ms-tnef"})
_MESSAGE_TYPES = frozenset({"message/rfc822", "message/global"})


def guess_type(filename: str) -> str:
    """A content type from a file extension, for files that arrive without one."""
    ext = "." + filename.lower().rpartition(".")[2] if "." in filename else ""
    return _TYPES.get(ext, "application/octet-stream")


def _printable(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf", "Cs"))


def sanitize_filename(name: str | None, content_type: str = "", index: int = 1) -> str:
    """A safe display name: last path segment, no control, bidi or reserved characters.

    >>> sanitize_filename("../../etc/passwd")
    'passwd'
    """
    text = _printable(name or "")
    text = _printable(decode_header_value(text)) if "=?" in text else text
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = _UNSAFE.sub("_", unicodedata.normalize("NFC", text)).strip().strip(". ")
    if _RESERVED.match(text):
        text = "_" + text
    if len(text) > _MAX_NAME:
        stem, dot, ext = text.rpartition(".")
        text = (
            stem[: _MAX_NAME - len(ext) - 1] + dot + ext
            if dot and len(ext) < 10
            else (text[:_MAX_NAME])
        )
    if not text:
        text = f"attachment-{index}{_EXTENSIONS.get(content_type.lower(), '.bin')}"
    return text


_UU_BEGIN = re.compile(r"^begin [0-7]{3,4} ([^\r\n]+)\r?$", re.MULTILINE)
_UU_END = re.compile(r"^end\r?$", re.MULTILINE)


def _uu_decode(lines: list[str]) -> bytes | None:
    out = bytearray()
    for line in lines:
        line = line.rstrip("\r")
        if not line or line == "`":
            continue
        try:
            out += binascii.a2b_uu(line)
        except (binascii.Error, ValueError):
            try:  # some encoders pad lines oddly; uu.py cut them to the declared length
                nbytes = (((ord(line[0]) - 32) & 63) * 4 + 5) // 3
                out += binascii.a2b_uu(line[:nbytes])
            except (binascii.Error, ValueError):
                return None
    return bytes(out)


def find_uuencoded(text: str) -> tuple[str, list[tuple[str, bytes]]]:
    """Split inline uuencoded files out of body text: (remaining text, [(name, bytes)])."""
    if "begin " not in text:
        return text, []
    files: list[tuple[str, bytes]] = []
    kept: list[str] = []
    pos = 0
    while (begin := _UU_BEGIN.search(text, pos)) is not None:
        end = _UU_END.search(text, begin.end())
        if end is None:
            break
        data = _uu_decode(text[begin.end() : end.start()].strip("\r\n").split("\n"))
        if data is None:
            kept.append(text[pos : end.end()])
        else:
            kept.append(text[pos : begin.start()])
            files.append((begin.group(1).strip(), data))
        pos = end.end()
    kept.append(text[pos:])
    return (re.sub(r"\n{3,}", "\n\n", "".join(kept)) if files else text), files


def _is_tnef(data: bytes, content_type: str, filename: str) -> bool:
    return (
        content_type in _TNEF_TYPES
        or data.startswith(_TNEF_MAGIC)
        or filename.lower() == "winmail.dat"
    )


def _as_text(value: object) -> str:
    if isinstance(value, bytes):
        return decode_bytes(value.rstrip(b"\x00")).text
    return str(value or "").rstrip("\x00")


def unpack_tnef(data: bytes) -> tuple[str, list[tuple[str, bytes]]]:
    """(body text, [(name, bytes)]) of a TNEF winmail.dat. Raises on a broken one."""
    tnef = TNEF(data, do_checksum=False)
    body = _as_text(tnef.body) if tnef.body else ""
    if not body.strip() and tnef.htmlbody:
        from bot.extract import html_to_text

        body = html_to_text(_as_text(tnef.htmlbody))
    files: list[tuple[str, bytes]] = []
    for item in tnef.attachments:
        try:
            name = _as_text(item.long_filename())
        except Exception:  # a name in an unexpected codepage
            name = ""
        payload = item.data if isinstance(item.data, bytes) else b""
        files.append((name, payload))
    return body, files


def build_attachments(
    data: bytes,
    content_type: str,
    filename: str | None,
    *,
    charset: str | None = None,
    index: int = 1,
    depth: int = 0,
    limits: ParseLimits,
    nested: NestedParser,
    parent: str | None = None,
) -> list[Attachment]:
    """The attachment for one MIME part, followed by whatever it contains. Never raises."""
    ctype = (content_type or "application/octet-stream").lower()
    name = sanitize_filename(filename, ctype, index)
    digest = hashlib.sha256(data).hexdigest()

    def make(text: str | None = None, note: str | None = None) -> Attachment:
        clean = None if text is None else safe_text(text)
        return Attachment(name, safe_text(ctype), len(data), digest, clean, note, parent)

    container = ctype in _MESSAGE_TYPES or _is_tnef(data, ctype, name)
    if container and depth >= limits.max_depth:
        return [make(note=f"not opened: nesting depth limit {limits.max_depth}")]
    if container and len(data) > limits.max_extract_bytes:
        note = f"not opened: {len(data)} bytes is over the {limits.max_extract_bytes} byte limit"
        return [make(note=note)]
    try:
        if ctype in _MESSAGE_TYPES:
            text, children = nested(data, depth + 1)
            return [
                make(text[: limits.max_text_chars]),
                *[_reparent(child, name) for child in children],
            ]
        if _is_tnef(data, ctype, name):
            body, files = unpack_tnef(data)
            out = [make(body[: limits.max_text_chars], f"TNEF container with {len(files)} file(s)")]
            for number, (inner_name, payload) in enumerate(files, start=1):
                out += build_attachments(
                    payload,
                    guess_type(inner_name),
                    inner_name,
                    index=number,
                    depth=depth + 1,
                    limits=limits,
                    nested=nested,
                    parent=name,
                )
            return out
    except Exception as exc:  # a broken container is noted, the message goes on
        note = f"could not open container: {type(exc).__name__}: {str(exc)[:200]}"
        return [make(note=note)]
    found = extract_text(data, ctype, name, charset, limits)
    return [make(text=found.text, note=found.note)]


def _reparent(child: Attachment, container: str) -> Attachment:
    if child.parent is not None:
        return child
    return Attachment(
        child.filename,
        child.content_type,
        child.size,
        child.sha256,
        child.text,
        child.note,
        container,
    )
