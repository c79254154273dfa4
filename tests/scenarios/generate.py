"""Generate a realistic FOI mailbox (Sent + INBOX) with an answer key, from a seed.

    scenario = build_scenario(seed=3)
    scenario.write_maildir(tmp / "mail")         # Maildir++: INBOX and .Sent
    scenario.truth[message_id]                   # the request an INBOX message belongs to

The story: a research team sends campaign A (one request text, one message per
authority) to 40+ UK public authorities, and a few weeks later campaign B (an
environmental request, a different subject and text) to about ten of the same
councils. The INBOX then holds every reply shape the real exchanges in
../shared/seeds/ show, and more: acknowledgements from another mailbox than the final
reply, replies whose new subject holds only the authority's reference
("Freedom of Information Request NCC-049446-20"), an auto-acknowledgement giving
"reference number 10400" then a reply quoting "FOI 10400", replies without threading
headers, a reply to our reply, forwards (from an officer inside the authority, and
from a colleague's personal address), CRM ``noreply`` responses, a bounce, two NHS
trusts sharing ``@nhs.net``, two councils sharing one FOI service domain, two councils
whose reference numbers collide, out-of-office notes, Outlook ``Thread-Index``
headers, quoted history holding our request text; plus unrelated mail (newsletters,
personal mail, and mail from an authority's domain about something else).

Which shapes each request gets is drawn from the seed (every shape appears at least
once for any seed), as are the wording, dates, quoting styles and reference numbers.
Deterministic: the same seed gives byte-identical messages. Standard library only.

Authority domains look real (``kelmouth.gov.uk``) but every place is invented; all
other domains (CRM providers, personal mail, the requester) use ``.example``.

Command line (for inspection):
    python -m tests.scenarios.generate --seed 3 --out /tmp/scenario3
writes ``mail/`` (Maildir++), ``authorities.csv``, ``truth.json`` and ``config.toml``.
"""

from __future__ import annotations

import argparse
import base64
import csv
import datetime as dt
import io
import json
import random
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.utils import format_datetime, formataddr, parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from tests.scenarios import texts as T

if TYPE_CHECKING:
    from tests.servers.dovecot import Dovecot

LONDON = ZoneInfo("Europe/London")
WIRE = policy.SMTP.clone(max_line_length=998)  # CRLF; headers left unfolded

REQUESTER = ("Research Team", "research@example.ac.uk")
COLLEAGUE = ("Dr Sam Okafor", "s.okafor@example.ac.uk")
COLLEAGUE_HOME = ("Sam Okafor", "sam.okafor@fastmail.example")
FRIEND = ("Jamie Reid", "jamie.reid@mailbox.example")
OUR_MX = "mx1.example.ac.uk"
THUNDERBIRD = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Thunderbird/128.3.0"

MIN_AUTHORITIES = 30

# Shapes every scenario contains at least once (campaign A, then B).
MANDATORY_A = (
    "ack_other_mailbox",
    "ref_only_subject",
    "ref_only_no_ack",
    "trafford",
    "no_headers",
    "reply_to_reply",
    "forward_internal",
    "forward_colleague",
    "bounce",
    "internal_review",
    "ooo_then_response",
    "extension",
    "chaser",
)
OPTIONAL_A = (
    "threaded",
    "response_only",
    "ack_other_mailbox",
    "ref_only_subject",
    "no_headers",
    "ooo_then_response",
    "extension",
    "attached_response",
    "ack_only",
    "silent",
)
MANDATORY_B = ("b_threaded", "b_ref_only_quoted", "b_ack_unthreaded")
OPTIONAL_B = ("b_threaded", "b_response_only", "b_ref_only_quoted", "b_silent", "b_ack_only")


# ------------------------------------------------------------------------------ values


@dataclass(frozen=True)
class Authority:
    """One directory row, plus how this authority writes mail in the scenario."""

    key: str
    place: str
    name: str
    nation: str
    kind: str
    email: str
    domain: str
    org: str  # "Council", "Trust", ... ("the Council's response")
    csv_domains: tuple[str, ...] = ()
    csv_emails: tuple[str, ...] = ()
    ack_box: tuple[str, str] = ("", "")  # another mailbox of the same domain
    team_box: tuple[str, str] = ("", "")  # where final replies come from
    crm: str = ""  # "", "custhelp" or "icasework"
    ref_style: str = "number"
    outlook: bool = True
    team: str = "Information Governance Team"
    officer: tuple[str, str] = ("", "")
    disclaimer: str = ""


@dataclass
class Ref:
    """An authority reference and the phrases that carry it."""

    text: str  # as written in responses: "FOI 10400", "NCC-049446-25"
    ack_phrase: str  # "reference number 10400"
    subject_tag: str  # for subjects: "FOI 10400", "[CASE:12345]"


@dataclass
class Req:
    auth: Authority
    campaign: str  # "A" or "B"
    topic: T.Topic
    mid: str
    subject: str
    body: str
    sent: dt.datetime
    ref: Ref
    shape: str = ""
    cc: tuple[str, str] | None = None
    floor: dt.datetime | None = None  # final replies not before this (two open requests)
    thread_index: bytes | None = None


@dataclass
class _Mail:
    date: dt.datetime
    raw: bytes
    mid: str
    truth: str | None
    label: str


@dataclass(frozen=True)
class Scenario:
    """A generated mailbox and its answer key (message ids without angle brackets)."""

    seed: int
    authorities_csv: str
    sent: list[bytes]
    inbox: list[bytes]
    truth: dict[str, str | None]  # INBOX message id -> originating Sent message id
    sent_truth: dict[str, str | None]  # Sent message id -> originating Sent message id
    labels: dict[str, str] = field(default_factory=dict)  # id -> "A/trafford/ack", ...
    campaigns: dict[str, str] = field(default_factory=dict)  # request id -> "A" / "B"
    authority_of: dict[str, str] = field(default_factory=dict)  # request id -> name
    dates: dict[str, dt.datetime] = field(default_factory=dict)  # every id -> Date

    @property
    def requests(self) -> list[str]:
        """Message ids of the Sent messages that each start a request."""
        return [mid for mid, origin in self.sent_truth.items() if origin == mid]

    def write_maildir(self, root: Path) -> None:
        """Maildir++: INBOX in root/{cur,new,tmp}, Sent in root/.Sent (+ maildirfolder)."""
        for folder, raws in (("", self.inbox), (".Sent", self.sent)):
            base = root / folder if folder else root
            for sub in ("cur", "new", "tmp"):
                (base / sub).mkdir(parents=True, exist_ok=True)
            if folder:
                (base / "maildirfolder").touch()
            unread_from = len(raws) - 4 if not folder else len(raws)
            for seq, raw in enumerate(raws, 1):
                stamp = int(_date_of(raw).timestamp())
                name = f"{stamp}.M{seq}P{self.seed}.scenario"
                if seq > unread_from:
                    (base / "new" / name).write_bytes(raw)
                else:
                    (base / "cur" / f"{name}:2,S").write_bytes(raw)

    def append_to_dovecot(self, dovecot: Dovecot, user: str) -> None:
        """APPEND the INBOX and the Sent folder (Dovecot creates ``Sent`` as \\Sent)."""
        with dovecot.client(user) as imap:
            for folder, raws in (("INBOX", self.inbox), ("Sent", self.sent)):
                if not imap.folder_exists(folder):
                    imap.create_folder(folder)
                batch = [{"msg": raw, "flags": [b"\\Seen"], "date": _date_of(raw)} for raw in raws]
                for start in range(0, len(batch), 200):
                    imap.multiappend(folder, batch[start : start + 200])

    def truth_json(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "inbox": {
                mid: {"request": t, "label": self.labels.get(mid)} for mid, t in self.truth.items()
            },
            "sent": {
                mid: {"request": t, "label": self.labels.get(mid)}
                for mid, t in self.sent_truth.items()
            },
            "requests": {
                mid: {"campaign": self.campaigns[mid], "authority": self.authority_of[mid]}
                for mid in self.requests
            },
        }


def _date_of(raw: bytes) -> dt.datetime:
    headers = BytesHeaderParser(policy=policy.compat32).parsebytes(raw)
    return parsedate_to_datetime(str(headers["Date"]))


# ------------------------------------------------------------------------------ helpers


def _slug(place: str) -> str:
    return "".join(ch for ch in place.lower() if ch.isalnum())


def _initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w[0].isupper() and w not in {"of"}]
    return "".join(w[0] for w in words)[:4].upper()


def _quote_gt(text: str) -> str:
    return "\n".join(("> " + line) if line else ">" for line in text.rstrip("\n").split("\n"))


def _numbered(items: Sequence[str]) -> str:
    return "\n".join(f"{i}) {q}" for i, q in enumerate(items, 1))


def _long_date(when: dt.datetime) -> str:
    return f"{when.day} {when:%B %Y}"


def _html(text: str) -> str:
    paras = [p for p in text.split("\n\n") if p.strip()]
    body = "\n".join(
        "<p>" + p.replace("&", "&amp;").replace("<", "&lt;").replace("\n", "<br>\n") + "</p>"
        for p in paras
    )
    return (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        '</head><body lang="EN-GB"><div class="WordSection1">\n'
        f"{body}\n</div></body></html>\n"
    )


def _pdf(lines: Iterable[str]) -> bytes:
    """A minimal one-page PDF 1.4 whose text pypdf/pdftotext can extract (ASCII only)."""

    def esc(s: str) -> str:
        s = s.encode("ascii", "replace").decode("ascii")
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    wrapped = [w for line in lines for w in (textwrap.wrap(line, 90) or [""])]
    content = "BT\n/F1 10 Tf\n13 TL\n56 790 Td\n"
    content += "".join(f"({esc(line)}) Tj\nT*\n" for line in wrapped[:55]) + "ET\n"
    stream = content.encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"endstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def compose(
    *,
    sender: tuple[str, str],
    to: Sequence[tuple[str, str]],
    subject: str,
    date: dt.datetime,
    mid: str,
    text: str,
    in_reply_to: str | None = None,
    references: Sequence[str] = (),
    cc: Sequence[tuple[str, str]] = (),
    html: bool = False,
    attachments: Sequence[tuple[str, bytes]] = (),
    headers: Sequence[tuple[str, str]] = (),
) -> bytes:
    """One message as bytes (CRLF), with fixed MIME boundaries."""
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = formataddr(sender)
    msg["To"] = ", ".join(formataddr(t) for t in to)
    if cc:
        msg["Cc"] = ", ".join(formataddr(c) for c in cc)
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = f"<{mid}>"
    if in_reply_to:
        msg["In-Reply-To"] = f"<{in_reply_to}>"
    if references:
        msg["References"] = " ".join(f"<{r}>" for r in references)
    for name, value in headers:
        msg[name] = value
    msg.set_content(text)
    if html:
        msg.add_alternative(_html(text), subtype="html")
    for filename, data in attachments:
        maintype, subtype = (
            ("application", "pdf") if filename.endswith(".pdf") else ("text", "plain")
        )
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    tag = mid.split("@")[0][-10:].replace(".", "")
    for number, part in enumerate(msg.walk()):
        if part.is_multipart():
            part.set_boundary(f"----=_Part_{tag}_{number}")
    return msg.as_bytes(policy=WIRE)


# ------------------------------------------------------------------------------ builder


class _Builder:
    def __init__(self, seed: int, n_authorities: int) -> None:
        if n_authorities < MIN_AUTHORITIES:
            raise ValueError(f"authorities: at least {MIN_AUTHORITIES} (got {n_authorities})")
        self.seed = seed
        self.rng = random.Random(seed)
        self.n = n_authorities
        self.inbox: list[_Mail] = []
        self.sent: list[_Mail] = []
        self.refs: dict[str, tuple[str, ...]] = {}  # message id -> its References chain
        self.used_numbers: set[int] = set()
        self.requests: list[Req] = []
        self.topic_a = self.rng.choice(T.TOPICS_A)
        self.topic_b = self.rng.choice(T.TOPICS_B)
        self.signoff = self.rng.choice(T.SIGN_OFFS)
        # Campaign A goes out on a Monday to Wednesday morning in 2025, spread over an hour or two.
        start = dt.date(2025, 1, 13) + dt.timedelta(weeks=self.rng.randint(0, 30))
        start += dt.timedelta(days=self.rng.randint(0, 2))
        self.a_start = dt.datetime.combine(start, dt.time(9, self.rng.randint(0, 40)), LONDON)
        self.b_start = self.at(self.a_start, 15, 20)

    # -- random bits ---------------------------------------------------------------------

    def hex(self, n: int) -> str:
        return f"{self.rng.getrandbits(4 * n):0{n}x}"

    def mid(self, style: str, host: str) -> str:
        rng = self.rng
        if style == "tb":
            return f"{self.hex(8)}-{self.hex(4)}-{self.hex(4)}-{self.hex(4)}-{self.hex(12)}@{host}"
        if style == "outlook":
            box = rng.choice(("LO2P265MB", "CWLP265MB", "LO4P265MB", "DB9PR05MB", "AM0PR06MB"))
            box += str(rng.randint(1000, 9999))
            region = "GBRP265" if box.startswith(("LO", "CW")) else "eurprd05"
            return f"{box}{self.hex(24).upper()}@{box}.{region}.prod.outlook.com"
        if style == "crm":
            return f"{rng.randint(10**9, 10**10)}.{rng.randint(100, 999)}.JavaMail.crm@{host}"
        if style == "gmail":
            alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
            token = "".join(rng.choice(alphabet) for _ in range(40))
            return f"CA+{token}@mail.gmail.com"
        return f"{self.hex(16)}.{self.hex(6)}@{host}"

    def number(self, low: int, high: int) -> int:
        while True:
            n = self.rng.randint(low, high)
            if n not in self.used_numbers:
                self.used_numbers.add(n)
                return n

    def person(self) -> tuple[str, str]:
        return self.rng.choice(T.FIRST_NAMES), self.rng.choice(T.LAST_NAMES)

    # -- dates ---------------------------------------------------------------------------

    def at(self, base: dt.datetime, low: int, high: int) -> dt.datetime:
        """``low``..``high`` working days after ``base``, in office hours."""
        day = base.date()
        left = self.rng.randint(low, high)
        while left > 0:
            day += dt.timedelta(days=1)
            if day.weekday() < 5:
                left -= 1
        clock = dt.time(self.rng.randint(8, 16), self.rng.randint(0, 59), self.rng.randint(0, 59))
        return dt.datetime.combine(day, clock, LONDON)

    def soon(self, base: dt.datetime, low: int = 1, high: int = 40) -> dt.datetime:
        """A few minutes after ``base`` (automatic replies)."""
        return base + dt.timedelta(
            minutes=self.rng.randint(low, high), seconds=self.rng.randint(0, 59)
        )

    def final(self, r: Req, low: int, high: int) -> dt.datetime:
        """A final reply's date; after ``r.floor`` when the request must stay open longer."""
        when = self.at(r.sent, low, high)
        if r.floor is not None and when < r.floor:
            when = self.at(r.floor, 1, 6)
        return when

    # -- references ----------------------------------------------------------------------

    def make_ref(
        self,
        auth: Authority,
        regime: str,
        sent: dt.datetime,
        number: int | None = None,
        style: str | None = None,
    ) -> Ref:
        yy, yyyy = f"{sent:%y}", f"{sent:%Y}"
        reg = "EIR" if regime == "eir" else "FOI"
        style = style or auth.ref_style
        if style == "number":
            n = number if number is not None else self.number(10000, 19999)
            return Ref(f"FOI {n}", f"reference number {n}", f"FOI {n}")
        if style == "ncc":
            text = f"{_initials(auth.name)}-{self.number(10000, 99999):06d}-{yy}"
            return Ref(text, f"reference {text}", text)
        if style == "slash":
            text = f"{reg}/{yyyy}/{self.number(1, 2999):04d}"
            return Ref(text, f"reference {text}", text)
        if style == "short":
            text = f"{reg} {yy}/{self.number(100, 999)}"
            return Ref(text, f"reference {text}", text)
        if style == "cas":
            letters = "".join(self.rng.choice("BCDFGHJKLMNPQRSTVWXZ") for _ in range(5))
            text = f"CAS-{self.number(10000, 99999)}-{letters}"
            return Ref(text, f"case reference {text}", text)
        if style == "case":
            n = self.number(10000, 99999)
            return Ref(f"[CASE:{n}]", f"case number {n}", f"[CASE:{n}]")
        if style == "ourref":
            text = f"{yyyy}/{self.number(1000, 9999)}"
            return Ref(text, f"reference {text}", f"Our ref: {text}")
        if style == "police":
            text = f"{self.number(100, 2999):06d}/{yy}"
            return Ref(f"FOI {text}", f"reference FOI {text}", f"FOI {text}")
        text = f"FOI-{yy}-{self.number(100, 999):04d}"  # "scot"
        return Ref(text, f"reference {text}", text)

    # -- recording -----------------------------------------------------------------------

    def add_in(self, r: Req | None, when: dt.datetime, raw: bytes, mid: str, label: str) -> None:
        self.inbox.append(_Mail(when, raw, mid, r.mid if r else None, label))

    def add_sent(
        self, origin: str | None, when: dt.datetime, raw: bytes, mid: str, label: str
    ) -> None:
        self.sent.append(_Mail(when, raw, mid, origin, label))

    def chain(self, parent: str) -> tuple[str, ...]:
        return (*self.refs.get(parent, ()), parent)

    def next_thread_index(self, r: Req) -> str:
        r.thread_index = (
            self.rng.randbytes(22)
            if r.thread_index is None
            else r.thread_index + self.rng.randbytes(5)
        )
        return base64.b64encode(r.thread_index).decode("ascii")

    # -- authority mail ------------------------------------------------------------------

    def reply(
        self,
        r: Req,
        label: str,
        *,
        sender: tuple[str, str] | None = None,
        subject: str | None = None,
        text: str,
        when: dt.datetime,
        mode: str = "full",  # "full" (In-Reply-To + References), "irt", "none"
        parent: str | None = None,
        quote: str = "",
        html: bool = False,
        attachments: Sequence[tuple[str, bytes]] = (),
        auto: bool = False,
        to: Sequence[tuple[str, str]] = (REQUESTER,),
        cc: Sequence[tuple[str, str]] = (),
        thread_index: bool | None = None,
        style: str | None = None,
    ) -> str:
        a = r.auth
        sender = sender or a.team_box
        host = sender[1].rpartition("@")[2]
        outlook = a.outlook and a.crm == "" and not host.endswith(".example")
        mid = self.mid(style or ("outlook" if outlook else ("crm" if a.crm else "plain")), host)
        parent = parent or r.mid
        headers: list[tuple[str, str]] = []
        if outlook and (thread_index if thread_index is not None else mode != "none"):
            headers += [("Thread-Topic", r.subject), ("Thread-Index", self.next_thread_index(r))]
            headers += [
                ("X-MS-Has-Attach", "yes" if attachments else ""),
                ("Content-Language", "en-GB"),
            ]
        if auto:
            headers += [("Auto-Submitted", "auto-replied"), ("X-Auto-Response-Suppress", "All")]
        body = text.rstrip("\n") + "\n"
        if a.disclaimer and not auto:
            body += "\n" + a.disclaimer + "\n"
        body += quote
        raw = compose(
            sender=sender,
            to=to,
            cc=cc,
            subject=subject or f"RE: {r.subject}",
            date=when,
            mid=mid,
            text=body,
            in_reply_to=parent if mode in ("full", "irt") else None,
            references=self.chain(parent) if mode == "full" else (),
            html=html,
            attachments=attachments,
            headers=headers,
        )
        self.refs[mid] = (
            self.chain(parent) if mode == "full" else ((parent,) if mode == "irt" else ())
        )
        self.add_in(r, when, raw, mid, label)
        return mid

    def quote(self, r: Req, style: str | None = None) -> str:
        """Our request as the authority's mail client quotes it below a reply."""
        style = style or self.rng.choice(("outlook", "outlook_line", "gt", "none", "outlook"))
        sent = r.sent
        to = formataddr((r.auth.name, r.auth.email))
        if style == "outlook":
            return (
                "\n-----Original Message-----\nFrom: Research Team <research@example.ac.uk>\n"
                f"Sent: {sent:%d %B %Y %H:%M}\nTo: {to}\nSubject: {r.subject}\n\n{r.body}"
            )
        if style == "outlook_line":
            return (
                "\n________________________________\nFrom: Research Team "
                f"<research@example.ac.uk>\nSent: {sent:%A}, {_long_date(sent)} {sent:%H:%M}\n"
                f"To: {to}\nSubject: {r.subject}\n\n{r.body}"
            )
        if style == "gt":
            return (
                f"\nOn {sent:%a}, {sent.day} {sent:%b %Y} at {sent:%H:%M}, Research Team "
                f"<research@example.ac.uk> wrote:\n{_quote_gt(r.body)}\n"
            )
        return ""

    def fill(self, r: Req, template: str, **extra: str) -> str:
        a = r.auth
        due = self.at(r.sent, 20, 20)
        values = {
            "ref": r.ref.text,
            "ack_phrase": r.ref.ack_phrase,
            "authority": a.name,
            "org_name": a.name,
            "org": a.org,
            "team": a.team,
            "team_box": a.team_box[1],
            "officer": a.officer[0],
            "about": r.topic.about,
            "subject": r.subject,
            "act": "Environmental Information Regulations 2004"
            if r.topic.regime == "eir"
            else (
                "Freedom of Information (Scotland) Act 2002"
                if a.nation == "scotland"
                else "Freedom of Information Act 2000"
            ),
            "received": _long_date(r.sent),
            "sent_date": _long_date(r.sent),
            "due": _long_date(due),
            "questions": _numbered(r.topic.questions),
            "answers": self.answers(r),
            "back": _long_date(self.at(r.sent, 5, 10)),
            "extended": _long_date(self.at(r.sent, 30, 40)),
            "term": "data analytics" if r.topic.key == "analytics" else "spending",
        }
        values.update(extra)
        return template.format(**values)

    def answers(self, r: Req) -> str:
        return "\n\n".join(
            f"{i}) {q}\n\n{ans}"
            for i, (q, ans) in enumerate(zip(r.topic.questions, r.topic.answers, strict=True), 1)
        )

    def ack_text(self, r: Req) -> str:
        a = r.auth
        if a.crm == "custhelp":
            template = T.ACK_TEMPLATE_CRM
        elif a.nation == "scotland":
            template = T.ACK_TEMPLATE_SCOTLAND
        elif a.nation == "wales" and self.rng.random() < 0.6:
            template = T.ACK_TEMPLATE_WALES
        elif a.ref_style == "number":
            template = T.ACK_TEMPLATES[0]
        else:
            template = self.rng.choice(T.ACK_TEMPLATES[1:])
        return self.fill(r, template)

    def response_text(self, r: Req, *, nottinghamshire: bool = False) -> str:
        opening = (
            T.RESPONSE_OPENINGS[1] if nottinghamshire else self.rng.choice(T.RESPONSE_OPENINGS)
        )
        closing = self.rng.choice(T.RESPONSE_CLOSINGS)
        return self.fill(r, opening) + self.answers(r) + "\n\n" + self.fill(r, closing)

    def pdf_response(self, r: Req) -> tuple[str, bytes]:
        lines = [r.auth.name, "", f"Our reference: {r.ref.text}", "", "Dear Research Team", ""]
        lines += [f"{i}) {ans}" for i, ans in enumerate(r.topic.answers, 1)]
        name = f"{r.ref.text.replace('/', '-').replace(' ', '_').strip('[]:')} response.pdf"
        return name.replace(":", ""), _pdf(lines)

    # -- campaign --------------------------------------------------------------------------

    def request_body(self, auth: Authority, topic: T.Topic) -> str:
        cost = f"\n\n{T.COST_PARAGRAPH}" if topic.regime == "foi" else ""
        return (
            f"Dear {auth.name},\n\n{topic.intro}\n\nPlease can you supply the following "
            f"information:\n\n{_numbered(topic.questions)}{cost}\n\n{self.signoff}\n"
        )

    def send_followup(
        self,
        r: Req,
        label: str,
        *,
        subject: str,
        text: str,
        when: dt.datetime,
        parent: str,
        to: tuple[str, str] | None = None,
    ) -> str:
        mid = self.mid("tb", "example.ac.uk")
        raw = compose(
            sender=REQUESTER,
            to=[to or (r.auth.name, r.auth.email)],
            subject=subject,
            date=when,
            mid=mid,
            text=text,
            in_reply_to=parent,
            references=self.chain(parent),
            headers=[("User-Agent", THUNDERBIRD)],
        )
        self.refs[mid] = self.chain(parent)
        self.add_sent(r.mid, when, raw, mid, f"{r.campaign}/{r.shape}/{label}")
        return mid


# ------------------------------------------------------------------------------ authorities


def _authorities(b: _Builder) -> list[Authority]:
    """The directory: English, Scottish, Welsh, NI councils, NHS trusts, police forces."""
    rng, n = b.rng, b.n
    n_scot, n_wales, n_ni = max(3, n // 11), max(3, n // 11), max(2, n // 22)
    n_eng = n - n_scot - n_wales - n_ni - 3 - 2
    english = _places(rng, T.ENGLISH_PLACES, n_eng + 3 + 2)
    eng_places, nhs_places, police_places = (
        english[:n_eng],
        english[n_eng : n_eng + 3],
        english[n_eng + 3 :],
    )
    out: list[Authority] = []

    def base(
        place: str,
        name: str,
        nation: str,
        kind: str,
        domain: str,
        local: str,
        org: str,
        **changes: Any,
    ) -> Authority:
        ack_local = rng.choice(
            ("dataprotection", "informationgovernance", "information.governance")
        )
        ack_name = "Data Protection" if ack_local == "dataprotection" else "Information Governance"
        first, last = b.person()
        fields: dict[str, Any] = dict(
            key=_slug(place),
            place=place,
            name=name,
            nation=nation,
            kind=kind,
            email=f"{local}@{domain}",
            domain=domain,
            org=org,
            ack_box=(f"{ack_name}, {name}", f"{ack_local}@{domain}"),
            team_box=(
                rng.choice(("FOI", "Freedom of Information", f"{name} FOI")),
                f"{local}@{domain}",
            ),
            ref_style=rng.choice(("number", "ncc", "slash", "short", "ourref")),
            outlook=rng.random() < 0.75,
            team=rng.choice(
                (
                    "Information Governance Team",
                    "Complaints & Information Team",
                    "FOI Team",
                    "Information Rights Team",
                    "Corporate Information Unit",
                )
            ),
            officer=(f"{first} {last}", f"{first.lower()}.{last.lower()}@{domain}"),
            disclaimer=rng.choice((*T.DISCLAIMERS, "", "")),
        )
        fields.update(changes)
        return Authority(**fields)

    for place in eng_places:
        slug = _slug(place)
        name = rng.choice(T.ENGLISH_COUNCIL_FORMS).format(p=place)
        local = rng.choice(
            ("foi", "foi", "freedomofinformation", "informationrequests", "foi.requests")
        )
        out.append(base(place, name, "england", "council", f"{slug}.gov.uk", local, "Council"))
    for i, place in enumerate(_places(rng, T.SCOTTISH_PLACES, n_scot)):
        slug, style = _slug(place), rng.choice(("scot", "slash"))
        if i == 0:  # a Scottish public body on gov.scot
            out.append(
                base(
                    place,
                    f"{place} Water and Land Agency",
                    "scotland",
                    "other",
                    f"{slug}.gov.scot",
                    "foi",
                    "Agency",
                    ref_style=style,
                )
            )
        else:
            domain = rng.choice((f"{slug}.gov.uk", f"{slug}.scot", f"{slug}council.scot"))
            out.append(
                base(
                    place,
                    f"{place} Council",
                    "scotland",
                    "council",
                    domain,
                    "foi",
                    "Council",
                    ref_style=style,
                )
            )
    for i, place in enumerate(_places(rng, T.WELSH_PLACES, n_wales)):
        slug = _slug(place)
        domain = f"{slug}.gov.wales" if i % 2 == 0 else f"{slug}.gov.uk"
        out.append(
            base(
                place,
                f"{place} County Borough Council",
                "wales",
                "council",
                domain,
                "foi",
                "Council",
            )
        )
    for place in _places(rng, T.NI_PLACES, n_ni):
        out.append(
            base(
                place,
                f"{place} District Council",
                "northern_ireland",
                "council",
                f"{_slug(place)}districtcouncil.gov.uk",
                "foi",
                "Council",
            )
        )
    # Two NHS trusts on the shared nhs.net domain, one on its own nhs.uk domain.
    (q1, q2, q3), (p1, p2, p3) = nhs_places, (_slug(p) for p in nhs_places)
    out.append(
        base(
            q1,
            f"{q1} Hospitals NHS Foundation Trust",
            "england",
            "nhs",
            "nhs.net",
            f"{p1}.foi",
            "Trust",
            ack_box=("Information Governance", f"{p1}.ig@nhs.net"),
            team_box=("FOI Office", f"{p1}.foi@nhs.net"),
            csv_emails=(f"{p1}.ig@nhs.net",),
            ref_style="slash",
        )
    )
    out.append(
        base(
            q2,
            f"{q2} Community Health NHS Trust",
            "england",
            "nhs",
            "nhs.net",
            f"{p2}tr.foirequests",
            "Trust",
            ack_box=("Information Governance", f"{p2}.informationgovernance@nhs.net"),
            team_box=("FOI Requests", f"{p2}tr.foirequests@nhs.net"),
            ref_style="scot",
        )
    )
    out.append(
        base(
            q3,
            f"{q3} and District NHS Foundation Trust",
            "england",
            "nhs",
            f"{p3}.nhs.uk",
            "foi",
            "Trust",
            ref_style="slash",
        )
    )
    for i, place in enumerate(police_places):
        name = f"{place} Police" if i == 0 else f"{place} Constabulary"
        local = "foi" if i == 0 else "freedomofinformation"
        out.append(
            base(
                place,
                name,
                "england",
                "police",
                f"{_slug(place)}.police.uk",
                local,
                "Force",
                ref_style="police",
            )
        )
    return out


def _places(rng: random.Random, pool: Sequence[str], k: int) -> list[str]:
    picked = rng.sample(list(pool), min(k, len(pool)))
    extra = [f"{p} {suffix}" for suffix in ("Vale", "North", "Moor") for p in pool]
    return picked + [p for p in extra if p not in picked][: max(0, k - len(picked))]


def _special_features(
    b: _Builder, auths: list[Authority]
) -> tuple[list[Authority], dict[str, str]]:
    """Give some English councils CRM reply domains, alternate domains, shared services."""
    rng = b.rng
    english = [i for i, a in enumerate(auths) if a.nation == "england" and a.kind == "council"]
    chosen = rng.sample(english, 8)
    roles: dict[str, str] = {}
    for role, index in zip(
        (
            "custhelp_listed",
            "custhelp_unlisted",
            "icasework",
            "alt_domain",
            "subdomain",
            "shared_1",
            "shared_2",
            "outlook_plain",
        ),
        chosen,
        strict=True,
    ):
        a = auths[index]
        roles[a.key] = role
        if role.startswith("custhelp"):
            host = f"{a.key}-council.custhelp.example"
            a = _replace(
                a,
                crm="custhelp",
                ref_style="cas",
                team_box=(f"{a.name}", f"noreply@{host}"),
                csv_domains=(host,) if role == "custhelp_listed" else (),
            )
        elif role == "icasework":
            host = f"{a.key}.icasework.example"
            a = _replace(
                a,
                crm="icasework",
                ref_style="case",
                team_box=("Freedom of Information", f"foi@{host}"),
                csv_domains=(host,),
            )
        elif role == "alt_domain":
            alt = f"{a.key}council.gov.uk"
            a = _replace(a, team_box=(a.team_box[0], f"foi@{alt}"), csv_domains=(alt,))
        elif role == "subdomain":
            a = _replace(a, team_box=(a.team_box[0], f"foi@notifications.{a.domain}"))
        elif role == "outlook_plain":
            a = _replace(a, outlook=False)
        auths[index] = a
    # Two district councils sharing one FOI service (and one domain, listed for both).
    s1, s2 = (i for i in chosen[5:7])
    shared = f"{auths[s1].key}-{auths[s2].key}.gov.uk"
    for i in (s1, s2):
        a = auths[i]
        auths[i] = _replace(
            a,
            name=f"{a.place} District Council",
            csv_domains=(shared,),
            team_box=("Shared FOI Service", f"foi@{shared}"),
            ref_style="slash",
        )
    return auths, roles


def _replace(a: Authority, **changes: Any) -> Authority:
    return Authority(**{**a.__dict__, **changes})


def _csv(auths: Sequence[Authority]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["name", "email", "nation", "kind", "domains", "emails"])
    for a in auths:
        writer.writerow(
            [a.name, a.email, a.nation, a.kind, " ".join(a.csv_domains), " ".join(a.csv_emails)]
        )
    return buf.getvalue()


# ------------------------------------------------------------------------------ shapes (A)


Script = Callable[[_Builder, Req], None]


def _ack(
    b: _Builder,
    r: Req,
    *,
    mode: str = "full",
    sender: tuple[str, str] | None = None,
    subject: str | None = None,
    when: dt.datetime | None = None,
    label: str = "ack",
) -> str:
    auto = b.rng.random() < 0.5
    when = when or (b.soon(r.sent) if auto else b.at(r.sent, 1, 3))
    return b.reply(
        r,
        f"{r.campaign}/{r.shape}/{label}",
        sender=sender or (r.auth.team_box if r.auth.crm else (r.auth.team_box[0], r.auth.email)),
        subject=subject,
        text=b.ack_text(r),
        when=when,
        mode=mode,
        auto=auto,
    )


def _response(
    b: _Builder,
    r: Req,
    *,
    mode: str = "full",
    subject: str | None = None,
    low: int = 10,
    high: int = 20,
    label: str = "response",
    **kw: Any,
) -> str:
    html = b.rng.random() < 0.4
    quote = b.quote(r) if mode != "none" or b.rng.random() < 0.5 else ""
    return b.reply(
        r,
        f"{r.campaign}/{r.shape}/{label}",
        subject=subject,
        text=b.response_text(r),
        when=b.final(r, low, high),
        mode=mode,
        quote=quote,
        html=html,
        **kw,
    )


def s_threaded(b: _Builder, r: Req) -> None:
    _ack(b, r)
    _response(b, r)


def s_response_only(b: _Builder, r: Req) -> None:
    subject = b.rng.choice((f"RE: {r.subject}", f"RE: {r.subject} [{r.ref.subject_tag}]"))
    _response(b, r, subject=subject)


def s_ack_other_mailbox(b: _Builder, r: Req) -> None:
    """The acknowledgement comes from dataprotection@ / informationgovernance@."""
    mode = b.rng.choice(("full", "none"))
    subject = b.rng.choice((f"RE: {r.subject}", f"Acknowledgement: {r.subject}"))
    _ack(b, r, mode=mode, sender=r.auth.ack_box, subject=subject)
    _response(b, r)


def s_ref_only_subject(b: _Builder, r: Req, with_ack: bool = True) -> None:
    """Nottinghamshire: a new subject holding only the reference; no threading headers."""
    if with_ack:
        _ack(b, r)
    subject = b.rng.choice(
        (
            f"Freedom of Information Request {r.ref.subject_tag}",
            f"Your Freedom of Information request - {r.ref.subject_tag}",
            f"{r.ref.subject_tag} - Response",
        )
    )
    b.reply(
        r,
        f"{r.campaign}/{r.shape}/response",
        subject=subject,
        text=b.response_text(r, nottinghamshire=True),
        when=b.final(r, 12, 20),
        mode="none",
        html=b.rng.random() < 0.5,
    )


def s_ref_only_no_ack(b: _Builder, r: Req) -> None:
    s_ref_only_subject(b, r, with_ack=False)


def s_trafford(b: _Builder, r: Req) -> None:
    """Out-of-office notice, auto-acknowledgement ("reference number N"), reply quoting "FOI N"."""
    a = r.auth
    n = r.ref.text.split()[-1]
    notice_at = b.soon(r.sent, 0, 3)
    b.reply(
        r,
        f"A/{r.shape}/notice",
        sender=a.ack_box,
        subject=f"Automatic reply: {r.subject}",
        text=b.fill(r, T.OUT_OF_OFFICE[0]),
        when=notice_at,
        mode="irt",
        auto=True,
    )
    ack_subject = b.rng.choice((f"RE: {r.subject}", "Thank you for your email", f"RE: {r.subject}"))
    ack_mode = "none" if ack_subject.startswith("Thank") else b.rng.choice(("none", "full"))
    b.reply(
        r,
        f"A/{r.shape}/ack",
        sender=a.ack_box,
        subject=ack_subject,
        text=b.fill(r, T.ACK_TEMPLATES[0]),
        when=b.soon(notice_at, 1, 5),
        mode=ack_mode,
        auto=True,
    )
    subject = b.rng.choice(
        (f"RE: {r.subject}", f"FOI {n} - Response", f"Freedom of Information Request (FOI {n})")
    )
    mode = "full" if subject.startswith("RE:") else "none"
    files = [
        b.pdf_response(r),
        (f"FOI {n} Appendix A.pdf", _pdf([f"FOI {n}", "Appendix A", "N/A"])),
    ]
    text = (
        b.fill(r, T.RESPONSE_OPENINGS[0])
        + b.answers(r)
        + "\n\n"
        + b.fill(r, T.RESPONSE_CLOSINGS[0])
    )
    b.reply(
        r,
        f"A/{r.shape}/response",
        sender=(f"Children Families & Wellbeing FOI, {a.name}", f"cfw.foi@{a.domain}"),
        subject=subject,
        text=text,
        when=b.final(r, 15, 20),
        mode=mode,
        attachments=files,
        quote=b.quote(r, "outlook") if mode == "full" else "",
    )


def s_no_headers(b: _Builder, r: Req) -> None:
    """A reply with no In-Reply-To, References or Thread-Index (a web form or CRM relay)."""
    if b.rng.random() < 0.5:
        _ack(b, r, mode="none")
    _response(
        b, r, mode="none", subject=b.rng.choice((f"RE: {r.subject}", f"Re: {r.subject}", r.subject))
    )


def s_reply_to_reply(b: _Builder, r: Req) -> None:
    """They ask for clarification; we answer; their response replies to our answer."""
    a = r.auth
    ask_at = b.at(r.sent, 2, 5)
    ask_text = b.fill(r, b.rng.choice(T.CLARIFICATION_ASK))
    ask = b.reply(
        r,
        f"A/{r.shape}/clarification_request",
        sender=a.officer,
        text=ask_text,
        when=ask_at,
        mode="full",
        quote=b.quote(r, "outlook"),
    )
    answer_at = b.at(ask_at, 1, 3)
    text = b.fill(r, T.CLARIFICATION_ANSWER) + "\n\n" + _quote_gt(ask_text)
    ours = b.send_followup(
        r,
        "clarification",
        subject=f"RE: {r.subject}",
        text=text,
        when=answer_at,
        parent=ask,
        to=a.officer,
    )
    resp_mode = b.rng.choice(("irt", "full"))
    b.reply(
        r,
        f"A/{r.shape}/response",
        sender=a.officer,
        subject=f"RE: RE: {r.subject}",
        text=b.response_text(r),
        when=b.at(answer_at, 8, 15),
        mode=resp_mode,
        parent=ours,
        quote="\nOn " + f"{answer_at:%d/%m/%Y %H:%M}, Research Team wrote:\n" + _quote_gt(text),
    )


def s_forward_internal(b: _Builder, r: Req) -> None:
    """An officer forwards the FOI team's response (which never reached us)."""
    a = r.auth
    _ack(b, r)
    sent_at = b.final(r, 12, 18)
    original = b.response_text(r)
    subject = b.rng.choice(
        (f"FW: RE: {r.subject}", f"FW: Freedom of Information Request {r.ref.subject_tag}")
    )
    text = (
        "Hello,\n\nOur FOI team tell me the response below bounced back when it was sent to you, "
        f"so I am forwarding it on.\n\nKind regards\n{a.officer[0]}\n{a.name}\n\n"
        f"-----Original Message-----\nFrom: {formataddr(a.team_box)}\n"
        f"Sent: {sent_at:%d %B %Y %H:%M}\nTo: Research Team <research@example.ac.uk>\n"
        f"Subject: RE: {r.subject}\n\n{original}"
    )
    b.reply(
        r,
        f"A/{r.shape}/forward",
        sender=a.officer,
        subject=subject,
        text=text,
        when=b.at(sent_at, 1, 3),
        mode="none",
        thread_index=True,
    )


def s_forward_colleague(b: _Builder, r: Req) -> None:
    """The response went only to our colleague (Cc'd on the request), who forwards it."""
    a = r.auth
    _ack(b, r)
    sent_at = b.final(r, 12, 18)
    original = b.response_text(r)
    text = (
        "Hi both,\n\nThis one only came to me - forwarding so it goes in the tracker.\n\nSam\n\n"
        "---------- Forwarded message ---------\n"
        f"From: {formataddr(a.team_box)}\nDate: {sent_at:%a}, {sent_at.day} {sent_at:%b %Y} at "
        f"{sent_at:%H:%M}\nSubject: RE: {r.subject}\nTo: {formataddr(COLLEAGUE_HOME)}\n\n{original}"
    )
    b.reply(
        r,
        f"A/{r.shape}/forward",
        sender=COLLEAGUE_HOME,
        subject=f"Fwd: RE: {r.subject}",
        text=text,
        when=b.at(sent_at, 0, 2),
        mode="none",
        style="gmail",
    )


def s_bounce(b: _Builder, r: Req) -> None:
    when = b.soon(r.sent, 0, 2)
    mid = b.mid("plain", OUR_MX)
    boundary = f"bounce-{b.hex(8)}"
    original = compose(
        sender=REQUESTER,
        to=[(r.auth.name, r.auth.email)],
        subject=r.subject,
        date=r.sent,
        mid=r.mid,
        text="(body omitted)\n",
    ).split(b"\r\n\r\n")[0]
    to, domain = r.auth.email, r.auth.domain
    rejected = f"<{to}>: Recipient address rejected: User unknown"
    lines = [
        f"From: MAIL DELIVERY SYSTEM <MAILER-DAEMON@{OUR_MX}>",
        f"To: {formataddr(REQUESTER)}",
        "Subject: Undelivered Mail Returned to Sender",
        f"Date: {format_datetime(when)}",
        f"Message-ID: <{mid}>",
        "Auto-Submitted: auto-replied",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"',
        "",
        f"--{boundary}",
        "Content-Description: Notification",
        "Content-Type: text/plain; charset=us-ascii",
        "",
        f"This is the mail system at host {OUR_MX}.",
        "",
        "I'm sorry to have to inform you that your message could not",
        "be delivered to one or more recipients.",
        "",
        f"<{to}>: host mx.{domain}[192.0.2.25] said: 550 5.1.1",
        f"    {rejected} (in reply to RCPT TO command)",
        "",
        f"--{boundary}",
        "Content-Description: Delivery report",
        "Content-Type: message/delivery-status",
        "",
        f"Reporting-MTA: dns; {OUR_MX}",
        f"Arrival-Date: {format_datetime(r.sent)}",
        "",
        f"Final-Recipient: rfc822; {to}",
        f"Original-Recipient: rfc822;{to}",
        "Action: failed",
        "Status: 5.1.1",
        f"Remote-MTA: dns; mx.{domain}",
        f"Diagnostic-Code: smtp; 550 5.1.1 {rejected}",
        "",
        f"--{boundary}",
        "Content-Description: Undelivered Message Headers",
        "Content-Type: text/rfc822-headers",
        "",
    ]
    tail = f"\r\n\r\n--{boundary}--\r\n"
    text = "\r\n".join(lines).encode("ascii") + b"\r\n" + original + tail.encode("ascii")
    b.add_in(r, when, text, mid, f"A/{r.shape}/dsn")


def s_internal_review(b: _Builder, r: Req) -> None:
    """A s.12 refusal; our internal review request as a reply; the review in new threads."""
    a = r.auth
    _ack(b, r)
    refusal_at = b.final(r, 15, 20)
    refusal = b.reply(
        r,
        f"A/{r.shape}/refusal",
        text=b.fill(r, T.REFUSAL_S12),
        when=refusal_at,
        mode="full",
        quote=b.quote(r),
    )
    review_at = b.at(refusal_at, 3, 8)
    ours = b.send_followup(
        r,
        "review_request",
        subject=f"Re: {r.subject} - request for internal review",
        text=b.fill(r, T.REVIEW_REQUEST),
        when=review_at,
        parent=refusal,
        to=a.team_box,
    )
    b.reply(
        r,
        f"A/{r.shape}/review_ack",
        sender=(a.team_box[0], a.email),
        subject=f"Internal Review - {r.ref.subject_tag}",
        text=b.fill(r, T.REVIEW_ACK),
        when=b.at(review_at, 1, 3),
        mode="none",
    )
    b.reply(
        r,
        f"A/{r.shape}/review_outcome",
        sender=a.officer,
        subject=f"Internal Review Outcome - {r.ref.subject_tag}",
        text=b.fill(r, T.REVIEW_OUTCOME),
        when=b.at(review_at, 12, 20),
        mode=b.rng.choice(("none", "irt")),
        parent=ours,
    )


def s_ooo_then_response(b: _Builder, r: Req) -> None:
    """An officer's out-of-office note, then the FOI team's threaded response."""
    a = r.auth
    b.reply(
        r,
        f"A/{r.shape}/out_of_office",
        sender=a.officer,
        subject=f"Automatic reply: {r.subject}",
        text=b.fill(r, b.rng.choice(T.OUT_OF_OFFICE[1:])),
        when=b.soon(r.sent, 0, 2),
        mode=b.rng.choice(("irt", "none")),
        auto=True,
    )
    _response(b, r)


def s_extension(b: _Builder, r: Req) -> None:
    _ack(b, r)
    tag = r.ref.subject_tag
    subject = b.rng.choice((f"RE: {r.subject} - {tag}", f"Extension to response date - {tag}"))
    mode = "full" if subject.startswith("RE:") else "none"
    b.reply(
        r,
        f"A/{r.shape}/extension",
        text=b.fill(r, b.rng.choice(T.EXTENSION)),
        when=b.at(r.sent, 18, 20),
        subject=subject,
        mode=mode,
    )
    _response(b, r, low=30, high=40)


def s_attached_response(b: _Builder, r: Req) -> None:
    _ack(b, r, mode=b.rng.choice(("full", "none")))
    b.reply(
        r,
        f"A/{r.shape}/response",
        subject=f"RE: {r.subject} [{r.ref.subject_tag}]",
        text=b.fill(r, b.rng.choice(T.ATTACHED_RESPONSE)),
        when=b.final(r, 10, 20),
        mode="full",
        attachments=[b.pdf_response(r)],
    )


def s_chaser(b: _Builder, r: Req) -> None:
    """Silence; we chase as a reply to our own request; they answer the chaser, then respond."""
    a = r.auth
    chase_at = b.at(r.sent, 24, 26)
    text = (
        b.fill(r, T.CHASER)
        + f"\n\nOn {_long_date(r.sent)}, Research Team wrote:\n"
        + _quote_gt(r.body)
    )
    ours = b.send_followup(
        r, "chaser", subject=f"Re: {r.subject}", text=text, when=chase_at, parent=r.mid
    )
    b.reply(
        r,
        f"A/{r.shape}/chaser_reply",
        text=b.fill(r, T.CHASER_REPLY),
        when=b.at(chase_at, 1, 2),
        mode="full",
        parent=ours,
        sender=(a.team_box[0], a.email),
    )
    b.reply(
        r,
        f"A/{r.shape}/response",
        text=b.response_text(r),
        when=b.at(chase_at, 4, 8),
        mode=b.rng.choice(("full", "none")),
        parent=ours,
    )


def s_ack_only(b: _Builder, r: Req) -> None:
    _ack(b, r)


def s_silent(b: _Builder, r: Req) -> None:
    """No reply at all (the request just goes overdue)."""


# Shapes bound to an authority's features.
def s_custhelp(b: _Builder, r: Req) -> None:
    """A CRM: noreply acknowledgement and noreply response, neither threaded by headers."""
    listed = bool(r.auth.csv_domains)
    _ack(
        b,
        r,
        mode="none" if listed else "irt",
        subject=f"Request received: {r.subject} - {r.ref.text}",
    )
    b.reply(
        r,
        f"{r.campaign}/{r.shape}/response",
        subject=f"Freedom of Information Request - {r.ref.text} - Response",
        text=b.fill(r, T.ATTACHED_RESPONSE[0]),
        when=b.final(r, 12, 20),
        mode="none",
        attachments=[b.pdf_response(r)],
    )


def s_icasework(b: _Builder, r: Req) -> None:
    n = r.ref.text.strip("[]").split(":")[1]
    _ack(b, r, mode="none", subject=f"RE: {r.subject} {r.ref.subject_tag}")
    b.reply(
        r,
        f"{r.campaign}/{r.shape}/response",
        subject=f"{r.ref.subject_tag} Response to your request for information",
        text=b.response_text(r).replace(r.ref.text, f"case {n}"),
        when=b.final(r, 12, 20),
        mode="none",
    )


def s_nhs_listed_ig(b: _Builder, r: Req) -> None:
    """nhs.net: an unthreaded acknowledgement from the IG mailbox (listed in `emails`)."""
    text = b.ack_text(r) + "\n\nYour request:\n\n" + r.body
    b.reply(
        r,
        f"A/{r.shape}/ack",
        sender=r.auth.ack_box,
        subject=f"Acknowledgement - {r.ref.text}",
        text=text,
        when=b.at(r.sent, 1, 2),
        mode="none",
    )
    _response(b, r)


def s_nhs_unlisted_team(b: _Builder, r: Req) -> None:
    """nhs.net: threaded acknowledgement, then a response from an unlisted nhs.net mailbox."""
    _ack(b, r)
    b.reply(
        r,
        f"A/{r.shape}/response",
        sender=r.auth.ack_box,
        subject=f"{r.ref.text} - Response to your FOI request",
        text=b.response_text(r),
        when=b.final(r, 14, 20),
        mode="none",
    )


def s_shared_service(b: _Builder, r: Req) -> None:
    """Two councils' shared FOI service: threaded ack, then a reference-only response."""
    _ack(b, r, sender=r.auth.team_box)
    s_ref_only_subject(b, r, with_ack=False)


def s_collision(b: _Builder, r: Req) -> None:
    """Two councils happen to use the same reference number; each replies from its own domain."""
    _ack(b, r, sender=(r.auth.team_box[0], r.auth.email))
    b.reply(
        r,
        f"A/{r.shape}/response",
        subject=f"{r.ref.subject_tag} - Your request for information",
        text=b.response_text(r),
        when=b.final(r, 12, 20),
        mode="none",
    )


def s_police(b: _Builder, r: Req) -> None:
    _ack(b, r)
    b.reply(
        r,
        f"A/{r.shape}/response",
        subject=f"Freedom of Information Request Reference No: {r.ref.text.split()[-1]}",
        text=b.response_text(r),
        when=b.final(r, 15, 20),
        mode=b.rng.choice(("none", "full")),
    )


def s_welsh(b: _Builder, r: Req) -> None:
    b.reply(
        r,
        f"A/{r.shape}/ack",
        sender=(r.auth.team_box[0], r.auth.email),
        subject=f"Cydnabyddiaeth / Acknowledgement - {r.ref.text}",
        text=b.fill(r, T.ACK_TEMPLATE_WALES),
        when=b.at(r.sent, 1, 2),
        mode="none",
    )
    _response(b, r)


# ------------------------------------------------------------------------------ shapes (B)


def b_threaded(b: _Builder, r: Req) -> None:
    _ack(b, r)
    _response(b, r)


def b_response_only(b: _Builder, r: Req) -> None:
    _response(b, r)


def b_ref_only_quoted(b: _Builder, r: Req) -> None:
    """Two open requests at this authority: a reference-only subject, "You asked:" our text."""
    s_ref_only_subject(b, r, with_ack=b.rng.random() < 0.5)


def b_ack_unthreaded(b: _Builder, r: Req) -> None:
    """The ack mailbox answers with the B subject but no headers; the response has only the ref."""
    _ack(b, r, mode="none", sender=r.auth.ack_box, subject=f"RE: {r.subject}")
    b.reply(
        r,
        f"B/{r.shape}/response",
        subject=f"{r.ref.subject_tag} - response",
        text=b.response_text(r),
        when=b.final(r, 12, 20),
        mode="none",
    )


def b_silent(b: _Builder, r: Req) -> None:
    pass


def b_ack_only(b: _Builder, r: Req) -> None:
    _ack(b, r)


SCRIPTS: dict[str, Script] = {
    name[2:]: fn for name, fn in globals().items() if name.startswith("s_") and callable(fn)
}
SCRIPTS.update(
    {name: fn for name, fn in globals().items() if name.startswith("b_") and callable(fn)}
)


# ------------------------------------------------------------------------------ unrelated


def _unrelated(b: _Builder, auths: list[Authority], requested: list[Req]) -> None:
    """Newsletters, personal mail, and mail from authorities about something else."""
    rng = b.rng
    start, end = b.a_start, b.at(b.b_start, 25, 30)

    def when() -> dt.datetime:
        span = int((end - start).total_seconds())
        return (start + dt.timedelta(seconds=rng.randint(3600, span))).astimezone(LONDON)

    def add(
        sender: tuple[str, str],
        subject: str,
        text: str,
        label: str,
        *,
        bulk: bool = False,
        disclaimer: str = "",
        irt: str | None = None,
        date: dt.datetime | None = None,
    ) -> None:
        host = sender[1].rpartition("@")[2]
        mid = b.mid("plain", host)
        headers = []
        if bulk:
            headers = [
                ("List-Unsubscribe", f"<https://{host}/unsubscribe?u={b.hex(10)}>"),
                ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
                ("List-Id", f"<news.{host}>"),
                ("Precedence", "bulk"),
            ]
        body = text + (f"\n\n{disclaimer}\n" if disclaimer else "\n")
        date = date or when()
        raw = compose(
            sender=sender,
            to=[REQUESTER],
            subject=subject,
            date=date,
            mid=mid,
            text=body,
            html=bulk,
            in_reply_to=irt,
            references=(irt,) if irt else (),
            headers=headers,
        )
        b.inbox.append(_Mail(date, raw, mid, None, f"unrelated/{label}"))

    a_reqs = [r for r in requested if r.campaign == "A" and r.shape != "bounce"]
    council_reqs = [r for r in a_reqs if r.auth.kind == "council" and not r.auth.crm]
    unrequested = [a for a in auths if a.key not in {r.auth.key for r in requested}]
    foi_disclaimer = T.DISCLAIMERS[0]

    news_from = rng.choice(unrequested) if unrequested else rng.choice(auths)
    add(
        (f"{news_from.name}", f"news@{news_from.domain}"),
        f"{news_from.name.split()[0]} News: {start:%B} update – bins, libraries and family hubs",
        "Welcome to this month's newsletter.\n\nFamily hubs open longer over the holidays; "
        "library opening hours change from next month; have your say on the budget.",
        "authority_newsletter",
        bulk=True,
        disclaimer=foi_disclaimer,
    )
    consult = rng.choice(council_reqs)
    add(
        ("Consultation Team", f"consultation@{consult.auth.domain}"),
        "Have your say: children's services strategy consultation",
        f"Dear Research Team\n\n{consult.auth.name} is consulting on its children's services "
        "strategy, including how we use data to plan services for children and families. "
        "The consultation closes in six weeks.\n\nConsultation Team",
        "consultation",
        disclaimer=foi_disclaimer,
    )
    tax = rng.choice([r for r in council_reqs if r is not consult])
    add(
        ("Council Tax", f"counciltax@{tax.auth.domain}"),
        f"Your Council Tax e-bill {start:%Y}/{int(f'{start:%y}') + 1} – "
        f"account 6{rng.randint(1000000, 9999999)}",
        f"Dear Customer\n\nYour council tax bill is ready to view online. Our ref: "
        f"{start:%Y}/{rng.randint(1000, 9999)}. Payments will be taken on the 1st of each "
        f"month.\n\nRevenues and Benefits\n{tax.auth.name}",
        "council_tax",
        disclaimer=tax.auth.disclaimer or foi_disclaimer,
    )
    plan = rng.choice([r for r in council_reqs if r not in (consult, tax)])
    add(
        ("Planning Services", f"planning@{plan.auth.domain}"),
        f"Planning application {start:%y}/{rng.randint(1000, 9999):05d}/FUL – "
        "neighbour notification",
        "Town and Country Planning (Development Management Procedure) (England) Order 2015\n\n"
        "You are receiving this notice because you commented on a nearby application. "
        "Proposal: erection of a two-storey rear extension. Comments by the date shown online.",
        "planning_notice",
    )
    box = rng.choice(
        [r for r in council_reqs if r not in (consult, tax, plan) and r.shape != "silent"]
    )
    add(
        (box.auth.team_box[0], box.auth.email),
        "Changes to how we publish our disclosure log",
        "Dear Sir/Madam\n\nWe are writing to everyone who has used our Freedom of Information "
        "service in the last year. From next month our disclosure log moves to a new website. "
        "You do not need to do anything.\n\nInformation Governance",
        "foi_mailbox_notice",
        bulk=True,
    )
    add(
        ("Local Government Data Weekly", "newsletter@lgdataweekly.example"),
        "This week: councils and predictive analytics, FOI statistics, AI procurement",
        "In this issue: how councils are using predictive analytics in children's services; "
        "the latest FOI statistics; procurement of AI tools.\n\nUnsubscribe at any time.",
        "newsletter",
        bulk=True,
    )
    add(
        ("Information Rights Digest", "digest@inforights-digest.example"),
        "Information rights digest: tribunal decisions on section 12 and section 43",
        "Recent decisions on the cost limit (section 12) and commercial interests (section 43).",
        "newsletter",
        bulk=True,
    )
    named = [r for r in a_reqs if r.ref.text][:2]
    add(
        COLLEAGUE,
        "FOI replies so far",
        "Hi,\n\nQuick update on the campaign: "
        + "; ".join(f"{r.auth.name} acknowledged ({r.ref.text})" for r in named)
        + ". I'll update the spreadsheet on Friday.\n\nSam",
        "colleague_note",
        date=b.at(b.a_start, 4, 6),
    )

    # Personal mail: two Sent messages and their replies.
    friday_at = b.at(b.a_start, 2, 4)
    friday = b.mid("tb", "example.ac.uk")
    b.add_sent(
        None,
        friday_at,
        compose(
            sender=REQUESTER,
            to=[FRIEND],
            subject="Friday?",
            date=friday_at,
            mid=friday,
            text="Are we still on for Friday? The usual place at 7?\n",
        ),
        friday,
        "personal/sent",
    )
    add(
        FRIEND,
        "Re: Friday?",
        "Yes! See you at 7.\n\nJ",
        "personal_reply",
        irt=friday,
        date=b.soon(friday_at, 30, 200),
    )
    draft_at = b.at(b.a_start, 8, 12)
    draft = b.mid("tb", "example.ac.uk")
    b.add_sent(
        None,
        draft_at,
        compose(
            sender=REQUESTER,
            to=[COLLEAGUE],
            subject="Draft chapter - comments?",
            date=draft_at,
            mid=draft,
            text="Sam, draft chapter attached as promised. Comments by "
            "the end of the month would be great.\n",
        ),
        draft,
        "personal/sent",
    )
    add(
        COLLEAGUE,
        "Re: Draft chapter - comments?",
        "Thanks - will read it this week.\n\nSam",
        "personal_reply",
        irt=draft,
        date=b.at(draft_at, 1, 2),
    )


# ------------------------------------------------------------------------------ assembly


def _assign_shapes(
    b: _Builder, reqs_a: list[Req], reqs_b: list[Req], roles: dict[str, str]
) -> None:
    """Pick each request's reply shape (and the authority's reference style to match)."""
    rng = b.rng
    b_keys = {r.auth.key for r in reqs_b}
    free: list[Req] = []
    for r in reqs_a:
        a, role = r.auth, roles.get(r.auth.key, "")
        if role.startswith("custhelp"):
            r.shape = "custhelp"
        elif role == "icasework":
            r.shape = "icasework"
        elif role.startswith("shared"):
            r.shape = "shared_service"
        elif a.kind == "nhs" and a.domain == "nhs.net":
            r.shape = "nhs_listed_ig" if a.csv_emails else "nhs_unlisted_team"
        elif a.kind == "police":
            r.shape = "police"
        elif a.nation == "wales" and rng.random() < 0.5:
            r.shape = "welsh"
        else:
            free.append(r)
    rng.shuffle(free)
    for shape in MANDATORY_A:
        # A bounce means a dead address: never at an authority that campaign B also writes to.
        r = next(
            r for r in free if not r.shape and not (shape == "bounce" and r.auth.key in b_keys)
        )
        r.shape = shape
    weights = {shape: rng.uniform(0.5, 2.0) for shape in OPTIONAL_A}
    for r in free:
        if not r.shape:
            r.shape = rng.choices(list(weights), list(weights.values()))[0]
    # Two councils whose reference numbers collide ("FOI 10400" at both), in most seeds.
    plain = [
        r
        for r in free
        if r.shape in ("threaded", "response_only", "ack_only") and r.auth.key not in b_keys
    ]
    collision = plain[:2] if len(plain) >= 2 and rng.random() < 0.8 else []
    shared_number = b.number(10000, 19999)
    for r in collision:
        r.shape = "collision"
    styles = {
        "trafford": "number",
        "collision": "number",
        "ref_only_subject": "ncc",
        "extension": "ourref",
        "internal_review": "slash",
        "ref_only_no_ack": "ncc",
    }
    for r in reqs_a:
        style = styles.get(r.shape)
        if style and style != r.auth.ref_style:
            r.auth = _replace(r.auth, ref_style=style)
        if r.shape == "forward_colleague":
            r.cc = COLLEAGUE_HOME
        r.ref = b.make_ref(
            r.auth, r.topic.regime, r.sent, shared_number if r in collision else None
        )
    current = {r.auth.key: r.auth for r in reqs_a}
    weights_b = {shape: rng.uniform(0.5, 2.0) for shape in OPTIONAL_B}
    for i, r in enumerate(reqs_b):
        r.auth = current[r.auth.key]
        # The first one always writes "EIR 25/123" (whatever the authority's A style).
        r.ref = b.make_ref(r.auth, r.topic.regime, r.sent, style="short" if i == 0 else None)
        r.shape = (
            MANDATORY_B[i]
            if i < len(MANDATORY_B)
            else rng.choices(list(weights_b), list(weights_b.values()))[0]
        )


def build_scenario(seed: int = 0, authorities: int = 45) -> Scenario:
    """A complete mailbox and answer key; the same seed always gives the same bytes."""
    b = _Builder(seed, authorities)
    auths, roles = _special_features(b, _authorities(b))
    rng = b.rng
    # Campaign A: every authority but two (they only send unrelated mail).
    spare = rng.sample([a for a in auths if a.kind == "council" and a.key not in roles], 2)
    a_targets = [a for a in auths if a not in spare]
    rng.shuffle(a_targets)
    reqs_a: list[Req] = []
    when = b.a_start
    for auth in a_targets:
        when += dt.timedelta(minutes=rng.randint(1, 4), seconds=rng.randint(0, 59))
        reqs_a.append(_request_shell(b, auth, "A", when))
    # Campaign B: about ten English/Welsh councils that also got campaign A.
    councils = [
        r
        for r in reqs_a
        if r.auth.kind == "council"
        and r.auth.nation in ("england", "wales")
        and r.auth.key not in roles
    ]
    reqs_b: list[Req] = []
    when = b.b_start
    for r in rng.sample(councils, min(10, len(councils))):
        when += dt.timedelta(minutes=rng.randint(2, 6), seconds=rng.randint(0, 59))
        reqs_b.append(_request_shell(b, r.auth, "B", when))
    _assign_shapes(b, reqs_a, reqs_b, roles)
    # Two open requests at one authority: most A replies there come after B went out.
    b_keys = {r.auth.key for r in reqs_b}
    for r in reqs_a:
        if r.auth.key in b_keys and rng.random() < 0.7:
            r.floor = b.at(b.b_start, 2, 12)
    for r in reqs_a + reqs_b:
        _emit_request(b, r)
    for r in reqs_a + reqs_b:
        SCRIPTS[r.shape](b, r)
    _unrelated(b, auths, reqs_a + reqs_b)
    directory = {r.auth.key: r.auth for r in reqs_a} | {a.key: a for a in spare}
    return _finish(b, [directory[k] for k in sorted(directory)], reqs_a + reqs_b)


def _request_shell(b: _Builder, auth: Authority, campaign: str, when: dt.datetime) -> Req:
    topic = b.topic_a if campaign == "A" else b.topic_b
    return Req(
        auth,
        campaign,
        topic,
        b.mid("tb", "example.ac.uk"),
        topic.subject,
        "",
        when,
        Ref("", "", ""),
    )


def _emit_request(b: _Builder, r: Req) -> None:
    r.body = b.request_body(r.auth, r.topic)
    raw = compose(
        sender=REQUESTER,
        to=[(r.auth.name, r.auth.email)],
        cc=[r.cc] if r.cc else [],
        subject=r.subject,
        date=r.sent,
        mid=r.mid,
        text=r.body,
        headers=[("User-Agent", THUNDERBIRD), ("Content-Language", "en-GB")],
    )
    b.add_sent(r.mid, r.sent, raw, r.mid, f"{r.campaign}/request")


def _finish(b: _Builder, auths: list[Authority], reqs: list[Req]) -> Scenario:
    inbox = sorted(b.inbox, key=lambda m: m.date)
    sent = sorted(b.sent, key=lambda m: m.date)
    labels = {m.mid: m.label for m in inbox + sent}
    # Request-level shape in every label ("A/trafford/ack"); requests get "A/request/<shape>".
    shape_of = {r.mid: r.shape for r in reqs}
    for m in sent:
        if m.truth == m.mid:
            labels[m.mid] = f"{labels[m.mid]}/{shape_of[m.mid]}"
    dates = {m.mid: m.date for m in inbox + sent}
    return Scenario(
        seed=b.seed,
        authorities_csv=_csv(auths),
        sent=[m.raw for m in sent],
        inbox=[m.raw for m in inbox],
        truth={m.mid: m.truth for m in inbox},
        sent_truth={m.mid: m.truth for m in sent},
        labels=labels,
        campaigns={r.mid: r.campaign for r in reqs},
        authority_of={r.mid: r.auth.name for r in reqs},
        dates=dates,
    )


# ------------------------------------------------------------------------------ CLI


def write_files(scenario: Scenario, out: Path) -> Path:
    """mail/ (Maildir++), authorities.csv, truth.json and a config.toml in ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    scenario.write_maildir(out / "mail")
    (out / "authorities.csv").write_text(scenario.authorities_csv, encoding="utf-8")
    (out / "truth.json").write_text(
        json.dumps(scenario.truth_json(), indent=2) + "\n", encoding="utf-8"
    )
    config = out / "config.toml"
    config.write_text(
        '[requester]\nname = "Research Team"\nemail = "research@example.ac.uk"\n\n'
        '[mailbox]\nkind = "maildir"\npath = "mail"\n\n'
        '[database]\nurl = "sqlite:///state/foibot.sqlite3"\nraw_dir = "state/raw"\n\n'
        '[authorities]\ncsv = "authorities.csv"\n',
        encoding="utf-8",
    )
    return config


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--authorities", type=int, default=45)
    parser.add_argument("--out", type=Path, required=True, help="directory to write (created)")
    args = parser.parse_args(argv)
    scenario = build_scenario(args.seed, args.authorities)
    config = write_files(scenario, args.out)
    shapes: dict[str, int] = {}
    for label in scenario.labels.values():
        shapes[label] = shapes.get(label, 0) + 1
    print(
        f"seed {args.seed}: {len(scenario.sent)} sent, {len(scenario.inbox)} inbox, "
        f"{len(scenario.requests)} requests -> {args.out}"
    )
    for label, count in sorted(shapes.items()):
        print(f"  {count:3d}  {label}")
    print(f"try: foibot --config {config} init && foibot --config {config} sync --once")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
