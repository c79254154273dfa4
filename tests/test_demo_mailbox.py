"""The demo mailbox (demo/mailbox, built by demo/build_demo.py) is sound and up to date.

It is the embedded default of ``make run`` and the input of end-to-end tests, with
demo/README.md as the answer key, so it must be reproducible, parseable by the standard
library, addressed only to fictional ``.example`` authorities, and hold the shapes the
README promises (a real DSN bounce, a real PDF attachment, ...).
"""

from __future__ import annotations

import csv
import email
import email.policy
import io
import mailbox
import re
import subprocess
import sys
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "demo"
MAILBOX = DEMO / "mailbox"
SENT = MAILBOX / ".Sent"
BUILD = DEMO / "build_demo.py"
CSV_PATH = DEMO / "authorities.csv"
README = DEMO / "README.md"

REQUESTER = "research@example.ac.uk"
CAMPAIGN_SUBJECT = "Freedom of Information request - use of data analytics in children's services"
NATIONS = {"england", "wales", "scotland", "northern_ireland"}
KINDS = {"council", "school", "nhs", "police", "central_government", "other"}


def files_under(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def read_folder(path: Path) -> dict[str, EmailMessage]:
    """Every message of one Maildir folder, as Python's mailbox module reads it."""
    box = mailbox.Maildir(str(path), factory=None, create=False)
    out = {}
    for key in box.iterkeys():
        msg = email.message_from_bytes(box.get_bytes(key), policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        out[key] = msg
    return out


def inbox() -> dict[str, EmailMessage]:
    return read_folder(MAILBOX)


def sent() -> dict[str, EmailMessage]:
    return read_folder(SENT)


def authorities() -> list[dict[str, str]]:
    with CSV_PATH.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def addresses(msg: EmailMessage, *names: str) -> list[str]:
    values = [str(v) for n in names for v in msg.get_all(n, [])]
    return [addr.lower() for _, addr in getaddresses(values) if addr]


def the_bounce() -> EmailMessage:
    [bounce] = [m for m in inbox().values() if m.get_content_type() == "multipart/report"]
    return bounce


def the_pdf() -> bytes:
    pdfs = [
        part.get_content()
        for msg in inbox().values()
        for part in msg.iter_attachments()
        if part.get_content_type() == "application/pdf"
    ]
    assert len(pdfs) == 1
    assert isinstance(pdfs[0], bytes)
    return pdfs[0]


def test_committed_mailbox_is_exactly_what_build_demo_produces(tmp_path: Path) -> None:
    """Rebuilding into a temp dir gives the same file set, byte for byte (no drift, no
    randomness, no current time). If this fails: run `python demo/build_demo.py`."""
    out = tmp_path / "mailbox"
    out.mkdir()
    (out / "stale-file").write_text("deleted by the build")
    subprocess.run([sys.executable, str(BUILD), str(out)], check=True, capture_output=True)
    built = files_under(out)
    committed = files_under(MAILBOX)
    assert sorted(built) == sorted(committed)
    for name, data in built.items():
        assert committed[name] == data, f"{name} differs from what build_demo.py writes"


def test_maildir_layout_is_maildir_plus_plus_with_no_dotfiles_where_messages_live() -> None:
    """INBOX and .Sent each have cur/new/tmp; .gitkeep only in tmp, because Python 3.11's
    mailbox.Maildir would read a dot-file in cur/ or new/ as a message."""
    for root in (MAILBOX, SENT):
        for sub in ("cur", "new", "tmp"):
            assert (root / sub).is_dir()
        assert (root / "tmp" / ".gitkeep").is_file()
        for sub in ("cur", "new"):
            names = [p.name for p in (root / sub).iterdir()]
            assert names, f"{root / sub} must hold a message, not be empty"
            assert not [n for n in names if n.startswith(".")]
    assert (SENT / "maildirfolder").is_file()


def test_every_message_is_read_by_mailbox_maildir_and_parses_without_defects() -> None:
    """14 INBOX and 9 Sent messages; no MIME or header defects in any part."""
    box, out = inbox(), sent()
    assert len(box) == 14
    assert len(out) == 9
    for key, msg in {**box, **out}.items():
        for part in msg.walk():
            assert not part.defects, f"{key}: {part.get_content_type()}: {part.defects}"
        for name, value in msg.items():
            assert not getattr(value, "defects", ()), f"{key}: {name}: {value.defects}"
            assert str(value) == str(value).strip() or not str(value).strip(), (
                f"{key}: {name} unfolds with surrounding whitespace: {str(value)!r}"
            )


def test_every_message_has_realistic_headers() -> None:
    """From, To, Date with a UK offset (+0100 in BST until 25 Oct 2026, then +0000),
    Message-ID, MIME-Version and a charset on every text part."""
    for key, msg in {**inbox(), **sent()}.items():
        for name in ("From", "To", "Subject", "Date", "Message-ID", "MIME-Version"):
            assert msg[name], f"{key}: no {name}"
        date = parsedate_to_datetime(str(msg["Date"]))
        offset = date.utcoffset()
        assert offset is not None
        bst = date.timestamp() < 1792890000  # 2026-10-25 01:00 UTC
        assert offset.total_seconds() == (3600 if bst else 0), f"{key}: {msg['Date']}"
        assert re.fullmatch(r"<[^<>@\s]+@[^<>@\s]+>", str(msg["Message-ID"]))
        for part in msg.walk():
            declared = "Content-Type" in part  # not the header blocks of a DSN
            if declared and part.get_content_type() in {"text/plain", "text/html"}:
                assert part.get_param("charset"), f"{key}: text part without charset"


def test_every_address_is_fictional() -> None:
    """Every address in every message is under .example or example.ac.uk, so the demo
    can never write to a real authority."""
    for key, msg in {**inbox(), **sent()}.items():
        for addr in addresses(msg, "From", "To", "Cc", "Reply-To"):
            domain = addr.rpartition("@")[2]
            fictional = domain.endswith((".example", "example.ac.uk"))
            assert fictional, f"{key}: {addr}"


def test_authorities_csv_has_valid_nation_kind_and_reserved_domains() -> None:
    """Header name,email,nation,kind,domains; vocabulary values only; unique names and
    addresses; only reserved .example domains; some authorities get no request."""
    with CSV_PATH.open(newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header == ["name", "email", "nation", "kind", "domains"]
    rows = authorities()
    assert len(rows) >= 10
    assert len({r["name"] for r in rows}) == len(rows)
    assert len({r["email"].lower() for r in rows}) == len(rows)
    for row in rows:
        assert row["nation"] in NATIONS, row
        assert row["kind"] in KINDS, row
        assert row["email"].rpartition("@")[2].endswith(".example"), row
        for domain in row["domains"].split():
            assert domain.endswith(".example"), row
    assert {r["nation"] for r in rows} == NATIONS
    to_addresses = {a for m in sent().values() for a in addresses(m, "To")}
    assert len([r for r in rows if r["email"].lower() not in to_addresses]) >= 2


def test_authorities_csv_is_accepted_by_foibot_reader() -> None:
    """bot.authorities parses the demo CSV without complaint."""
    from bot.authorities import parse_authorities_csv

    records = parse_authorities_csv(CSV_PATH.read_text(encoding="utf-8"), "authorities.csv")
    assert len(records) == len(authorities())


def test_every_sent_message_goes_from_the_requester_to_an_authority_in_the_csv() -> None:
    """Eight campaign requests (same subject) and one clarification reply, all from the
    requester and each to exactly one authority's CSV address."""
    emails = {r["email"].lower() for r in authorities()}
    subjects = []
    for key, msg in sent().items():
        assert addresses(msg, "From") == [REQUESTER], key
        to = addresses(msg, "To")
        assert len(to) == 1 and to[0] in emails, f"{key}: {to}"
        subjects.append(str(msg["Subject"]))
    assert subjects.count(CAMPAIGN_SUBJECT) == 8
    assert len({a for m in sent().values() for a in addresses(m, "To")}) == 8


def test_replies_thread_onto_sent_message_ids_or_on_nothing_at_all() -> None:
    """Our Message-IDs cited by In-Reply-To/References exist in .Sent; some replies carry
    threading headers, some none, one is Outlook-style with Thread-Index."""
    ours = {str(m["Message-ID"]) for m in sent().values()}
    threaded = unthreaded = 0
    for key, msg in inbox().items():
        cited = " ".join(str(msg.get(h, "")) for h in ("In-Reply-To", "References"))
        ids = re.findall(r"<[^<>]+>", cited)
        if ids:
            threaded += 1
        else:
            unthreaded += 1
        for mid in ids:
            if mid.endswith("@example.ac.uk>"):
                assert mid in ours, f"{key} cites unknown {mid}"
    assert threaded >= 5 and unthreaded >= 5
    assert any(m["Thread-Index"] for m in inbox().values())
    clarification = next(m for m in sent().values() if m["In-Reply-To"])
    assert str(clarification["In-Reply-To"]) in {str(m["Message-ID"]) for m in inbox().values()}


def test_bounce_is_a_delivery_status_report_with_a_permanent_failure() -> None:
    """multipart/report; report-type=delivery-status from MAILER-DAEMON, Status 5.x.x for
    the Brackenvale address, with our original headers as text/rfc822-headers."""
    bounce = the_bounce()
    assert bounce.get_param("report-type") == "delivery-status"
    assert addresses(bounce, "From")[0].startswith("mailer-daemon@")
    parts = {p.get_content_type(): p for p in bounce.iter_parts()}
    assert set(parts) == {"text/plain", "message/delivery-status", "text/rfc822-headers"}
    blocks = parts["message/delivery-status"].get_payload()
    assert isinstance(blocks, list) and len(blocks) == 2  # per-message, per-recipient
    per_recipient = blocks[1]
    assert isinstance(per_recipient, email.message.Message)
    assert re.fullmatch(r"5\.\d{1,3}\.\d{1,3}", per_recipient["Status"])
    assert per_recipient["Action"] == "failed"
    assert per_recipient["Final-Recipient"] == "rfc822; foi@brackenvale.nhs.example"
    returned = parts["text/rfc822-headers"].get_content()
    [request] = [m for m in sent().values() if "brackenvale" in str(m["To"])]
    assert f"Message-ID: {request['Message-ID']}" in returned


def test_pdf_attachment_is_a_valid_pdf_holding_the_response_text() -> None:
    """The Netherfield response's PDF starts with %PDF-1.4, its xref offsets point at its
    objects, and its uncompressed content stream holds the letter's text."""
    pdf = the_pdf()
    assert pdf.startswith(b"%PDF-1.4")
    assert pdf.rstrip().endswith(b"%%EOF")
    startxref = int(re.search(rb"startxref\s+(\d+)", pdf).group(1))  # type: ignore[union-attr]
    assert pdf[startxref:].startswith(b"xref")
    entries = re.findall(rb"(\d{10}) 00000 n", pdf[startxref:])
    for number, offset in enumerate(entries, start=1):
        assert pdf[int(offset) :].startswith(f"{number} 0 obj".encode())
    assert b"/FlateDecode" not in pdf
    for text in (b"NCC-051234-26", b"Not held", b"section 43\\(2\\)", b"Power BI"):
        assert text in pdf


def test_pdf_text_is_extractable_with_pypdf() -> None:
    """pypdf (optional, not a project dependency) extracts the response text."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(the_pdf()), strict=True)
    text = reader.pages[0].extract_text()
    assert "NCC-051234-26" in text
    assert "section 43(2)" in text
    assert "Not held" in text


def test_readme_answer_key_lists_every_message_file() -> None:
    """demo/README.md names every message file, so the answer key cannot drift."""
    readme = README.read_text(encoding="utf-8")
    for folder in (MAILBOX, SENT):
        for sub in ("cur", "new"):
            for path in (folder / sub).iterdir():
                assert path.name in readme, f"{path.name} is missing from demo/README.md"
