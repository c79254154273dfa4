"""Turn bytes of unknown or mislabelled charset into text, and undo raw UTF-7.

Pure: bytes in, text out. Mail from UK authorities is overwhelmingly UTF-8 or
Windows-1252, and the declared charset is often wrong (cp1252 labelled ``utf-8`` or
``us-ascii``; UTF-8 labelled ``iso-8859-1``). So for any declared "Western" charset
we try strict UTF-8 first (valid multi-byte UTF-8 almost never happens by accident),
then cp1252, and only for text that is mostly non-ASCII do we ask charset-normalizer.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from typing import NamedTuple

from charset_normalizer import from_bytes

# Labels under which UTF-8 or cp1252 text is commonly sent, whatever the label says.
_WESTERN = frozenset(
    {
        "",
        "ascii",
        "us-ascii",
        "utf-8",
        "utf8",
        "latin-1",
        "latin1",
        "iso-8859-1",
        "iso8859-1",
        "iso-8859-15",
        "windows-1252",
        "cp1252",
        "unknown-8bit",
        "x-unknown",
        "default",
        "x-user-defined",
        "iso-8859-1-windows-3.1-latin-1",
    }
)
_WESTERN_CODECS = frozenset({"utf-8", "cp1252", "iso8859-1", "iso8859-15", "ascii"})
_MIN_DETECT = 64  # shorter samples give charset-normalizer too little to go on
_DETECT_SAMPLE = 65_536  # bytes given to charset-normalizer; enough, and keeps it fast


class Decoded(NamedTuple):
    """Decoded text, the codec that produced it, and a note when we had to guess."""

    text: str
    charset: str
    note: str | None


def _codec(label: str | None) -> str | None:
    """The Python codec name for a MIME charset label, or None when unknown."""
    if not label:
        return None
    clean = label.strip().strip("\"'").lower()
    clean = clean.split("*", 1)[0]  # RFC 2231 language suffix: "utf-8*en"
    try:
        return codecs.lookup(clean).name
    except (LookupError, ValueError):
        return None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError, ValueError):
        return None


def _detect(data: bytes) -> str | None:
    """charset-normalizer's best guess for data, or None."""
    try:
        best = from_bytes(data[:_DETECT_SAMPLE]).best()
    except Exception:
        return None
    return None if best is None else str(best.encoding)


def decode_bytes(data: bytes, declared: str | None = None) -> Decoded:
    """Decode data, trusting the declared charset only as far as the bytes allow.

    Never raises; the worst case is latin-1, which maps every byte.
    """
    if data.isascii():
        return Decoded(data.decode("ascii"), "ascii", None)
    label = (declared or "").strip().strip("\"'").lower()
    codec = _codec(label)
    named = label or "no charset"
    if label in _WESTERN or codec in _WESTERN_CODECS:
        text = _strict(data, "utf-8")
        if text is not None:
            note = None if codec in (None, "utf-8") else f"declared {named}, decoded as utf-8"
            return Decoded(text, "utf-8", note)
        if codec in ("cp1252", "iso8859-1", "iso8859-15"):
            # iso-8859-1 labels mean windows-1252 in practice (as in WHATWG)
            for candidate in ("cp1252", codec):
                text = _strict(data, candidate)
                if text is not None:
                    return Decoded(text, candidate, None)
        non_ascii = sum(1 for b in data[:_DETECT_SAMPLE] if b > 0x7F)
        if non_ascii * 20 <= min(len(data), _DETECT_SAMPLE):
            text = _strict(data, "cp1252")
            if text is not None:
                return Decoded(text, "cp1252", f"declared {named}, decoded as cp1252")
    elif codec is not None:
        text = _strict(data, codec)
        if text is not None:
            return Decoded(text, codec, None)
    guess = _detect(data) if len(data) >= _MIN_DETECT else None
    if guess is not None:
        text = _strict(data, guess)
        if text is not None:
            return Decoded(text, guess, f"declared {named}, detected {guess}")
    text = _strict(data, "cp1252")
    if text is not None:
        return Decoded(text, "cp1252", f"declared {named}, decoded as cp1252")
    return Decoded(data.decode("latin-1"), "latin-1", f"declared {named}, decoded as latin-1")


def safe_text(text: str) -> str:
    """Text any UTF-8 sink accepts: no NUL characters (PostgreSQL refuses them), no lone
    surrogates (from broken codecs or raw header bytes)."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def decode_with(data: bytes, charset: str | None) -> str:
    """Decode with a declared charset (lenient), falling back like decode_bytes."""
    codec = _codec(charset)
    if codec is not None and codec not in _WESTERN_CODECS:
        text = _strict(data, codec)
        if text is not None:
            return text
    return decode_bytes(data, charset).text


# A run of UTF-7 ("+...-") or IMAP modified UTF-7 ("&...-") base64.
_UTF7_RUN = re.compile(r"([+&])([A-Za-z0-9+/,]{3,})-")
_PLAUSIBLE = re.compile(r"[\u00a0-\u024f\u2010-\u2027\u2030-\u205e\u20ac\u2122]+")


def _utf7_run(alphabet: str, body: str) -> str | None:
    """Decode one base64 run of (modified) UTF-7, or None unless it is clean and plausible."""
    if alphabet == "&":
        if "/" in body:
            return None
        body = body.replace(",", "/")
    elif "," in body:
        return None
    bits = len(body) * 6
    if bits % 16 >= 6:  # a real encoder leaves fewer than 6 padding bits
        return None
    try:
        text = ("+" + body + "-").encode("ascii").decode("utf-7")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return None
    if not text or not _PLAUSIBLE.fullmatch(text):
        return None
    if any(unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn") for c in text):
        return None
    return text


def decode_raw_utf7(value: str) -> str:
    """Undo UTF-7 left raw in a header ("Re: +AKM-100 fee" -> "Re: £100 fee").

    Only runs that decode to Latin or typographic characters are replaced, so
    ordinary text such as "C++ -" or "Tom&Jerry-" is left alone.
    """
    if not value.isascii() or ("+" not in value and "&" not in value):
        return value

    def repl(match: re.Match[str]) -> str:
        decoded = _utf7_run(match.group(1), match.group(2))
        return match.group(0) if decoded is None else decoded

    return _UTF7_RUN.sub(repl, value)
