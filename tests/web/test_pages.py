"""Requests, timelines and the holding pen over HTTP against a live server on the synced demo
(today 2026-11-21); mail shown as text; pages beside a sync."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import select

from bot.store.models import Event, Message, Request
from tests.web.support import (
    HARTWELL,
    HELD_SUBJECT,
    HOSTILE_SUBJECT,
    LOUGHSIDE,
    NORTHMOOR,
    REPO,
    ST_AIDANS,
    LiveServer,
    WebClient,
    flashes,
    follow,
    held_id,
    row,
    row_ids,
)

# -- dashboard ------------------------------------------------------------------------------


def test_the_dashboard_lists_every_request_and_highlights_the_overdue_one(
    client: WebClient,
) -> None:
    page = client.get("/")
    assert page.status == 200
    assert sorted(row_ids(page)) == list(range(1, 9))
    hartwell = row(page, HARTWELL)  # extended to 9 Nov, also 40 working days: very overdue
    assert 'class="very-overdue"' in hartwell and "very overdue</span>" in hartwell
    assert "2026-11-09" in hartwell
    assert 'class=""' in row(page, LOUGHSIDE)  # due Monday 23rd: not overdue yet
    # a school past its 20th working day (2 Nov) but not its 60th (31 Dec)
    assert "probably overdue (school)" in row(page, ST_AIDANS)
    assert "as of 2026-11-21" in page.text


def test_the_dashboard_counts_requests_by_state_and_campaign(client: WebClient) -> None:
    page = client.get("/")
    summary = page.text.split('aria-label="Requests by state"', 1)[1].split("</section>", 1)[0]
    assert re.search(r'<span class="number">3</span> awaiting response', summary)
    assert re.search(r'<span class="number">1</span> overdue', summary)
    assert "<h2>Campaigns</h2>" in page.text


def test_due_dates_sort_both_ways_with_undated_requests_last(client: WebClient) -> None:
    ascending = row_ids(client.get("/?sort=due"))
    descending = row_ids(client.get("/?sort=-due"))
    assert ascending[-1] == descending[-1] == 6  # Brackenvale: never delivered, no due date
    assert ascending[:-1] == list(reversed(descending[:-1]))
    assert ascending.index(HARTWELL) < ascending.index(LOUGHSIDE)


def test_the_sort_link_of_the_current_column_reverses_it_and_keeps_the_filters(
    client: WebClient,
) -> None:
    page = client.get("/?state=awaiting_response&sort=due")
    assert 'href="/?state=awaiting_response&amp;sort=-due"' in page.text


def test_filters_by_state_campaign_and_overdue(client: WebClient) -> None:
    assert sorted(row_ids(client.get("/?state=awaiting_response"))) == [3, 7, 8]
    assert row_ids(client.get("/?overdue=overdue")) == [HARTWELL]
    assert HARTWELL not in row_ids(client.get("/?overdue=not_overdue"))
    with_campaign = client.get("/")
    name = html.unescape(
        re.findall(r'<option value="([^"]+)"', with_campaign.text.split('name="campaign"')[1])[0]
    )
    assert len(row_ids(client.get(f"/?campaign={name.replace(' ', '+')}"))) >= 2
    assert row_ids(client.get("/?campaign=no+such+campaign")) == []


def test_unknown_filter_and_sort_values_are_ignored(client: WebClient) -> None:
    page = client.get("/?sort=;drop&overdue=<x>")
    assert page.status == 200 and len(row_ids(page)) == 8


# -- request timeline -----------------------------------------------------------------------


def test_the_timeline_shows_messages_evidence_deadlines_and_events(client: WebClient) -> None:
    page = client.get(f"/requests/{HARTWELL}")
    assert page.status == 200
    text = html.unescape(page.text)
    assert "London Borough of Hartwell" in text
    assert "Very overdue: the answer was due by 2026-11-09" in text
    assert "extension" in text and "auto reply" in text  # kinds of its messages
    assert "IG/FOI/3391" in text  # reference
    assert "headers" in text  # the matching rule that placed the reply
    assert "Why foibot decided this" in text
    for deadline in ("response due", "extended to", "very overdue after", "received on"):
        assert f">{deadline}<" in text, deadline
    assert "Events" in text and "sent" in text
    assert '/drafts/3"' in page.text  # its chaser


def test_the_timeline_shows_exemptions_classification_evidence_and_attachments(
    client: WebClient,
) -> None:
    text = html.unescape(client.get("/requests/4").text)  # Netherfield: partly refused, PDF
    assert "<code>s43</code>" in text
    assert "exemptions_cited" in text and "not_held_statement" in text
    assert "NCC-051234-26 response.pdf" in text and "/attachments/" in text


def test_an_unknown_request_is_a_404_page(client: WebClient) -> None:
    reply = client.get("/requests/999")
    assert reply.status == 404 and "no request 999" in reply.text
    assert "Traceback" not in reply.text


def test_the_operator_sets_a_state_with_a_reason(site: LiveServer, client: WebClient) -> None:
    reply = client.submit(
        f"/requests/{HARTWELL}/state",
        {"state": "successful", "reason": "answered by post"},
        form_page=f"/requests/{HARTWELL}",
    )
    page = follow(client, reply)
    assert "Request 5 is now successful." in flashes(page)
    with site.db.session() as session:
        request = session.get(Request, HARTWELL)
        assert request is not None and request.state == "successful"
        assert session.scalars(
            select(Event).where(Event.request_id == HARTWELL, Event.reason == "answered by post")
        ).first()
    assert 'class="overdue"' not in row(client.get("/"), HARTWELL)


def test_a_state_without_a_reason_is_refused_with_a_message_not_a_traceback(
    site: LiveServer, client: WebClient
) -> None:
    reply = client.submit(f"/requests/{HARTWELL}/state", {"state": "closed", "reason": " "})
    page = follow(client, reply)
    assert any("--reason" in f or "say why" in f for f in flashes(page))
    with site.db.session() as session:
        assert session.get(Request, HARTWELL).state == "extended"  # type: ignore[union-attr]


def test_an_unknown_state_is_refused_with_the_list_of_states(client: WebClient) -> None:
    page = follow(client, client.submit("/requests/1/state", {"state": "lost", "reason": "x"}))
    assert any("no request state 'lost'" in f for f in flashes(page))


# -- holding pen ----------------------------------------------------------------------------


def test_the_holding_pen_shows_the_held_message_with_ranked_suggestions(
    site: LiveServer, client: WebClient
) -> None:
    page = client.get("/holding")
    text = html.unescape(page.text)
    assert HELD_SUBJECT in text
    assert "about FOI but from no known authority" in text
    assert text.count("Assign to #") >= 3
    assert f'action="/holding/{held_id(site)}/dismiss"' in page.text


def test_assigning_a_held_message_puts_it_on_the_request(
    site: LiveServer, client: WebClient
) -> None:
    message = held_id(site)
    reply = client.submit(f"/holding/{message}/assign", {"request_id": str(LOUGHSIDE)})
    page = follow(client, reply)
    assert f"Message {message} is now on request {LOUGHSIDE}." in flashes(page)
    assert "The holding pen is empty." in page.text
    timeline = html.unescape(client.get(f"/requests/{LOUGHSIDE}").text)
    assert HELD_SUBJECT in timeline and "operator" in timeline


def test_assigning_to_a_request_that_does_not_exist_is_refused(
    site: LiveServer, client: WebClient
) -> None:
    message = held_id(site)
    page = follow(client, client.submit(f"/holding/{message}/assign", {"request_id": "999"}))
    assert "there is no request 999" in flashes(page)
    page = follow(client, client.submit(f"/holding/{message}/assign", {"request_id": ""}))
    assert any("choose the request" in f for f in flashes(page))


def test_dismissing_a_held_message_empties_the_pen(site: LiveServer, client: WebClient) -> None:
    message = held_id(site)
    page = follow(client, client.submit(f"/holding/{message}/dismiss", {"reason": "spam"}))
    assert "The holding pen is empty." in page.text
    with site.db.session() as session:
        assert session.get(Message, message).status == "dismissed"  # type: ignore[union-attr]


def test_an_unknown_held_message_is_a_404_page(client: WebClient) -> None:
    assert client.submit("/holding/999/assign", {"request_id": "1"}).status == 404
    assert client.submit("/holding/999/dismiss").status == 404


# -- mail content is text -------------------------------------------------------------------


def test_hostile_mail_is_escaped_everywhere_it_is_shown(client: WebClient) -> None:
    for path in (f"/requests/{NORTHMOOR}", "/holding", "/"):
        page = client.get(path).text
        assert "<script>alert" not in page and "<img src=x" not in page, path
    timeline = client.get(f"/requests/{NORTHMOOR}").text
    assert html.escape(HOSTILE_SUBJECT, quote=False) in timeline
    assert "&lt;b&gt;team&lt;/b&gt;" in timeline


def test_a_bot_error_from_the_library_is_a_message_not_a_traceback(
    site: LiveServer, client: WebClient
) -> None:
    message = held_id(site)
    follow(client, client.submit(f"/holding/{message}/assign", {"request_id": "1"}))
    page = follow(client, client.submit(f"/holding/{message}/dismiss"))
    assert page.status == 200 and "Traceback" not in page.text
    assert f"message {message} is on request 1; it is not held" in flashes(page)


# -- beside the daemon ----------------------------------------------------------------------


def test_pages_load_while_a_sync_writes_to_the_same_database(
    site: LiveServer, client: WebClient, demo: Path
) -> None:
    """The web page and a sync share the SQLite file (WAL): neither waits for the other."""
    mail = EmailMessage()
    mail["From"] = "donotreply@mail.loughside.hscni.example"
    mail["To"] = "research@example.ac.uk"
    mail["Subject"] = "Information request LHSCT-FOI-1187: response"
    mail["Message-ID"] = "<late.1@mail.loughside.hscni.example>"
    mail["Date"] = "Fri, 20 Nov 2026 09:00:00 +0000"
    mail.set_content("Please find our response to LHSCT-FOI-1187 attached.\n")
    (demo.parent / "mail" / "new" / "1795200000.M99P1.late").write_bytes(bytes(mail))
    sync = subprocess.Popen(
        [sys.executable, "-m", "bot", "--config", str(demo), "sync", "--once"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    statuses = []
    while sync.poll() is None:
        statuses += [client.get("/").status, client.get(f"/requests/{LOUGHSIDE}").status]
    output = sync.communicate()[0]
    assert sync.returncode == 0, output
    assert statuses and set(statuses) == {200}
    assert "LHSCT-FOI-1187: response" in client.get(f"/requests/{LOUGHSIDE}").text
