"""The digest's HTML in a real browser (Debian's chromium): sections visible, bars drawn to
scale, hostile names shown as text; a screenshot is kept in test-artifacts/."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot.deadlines import ClockEvent, EventKind, calendar_for, compute_deadlines
from bot.digest import (
    DigestInput,
    DraftInput,
    FolderInput,
    MessageInput,
    RequestInput,
    build_digest,
    render_html,
)
from bot.vocabulary import AuthorityKind, DraftStatus, Regime, RequestState
from tests.servers.browser import screenshot

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
HOSTILE = "<script>alert(1)</script> Council"
SUBJECT = 'FOI: bins <img src=x onerror="alert(2)">'


def request(rid: int, sent: str, name: str, state: RequestState, kind: str = "council",
            campaign: str | None = "Bins <b>2026</b>") -> RequestInput:  # fmt: skip
    calendar = calendar_for(Regime.FOIA, ())
    sent_at = dt.datetime.fromisoformat(sent).replace(hour=10, tzinfo=UTC)
    deadlines = compute_deadlines([ClockEvent(EventKind.SENT, sent_at)], Regime.FOIA, calendar,
                                  authority_kind=AuthorityKind(kind))  # fmt: skip
    return RequestInput(rid, name, SUBJECT, state, deadlines, calendar, campaign)


def hostile_digest_html() -> str:
    awaiting = RequestState.AWAITING_RESPONSE
    digest = build_digest(DigestInput(
        today=NOW.date(), now=NOW,
        requests=(
            request(1, "2026-09-14", HOSTILE, awaiting),  # very overdue
            request(2, "2026-10-05", "St Aidan's Academy", awaiting, "school"),  # probably
            request(3, "2026-10-26", "Loughside Trust", awaiting),  # due Monday
            request(4, "2026-09-14", "Northmoor Council", RequestState.SUCCESSFUL),
        ),
        messages=(MessageInput(9, 4, "Northmoor Council", "response", NOW - dt.timedelta(days=1),
                               "successful", (), SUBJECT),),
        drafts=(DraftInput(5, "chaser", DraftStatus.PENDING, "foi@hostile.example", SUBJECT,
                           "response_overdue", 1, HOSTILE),),
        folders=(FolderInput("imap", "INBOX", NOW - dt.timedelta(hours=2)),),
        holding=3, quarantine=1, web_base_url="http://127.0.0.1:8080",
    ))  # fmt: skip
    return render_html(digest)


def test_the_digest_renders_its_sections_and_hostile_names_as_text(
    page: Any, request: pytest.FixtureRequest
) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.set_content(hostile_digest_html())
    for heading in (
        "At a glance",
        "Requests by state",
        "Overdue or probably overdue (2)",
        "Due in the next 7 days (1)",
        "Responses received this week (1)",
        "Drafts awaiting your approval (1)",
        "Holding pen and quarantine",
        "Mail sync",
    ):
        assert page.get_by_role("heading", name=heading).is_visible(), heading  # fmt: skip
    assert page.get_by_role("heading", name="Bins <b>2026</b>: 4 requests").is_visible()
    assert page.get_by_text(HOSTILE).first.is_visible()
    assert page.get_by_text("probably overdue (school: 20 school days").is_visible()
    assert page.get_by_role("link", name="Open draft #5").get_attribute("href") == (
        "http://127.0.0.1:8080/drafts/5"
    )
    assert page.locator("script, img, b, style").count() == 0
    screenshot(page, request, "digest")
    assert dialogs == []


def test_each_bar_is_drawn_at_its_share_of_the_group(page: Any) -> None:
    page.set_content(hostile_digest_html())
    shares = page.eval_on_selector_all(
        'td[style*="height:14px"]:first-child',
        "cells => cells.map(c => [c.getAttribute('width'),"
        " c.getBoundingClientRect().width / c.parentElement.getBoundingClientRect().width])",
    )
    assert sorted(width for width, _ in shares) == ["25%", "75%"]  # 1 and 3 of 4 requests
    for width, drawn in shares:
        assert abs(drawn - int(width.rstrip("%")) / 100) < 0.02, width
