#!/usr/bin/env python3
"""Build the demo Maildir++ mailbox that ``make run`` uses and end-to-end tests read.

Usage: ``python demo/build_demo.py [OUTDIR]`` (default: ``demo/mailbox`` next to this
script). OUTDIR is deleted and rewritten.

Standard library only, and fully deterministic: fixed dates, fixed Message-IDs, fixed
MIME boundaries, fixed Maildir file names, no randomness and no current time, so that
running it twice gives byte-identical trees (``tests/test_demo_mailbox.py`` checks that
the committed tree is exactly what this script produces).

The story (as of Saturday 2026-11-21): the requester "Research Team
<research@example.ac.uk>" sent one FOI request text (a campaign) to eight fictional
authorities listed in ``demo/authorities.csv``; the replies in the INBOX cover the
shapes real councils produce. ``demo/README.md`` is the answer key: every message, the
request it belongs to, its kind and outcome, and what foibot should do with it.

Layout written (Maildir++):
    OUTDIR/{cur,new,tmp}           the INBOX
    OUTDIR/.Sent/{cur,new,tmp}     the requester's sent mail (+ ``maildirfolder``)
Only ``tmp`` directories get a ``.gitkeep`` (``cur``/``new`` always hold messages), because
Python 3.11's ``mailbox.Maildir`` would read a dot-file in ``cur``/``new`` as a message.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import sys
import textwrap
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from html import escape
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUTDIR = HERE / "mailbox"
AUTHORITIES_CSV = HERE / "authorities.csv"

BST = dt.timezone(dt.timedelta(hours=1))  # British Summer Time ends 25 October 2026
GMT = dt.UTC

REQUESTER_NAME = "Research Team"
REQUESTER_EMAIL = "research@example.ac.uk"
REQUESTER = formataddr((REQUESTER_NAME, REQUESTER_EMAIL))
SUBJECT = "Freedom of Information request - use of data analytics in children's services"
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Thunderbird/128.3.0"
OUTLOOK_MAILER = "Microsoft Outlook 16.0"


def when(year: int, month: int, day: int, hour: int, minute: int, second: int = 0) -> dt.datetime:
    """A UK local time with the right offset for 2026 (BST until 25 October 01:00 UTC)."""
    naive = dt.datetime(year, month, day, hour, minute, second)
    tz = BST if naive < dt.datetime(2026, 10, 25, 2, 0) else GMT
    return naive.replace(tzinfo=tz)


# --------------------------------------------------------------------------- authorities


@dataclass(frozen=True)
class Authority:
    name: str
    email: str
    nation: str
    kind: str
    domains: tuple[str, ...]

    @property
    def to(self) -> str:
        return formataddr((self.name, self.email))


def load_authorities(path: Path = AUTHORITIES_CSV) -> dict[str, Authority]:
    """Authorities keyed by the first word of their name, lower-cased (``northmoor``...)."""
    out: dict[str, Authority] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            key = row["name"].split()[0].lower().replace("'", "")
            if key == "london":  # "London Borough of Hartwell"
                key = row["name"].split()[-1].lower()
            out[key] = Authority(
                name=row["name"],
                email=row["email"],
                nation=row["nation"],
                kind=row["kind"],
                domains=tuple((row.get("domains") or "").split()),
            )
    return out


# --------------------------------------------------------------------------- texts

QUESTIONS = """\
Please can you supply the following information:

1) Has your organisation used any data analytics, predictive analytics and or artificial \
intelligence systems to support children's service provision? If so, which?
2) Is your organisation using any data analytics, predictive analytics and or artificial \
intelligence systems to support children's service provision? If so, which?
3) Is your organisation intending to use data analytics, predictive analytics and or \
artificial intelligence systems to support children's service provision? If so, which?
4) Details of any briefing notes, reports, or summaries relating to the use or potential use \
of data analytics, predictive analytics and or artificial intelligence systems to support \
children's service provision.
5) Any meeting minutes, reports or presentation materials on the efficacy or impact of data \
analytics, predictive analytics and or artificial intelligence systems to support children's \
service provision.
6) Details of any third-party consultants or suppliers of data analytics, predictive \
analytics or artificial intelligence systems including any contracts, memoranda of \
understanding, or other agreements (which may include but not exclusively data sharing \
agreements).

Please note, the timeframe for questions 4-6 is indefinite.

By data analytics we mean the processing of families' data to draw conclusions about the \
information it contains and to uncover patterns and insights from it. This may be via \
computer packages or dashboards.
By predictive analytics, we mean using families' data to create predictive models that can \
be used for risk assessment, scoring systems or to inform decision-making.
By artificial intelligence/algorithmic automated systems we mean the process of using \
families' data to develop systems that make decisions by automated means. This includes \
tasks normally requiring human intelligence, such as speech recognition and decision-making.
By children, we include all those 0-18 years old.
By children's service provision we include information relating to all services the \
authority provides for children and families, including children's social care, education \
and learning, early years services, youth services and youth offending teams."""

COST_PARAGRAPH_FOIA = (
    "If it is not possible to provide the information requested due to the information "
    "exceeding the cost of compliance limits identified in s.12 FOIA, please provide advice "
    "and assistance as to how we can refine our request, as required under s.16 FOIA."
)
COST_PARAGRAPH_FOISA = (
    "If it is not possible to provide the information requested because the cost of "
    "compliance would exceed the limit identified in section 12 FOISA, please provide advice "
    "and assistance as to how we can refine our request, as required under section 15 FOISA."
)

SIGNATURE = """\
Yours faithfully,

Research Team
Department of Social Policy, Example University
research@example.ac.uk"""


def request_text(authority: Authority) -> str:
    """The campaign's request letter; Scottish authorities get the FOISA wording."""
    scottish = authority.nation == "scotland"
    act = (
        "Freedom of Information (Scotland) Act 2002"
        if scottish
        else "Freedom of Information Act 2000"
    )
    cost = COST_PARAGRAPH_FOISA if scottish else COST_PARAGRAPH_FOIA
    return (
        f"Dear {authority.name},\n\n"
        f"We are submitting the following request under the {act} for information relating "
        "to previous, current or planned uses of data analytics, predictive analytics, or "
        "algorithmic automated systems used for processing, risk assessment, scoring systems "
        "or automated decision making in relation to child and family services within the "
        "jurisdiction of your authority.\n\n"
        f"{QUESTIONS}\n\n{cost}\n\n{SIGNATURE}\n"
    )


def quote_gt(text: str) -> str:
    """Quote text the way Thunderbird/Gmail do: '> ' before every line."""
    return "\n".join(("> " + line) if line else ">" for line in text.rstrip("\n").split("\n"))


def wrap(text: str, width: int = 88) -> list[str]:
    """Wrap paragraphs into PDF lines (blank line kept between paragraphs)."""
    lines: list[str] = []
    for para in text.split("\n"):
        if not para.strip():
            lines.append("")
            continue
        indent = "   " if para[:2] in {"1)", "2)", "3)", "4)", "5)", "6)"} else ""
        lines.extend(textwrap.wrap(para, width=width, subsequent_indent=indent) or [""])
    return lines


# --------------------------------------------------------------------------- PDF


def build_pdf(lines: list[str], title: str) -> bytes:
    """A minimal valid PDF 1.4: one A4 page, Helvetica Type1, uncompressed content stream.

    The xref table holds the real byte offsets, so pypdf/pdftotext extract the text.
    Text must be ASCII (WinAnsi encoding would cover more, but ASCII keeps extraction
    identical in every tool).
    """

    def esc(s: str) -> str:
        if not s.isascii():
            raise ValueError(f"PDF text must be ASCII: {s!r}")
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    content = "BT\n/F1 10 Tf\n13 TL\n56 790 Td\n"
    content += "".join(f"({esc(line)}) Tj\nT*\n" for line in lines)
    content += "ET\n"
    stream = content.encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"endstream",
        (
            f"<< /Title ({esc(title)}) /Author (Netherfield County Council) "
            "/Producer (foibot demo/build_demo.py) "
            "/CreationDate (D:20261012164500+01'00') >>"
        ).encode("ascii"),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref_at = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode()
    out += b"0000000000 65535 f \n"
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n"
        f"startxref\n{xref_at}\n%%EOF\n"
    ).encode()
    return bytes(out)


# --------------------------------------------------------------------------- messages


@dataclass
class Item:
    """One message file: folder ('' = INBOX, '.Sent'), subdir (cur/new), name, bytes."""

    folder: str
    subdir: str
    name: str
    data: bytes


def new_message(
    *,
    from_: str,
    to: str,
    subject: str,
    date: dt.datetime,
    message_id: str,
    in_reply_to: str | None = None,
    references: list[str] | None = None,
    received: str | None = None,
    extra: list[tuple[str, str]] | None = None,
) -> EmailMessage:
    msg = EmailMessage(policy=policy.SMTP)
    if received:
        put(msg, "Return-Path", "<" + from_.rsplit("<", 1)[-1].rstrip(">") + ">")
        put(msg, "Delivered-To", REQUESTER_EMAIL)
        put(msg, "Received", received)
    msg["From"] = from_
    msg["To"] = to
    put(msg, "Subject", subject)
    put(msg, "Date", format_datetime(date))
    put(msg, "Message-ID", message_id)
    if in_reply_to:
        put(msg, "In-Reply-To", in_reply_to)
    if references:
        put(msg, "References", " ".join(references))
    for name, value in extra or []:
        put(msg, name, value)
    put(msg, "MIME-Version", "1.0")
    return msg


def put(msg: EmailMessage, name: str, value: str, width: int = 78) -> None:
    """Add a header, folded at spaces the way mail clients do.

    Python's own folding moves a value that does not fit on the first line whole onto a
    continuation line ("Subject:" CRLF " Freedom of ..."), which then unfolds with a
    leading space. ASCII values are therefore folded here and stored raw (``set_raw``);
    non-ASCII values go through the policy (RFC 2047 encoded words).
    """
    if not value.isascii():
        msg[name] = value
        return
    lines: list[str] = []
    line = ""
    room = width - len(name) - 2  # the first line carries "Name: "
    for word in value.split(" "):
        if line and len(line) + 1 + len(word) > room:
            lines.append(line)
            line, room = word, width - 1  # continuation lines start with one space
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    if len(name) + 2 + len(lines[0]) > width or any(len(x) + 1 > width for x in lines[1:]):
        raise ValueError(f"{name}: a word is too long to fold within {width} columns")
    msg.set_raw(name, "\n ".join(lines))


def received_line(host: str, ip: str, queue_id: str, date: dt.datetime) -> str:
    return (
        f"from {host} ({host} [{ip}]) by mx1.example.ac.uk (Postfix) with ESMTPS id "
        f"{queue_id} for <{REQUESTER_EMAIL}>; {format_datetime(date)}"
    )


def set_text(msg: EmailMessage, text: str, html: str | None = None) -> None:
    """Plain text body (quoted-printable when needed) plus an optional HTML alternative."""
    simple = text.isascii() and max(len(line) for line in text.split("\n")) <= 76
    msg.set_content(text, cte=None if simple else "quoted-printable")
    if html is not None:
        msg.add_alternative(html, subtype="html", cte="quoted-printable")


def finish(msg: EmailMessage, tag: str) -> bytes:
    """Give every multipart a fixed boundary and serialise with CRLF line ends."""
    for number, part in enumerate(msg.walk()):
        if part.is_multipart():
            part.set_boundary(f"----=_Part_{tag}_{number}")
    return msg.as_bytes(policy=policy.SMTP)


def html_page(body_html: str) -> str:
    return (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        "</head>\n<body>\n" + body_html + "\n</body></html>\n"
    )


def paras_html(text: str) -> str:
    """Paragraphs of plain text as <p> blocks (HTML-escaped)."""
    blocks = [b for b in text.strip().split("\n\n") if b.strip()]
    return "\n".join("<p>" + escape(b).replace("\n", "<br>\n") + "</p>" for b in blocks)


def maildir_name(date: dt.datetime, seq: int, pid: int, flags: str | None) -> str:
    base = f"{int(date.timestamp())}.M{seq}P{pid}.demo"
    return base if flags is None else f"{base}:2,{flags}"


# Message-IDs of the requester's outgoing mail (the threading anchors).
MID_SENT = {
    "northmoor": "<foi-req-northmoor.20260914090200@example.ac.uk>",
    "caerwen": "<foi-req-caerwen.20260914090400@example.ac.uk>",
    "glenmuir": "<foi-req-glenmuir.20260914090600@example.ac.uk>",
    "netherfield": "<foi-req-netherfield.20260914090800@example.ac.uk>",
    "hartwell": "<foi-req-hartwell.20260914091000@example.ac.uk>",
    "brackenvale": "<foi-req-brackenvale.20260914091200@example.ac.uk>",
    "st": "<foi-req-st-aidans.20261005101500@example.ac.uk>",
    "loughside": "<foi-req-loughside.20261026093000@example.ac.uk>",
}
MID_GLENMUIR_CLARIFY_ASK = "<GC.FOISA.26-117.20260921150500@glenmuir.gov.example>"
MID_GLENMUIR_CLARIFY_REPLY = "<foi-clarification-glenmuir.20261109100500@example.ac.uk>"

SENT_DATES = {
    "northmoor": when(2026, 9, 14, 9, 2),
    "caerwen": when(2026, 9, 14, 9, 4),
    "glenmuir": when(2026, 9, 14, 9, 6),
    "netherfield": when(2026, 9, 14, 9, 8),
    "hartwell": when(2026, 9, 14, 9, 10),
    "brackenvale": when(2026, 9, 14, 9, 12),
    "st": when(2026, 10, 5, 10, 15),
    "loughside": when(2026, 10, 26, 9, 30),
}


def outgoing_requests(auth: dict[str, Authority]) -> list[tuple[str, EmailMessage]]:
    out = []
    for key, date in SENT_DATES.items():
        a = auth[key]
        msg = new_message(
            from_=REQUESTER,
            to=a.to,
            subject=SUBJECT,
            date=date,
            message_id=MID_SENT[key],
            extra=[("User-Agent", USER_AGENT), ("Content-Language", "en-GB")],
        )
        set_text(msg, request_text(a))
        out.append((key, msg))
    return out


def sent_items(auth: dict[str, Authority]) -> tuple[list[Item], dict[str, bytes]]:
    items: list[Item] = []
    raw: dict[str, bytes] = {}
    for seq, (key, msg) in enumerate(outgoing_requests(auth), start=1):
        data = finish(msg, f"sent{seq}")
        raw[key] = data
        date = SENT_DATES[key]
        items.append(Item(".Sent", "cur", maildir_name(date, seq, 2, "S"), data))

    # The requester's answer to Glenmuir's clarification request. Delivered to .Sent by
    # the LDA as a Bcc-to-self copy, so it sits in new/ without flags.
    g = auth["glenmuir"]
    date = when(2026, 11, 9, 10, 5)
    msg = new_message(
        from_=REQUESTER,
        to=formataddr(("Glenmuir Council FOI Team", g.email)),
        subject=f"Re: {SUBJECT} [FOISA 26/117]",
        date=date,
        message_id=MID_GLENMUIR_CLARIFY_REPLY,
        in_reply_to=MID_GLENMUIR_CLARIFY_ASK,
        references=[MID_SENT["glenmuir"], MID_GLENMUIR_CLARIFY_ASK],
        extra=[("User-Agent", USER_AGENT), ("Content-Language", "en-GB")],
    )
    text = (
        "Dear Ms MacLeod,\n\n"
        "Thank you for your email of 21 September about our request (your reference "
        "FOISA 26/117), and apologies for the slow reply.\n\n"
        '1. Please treat "children\'s service provision" as Children and Families social '
        "work services only (including early help and youth justice), not schools or "
        "education services.\n"
        "2. Please limit questions 4 to 6 to information dated from 1 January 2023 to the "
        "present.\n\n"
        "Yours sincerely,\n\nResearch Team\n"
        "Department of Social Policy, Example University\n\n"
        "On 21/09/2026 15:05, Glenmuir Council FOI Team wrote:\n"
        + quote_gt(GLENMUIR_CLARIFICATION)
        + "\n"
    )
    set_text(msg, text)
    items.append(Item(".Sent", "new", maildir_name(date, 9, 2, None), finish(msg, "sent9")))
    return items, raw


GLENMUIR_CLARIFICATION = """\
Dear Research Team

Freedom of Information (Scotland) Act 2002 - request for clarification
Our reference: FOISA 26/117

Thank you for your request for information, which we received on 14 September 2026.

In order to respond to your request we need some further information from you (section \
1(3) of the Freedom of Information (Scotland) Act 2002). Could you please clarify:

1. whether by "children's service provision" you mean only Children and Families social \
work services, or whether you also want information about schools and education services, \
which are managed separately by our Education Resources service; and
2. what period you would like questions 4 to 6 to cover. Our records go back to 2009 and an \
open-ended search is likely to take us over the cost limit.

Please reply to this email quoting FOISA 26/117. We are not obliged to respond to your \
request until we receive this information; the 20 working day period for responding will \
start again on the day we receive your clarification.

Kind regards

Fiona MacLeod
Information Officer
Legal and Democratic Services
Glenmuir Council
01632 960117
"""


def inbox_items(auth: dict[str, Authority], sent_raw: dict[str, bytes]) -> list[Item]:
    items: list[Item] = []

    def add(msg: EmailMessage, date: dt.datetime, flags: str | None = "S") -> None:
        seq = len(items) + 1
        subdir = "new" if flags is None else "cur"
        data = finish(msg, f"in{seq}")
        items.append(Item("", subdir, maildir_name(date, seq, 1, flags), data))

    n, c, g, nf, h, b = (
        auth["northmoor"],
        auth["caerwen"],
        auth["glenmuir"],
        auth["netherfield"],
        auth["hartwell"],
        auth["brackenvale"],
    )

    # 1. Northmoor: generic automatic notice from the Data Protection mailbox (auto_reply).
    date = when(2026, 9, 14, 9, 2, 41)
    msg = new_message(
        from_='"Data Protection, Northmoor Metropolitan Borough Council" '
        "<dataprotection@northmoor.gov.example>",
        to=REQUESTER,
        subject=f"RE: {SUBJECT}",
        date=date,
        message_id="<AUTO.20260914080241.77310@northmoor.gov.example>",
        in_reply_to=MID_SENT["northmoor"],
        references=[MID_SENT["northmoor"]],
        received=received_line("mx.northmoor.gov.example", "192.0.2.10", "4Zq0a1B2c3z1", date),
        extra=[("Auto-Submitted", "auto-replied"), ("X-Auto-Response-Suppress", "All")],
    )
    set_text(
        msg,
        "Thank you for your email.\n\n"
        "Please note that Information Governance staff (including Legal Services and the "
        "Data Protection Officer) are working in a hybrid way and are in the office only on "
        "some days. Wherever possible, please avoid posting documents to us and use "
        "electronic communication instead.\n\n"
        "Our response times to correspondence may be longer than usual while we continue "
        "to support our frontline services.\n\n"
        "Kind regards\n\nInformation Governance Team\n"
        "Northmoor Metropolitan Borough Council\n",
    )
    add(msg, date)

    # 2. Northmoor: CRM auto-acknowledgement, "reference number 10412", no threading headers.
    date = when(2026, 9, 14, 9, 3, 15)
    msg = new_message(
        from_=formataddr(("Northmoor Council", "noreply@crm.northmoor.gov.example")),
        to=REQUESTER,
        subject="Thank you for your enquiry",
        date=date,
        message_id="<CRM-10412-ack.20260914080315@crm.northmoor.gov.example>",
        received=received_line("crm.northmoor.gov.example", "192.0.2.11", "4Zq0a2D4e5z2", date),
        extra=[("Auto-Submitted", "auto-generated"), ("X-Mailer", "Northmoor CRM Notify 4.2")],
    )
    set_text(
        msg,
        "Thank you for your email.\n\n"
        "Your enquiry has been given the reference number 10412. Please quote this in all "
        "future correspondence with regard to this enquiry.\n\n"
        "We aim to respond fully to all emails from the public as soon as possible, where "
        "they are seeking a response.\n\n"
        "If you are requesting information under the Freedom of Information Act or "
        "Environmental Information Regulations, there is a 20 working day statutory "
        "timescale within which to provide the information requested, subject to any "
        "exemptions which may apply. The 20 working day timescale will start on the first "
        "working day following receipt of your email.\n\n"
        "If you have access to the Internet you may wish to see if your enquiry can be dealt "
        "with online at www.northmoor.gov.example.\n\n"
        "Thank you\nNorthmoor Council\n",
    )
    add(msg, date)

    # 3. Caerwen: bilingual auto-acknowledgement from the Welsh-language domain.
    date = when(2026, 9, 14, 9, 4, 52)
    msg = new_message(
        from_='"Cyngor Sir Caerwen | Caerwen County Council" <noreply@caerwen.cymru.example>',
        to=REQUESTER,
        subject="Cydnabyddiaeth / Acknowledgement - FOI/2026/0456",
        date=date,
        message_id="<ack.FOI-2026-0456.20260914080452@caerwen.cymru.example>",
        in_reply_to=MID_SENT["caerwen"],
        references=[MID_SENT["caerwen"]],
        received=received_line("mx.caerwen.cymru.example", "192.0.2.20", "4Zq0a3F6g7z3", date),
        extra=[("Auto-Submitted", "auto-generated"), ("Content-Language", "cy-GB, en-GB")],
    )
    set_text(
        msg,
        "Annwyl Ymgeisydd,\n\n"
        "Diolch am eich cais am wybodaeth, a ddaeth i law ar 14 Medi 2026. Cyfeirnod eich "
        "cais yw FOI/2026/0456. Byddwn yn ymateb i'ch cais o fewn 20 diwrnod gwaith.\n\n"
        "Cofion,\nTîm Llywodraethu Gwybodaeth\nCyngor Sir Caerwen\n\n"
        "----------------------------------------\n\n"
        "Dear Applicant,\n\n"
        "Thank you for your request for information, which was received on 14 September "
        "2026. Your request reference is FOI/2026/0456. We will respond to your request "
        "within 20 working days.\n\n"
        "Regards,\nInformation Governance Team\nCaerwen County Council\n\n"
        "Mae'r neges hon wedi'i chynhyrchu'n awtomatig. / This message was generated "
        "automatically.\n",
    )
    add(msg, date)

    # 4. Hartwell: Outlook out-of-office from the officer behind the FOI mailbox.
    date = when(2026, 9, 14, 9, 10, 31)
    msg = new_message(
        from_=formataddr(("Priya Shah", "priya.shah@hartwell.gov.example")),
        to=REQUESTER,
        subject=f"Automatic reply: {SUBJECT}",
        date=date,
        message_id="<LO2P265MB0417AUTO0914081031@hartwell.gov.example>",
        in_reply_to=MID_SENT["hartwell"],
        references=[MID_SENT["hartwell"]],
        received=received_line("mail.hartwell.gov.example", "192.0.2.50", "4Zq0a4H8i9z4", date),
        extra=[
            ("Thread-Topic", SUBJECT),
            ("Thread-Index", "AQHdJYt6kM3q0XfVQ0m4b2w1hYvJ8A=="),
            ("Auto-Submitted", "auto-replied"),
            ("X-Auto-Response-Suppress", "All"),
            ("X-MS-Exchange-Inbox-Rules-Loop", "priya.shah@hartwell.gov.example"),
            ("Content-Language", "en-GB"),
            ("X-MS-Has-Attach", ""),
            ("X-Mailer", OUTLOOK_MAILER),
        ],
    )
    set_text(
        msg,
        "Thank you for your email. I am out of the office until Monday 21 September 2026 "
        "with no access to email.\n\n"
        "Freedom of Information requests are still being logged: please do not resend "
        "your request. For anything urgent, please contact the Information Governance "
        "team at foi@hartwell.gov.example or on 01632 960350.\n\n"
        "Priya Shah\nInformation Governance Manager\nLondon Borough of Hartwell\n",
        html_page(
            "<p>Thank you for your email. I am out of the office until Monday 21 September "
            "2026 with no access to email.</p>\n<p>Freedom of Information requests are still "
            "being logged: please do not resend your request. For anything urgent, please "
            'contact the Information Governance team at <a href="mailto:foi@hartwell.gov.'
            'example">foi@hartwell.gov.example</a> or on 01632 960350.</p>\n'
            "<p>Priya Shah<br>Information Governance Manager<br>London Borough of Hartwell"
            "</p>"
        ),
    )
    add(msg, date)

    # 5. Brackenvale: hard bounce (RFC 3464 DSN built by our own MTA), 5.1.1 user unknown.
    date = when(2026, 9, 14, 9, 12, 7)
    items.append(Item("", "cur", maildir_name(date, len(items) + 1, 1, "S"), bounce(b, sent_raw)))

    # 6. Netherfield: auto-acknowledgement from a notify sub-domain, reference NCC-051234-26.
    date = when(2026, 9, 15, 8, 1, 12)
    msg = new_message(
        from_=formataddr(
            ("Netherfield County Council", "noreply@notify.netherfieldcc.gov.example")
        ),
        to=REQUESTER,
        subject="Acknowledgement of your request NCC-051234-26",
        date=date,
        message_id="<ncc051234.ack.20260915070112@notify.netherfieldcc.gov.example>",
        references=[MID_SENT["netherfield"]],
        received=received_line(
            "notify.netherfieldcc.gov.example", "192.0.2.40", "4Zq0a5J1k2z5", date
        ),
        extra=[("Auto-Submitted", "auto-generated")],
    )
    set_text(
        msg,
        "Dear Requester\n\n"
        f"Request: {SUBJECT}\n\n"
        "Thank you for your request for information, which we received on 14 September "
        "2026. Your request has been given the reference NCC-051234-26; please quote it in "
        "any correspondence about this request.\n\n"
        "We will respond promptly and in any case within 20 working days, by 12 October "
        "2026. If we need to clarify your request or charge a fee we will contact you.\n\n"
        "This is an automated message. Please do not reply to this address.\n\n"
        "Complaints & Information Team\nNetherfield County Council\n",
    )
    add(msg, date)

    # 7. Glenmuir: clarification request under FOISA s.1(3); we replied (flag R).
    date = when(2026, 9, 21, 15, 5)
    msg = new_message(
        from_=formataddr(("Glenmuir Council FOI Team", g.email)),
        to=REQUESTER,
        subject=f"RE: {SUBJECT} [FOISA 26/117]",
        date=date,
        message_id=MID_GLENMUIR_CLARIFY_ASK,
        in_reply_to=MID_SENT["glenmuir"],
        references=[MID_SENT["glenmuir"]],
        received=received_line("mx.glenmuir.gov.example", "192.0.2.30", "4Zq0a6L3m4z6", date),
    )
    set_text(msg, GLENMUIR_CLARIFICATION)
    add(msg, date, flags="RS")

    # 8. Northmoor: full response, Outlook reply from the CRM domain, quotes our request.
    date = when(2026, 10, 8, 14, 27, 3)
    response = NORTHMOOR_RESPONSE
    original = (
        "-----Original Message-----\n"
        f"From: {REQUESTER_NAME} <{REQUESTER_EMAIL}>\n"
        "Sent: 14 September 2026 09:02\n"
        f"To: FOI <{n.email}>\n"
        f"Subject: {SUBJECT}\n\n" + request_text(n)
    )
    msg = new_message(
        from_=formataddr(("Children's Services FOI", "foi-requests@northmoor-council.example")),
        to=REQUESTER,
        subject=f"RE: {SUBJECT} [FOI 10412]",
        date=date,
        message_id="<DB9PR06MB7654D1E2F3A4B5C6@northmoor-council.example>",
        in_reply_to=MID_SENT["northmoor"],
        references=[MID_SENT["northmoor"]],
        received=received_line(
            "mail.northmoor-council.example", "192.0.2.12", "4Zq0a7N5o6z7", date
        ),
        extra=[
            ("Thread-Topic", SUBJECT),
            ("Thread-Index", "AQHdJYt5c0ZxJ2b8TkW3nQ8m5b1hPwCAgABNn4A="),
            ("Content-Language", "en-GB"),
            ("X-MS-Has-Attach", ""),
            ("X-MS-TNEF-Correlator", ""),
            ("X-Mailer", OUTLOOK_MAILER),
        ],
    )
    set_text(
        msg,
        response + "\n" + original,
        html_page(
            paras_html(response)
            + '\n<div id="divRplyFwdMsg"><hr>\n<p><b>From:</b> '
            + escape(f"{REQUESTER_NAME} <{REQUESTER_EMAIL}>")
            + "<br>\n<b>Sent:</b> 14 September 2026 09:02<br>\n<b>To:</b> "
            + escape(f"FOI <{n.email}>")
            + "<br>\n<b>Subject:</b> "
            + escape(SUBJECT)
            + "</p></div>\n"
            + paras_html(request_text(n))
        ),
    )
    add(msg, date)

    # 9. Caerwen: s.12 cost-limit refusal with s.16 advice (narrow to the last 12 months).
    date = when(2026, 10, 9, 11, 42, 18)
    msg = new_message(
        from_=formataddr(("Information Governance Team", c.email)),
        to=REQUESTER,
        subject=f"FOI/2026/0456 - {SUBJECT}",
        date=date,
        message_id="<FOI-2026-0456.resp.20261009104218@caerwen.gov.example>",
        received=received_line("mx.caerwen.gov.example", "192.0.2.21", "4Zq0a8P7q8z8", date),
        extra=[("Content-Language", "en-GB")],
    )
    set_text(msg, CAERWEN_REFUSAL, html_page(paras_html(CAERWEN_REFUSAL)))
    add(msg, date)

    # 10. Hartwell: s.10(3) public-interest extension, quoting our request underneath.
    date = when(2026, 10, 9, 12, 15, 44)
    msg = new_message(
        from_=formataddr(("Information Governance - London Borough of Hartwell", h.email)),
        to=REQUESTER,
        subject=f"RE: {SUBJECT} - our ref IG/FOI/3391",
        date=date,
        message_id="<IG-FOI-3391.ext.20261009111544@hartwell.gov.example>",
        in_reply_to=MID_SENT["hartwell"],
        references=[MID_SENT["hartwell"]],
        received=received_line("mail.hartwell.gov.example", "192.0.2.50", "4Zq0a9R9s1z9", date),
        extra=[("Content-Language", "en-GB")],
    )
    set_text(
        msg,
        HARTWELL_EXTENSION
        + "\nOn Mon, 14 Sep 2026 at 09:10, Research Team <research@example.ac.uk> wrote:\n"
        + quote_gt(request_text(h))
        + "\n",
    )
    add(msg, date)

    # 11. Netherfield: partial response; only the reference in a new subject, no threading
    #     headers; the detail is in the PDF letter.
    date = when(2026, 10, 12, 16, 48, 33)
    msg = new_message(
        from_=formataddr(("Complaints & Information Team", nf.email)),
        to=REQUESTER,
        subject="Freedom of Information Request NCC-051234-26",
        date=date,
        message_id="<NCC-051234-26.resp.20261012154833@netherfieldcc.gov.example>",
        received=received_line("mx.netherfieldcc.gov.example", "192.0.2.41", "4Zq0b1T2u3zA", date),
        extra=[("Content-Language", "en-GB")],
    )
    set_text(
        msg,
        "Dear Requester\n\n"
        "Please find attached the County Council's response to your request for "
        "information NCC-051234-26.\n\n"
        "Please note that some of the information you asked for is not held and part of it "
        "has been withheld; the attached letter explains why and how to ask for a review.\n\n"
        "With kind regards\n\n"
        "Complaints & Information Team\nChief Executive's Department\n"
        "Netherfield County Council\n01632 960142\n\nwww.netherfieldcc.gov.example\n",
    )
    msg.add_attachment(
        netherfield_pdf(),
        maintype="application",
        subtype="pdf",
        filename=NETHERFIELD_PDF_NAME,
    )
    add(msg, date)

    # 12. Loughside: auto-acknowledgement from a mail sub-domain, new subject, no threading.
    date = when(2026, 10, 26, 9, 31, 40)
    msg = new_message(
        from_=formataddr(("Loughside HSC Trust", "donotreply@mail.loughside.hscni.example")),
        to=REQUESTER,
        subject="Information request received - LHSCT-FOI-1187",
        date=date,
        message_id="<LHSCT-FOI-1187.20261026093140@mail.loughside.hscni.example>",
        received=received_line("mail.loughside.hscni.example", "192.0.2.60", "4Zq0b2V4w5zB", date),
        extra=[("Auto-Submitted", "auto-generated")],
    )
    set_text(
        msg,
        "Dear Sir/Madam\n\n"
        "Thank you for your request for information under the Freedom of Information Act "
        "2000, which was received by the Trust on 26 October 2026.\n\n"
        f"Subject of request: {SUBJECT}\n\n"
        "Your request has been allocated reference LHSCT-FOI-1187. The Trust will respond "
        "within 20 working days of receipt, that is by 23 November 2026.\n\n"
        "Information Governance Department\nLoughside Health and Social Care Trust\n\n"
        "This mailbox is not monitored.\n",
    )
    add(msg, date)

    # 13. Unrelated: Northmoor's newsletter (same domain as an authority!), unread.
    date = when(2026, 11, 5, 7, 0)
    msg = new_message(
        from_=formataddr(("Northmoor Council", "news@northmoor.gov.example")),
        to=REQUESTER,
        subject="Northmoor News: November 2026 – winter services, family hubs and more",
        date=date,
        message_id="<news-2026-11.3f9a1c@northmoor.gov.example>",
        received=received_line("bulk.northmoor.gov.example", "192.0.2.13", "4Zq0b3X6y7zC", date),
        extra=[
            ("List-Id", "Northmoor News <news.northmoor.gov.example>"),
            (
                "List-Unsubscribe",
                "<https://www.northmoor.gov.example/unsubscribe?list=news>, "
                "<mailto:unsubscribe@northmoor.gov.example?subject=news>",
            ),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
            ("Precedence", "bulk"),
        ],
    )
    set_text(msg, NEWSLETTER, html_page(paras_html(NEWSLETTER)))
    add(msg, date, flags=None)

    # 14. Unrelated: a personal email, unread.
    date = when(2026, 11, 18, 19, 42, 9)
    msg = new_message(
        from_=formataddr(("Sam Taylor", "sam.taylor@mail.example")),
        to=REQUESTER,
        subject="Friday?",
        date=date,
        message_id="<CAF3k9xq2Lr7demo0Zp1@mail.example>",
        received=received_line("smtp.mail.example", "198.51.100.7", "4Zq0b4Z8a9zD", date),
        extra=[("Content-Language", "en-GB")],
    )
    set_text(
        msg,
        "Hi both,\n\n"
        "Are we still on for Friday? I can book the table at the Crown for 7.\n\n"
        "How's the council project going - has anyone actually answered yet?\n\n"
        "Sam\n",
    )
    add(msg, date, flags=None)
    return items


NORTHMOOR_RESPONSE = """\
Dear Research Team,

I am writing in response to your Freedom of Information request (FOI 10412) dated \
14 September 2026. Please find the Council's response below.

1) Has your organisation used any data analytics, predictive analytics and or artificial \
intelligence systems to support children's service provision?

Yes. Children's Services use Microsoft Power BI dashboards, refreshed nightly from the \
social care case management system, to monitor caseloads, the timeliness of assessments \
and placement sufficiency.

2) Is your organisation using any data analytics, predictive analytics and or artificial \
intelligence systems to support children's service provision?

Yes. In addition to the dashboards above, the Early Help service uses a forecasting model \
built in house to predict demand on the Multi-Agency Safeguarding Hub (MASH). No artificial \
intelligence system is used to make decisions about individual children or families.

3) Is your organisation intending to use data analytics, predictive analytics and or \
artificial intelligence systems to support children's service provision?

The Council intends to pilot an AI transcription tool for social work case notes from \
April 2027, subject to a data protection impact assessment.

4) Details of any briefing notes, reports, or summaries.

The briefing note "Using data to plan early help" (Children's Services Leadership Team, \
3 March 2026) is published at \
https://www.northmoor.gov.example/foi/disclosures/10412-briefing-note.pdf

5) Any meeting minutes, reports or presentation materials on the efficacy or impact.

The evaluation of the MASH demand model was reported to the Children's Scrutiny Committee \
on 17 June 2025: https://democracy.northmoor.gov.example/meetings/2025-06-17/item-7

6) Details of any third-party consultants or suppliers.

All of the work described above is carried out in house. Power BI licences are part of \
the Council's corporate Microsoft agreement; there are no other contracts, memoranda of \
understanding or data sharing agreements for these systems.

I hope this is helpful. If you are dissatisfied with the handling of your request, you \
have the right to ask for an internal review within 40 working days of the date of this \
response, by writing to foi@northmoor.gov.example and quoting FOI 10412. If you are not \
content with the outcome of the internal review, you may apply to the Information \
Commissioner's Office, Wycliffe House, Water Lane, Wilmslow, Cheshire SK9 5AF.

Kind Regards

Tomasz Nowak
Information Governance Officer
Children's Services, Northmoor Metropolitan Borough Council
Tel: 01632 960412
"""

CAERWEN_REFUSAL = """\
Dear Research Team,

Freedom of Information Act 2000 - request reference FOI/2026/0456

Thank you for your request for information about the use of data analytics, predictive \
analytics and artificial intelligence in children's services, which we received on \
14 September 2026.

Caerwen County Council holds some information within the scope of your request. However, \
we estimate that the cost of complying with your request would exceed the appropriate \
limit of £450 set by the Freedom of Information and Data Protection (Appropriate Limit and \
Fees) Regulations 2004. This represents the estimated cost of one person spending 18 hours \
in determining whether the Council holds the information, and locating, retrieving and \
extracting it.

Questions 4 to 6 of your request have no time limit. Analytical reports, briefing notes, \
minutes and contracts for Children's Services are held across several teams and systems \
going back to 2012, and identifying every document that mentions data analytics would \
require a manual search of about 2,300 documents. At 5 minutes per document this alone \
would take more than 190 hours.

The Council is therefore refusing your request under section 12(1) of the Freedom of \
Information Act 2000, and this email is our refusal notice under section 17(5).

Advice and assistance (section 16)

You may wish to narrow your request so that it can be answered within the appropriate \
limit. For example, if you limited questions 4 to 6 to information dated within the last \
12 months, we expect that we would be able to respond within the cost limit. Questions 1 \
to 3 on their own could also be answered. Please note that a narrowed request will be \
treated as a new request.

If you are dissatisfied with the handling of your request, you may ask for an internal \
review within 40 working days of the date of this email by writing to \
foi@caerwen.gov.example. If you remain dissatisfied after the internal review, you may \
complain to the Information Commissioner's Office, Wycliffe House, Water Lane, Wilmslow, \
Cheshire SK9 5AF.

You are welcome to correspond with the Council in Welsh or English. / Mae croeso i chi \
ohebu â'r Cyngor yn Gymraeg neu yn Saesneg.

Yours sincerely,

Rhian Pritchard
Swyddog Llywodraethu Gwybodaeth / Information Governance Officer
Cyngor Sir Caerwen / Caerwen County Council
"""

HARTWELL_EXTENSION = """\
Dear Research Team

Freedom of Information request - our ref IG/FOI/3391

I am writing about your request for information about the use of data analytics in \
children's services, which we received on 14 September 2026.

The Council holds information that falls within the scope of questions 4 to 6 of your \
request and is considering whether some of it is exempt from disclosure under section \
43(2) (commercial interests) of the Freedom of Information Act 2000. Section 43 is a \
qualified exemption, which means we must consider whether the public interest in \
maintaining the exemption outweighs the public interest in disclosing the information.

Section 10(3) of the Act allows us to extend the time for responding by a reasonable \
period where we need more time to consider the public interest. We have not yet reached a \
decision, and we now aim to respond by 9 November 2026. This email is our notice under \
section 17(2) of the Act.

Please accept our apologies for the delay.

Yours sincerely

Daniel Mensah
Information Governance Officer
London Borough of Hartwell
01632 960351
"""

NEWSLETTER = """\
Northmoor News - November 2026

Winter services
Our gritters are ready for the cold weather: see which roads we treat first at \
www.northmoor.gov.example/gritting.

Family hubs
The new Eastfield Family Hub opens on 30 November, bringing children's services, health \
visitors and early help together under one roof.

Council tax
Set up a Direct Debit before 1 December and you could be entered into our prize draw.

Transparency
Our Freedom of Information disclosure log now lists every response we have published \
since 2020.

You are receiving this email because you signed up to Northmoor News. Unsubscribe at \
www.northmoor.gov.example/unsubscribe.
"""

NETHERFIELD_PDF_NAME = "NCC-051234-26 response.pdf"

NETHERFIELD_LETTER = """\
Netherfield County Council - Complaints & Information Team
County Hall, Netherfield

Our reference: NCC-051234-26
Date: 12 October 2026

Dear Requester

Freedom of Information Act 2000 - request NCC-051234-26

Thank you for your request for information about the use of data analytics, predictive \
analytics and artificial intelligence in children's services, received on 14 September 2026. \
Our response to each question is below.

1) Yes. Children's Services use Power BI dashboards fed by the social care case \
management system to monitor caseloads and the timeliness of assessments.
2) Yes. In addition, the Early Help service uses a risk stratification model to identify \
families who may be eligible for the Supporting Families programme.
3) The Council is piloting an AI note-taking tool for social workers until March 2027. No \
decision has been made about further use.
4) Not held. The Council does not hold any briefing notes, reports or summaries of this kind.
5) Not held. The Council does not hold any minutes, reports or presentations on efficacy \
or impact.
6) The risk stratification model is supplied by Ardent Insight Ltd. The contract, its \
value and the data sharing agreement are withheld under section 43(2) of the Freedom of \
Information Act 2000 (commercial interests). We have considered the public interest test \
and concluded that the public interest in maintaining the exemption outweighs the public \
interest in disclosure, because release would prejudice the supplier and the Council in a \
re-procurement due in 2027.

This letter is a refusal notice under section 17(1) for question 6, and confirms under \
section 1(1)(a) that the information asked for in questions 4 and 5 is not held.

If you are unhappy with this response you may ask for an internal review within 40 working \
days by emailing foi@netherfieldcc.gov.example quoting NCC-051234-26. You may then complain \
to the Information Commissioner's Office.

Complaints & Information Team, Netherfield County Council"""


def netherfield_pdf() -> bytes:
    return build_pdf(wrap(NETHERFIELD_LETTER), title="NCC-051234-26 response")


def bounce(authority: Authority, sent_raw: dict[str, bytes]) -> bytes:
    """An RFC 3464 multipart/report as Postfix writes it (5.1.1, user unknown)."""
    original = sent_raw["brackenvale"].decode("ascii")
    headers_only = original.split("\r\n\r\n", 1)[0].replace("\r\n", "\n")
    rcpt = authority.email
    host = "mx." + rcpt.split("@", 1)[1]
    boundary = "4ZxK2m0Q1Tz9sBr.1789373527/mx1.example.ac.uk"
    text = f"""\
Return-Path: <>
Delivered-To: {REQUESTER_EMAIL}
Received: by mx1.example.ac.uk (Postfix)
\tid 4ZxK2m0Q1Tz9sBr; Mon, 14 Sep 2026 09:12:07 +0100 (BST)
Date: Mon, 14 Sep 2026 09:12:07 +0100 (BST)
From: Mail Delivery System <MAILER-DAEMON@mx1.example.ac.uk>
Subject: Undelivered Mail Returned to Sender
To: {REQUESTER_EMAIL}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="{boundary}"
Content-Transfer-Encoding: 7bit
Message-Id: <20260914081207.4ZxK2m0Q1Tz9sBr@mx1.example.ac.uk>

This is a MIME-encapsulated message.

--{boundary}
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx1.example.ac.uk.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

For further assistance, please send mail to postmaster.

If you do so, please include this problem report. You can
delete your own text from the attached returned message.

                   The mail system

<{rcpt}>: host {host}[192.0.2.45]
    said: 550 5.1.1 <{rcpt}>: Recipient address rejected:
    User unknown in virtual mailbox table (in reply to RCPT TO command)

--{boundary}
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx1.example.ac.uk
X-Postfix-Queue-ID: 4ZxK2l6Vb8z9sBp
X-Postfix-Sender: rfc822; {REQUESTER_EMAIL}
Arrival-Date: Mon, 14 Sep 2026 09:12:05 +0100 (BST)

Final-Recipient: rfc822; {rcpt}
Original-Recipient: rfc822;{rcpt}
Action: failed
Status: 5.1.1
Remote-MTA: dns; {host}
Diagnostic-Code: smtp; 550 5.1.1 <{rcpt}>: Recipient
    address rejected: User unknown in virtual mailbox table

--{boundary}
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

Received: from [10.20.30.40] (staff-vpn.example.ac.uk [198.51.100.20])
\tby mx1.example.ac.uk (Postfix) with ESMTPSA id 4ZxK2l6Vb8z9sBp
\tfor <{rcpt}>; Mon, 14 Sep 2026 09:12:05 +0100 (BST)
{headers_only}

--{boundary}--
"""
    return text.replace("\n", "\r\n").encode("ascii")


# --------------------------------------------------------------------------- writing


def build_items() -> list[Item]:
    auth = load_authorities()
    sent, sent_raw = sent_items(auth)
    return inbox_items(auth, sent_raw) + sent


def build(outdir: Path) -> list[Path]:
    """Delete OUTDIR and write the Maildir++ tree; return the files written."""
    outdir = Path(outdir)
    items = build_items()
    if outdir.exists():
        shutil.rmtree(outdir)
    written: list[Path] = []
    for folder in ("", ".Sent"):
        root = outdir / folder if folder else outdir
        for sub in ("cur", "new", "tmp"):
            (root / sub).mkdir(parents=True, exist_ok=True)
        keep = root / "tmp" / ".gitkeep"
        keep.write_bytes(b"")
        written.append(keep)
    marker = outdir / ".Sent" / "maildirfolder"  # Maildir++ marks sub-folders with this file
    marker.write_bytes(b"")
    written.append(marker)
    for item in items:
        root = outdir / item.folder if item.folder else outdir
        path = root / item.subdir / item.name
        if path.exists():
            raise RuntimeError(f"duplicate Maildir name {path}")
        path.write_bytes(item.data)
        written.append(path)
    for folder in ("", ".Sent"):
        root = outdir / folder if folder else outdir
        for sub in ("cur", "new"):
            if not any((root / sub).iterdir()):
                raise RuntimeError(f"{root / sub} is empty; it needs a message, not a .gitkeep")
    return written


def main(argv: list[str]) -> int:
    if len(argv) > 2 or (len(argv) == 2 and argv[1] in {"-h", "--help"}):
        print(__doc__)
        return 0 if len(argv) == 2 else 2
    outdir = Path(argv[1]) if len(argv) == 2 else DEFAULT_OUTDIR
    written = build(outdir)
    messages = [p for p in written if p.parent.name in {"cur", "new"}]
    print(f"wrote {len(messages)} messages to {outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
