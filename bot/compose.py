"""Outgoing letters as MIME messages, safe against header injection (pure).

A letter's text comes partly from outside: a request title the operator typed, an
authority's name from a CSV, Message-IDs and reference numbers copied from an
authority's mail. None of it may add a header or a recipient. The rules:

- **Addresses and Message-IDs are refused** when they are not exactly one plain
  ``local@domain`` (no display name, no list, no angle brackets, no whitespace) or
  one printable-ASCII id: ``validate_draft_fields`` lists the problems, at approval and
  after an edit, and ``build_message`` raises ``LetterError`` naming them.
- **Subjects and display names are neutralised**: control characters, line and
  paragraph separators and bidirectional overrides become spaces, runs of whitespace
  one space, and text that reads as an RFC 2047 encoded word is broken up (the email
  package would decode ``=0D=0A`` in it into a real line break). The ``email`` package
  (``policy.SMTP``: CRLF, folded at 78) encodes and folds the subject; ``From``/``To``
  are written here (CPython drops the quotes of a long display name when folding).
- In-Reply-To and References are written here too, one id per folded line, because
  the stdlib would RFC 2047-encode a long id in them and break threading.
- Belt and braces: the finished bytes are read back and must hold exactly the headers
  that were set.
- The body is UTF-8, ``7bit`` when it is printable ASCII in lines of at most 998
  octets, otherwise quoted-printable (control characters such as NUL included), so the
  message is 7-bit clean for any SMTP server.

>>> letter = build_message(from_addr="me@example.org", from_name="Me", to_addr="foi@x.gov.uk",
...     subject="Bins", body="Dear FOI team,\\n", message_id="1.a@example.org",
...     date=dt.datetime(2026, 9, 14, 8, 2, tzinfo=dt.UTC))
>>> letter["To"], letter["Message-ID"]
('foi@x.gov.uk', '<1.a@example.org>')
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Sequence
from email import policy
from email.charset import Charset
from email.message import EmailMessage
from email.parser import BytesHeaderParser

from bot.errors import LetterError

# CRLF line ends, headers folded at 78; raw header values (set_raw) are emitted as given.
POLICY = policy.SMTP.clone(refold_source="none")
MAX_BODY_CHARS = 2_000_000
MAX_REFERENCES = 30  # the first (the thread's root) and the newest 29
MAX_ID_LENGTH = 500
MAX_NAME = 100  # characters of a display name

_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN = re.compile(rf"{_LABEL}(?:\.{_LABEL})+")
_ADDRESS = re.compile(rf"({_ATEXT}(?:\.{_ATEXT})*)@({_DOMAIN.pattern})")
_UTF8 = Charset("utf-8")
_SPECIALS = re.compile(r'[][\\()<>@,:;".]')
_ID = re.compile(r"[!-;=?-~]+")  # printable ASCII without "<", ">" and spaces
# Bidirectional embeddings, overrides and isolates: they can make text read backwards.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Text the email package would decode as an RFC 2047 encoded word when it is assigned to
# a header, control characters included (CPython 3.11.7 does), so it is broken up.
_ENCODED_WORD = re.compile(r"=\?[^?]*\?[bBqQ]\?", re.ASCII)


def one_line(text: str) -> str:
    """``text`` as one line of header text: every control character is a space.

    >>> one_line("FOI request\\r\\nBcc: x@evil.example\\t(urgent)")
    'FOI request Bcc: x@evil.example (urgent)'
    """
    cleaned = "".join(" " if _is_control(c) else c for c in _BIDI.sub(" ", text))
    return " ".join(cleaned.split())


def header_text(text: str) -> str:
    """``one_line(text)``, and an RFC 2047 encoded word in it broken up (``=?`` → ``= ?``)
    so it is sent as written: the email package would otherwise decode it when the header
    is set, and a decoded ``=0D=0A`` is a line break.

    >>> header_text("=?utf-8?q?Hi=0D=0ABcc=3A_x?=")
    '= ?utf-8?q?Hi=0D=0ABcc=3A_x?='
    """
    line = one_line(text)
    return line.replace("=?", "= ?") if _ENCODED_WORD.search(line) else line


def _is_control(char: str) -> bool:
    code = ord(char)
    return code < 0x20 or 0x7F <= code <= 0x9F or char in "\u2028\u2029"


def address_problem(field: str, value: str | None) -> str | None:
    """Why ``value`` is not one plain address (None when it is)."""
    if value is None or not value.strip():
        return f"{field}: missing (one address like foi@council.gov.uk)"
    if value != value.strip() or not value.isascii() or not _ADDRESS.fullmatch(value):
        return f"{field}: {value!r} is not one plain address like foi@council.gov.uk"
    local = value.rpartition("@")[0]
    if len(value) > 254 or len(local) > 64:
        return f"{field}: {value!r} is too long for an address"
    return None


def strip_id(value: str) -> str:
    """A Message-ID without its one pair of angle brackets (as the store keeps them)."""
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    return value


def id_problem(field: str, value: str | None, *, own: bool = False) -> str | None:
    """Why ``value`` cannot be written as a Message-ID (None when it can).

    Our own ids (``own``) must also have the ``left@right`` shape.
    """
    if value is None or not strip_id(value):
        return f"{field}: missing"
    bare = strip_id(value)
    if len(bare) > MAX_ID_LENGTH or not _ID.fullmatch(bare):
        return f"{field}: {value[:80]!r} is not a Message-ID (printable ASCII, no spaces or <>)"
    left, at, right = bare.rpartition("@")
    if own and not (at and left and right):
        return f"{field}: {value[:80]!r} is not a Message-ID of the form left@right"
    return None


def validate_draft_fields(
    *,
    from_addr: str | None,
    to_addr: str | None,
    subject: str,
    body: str,
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: Sequence[str] = (),
) -> list[str]:
    """Every reason these fields cannot be sent as a letter, one line each (empty: fine).

    The subject is not refused for control characters: they are neutralised when the
    letter is built. ``message_id`` is checked only when given (it is fixed at approval).
    """
    problems = [
        p
        for p in (address_problem("from", from_addr), address_problem("to", to_addr))
        if p is not None
    ]
    if not one_line(subject or ""):
        problems.append("subject: empty")
    if not (body or "").strip():
        problems.append("body: the letter is empty")
    elif len(body) > MAX_BODY_CHARS:
        problems.append(f"body: {len(body)} characters; at most {MAX_BODY_CHARS}")
    if message_id is not None:
        problems += _some(id_problem("message_id", message_id, own=True))
    if in_reply_to is not None and in_reply_to.strip():
        problems += _some(id_problem("in_reply_to", in_reply_to))
    for number, ref in enumerate(references, start=1):
        problems += _some(id_problem(f"references[{number}]", ref))
    return problems


def _some(problem: str | None) -> list[str]:
    return [problem] if problem is not None else []


def build_message(
    *,
    from_addr: str,
    to_addr: str,
    subject: str,
    body: str,
    message_id: str,
    date: dt.datetime,
    from_name: str = "",
    to_name: str = "",
    in_reply_to: str | None = None,
    references: Sequence[str] = (),
    html: str | None = None,
) -> EmailMessage:
    """The letter as an ``EmailMessage`` whose ``as_bytes()`` is what SMTP sends.

    With ``html`` (the weekly digest) it is ``multipart/alternative``: the text first,
    then the HTML, both UTF-8; the headers are the same either way.
    Raises ``LetterError`` listing every problem (see ``validate_draft_fields``).
    """
    problems = validate_draft_fields(
        from_addr=from_addr,
        to_addr=to_addr,
        subject=subject,
        body=body,
        message_id=message_id,
        in_reply_to=in_reply_to,
        references=references,
    )
    if date.tzinfo is None:
        problems.append("date: needs a time zone")
    if html is not None and len(html) > MAX_BODY_CHARS:
        problems.append(f"html: {len(html)} characters; at most {MAX_BODY_CHARS}")
    if problems:
        raise LetterError(problems)
    message = EmailMessage(policy=POLICY)
    message.set_raw("From", address_header(from_name, from_addr))
    message.set_raw("To", address_header(to_name, to_addr))
    message["Subject"] = header_text(subject)
    message["Date"] = date
    message.set_raw("Message-ID", f"<{strip_id(message_id)}>")
    if in_reply_to is not None and in_reply_to.strip():
        message.set_raw("In-Reply-To", f"<{strip_id(in_reply_to)}>")
    if references:
        message.set_raw("References", folded_ids(references, len("References: ")))
    text = _normal_text(body)
    message.set_content(text, subtype="plain", charset="utf-8", cte=_cte(text))
    if html is not None:
        page = _normal_text(html)
        message.add_alternative(page, subtype="html", charset="utf-8", cte=_cte(page))
        for part in message.iter_parts():
            del part["MIME-Version"]  # the stdlib repeats it in a part made this way
    _check_headers(message)
    return message


def _check_headers(message: EmailMessage) -> None:
    """Belt and braces: the bytes, read back, have exactly the headers that were set."""
    raw = message.as_bytes()
    head = raw.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"
    written = BytesHeaderParser(policy=policy.compat32).parsebytes(head).keys()
    if [n.lower() for n in written] != [n.lower() for n in message]:
        raise LetterError(["the letter's headers could not be written safely; check the subject"])


def address_header(name: str, addr: str) -> str:
    """``name <addr>`` written by hand: an ASCII name quoted when it has specials, any
    other encoded (RFC 2047, folded); the name one line, at most ``MAX_NAME`` characters,
    without angle brackets (lenient parsers look for ``<address>`` anywhere).

    The email package is not used here: CPython 3.11 drops the quotes when it folds a
    long display name, and ``Bcc: x@y`` inside it would then read as an address.
    """
    display = header_text(name.replace("<", " ").replace(">", " "))[:MAX_NAME].strip()
    if not display:
        return addr
    if not display.isascii():
        return "\n ".join([*encoded_words(display), f"<{addr}>"])
    if _SPECIALS.search(display):
        display = '"' + display.replace("\\", "\\\\").replace('"', '\\"') + '"'
    fits = len("From: ") + len(display) + len(addr) + 3 <= 78
    return f"{display} <{addr}>" if fits else f"{display}\n <{addr}>"


def encoded_words(text: str, limit: int = 75) -> list[str]:
    """``text`` as UTF-8 encoded words of at most ``limit`` characters, split after spaces
    (each space inside a word), so a reader joining them gets ``text`` back exactly."""
    words: list[str] = []
    chunk = ""
    for char in text:
        if chunk and len(_UTF8.header_encode(chunk + char)) > limit:
            cut = chunk.rfind(" ") + 1 or len(chunk)  # after the last space, if any
            words.append(_UTF8.header_encode(chunk[:cut]))
            chunk = chunk[cut:]
        chunk += char
    return [*words, _UTF8.header_encode(chunk)]


def folded_ids(ids: Sequence[str], first_line_used: int = 0, width: int = 78) -> str:
    """``<id> <id> ...`` folded between ids at ``width`` (at most ``MAX_REFERENCES`` ids).

    >>> folded_ids(["a@x", "<b@y>"])
    '<a@x> <b@y>'
    """
    unique = list(dict.fromkeys(strip_id(i) for i in ids))
    if len(unique) > MAX_REFERENCES:
        unique = [unique[0], *unique[-(MAX_REFERENCES - 1) :]]
    lines: list[list[str]] = [[]]
    room = width - first_line_used
    for bare in unique:
        token = f"<{bare}>"
        if lines[-1] and len(" ".join([*lines[-1], token])) > room:
            lines.append([])
            room = width - 1  # a continuation line starts with a space
        lines[-1].append(token)
    return "\n ".join(" ".join(tokens) for tokens in lines)


def _normal_text(body: str) -> str:
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    return text if text.endswith("\n") else text + "\n"


def _cte(text: str) -> str:
    return "7bit" if _seven_bit(text) else "quoted-printable"


def _seven_bit(text: str) -> bool:
    """Printable ASCII (tabs and form feeds allowed) in lines of at most 998 octets."""
    printable = all(c in "\t\n\f" or " " <= c <= "~" for c in text)
    return printable and max(len(line) for line in text.split("\n")) <= 998


def new_message_id(domain: str) -> str:
    """A new, random Message-ID at ``domain`` (without angle brackets).

    >>> new_message_id("example.org").endswith(".foibot@example.org")
    True
    """
    domain = domain.strip().lower()
    if not _DOMAIN.fullmatch(domain):
        raise LetterError([f"message_id: {domain!r} is not a domain name for a Message-ID"])
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S")
    return f"{stamp}.{secrets.token_hex(12)}.foibot@{domain}"
