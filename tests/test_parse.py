"""parse_email: raw bytes to an Email value, for the messages authorities really send."""

from __future__ import annotations

import base64
import hashlib
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.charsets import decode_bytes, decode_raw_utf7
from bot.mailheaders import decode_header_value, msgid, msgid_list
from bot.parse import Email, ParseLimits, parse_email

FIXTURES = Path(__file__).parent / "fixtures" / "mail"
ALL_FIXTURES = sorted(p.name for p in FIXTURES.glob("*.eml"))


def load(name: str) -> Email:
    return parse_email((FIXTURES / name).read_bytes())


@pytest.mark.parametrize("name", ALL_FIXTURES)
def test_every_fixture_parses_without_exception(name: str) -> None:
    """Every fixture, broken ones included, gives an Email whose hash matches its bytes."""
    raw = (FIXTURES / name).read_bytes()
    parsed = parse_email(raw)
    assert isinstance(parsed, Email)
    assert parsed.size == len(raw)
    assert parsed.sha256 == hashlib.sha256(raw).hexdigest()
    assert not any(d.startswith("parse failed") for d in parsed.defects)


def test_outlook_reply_headers_threading_and_attachment() -> None:
    """Trafford's reply: addresses lowercased, date in UTC, threading ids, PDF text read."""
    mail = load("outlook_reply.eml")
    assert mail.message_id == "AM0PR01MB1234@EUR01.prod.outlook.com"
    assert mail.subject == "RE: Freedom of Information request - FOI 10400"
    assert mail.from_addr == "foi@trafford.gov.uk"
    assert mail.from_name == "Children Families & Wellbeing FOI"
    assert mail.to == ("research@example.ac.uk",)
    assert mail.date == datetime(2021, 4, 14, 15, 5, tzinfo=UTC)
    assert mail.in_reply_to == "req-10400@example.ac.uk"
    assert mail.references == ("campaign-1@example.ac.uk", "req-10400@example.ac.uk")
    assert mail.thread_index == "AdcxAbCdEfGh=="
    [pdf] = mail.attachments
    assert (pdf.filename, pdf.content_type) == ("FOI 10400 response.pdf", "application/pdf")
    assert pdf.text is not None and "information not held" in pdf.text
    assert pdf.text_chars == len(pdf.text)


def test_reply_text_excludes_the_quoted_request_citing_s12_and_s16() -> None:
    """The requester's own s.12/s.16 wording stays in quoted_text, out of reply_text."""
    mail = load("outlook_reply.eml")
    assert "FOI 10400" in mail.reply_text and "Kind Regards" in mail.reply_text
    assert "s.12" not in mail.reply_text and "s.16" not in mail.reply_text
    assert "s.12" in mail.quoted_text and "s.16" in mail.quoted_text
    assert mail.quote_rule == "outlook_underscores"
    assert mail.html_text is None  # the plain alternative was used


@pytest.mark.parametrize(
    ("name", "expected", "rule"),
    [
        ("original_message_cp1252.eml", "£12,500", "original_message"),
        ("on_wrote.eml", "20 working days", "on_date_wrote"),
        ("wdtk_show_quoted.eml", "reference number 10400", "show_quoted_sections"),
    ],
)
def test_council_reply_styles_separate_new_text_from_history(
    name: str, expected: str, rule: str
) -> None:
    """Each council quoting style leaves the request (s.12, s.16) out of reply_text."""
    mail = load(name)
    assert expected in mail.reply_text
    assert "s.12" not in mail.reply_text and "s.16" not in mail.reply_text
    assert "s.16" in mail.quoted_text
    assert mail.quote_rule == rule


def test_inline_forward_keeps_the_forwarded_reply_as_reply_text() -> None:
    """A forwarded council reply starting with From:/Sent: keeps its text and reference."""
    mail = load("forwarded_inline.eml")
    assert mail.forwarded
    assert "NCC-049446-20" in mail.reply_text
    assert mail.reply_text.startswith("Dear Requester")
    assert "Sent: 08 April 2021" in mail.quoted_text


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("cp1252_as_utf8.eml", "The fee would be £450 under s.12; see the council’s guidance."),
        ("cp1252_as_ascii.eml", "The fee would be £450 under s.12; see the council’s guidance."),
        ("missing_charset.eml", "The fee would be £450 under s.12; see the council’s guidance."),
        ("utf8_as_latin1.eml", "The fee would be £450 under s.12; see the council’s guidance."),
        ("crlf_plain.eml", "The fee would be £450 under s.12; see the council’s guidance."),
        ("latin1_pound.eml", "Fee: £450"),
        ("qp_latin1.eml", "Fee: £450 due"),
    ],
)
def test_wrong_and_missing_charsets_decode_the_pound_sign(name: str, expected: str) -> None:
    """cp1252 labelled utf-8/us-ascii/nothing, utf-8 labelled latin-1: £ and ’ survive."""
    assert load(name).text == expected


def test_a_charset_guess_is_recorded_as_a_note() -> None:
    """When the declared charset was wrong, the note says what was used instead."""
    assert any("cp1252" in n for n in load("cp1252_as_utf8.eml").notes)


def test_broken_boundary_is_recovered_from_the_boundary_actually_used() -> None:
    """Declared boundary AAA, parts split by BBB: the text and the PDF are both found."""
    mail = load("broken_boundary.eml")
    assert mail.text == "This letter acts as a refusal notice under Section 17. Fee: £450."
    [pdf] = mail.attachments
    assert pdf.filename == "letter.pdf" and pdf.text and "not held" in pdf.text
    assert "StartBoundaryNotFoundDefect" in mail.defects
    assert any("boundary" in n for n in mail.notes)


def test_multipart_without_any_boundary_falls_back_to_the_raw_body() -> None:
    """A multipart with no boundary at all still yields its body as text."""
    mail = load("missing_boundary.eml")
    assert mail.text == "The information is not held by Leicester City Council."
    assert mail.reply_text == mail.text


def test_encoded_headers_rfc2047_and_rfc2231() -> None:
    """Split, broken and quoted encoded words decode; the RFC 2231 filename is joined."""
    mail = load("encoded_headers.eml")
    assert mail.subject == "Re: FOI – fee £450 ref Nº"
    assert mail.from_name == "Jörg Müller"
    assert mail.from_addr == "joerg.mueller@council.gov.uk"
    assert mail.cc == ("info@council.gov.uk",)
    assert mail.date == datetime(2021, 4, 9, 15, 45, tzinfo=UTC)
    [notice] = mail.attachments
    assert notice.filename == "Response £450 fee.txt"
    assert notice.text == "Fee notice: £450"


@pytest.mark.parametrize(
    ("name", "subject"),
    [
        ("utf7_encoded_subject.eml", "FOI £450 fee"),
        ("utf7_raw_subject.eml", "Re: FOI £450 fee – C++ -"),
    ],
)
def test_utf7_subjects_decode(name: str, subject: str) -> None:
    """=?utf-7?...?= words and raw UTF-7 runs decode; 'C++ -' is left alone."""
    assert load(name).subject == subject


def test_uuencoded_file_is_recovered_with_its_bytes() -> None:
    """An inline 'begin 644' block becomes an attachment and leaves the body text."""
    mail = load("uuencode.eml")
    [csv] = mail.attachments
    expected = "Year,Spend (£)\r\n2020,12500\r\n".encode("cp1252")
    assert csv.filename == "spend.csv" and csv.content_type == "text/csv"
    assert csv.sha256 == hashlib.sha256(expected).hexdigest() and csv.size == len(expected)
    assert csv.text is not None and "£" in csv.text
    assert "begin 644" not in mail.text
    assert mail.text == "Please find the data below.\n\nRegards, FOI Team"


def test_tnef_winmail_dat_contents_become_attachments() -> None:
    """winmail.dat is opened: its body is its text and its file is listed after it."""
    container, inner = load("tnef.eml").attachments
    assert container.filename == "winmail.dat"
    assert container.text == "Please see the attached response letter."
    assert (inner.filename, inner.parent, inner.text) == ("response.txt", "winmail.dat",
                                                          "FOI 10400: No.")  # fmt: skip


def test_nested_rfc822_is_parsed_recursively() -> None:
    """A forwarded council reply: its text and its PDF are read; our body stays ours."""
    mail = load("nested_rfc822.eml")
    assert mail.text == "Forwarding Trafford's answer."
    forwarded, pdf = mail.attachments
    assert forwarded.content_type == "message/rfc822"
    assert forwarded.filename == "RE FOI 10400.eml"
    assert forwarded.text is not None and "FOI 10400" in forwarded.text
    assert "From: Children Families & Wellbeing FOI" in forwarded.text
    assert pdf.parent == "RE FOI 10400.eml" and pdf.text and "not held" in pdf.text


def test_nesting_beyond_max_depth_is_not_opened() -> None:
    """With max_depth=0 the forwarded message is listed but not read."""
    raw = (FIXTURES / "nested_rfc822.eml").read_bytes()
    [forwarded] = parse_email(raw, ParseLimits(max_depth=0)).attachments
    assert forwarded.text is None and forwarded.note and "depth" in forwarded.note


def test_path_traversal_filenames_are_sanitised() -> None:
    """'../../etc/passwd' becomes 'passwd'; Windows paths, CON and bidi marks are defused."""
    names = [a.filename for a in load("passwd_attachment.eml").attachments]
    assert names == ["passwd", "_CON.txt"]
    assert not any("/" in n or "\\" in n or "\u202e" in n for n in names)


def test_html_only_mail_is_converted_without_script_or_style() -> None:
    """HTML-only mail reads as text; <script> and <style> content never appears."""
    mail = load("html_only.eml")
    assert mail.html_text is not None and mail.text == mail.html_text
    assert "We collect a broad range of data." in mail.text
    assert "Troubled Families Programme" in mail.text
    assert "NCC-049446-20" in mail.reply_text
    for secret in ("secret-script", "secret-style", "alert(", "color: red"):
        assert secret not in mail.text


def test_office_attachments_have_text() -> None:
    """DOCX, XLSX (labelled octet-stream) and a cp1252 CSV are all read."""
    docx, xlsx, csv = load("office_attachments.eml").attachments
    assert docx.text and "NCC-049446-20" in docx.text and "Power BI" in docx.text
    assert xlsx.text and "Acme Analytics" in xlsx.text and "12500" in xlsx.text
    assert csv.text and "Spend (£)" in csv.text


def test_dsn_bounce_keeps_delivery_status_fields() -> None:
    """A multipart/report bounce: report type, status, final recipient, returned id."""
    mail = load("dsn_bounce.eml")
    assert mail.is_report and mail.report_type == "delivery-status"
    assert mail.dsn_statuses == ("5.1.1",)
    assert mail.final_recipients == ("foi@closed-council.gov.uk",)
    assert mail.delivery_status is not None
    assert mail.delivery_status.reporting_mta == "mx.example.ac.uk"
    assert mail.delivery_status.recipients[0].action == "failed"
    assert mail.delivery_status.original_message_id == "req-77@example.ac.uk"
    assert mail.headers["X-Failed-Recipients"] == "foi@closed-council.gov.uk"
    assert "s.12" not in mail.text  # the returned request is an attachment, not our text


def test_auto_reply_headers_are_kept_for_later_stages() -> None:
    """Auto-Submitted, X-Autoreply, Precedence and X-POST-MessageClass are kept."""
    headers = load("wdtk_show_quoted.eml").headers
    assert headers["Auto-Submitted"] == "auto-replied"
    assert headers["X-Autoreply"] == "yes"
    assert headers["Precedence"] == "bulk"
    assert headers["X-POST-MessageClass"] == "9; Autoresponder"


@pytest.mark.parametrize(
    ("name", "subject", "defect"),
    [("empty.eml", "", "empty message"), ("headers_only.eml", "only headers", None)],
)
def test_empty_and_header_only_messages(name: str, subject: str, defect: str | None) -> None:
    """0 bytes gives an empty Email with a defect; headers only give empty text."""
    mail = load(name)
    assert (mail.subject, mail.text, mail.reply_text, mail.attachments) == (subject, "", "", ())
    assert mail.message_id is None and mail.date is None
    if defect:
        assert defect in mail.defects


def test_missing_message_id_and_date_are_none() -> None:
    """No Message-ID and no Date: None, and the rest is parsed."""
    mail = load("no_msgid_no_date.eml")
    assert (mail.message_id, mail.date, mail.text) == (None, None, "Hello.")


def test_30mb_attachment_is_hashed_but_not_extracted() -> None:
    """An attachment above max_extract_bytes keeps size and hash, text None, a note."""
    payload = b"%PDF-1.4\n" + bytes(range(256)) * (30_000_000 // 256)
    raw = (
        b"From: foi@council.gov.uk\nSubject: big\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/mixed; boundary=z\n\n--z\nContent-Type: text/plain\n\n"
        b"See attached.\n--z\nContent-Type: application/pdf; name=big.pdf\n"
        b"Content-Transfer-Encoding: base64\n\n" + base64.encodebytes(payload) + b"--z--\n"
    )
    started = time.perf_counter()
    mail = parse_email(raw)
    assert time.perf_counter() - started < 10
    [big] = mail.attachments
    assert big.size == len(payload) and big.sha256 == hashlib.sha256(payload).hexdigest()
    assert big.text is None and big.note and "limit" in big.note
    assert mail.text == "See attached."


def test_attachment_count_limit() -> None:
    """Attachments beyond max_attachments are skipped with a note."""
    mail = parse_email((FIXTURES / "office_attachments.eml").read_bytes(),
                       ParseLimits(max_attachments=1))  # fmt: skip
    assert len(mail.attachments) == 1
    assert any("first 1 attachments" in n for n in mail.notes)


def test_body_text_limit_truncates_with_a_note() -> None:
    """A body longer than max_text_chars is cut, and the note says so."""
    mail = parse_email(b"Subject: long\n\n" + b"x" * 5000, ParseLimits(max_text_chars=100))
    assert len(mail.text) == 100 and any("truncated" in n for n in mail.notes)


def assert_storable(mail: Email) -> None:
    texts = [mail.subject, mail.from_addr, mail.from_name, mail.text, mail.reply_text,
             mail.quoted_text, mail.signature, mail.html_text or "", *mail.to, *mail.cc,
             *mail.headers.values(), *mail.defects, *mail.notes]  # fmt: skip
    for att in mail.attachments:
        texts += [att.filename, att.content_type, att.text or "", att.note or ""]
    for text in texts:
        assert "\x00" not in text
        text.encode("utf-8")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000))
def test_never_raises_on_arbitrary_bytes(raw: bytes) -> None:
    """Any bytes at all give an Email whose text any UTF-8 database accepts."""
    assert_storable(parse_email(raw))


_SEEDS = [
    (FIXTURES / n).read_bytes()
    for n in ("outlook_reply.eml", "encoded_headers.eml", "tnef.eml", "broken_boundary.eml",
              "dsn_bounce.eml", "uuencode.eml", "office_attachments.eml")
]  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    raw = bytearray(draw(st.sampled_from(_SEEDS)))
    for _ in range(draw(st.integers(1, 8))):
        pos = draw(st.integers(0, len(raw)))
        action = draw(st.sampled_from(["flip", "cut", "insert", "truncate"]))
        if action == "flip" and pos < len(raw):
            raw[pos] = draw(st.integers(0, 255))
        elif action == "cut":
            del raw[pos : pos + draw(st.integers(1, 200))]
        elif action == "insert":
            raw[pos:pos] = draw(st.sampled_from(
                [b"\n", b"--", b"=?", b"?=", b"begin 644 x\n", b"\x00", b"\xff\xfe", b"boundary=",
                 b"Content-Type: multipart/mixed\n", b"\n\n", b"=\n", b">"]
            ))  # fmt: skip
        else:
            del raw[pos:]
    return bytes(raw)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_never_raises_on_mutated_valid_messages(raw: bytes) -> None:
    """Valid messages with bytes flipped, cut, inserted or truncated still parse."""
    mail = parse_email(raw)
    assert isinstance(mail, Email) and mail.size == len(raw)
    assert not any(d.startswith("parse failed") for d in mail.defects)
    assert_storable(mail)


# --- header and charset helpers ------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("=?utf-8?Q?FOI_request_=E2=80=93_fee?=", "FOI request – fee"),
        ("=?UTF-8?B?wqM0NTA=?=", "£450"),
        ("=?utf-8?B?wqM0NTA?=", "£450"),  # missing base64 padding
        ("=?utf-8?B?UmU6IOKA?= =?utf-8?B?kyBmZWU=?=", "Re: – fee"),  # split character
        ("Re:=?utf-8?Q?_caf=C3=A9?=", "Re: café"),  # glued to text
        ("=?iso-8859-1?Q?=A3450?= due", "£450 due"),
        ("=?x-unknown?Q?=A3450?=", "£450"),  # unknown charset
        ("=?utf-8*en?Q?hello?=", "hello"),  # RFC 2231 language
        ("=?utf-8?Q?truncated_word", "truncated word"),
        ("=?utf-7?Q?+AKM-450?=", "£450"),
        ("Re: +AKM-450", "Re: £450"),
        ("Tom&Jerry- C++ -", "Tom&Jerry- C++ -"),
        ("Fee\r\n £450", "Fee £450"),
        ("Caf\udcc3\udca9", "Café"),  # raw 8-bit UTF-8 header bytes
        (None, ""),
    ],
)
def test_decode_header_value(raw: str | None, expected: str) -> None:
    """Encoded words decode leniently; raw UTF-7 and 8-bit bytes too; never raises."""
    assert decode_header_value(raw) == expected


@pytest.mark.parametrize(
    ("data", "declared", "expected"),
    [
        ("£450 ’quoted’".encode("cp1252"), "utf-8", "£450 ’quoted’"),
        ("£450".encode(), "iso-8859-1", "£450"),
        ("£450".encode("latin-1"), None, "£450"),
        ("Grüße".encode("iso-8859-2"), "iso-8859-2", "Grüße"),
        (
            "Привет мир, это проверка кодировки текста".encode("koi8-r"),
            "koi8-r",
            "Привет мир, это проверка кодировки текста",
        ),
        (b"plain", "no-such-charset", "plain"),
    ],
)
def test_decode_bytes(data: bytes, declared: str | None, expected: str) -> None:
    """Declared charsets are trusted only as far as the bytes allow."""
    assert decode_bytes(data, declared).text == expected


def test_raw_utf7_needs_clean_padding() -> None:
    """A '+word-' run whose bits do not end cleanly is not UTF-7."""
    assert decode_raw_utf7("call +Jerry- now") == "call +Jerry- now"


@pytest.mark.parametrize(
    ("raw", "first", "all_ids"),
    [
        ("<a@b> <c@d>\n <a@b>", "a@b", ("a@b", "c@d")),
        ("bare@id.example", "bare@id.example", ()),
        ("", None, ()),
        ("no id here", None, ()),
    ],
)
def test_message_ids(raw: str, first: str | None, all_ids: tuple[str, ...]) -> None:
    """Ids lose their brackets; References keep order without duplicates."""
    assert msgid(raw) == first
    assert msgid_list(raw) == all_ids
