"""Building letters: no header injection, one recipient, folding, UTF-8, golden shape."""

from __future__ import annotations

import datetime as dt
import email
from email import policy
from email.message import EmailMessage
from typing import Any

import pytest

from bot.compose import (
    MAX_REFERENCES,
    build_message,
    header_text,
    id_problem,
    new_message_id,
    validate_draft_fields,
)
from bot.errors import LetterError
from bot.outbox.smtp import dot_stuffed
from bot.parse import parse_email

DATE = dt.datetime(2026, 9, 14, 8, 2, 0, tzinfo=dt.UTC)
HEADERS = {"From", "To", "Subject", "Date", "Message-ID", "Content-Type",
           "Content-Transfer-Encoding", "MIME-Version"}  # fmt: skip
THREADED = HEADERS | {"In-Reply-To", "References"}
BASE: dict[str, Any] = {
    "from_addr": "research@example.ac.uk",
    "from_name": "Research Team",
    "to_addr": "foi@northmoor.gov.uk",
    "subject": "Library opening hours",
    "body": "Dear FOI team,\n\nPlease send me the opening hours.\n",
    "message_id": "20260914080200.abc.foibot@example.ac.uk",
    "date": DATE,
}

INJECTIONS = [
    "Title\r\nBcc: evil@attacker.example",
    "Title\nTo: evil@attacker.example",
    "Title\rCc: evil@attacker.example",
    "Title\r\n\r\nbody starts here",
    "Title\x00\x0bBcc: evil@attacker.example",
    "Title\u2028Bcc: evil@attacker.example\u2029",
    "Title\x85Bcc: evil@attacker.example",
    "=?utf-8?q?Title=0D=0ABcc=3A_evil=40attacker=2Eexample?=",
    "Title \u202eelif.exe",
    'Wörds, "quoted" <evil@attacker.example>; other@attacker.example',
    "x" * 5000 + "\r\nBcc: evil@attacker.example",
    " ".join(["long"] * 3000) + "\nBcc: evil@attacker.example",
]


def round_trip(message: EmailMessage) -> tuple[bytes, EmailMessage]:
    raw = message.as_bytes()
    back = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(back, EmailMessage)
    return raw, back


def assert_one_recipient(raw: bytes, back: EmailMessage, headers: set[str] = HEADERS) -> None:
    assert set(back.keys()) == headers and len(back.keys()) == len(headers)
    assert [a.addr_spec for a in back["To"].addresses] == [BASE["to_addr"]]
    assert [a.addr_spec for a in back["From"].addresses] == [BASE["from_addr"]]
    ours = parse_email(raw)  # foibot's own, lenient parser agrees
    assert list(ours.to) == [BASE["to_addr"]] and list(ours.cc) == []
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))
    assert b"\n" not in raw.replace(b"\r\n", b"")  # CRLF only, no bare line feeds
    assert b"attacker" not in raw.split(b"\r\n\r\n", 1)[1] or "body" in back.get_content()


@pytest.mark.parametrize("text", INJECTIONS)
def test_subject_text_cannot_add_headers_or_recipients(text: str) -> None:
    raw, back = round_trip(build_message(**{**BASE, "subject": text}))
    assert_one_recipient(raw, back)
    assert back["Subject"] == header_text(text)


@pytest.mark.parametrize("text", INJECTIONS)
def test_display_names_cannot_add_headers_or_recipients(text: str) -> None:
    raw, back = round_trip(build_message(**{**BASE, "from_name": text, "to_name": text}))
    assert_one_recipient(raw, back)


@pytest.mark.parametrize(
    "address",
    [
        "foi@northmoor.gov.uk, evil@attacker.example",
        "foi@northmoor.gov.uk;evil@attacker.example",
        "foi@northmoor.gov.uk\r\nBcc: evil@attacker.example",
        "foi@northmoor.gov.uk\n",
        "<foi@northmoor.gov.uk>",
        "Northmoor <foi@northmoor.gov.uk>",
        "foi@northmoor.gov.uk>evil@attacker.example",
        "foi@northmoor.gov.uk (comment)",
        '"foi team"@northmoor.gov.uk',
        "fói@northmoor.gov.uk",
        "foi@northmoor",
        "foi@@northmoor.gov.uk",
        "foi@-northmoor.gov.uk",
        " foi@northmoor.gov.uk",
        "",
        "x" * 65 + "@northmoor.gov.uk",
    ],
)
def test_a_recipient_that_is_not_one_plain_address_is_refused(address: str) -> None:
    with pytest.raises(LetterError, match="to:"):
        build_message(**{**BASE, "to_addr": address})
    assert any(p.startswith("to:") for p in validate_draft_fields(**_fields(to_addr=address)))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("in_reply_to", "abc@x.example>\r\nBcc: evil@attacker.example"),
        ("in_reply_to", "<a@x.example> <b@x.example>"),
        ("in_reply_to", "a b@x.example"),
        ("in_reply_to", "ab\u00e9@x.example"),
        ("message_id", "no-at-sign"),
        ("message_id", "a@x.example\nBcc: evil@attacker.example"),
        ("references", ["good@x.example", "bad@x.example>\r\nTo: evil@attacker.example"]),
    ],
)
def test_message_ids_with_unsafe_characters_are_refused(field: str, value: Any) -> None:
    with pytest.raises(LetterError, match=field):
        build_message(**{**BASE, field: value})


def test_golden_shape_of_a_threaded_reply() -> None:
    message = build_message(
        **{**BASE, "subject": "Re: FOI 10400 - Library opening hours"},
        in_reply_to="<CAB+1@mail.northmoor.gov.uk>",
        references=["20260901090000.aaaa.foibot@example.ac.uk", "CAB+1@mail.northmoor.gov.uk"],
    )
    assert message.as_bytes() == (
        b"From: Research Team <research@example.ac.uk>\r\n"
        b"To: foi@northmoor.gov.uk\r\n"
        b"Subject: Re: FOI 10400 - Library opening hours\r\n"
        b"Date: Mon, 14 Sep 2026 08:02:00 +0000\r\n"
        b"Message-ID: <20260914080200.abc.foibot@example.ac.uk>\r\n"
        b"In-Reply-To: <CAB+1@mail.northmoor.gov.uk>\r\n"
        b"References: <20260901090000.aaaa.foibot@example.ac.uk>\r\n"
        b" <CAB+1@mail.northmoor.gov.uk>\r\n"
        b'Content-Type: text/plain; charset="utf-8"\r\n'
        b"Content-Transfer-Encoding: 7bit\r\n"
        b"MIME-Version: 1.0\r\n"
        b"\r\n"
        b"Dear FOI team,\r\n"
        b"\r\n"
        b"Please send me the opening hours.\r\n"
    )
    raw, back = round_trip(message)
    assert_one_recipient(raw, back, THREADED)


def test_long_message_ids_stay_whole_one_per_folded_line() -> None:
    long_ids = [f"{'a' * 120}.{n}@mail.northmoor.gov.uk" for n in range(3)]
    raw, back = round_trip(build_message(**BASE, in_reply_to=long_ids[-1], references=long_ids))
    assert back["In-Reply-To"] == f"<{long_ids[-1]}>"
    assert back["References"].split() == [f"<{i}>" for i in long_ids]
    assert b"=?" not in raw  # never RFC 2047-encoded


def test_references_keep_the_first_and_the_newest() -> None:
    ids = [f"m{n}@x.example" for n in range(50)]
    _, back = round_trip(build_message(**BASE, references=ids))
    kept = back["References"].split()
    assert len(kept) == MAX_REFERENCES and kept[0] == "<m0@x.example>"
    assert kept[-1] == "<m49@x.example>"


def test_a_very_long_subject_is_folded_and_reads_back_whole() -> None:
    subject = "Re: FOI 10400 - " + " ".join(f"question{n} about libraries" for n in range(80))
    raw, back = round_trip(build_message(**{**BASE, "subject": subject}))
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert all(len(line) <= 78 for line in head.split(b"\r\n"))
    assert back["Subject"] == subject


@pytest.mark.parametrize(
    ("body", "cte"),
    [
        ("Plain ASCII.\n", "7bit"),
        ("Caf\u00e9 \u2014 \u00a3100, \u201cquotes\u201d, \u0175\u0177.\n", "quoted-printable"),
        ("x" * 1200 + "\n", "quoted-printable"),
        ("NUL \x00 and bell \x07 in the text\n", "quoted-printable"),
        ("A line\n.\n..\nFrom here\r\nCRLF\rCR\n", "7bit"),
    ],
)
def test_bodies_are_utf8_and_seven_bit_clean(body: str, cte: str) -> None:
    raw, back = round_trip(build_message(**{**BASE, "body": body}))
    assert back["Content-Transfer-Encoding"] == cte
    assert back.get_content_charset() == "utf-8"
    expected = body.replace("\r\n", "\n").replace("\r", "\n")
    assert back.get_content().replace("\r\n", "\n") == expected
    assert raw.isascii()


def test_dot_stuffing_doubles_leading_dots_and_ends_with_crlf() -> None:
    assert dot_stuffed(b"a\r\n.\r\n..b\nc") == b"a\r\n..\r\n...b\r\nc\r\n"


def test_validate_lists_every_problem_by_field() -> None:
    assert validate_draft_fields(**_fields()) == []
    problems = validate_draft_fields(
        **_fields(from_addr=None, to_addr="a@b.example, c@d.example", subject="\r\n", body=" "),
        references=["ok@x.example", "bad id@x.example"],
    )
    assert [p.split(":")[0] for p in problems] == ["from", "to", "subject", "body", "references[2]"]


def test_new_message_ids_are_unique_and_well_formed() -> None:
    ids = {new_message_id("Example.AC.uk") for _ in range(1000)}
    assert len(ids) == 1000
    for mid in list(ids)[:20]:
        assert mid.endswith("@example.ac.uk") and id_problem("id", mid, own=True) is None
    with pytest.raises(LetterError):
        new_message_id("not a domain\r\nBcc: x")


def test_a_naive_date_is_refused() -> None:
    with pytest.raises(LetterError, match="date"):
        build_message(**{**BASE, "date": DATE.replace(tzinfo=None)})


def _fields(**changes: Any) -> dict[str, Any]:
    keys = ("from_addr", "to_addr", "subject", "body")
    return {k: BASE[k] for k in keys} | changes
