"""The web page in a real browser: Debian's chromium driven by Playwright, against a live
waitress server on the synced demo (today 2026-11-21), sending to a real aiosmtpd server.

Screenshots of each step are saved in test-artifacts/ (tests/servers/browser.py).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.store.models import Draft
from tests.servers.browser import screenshot
from tests.servers.smtp import SmtpServer
from tests.web.support import (
    HARTWELL,
    HELD_SUBJECT,
    HOSTILE_SUBJECT,
    LOUGHSIDE,
    NORTHMOOR,
    PASSWORD,
    XSS_IMG,
    XSS_SCRIPT,
    LiveServer,
    copy_demo,
    live_server,
)

DELIVERY_DEADLINE = 60.0  # seconds: generous, the letter usually arrives in well under one
WAIT_MS = 60_000


@pytest.fixture
def sending_site(
    demo_template: Path, tmp_path: Path, smtp_server: SmtpServer
) -> Iterator[LiveServer]:
    """A live server whose approvals are sent at once to a real SMTP server."""
    config = copy_demo(demo_template, tmp_path / "site", smtp_server.smtp_toml())
    with live_server(config, send_after_approval=True) as server:
        yield server


def log_in(page: Any, site: LiveServer) -> None:
    page.goto(site.url + "/")
    assert "/login" in page.url
    page.fill("#password", PASSWORD)
    page.click("section.login button[type=submit]")
    page.wait_for_url(site.url + "/")


def test_the_operator_logs_in_sees_the_overdue_request_and_opens_its_timeline(
    page: Any, site: LiveServer, request: pytest.FixtureRequest
) -> None:
    page.goto(site.url + "/")
    screenshot(page, request, "1-login")
    log_in(page, site)
    hartwell = page.locator(f"#request-{HARTWELL}")
    assert "very-overdue" in (hartwell.get_attribute("class") or "")
    assert "very overdue" in hartwell.inner_text().lower()
    loughside = page.locator(f"#request-{LOUGHSIDE}")
    highlight = hartwell.evaluate("el => getComputedStyle(el).backgroundColor")
    plain = loughside.evaluate("el => getComputedStyle(el).backgroundColor")
    assert highlight != plain  # the stylesheet loaded under the CSP and marks it
    screenshot(page, request, "2-dashboard")
    hartwell.get_by_role("link", name="London Borough of Hartwell").click()
    page.wait_for_url(f"{site.url}/requests/{HARTWELL}")
    assert page.locator("h1").inner_text().startswith("London Borough of Hartwell")
    assert "Very overdue" in page.locator(".banner").inner_text()
    assert page.locator("article.message").count() >= 3
    page.locator("details.why").first.locator("summary").click()
    screenshot(page, request, "3-timeline")


def test_an_approved_draft_is_delivered_to_the_smtp_server(
    page: Any, sending_site: LiveServer, smtp_server: SmtpServer, request: pytest.FixtureRequest
) -> None:
    site = sending_site
    log_in(page, site)
    page.goto(site.url + "/drafts?status=pending")
    page.locator("#draft-3 a").first.click()
    page.wait_for_url(site.url + "/drafts/3")
    assert "To: foi@hartwell.gov.example" in page.locator("#letter").inner_text()
    screenshot(page, request, "1-draft")
    page.get_by_role("button", name="Approve and send to foi@hartwell.gov.example").click()
    page.wait_for_url(site.url + "/drafts/3")
    deadline = time.monotonic() + DELIVERY_DEADLINE
    while not smtp_server.messages and time.monotonic() < deadline:
        time.sleep(0.1)
    (received,) = smtp_server.messages
    assert received.rcpt_tos == ("foi@hartwell.gov.example",)
    assert "IG/FOI/3391" in str(received.headers["Subject"])
    page.wait_for_selector('#send-status [data-field="status"]:text-is("sent")', timeout=WAIT_MS)
    assert page.locator("section.edit").is_hidden()  # the page script hid what no longer applies
    screenshot(page, request, "2-sent")
    with site.db.session() as session:
        draft = session.get(Draft, 3)
        assert draft is not None and draft.status == "sent"
        assert received.message_id == (draft.message_id or "").strip("<>")


def test_assigning_a_held_message_puts_it_on_the_request(
    page: Any, site: LiveServer, request: pytest.FixtureRequest
) -> None:
    log_in(page, site)
    page.goto(site.url + "/holding")
    held = page.locator("article.held")
    assert held.count() == 1
    screenshot(page, request, "1-holding-pen")
    held.locator("select[name=request_id]").select_option(str(LOUGHSIDE))
    held.get_by_role("button", name="Assign", exact=True).click()
    page.wait_for_url(site.url + "/holding")
    assert "is now on request 8" in page.locator(".flash.ok").inner_text()
    assert page.get_by_text("The holding pen is empty.").is_visible()
    page.goto(f"{site.url}/requests/{LOUGHSIDE}")
    subject = page.locator("h3.message-subject", has_text="Your Freedom of Information request")
    assert subject.inner_text() == HELD_SUBJECT
    screenshot(page, request, "2-on-the-request")


def test_script_and_onerror_payloads_in_mail_are_shown_as_inert_text(
    page: Any, site: LiveServer, request: pytest.FixtureRequest
) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(page, site)
    page.goto(f"{site.url}/requests/{NORTHMOOR}")
    hostile = page.locator("article.message", has_text="About FOI 10412")
    assert hostile.locator("h3.message-subject").inner_text() == HOSTILE_SUBJECT
    text = hostile.locator("pre.mail-text").inner_text()
    assert XSS_SCRIPT in text and XSS_IMG in text
    assert "onerror=alert(3)" in hostile.locator("ul.attachments a").inner_text()
    assert page.locator("main img").count() == 0
    assert page.locator("main script").count() == 0
    screenshot(page, request, "1-timeline")
    page.goto(site.url + "/holding")
    assert XSS_IMG in page.locator("article.held h2").inner_text()
    assert XSS_SCRIPT in page.locator("article.held pre.mail-text").inner_text()
    assert page.locator("main img").count() == 0
    screenshot(page, request, "2-holding-pen")
    page.goto(site.url + "/")
    page.reload()
    assert dialogs == []
