"""Drafts, attachments and quarantine over HTTP against a live server on the synced demo."""

from __future__ import annotations

import hashlib
import html
import re
from email.message import EmailMessage

from sqlalchemy import select

from bot.rawstore import RawStore
from bot.store.models import Attachment, Draft, Quarantine, RawMessage
from tests.web.support import LOUGHSIDE, LiveServer, WebClient, flashes, follow

# -- drafts ---------------------------------------------------------------------------------


def test_the_drafts_list_filters_by_status(client: WebClient) -> None:
    page = client.get("/drafts?status=pending")
    assert len(re.findall(r'<tr id="draft-\d+"', page.text)) == 4
    assert "foi@hartwell.gov.example" in page.text
    assert re.findall(r'<tr id="draft-\d+"', client.get("/drafts?status=sent").text) == []


def test_a_draft_shows_the_exact_email_with_its_headers(client: WebClient) -> None:
    text = html.unescape(client.get("/drafts/3").text)
    letter = text.split('<pre class="letter" id="letter">', 1)[1].split("</pre>", 1)[0]
    assert "To: foi@hartwell.gov.example" in letter
    assert "From: " in letter and "Subject: " in letter and "IG/FOI/3391" in letter
    assert "In-Reply-To: <IG-FOI-3391" in letter and "References: " in letter
    assert "Message-ID: <assigned-at-approval@foibot.invalid>" in letter


def test_editing_a_draft_changes_the_letter(site: LiveServer, client: WebClient) -> None:
    reply = client.submit(
        "/drafts/3/edit",
        {
            "to": "foi@hartwell.gov.example",
            "subject": "Chasing IG/FOI/3391",
            "body": "Dear team,\r\n\r\nPlease answer.\r\n",
        },
    )
    page = follow(client, reply)
    assert "Draft 3 saved (pending)." in flashes(page)
    assert "Subject: Chasing IG/FOI/3391" in html.unescape(page.text)
    with site.db.session() as session:
        draft = session.get(Draft, 3)
        assert draft is not None and draft.body == "Dear team,\n\nPlease answer.\n"


def test_an_edit_smuggling_a_header_is_refused(site: LiveServer, client: WebClient) -> None:
    reply = client.submit(
        "/drafts/3/edit",
        {"to": "foi@hartwell.gov.example", "subject": "Hi\r\nBcc: spy@evil.example", "body": "x"},
    )
    page = follow(client, reply)
    assert any("must each be one line" in f for f in flashes(page))
    with site.db.session() as session:
        assert "Bcc" not in session.get(Draft, 3).subject  # type: ignore[union-attr]


def test_approving_a_draft_with_a_placeholder_is_refused_with_the_reason(
    site: LiveServer, client: WebClient
) -> None:
    client.submit(
        "/drafts/3/edit",
        {"to": "foi@hartwell.gov.example", "subject": "Chaser", "body": "[[FILL IN: your answer]]"},
    )
    page = follow(client, client.submit("/drafts/3/approve"))
    assert any("cannot be approved" in f and "[[FILL IN" in f for f in flashes(page))
    with site.db.session() as session:
        assert session.get(Draft, 3).status == "pending"  # type: ignore[union-attr]


def test_a_new_recipient_must_be_confirmed_before_approval(
    site: LiveServer, client: WebClient
) -> None:
    with site.db.session() as session:
        session.get(Draft, 3).address_note = "foi@hartwell.gov.example is new"  # type: ignore[union-attr]
    page = client.get("/drafts/3")
    assert 'name="confirm_address"' in page.text
    refused = follow(client, client.submit("/drafts/3/approve"))
    assert any("confirm the recipient" in f for f in flashes(refused))
    approved = follow(client, client.submit("/drafts/3/approve", {"confirm_address": "yes"}))
    assert "Draft 3 approved for sending to foi@hartwell.gov.example." in flashes(approved)
    assert 'data-field="status">approved<' in approved.text
    letter = approved.text.split('id="letter">', 1)[1]
    assert "assigned-at-approval" not in letter.split("</pre>", 1)[0]


def test_the_status_of_a_draft_is_given_as_json_for_the_page_script(client: WebClient) -> None:
    import json

    status = json.loads(client.get("/drafts/3/status").body)
    assert status["status"] == "pending" and status["in_flight"] is False
    assert status["sending_enabled"] is False


def test_rejecting_needs_a_reason_and_then_the_draft_is_never_sent(
    site: LiveServer, client: WebClient
) -> None:
    page = follow(client, client.submit("/drafts/2/reject", {"reason": ""}))
    assert any("say why" in f for f in flashes(page))
    page = follow(client, client.submit("/drafts/2/reject", {"reason": "happy with it"}))
    assert "Draft 2 rejected: it will not be sent." in flashes(page)
    assert "Approve and send" not in page.text and "happy with it" in page.text
    page = follow(client, client.submit("/drafts/2/approve"))
    assert any("rejected" in f for f in flashes(page))


def test_an_unknown_draft_is_a_404_page(client: WebClient) -> None:
    assert client.get("/drafts/999").status == 404
    assert client.get("/drafts/999/status").status == 404
    assert client.submit("/drafts/999/approve").status == 404


# -- attachments ----------------------------------------------------------------------------


def attachment(site: LiveServer, filename_part: str) -> Attachment:
    with site.db.session() as session:
        return session.scalars(
            select(Attachment).where(Attachment.filename.contains(filename_part))
        ).one()


def test_an_attachment_downloads_with_its_exact_bytes_and_a_safe_name(
    site: LiveServer, client: WebClient
) -> None:
    pdf = attachment(site, "response.pdf")
    reply = client.get(f"/attachments/{pdf.id}")
    assert reply.status == 200 and hashlib.sha256(reply.body).hexdigest() == pdf.sha256
    assert reply.headers["Content-Type"] == "application/pdf"
    assert reply.headers["Content-Disposition"] == (
        'attachment; filename="NCC-051234-26 response.pdf"; '
        "filename*=UTF-8''NCC-051234-26%20response.pdf"
    )
    assert reply.headers["X-Content-Type-Options"] == "nosniff"


def test_an_html_attachment_is_never_served_as_html(site: LiveServer, client: WebClient) -> None:
    hostile = attachment(site, "onerror")
    reply = client.get(f"/attachments/{hostile.id}")
    assert reply.status == 200 and b"<script>" in reply.body
    assert reply.headers["Content-Type"] == "application/octet-stream"
    disposition = reply.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    ascii_name = disposition.split('filename="', 1)[1].split('"', 1)[0]
    assert re.fullmatch(r"[A-Za-z0-9._ -]+", ascii_name)
    assert "sandbox" in reply.headers["Content-Security-Policy"]


def test_an_unknown_attachment_is_a_404_page(client: WebClient) -> None:
    assert client.get("/attachments/999").status == 404


# -- quarantine -----------------------------------------------------------------------------


def quarantine_one(site: LiveServer) -> int:
    """A reply that failed processing earlier: its raw bytes kept, a quarantine row."""
    mail = EmailMessage()
    mail["From"] = "foi@loughside.hscni.example"
    mail["To"] = "research@example.ac.uk"
    mail["Subject"] = "LHSCT-FOI-1187 <b>update</b>"
    mail["Message-ID"] = "<quarantined.1@loughside.hscni.example>"
    mail.set_content("Your request LHSCT-FOI-1187 is being processed. <script>x</script>\n")
    raws = RawStore(site.app.extensions["foibot"].config.database.raw_dir)
    raw = bytes(mail)
    sha = raws.put(raw)
    with site.db.session() as session:
        row = RawMessage(sha256=sha, size=len(raw), status="quarantined")
        session.add(row)
        session.flush()
        failure = Quarantine(raw_id=row.id, stage="store", error="RuntimeError: boom\n  at line 3")
        session.add(failure)
        session.flush()
        return failure.id


def test_the_quarantine_lists_shows_and_retries_a_failed_message(
    site: LiveServer, client: WebClient
) -> None:
    assert "Nothing is quarantined." in client.get("/quarantine").text
    number = quarantine_one(site)
    listing = client.get("/quarantine")
    assert f'id="quarantine-{number}"' in listing.text and "RuntimeError: boom" in listing.text
    shown = client.get(f"/quarantine/{number}")
    assert "LHSCT-FOI-1187 &lt;b&gt;update&lt;/b&gt;" in shown.text
    assert "&lt;script&gt;x&lt;/script&gt;" in shown.text
    page = follow(client, client.submit(f"/quarantine/{number}/retry"))
    assert "Retry: 1 processed, 0 still failing." in flashes(page)
    assert "Resolved" in page.text
    assert "Nothing is quarantined." in client.get("/quarantine").text
    assert "LHSCT-FOI-1187 &lt;b&gt;update&lt;/b&gt;" in client.get(f"/requests/{LOUGHSIDE}").text


def test_retry_all_reports_what_it_did(site: LiveServer, client: WebClient) -> None:
    quarantine_one(site)
    page = follow(client, client.submit("/quarantine/retry"))
    assert "Retry: 1 processed, 0 still failing." in flashes(page)


def test_an_unknown_quarantined_message_is_a_404_page(client: WebClient) -> None:
    assert client.get("/quarantine/999").status == 404
    assert client.submit("/quarantine/999/retry").status == 404
