"""The IMAP ingest floor: how fast can N messages possibly come out of Dovecot?

The floor is ``UID FETCH BODY.PEEK[]`` of every message in batches plus stdlib
``email.message_from_bytes`` of each: no database, no matching. Any ingest pipeline
is at best this fast; the ingest benchmark reuses these functions to compare.

    python -m bench.imap_floor --count 10000 --batch 500

``make_messages`` builds realistic FOI correspondence (plain text, HTML alternative,
a small PDF attachment); ``load`` APPENDs them with MULTIAPPEND; ``measure_floor``
times raw imapclient; ``measure_source`` times ``bot.mailbox.ImapSource.fetch_new``.
"""

from __future__ import annotations

import argparse
import email
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from imapclient import IMAPClient

from bot.mailbox import FolderState, ImapSource
from tests.servers.dovecot import Dovecot

AUTHORITIES = [
    ("Leeds City Council", "foi@leeds.gov.uk"),
    ("NHS Greater Glasgow and Clyde", "foi@ggc.scot.nhs.uk"),
    ("Cardiff Council", "foi@cardiff.gov.uk"),
    ("Police Service of Northern Ireland", "foi@psni.police.uk"),
    ("Department for Education", "foi@education.gov.uk"),
]
PARAGRAPH = (
    "Thank you for your request for information under the Freedom of Information Act "
    "2000, received on {day} November 2024. We can confirm that the Council holds the "
    "information you requested. Some of it is exempt under section 40(2) (personal "
    "information) and section 43(2) (commercial interests) of the Act. "
)


@dataclass(frozen=True)
class FloorResult:
    """Seconds spent fetching and parsing ``count`` messages of ``total_bytes``."""

    count: int
    total_bytes: int
    fetch_seconds: float
    parse_seconds: float

    @property
    def seconds(self) -> float:
        return self.fetch_seconds + self.parse_seconds

    def line(self, label: str) -> str:
        return (
            f"{label}: {self.count} messages, {self.total_bytes / 1e6:.1f} MB: "
            f"fetch {self.fetch_seconds:.2f} s + parse {self.parse_seconds:.2f} s "
            f"= {self.seconds:.2f} s ({self.count / max(self.seconds, 1e-9):.0f} msg/s)"
        )


def small_pdf(rng: random.Random, size: int) -> bytes:
    """A valid one-page PDF of about ``size`` bytes (the padding is a comment stream)."""
    text = b"BT /F1 12 Tf 72 720 Td (Disclosure log entry) Tj ET\n"
    padding = b"% " + bytes(rng.choice(b"abcdefghij ") for _ in range(max(0, size - 700)))
    stream = text + padding + b"\n"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def make_message(n: int, rng: random.Random) -> bytes:
    """Message ``n``: a plain reply, an HTML reply, or a reply with a PDF (1/3 each)."""
    name, address = AUTHORITIES[n % len(AUTHORITIES)]
    msg = EmailMessage()
    msg["From"] = f"{name} <{address}>"
    msg["To"] = "Research Team <research@example.ac.uk>"
    msg["Subject"] = f"RE: Freedom of Information request - school transport ({n})"
    msg["Date"] = format_datetime(email.utils.localtime())
    msg["Message-ID"] = make_msgid(f"foi{n}", domain=address.split("@")[1])
    msg["In-Reply-To"] = f"<req{n}@example.ac.uk>"
    body = "Dear Research Team,\n\n" + PARAGRAPH.format(day=1 + n % 28) * rng.randint(2, 8)
    body += f"\n\nYour reference: FOI-{2024000 + n}\n\nYours sincerely,\n{name}\n"
    msg.set_content(body)
    kind = n % 3
    if kind >= 1:
        paragraphs = "".join(f"<p>{line}</p>" for line in body.split("\n\n"))
        msg.add_alternative(f"<html><body>{paragraphs}</body></html>", subtype="html")
    if kind == 2:
        msg.add_attachment(
            small_pdf(rng, rng.randint(2000, 6000)),
            maintype="application",
            subtype="pdf",
            filename=f"FOI-{2024000 + n}-response.pdf",
        )
    return msg.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def make_messages(count: int, seed: int = 2024) -> list[bytes]:
    rng = random.Random(seed)
    return [make_message(n, rng) for n in range(count)]


def load(server: Dovecot, user: str, raws: list[bytes], folder: str = "INBOX") -> float:
    """APPEND ``raws`` with MULTIAPPEND; returns the seconds it took."""
    started = time.perf_counter()
    server.multiappend(folder, raws, user=user, chunk=500)
    return time.perf_counter() - started


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def measure_floor(
    server: Dovecot, user: str, folder: str = "INBOX", batch_size: int = 500, tls: bool = True
) -> FloorResult:
    """Raw imapclient: SEARCH, UID FETCH BODY.PEEK[] in batches of UID lists, then parse."""
    started = time.perf_counter()
    if tls:
        client = IMAPClient(
            server.host, server.tls_port, ssl_context=server.ssl_context(), timeout=60
        )
    else:
        client = IMAPClient(server.host, server.plain_port, ssl=False, timeout=60)
    raws: list[bytes] = []
    try:
        client.login(user, server.password)
        client.select_folder(folder, readonly=True)
        uids = sorted(client.search(["ALL"]))
        for chunk in _chunks(uids, batch_size):
            data = client.fetch(chunk, ["BODY.PEEK[]"])
            raws.extend(data[uid][b"BODY[]"] for uid in chunk if uid in data)
    finally:
        client.logout()
    fetched = time.perf_counter()
    for raw in raws:
        email.message_from_bytes(raw)
    parsed = time.perf_counter()
    return FloorResult(len(raws), sum(map(len, raws)), fetched - started, parsed - fetched)


def measure_source(
    server: Dovecot, user: str, folder: str = "INBOX", batch_size: int = 500
) -> FloorResult:
    """The same through ``ImapSource.fetch_new`` (TLS, batches, state), then parse."""
    started = time.perf_counter()
    raws: list[bytes] = []
    with ImapSource(
        server.host,
        server.tls_port,
        username=user,
        password=server.password,
        ca_file=server.cert_path,
        timeout=60,
    ) as source:
        for batch in source.fetch_new(folder, FolderState(), batch_size=batch_size):
            raws.extend(m.raw for m in batch.messages)
    fetched = time.perf_counter()
    for raw in raws:
        email.message_from_bytes(raw)
    parsed = time.perf_counter()
    return FloorResult(len(raws), sum(map(len, raws)), fetched - started, parsed - fetched)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args(argv)
    raws = make_messages(args.count)
    with Dovecot() as server:
        user = server.new_user()
        seconds = load(server, user, raws)
        print(
            f"append: {len(raws)} messages, {sum(map(len, raws)) / 1e6:.1f} MB "
            f"in {seconds:.2f} s (MULTIAPPEND)"
        )
        print(measure_floor(server, user, batch_size=args.batch).line("floor (imapclient, TLS)"))
        print(
            measure_floor(server, user, batch_size=args.batch, tls=False).line(
                "floor (imapclient, plain)"
            )
        )
        print(measure_source(server, user, batch_size=args.batch).line("ImapSource.fetch_new"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
