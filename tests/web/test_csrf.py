"""CSRF: every state-changing request without this session's token is refused, unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.store.models import Draft, Event, Message, Request
from tests.web.support import PASSWORD, LiveServer, WebClient, route_urls

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "web"
# What a forged form would ask for: every field any of our forms has.
FORGED = {
    "state": "closed",
    "reason": "forged",
    "request_id": "1",
    "to": "attacker@evil.example",
    "subject": "forged",
    "body": "forged",
    "confirm_address": "yes",
    "password": PASSWORD,
}


def snapshot(site: LiveServer) -> tuple[object, ...]:
    with site.db.session() as session:
        return (
            [(r.id, r.state) for r in session.query(Request).order_by(Request.id)],
            [
                (d.id, d.status, d.to_addr, d.subject)
                for d in session.query(Draft).order_by(Draft.id)
            ],
            [(m.id, m.status, m.request_id) for m in session.query(Message).order_by(Message.id)],
            session.query(Event).count(),
        )


@pytest.mark.parametrize(
    "token", [None, "", "forged-token"], ids=["no token", "empty token", "wrong token"]
)
def test_every_post_route_refuses_a_request_without_a_valid_token(
    site: LiveServer, client: WebClient, token: str | None
) -> None:
    before = snapshot(site)
    for endpoint, url in route_urls(site.app, "POST"):
        data = dict(FORGED)
        if token is not None:
            data["csrf_token"] = token
        reply = client.post(url, data)
        assert reply.status == 400, f"{endpoint} {url} answered {reply.status}"
        assert "reload the page" in reply.text
    assert snapshot(site) == before
    assert client.get("/").status == 200  # still logged in: the refusals changed nothing


def test_a_token_from_another_session_is_refused(site: LiveServer, client: WebClient) -> None:
    other = site.client()
    other.login()
    stolen = other.csrf("/")
    before = snapshot(site)
    for _endpoint, url in route_urls(site.app, "POST"):
        assert client.post(url, {**FORGED, "csrf_token": stolen}).status == 400, url
    assert snapshot(site) == before


def test_a_login_without_a_token_is_refused_even_with_the_right_password(
    site: LiveServer,
) -> None:
    web = site.client()
    assert web.post("/login", {"password": PASSWORD}).status == 400
    assert web.get("/").status == 303


def test_the_token_changes_at_login(site: LiveServer) -> None:
    web = site.client()
    before = web.csrf("/login")
    web.post("/login", {"password": PASSWORD, "csrf_token": before})
    after = web.csrf("/")
    assert after != before
    assert web.post("/logout", {"csrf_token": before}).status == 400


def test_the_token_in_the_header_is_accepted_too(client: WebClient) -> None:
    token = client.csrf("/")
    reply = client.post("/logout", {}, **{"X-CSRF-Token": token})
    assert reply.status == 303 and reply.location == "/login"


def test_every_form_in_the_templates_carries_the_token() -> None:
    for path in TEMPLATES.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        for form in re.findall(r"<form\b.*?</form>", text, flags=re.S):
            if re.search(r'method="get"', form, flags=re.I):
                continue
            assert "csrf_field()" in form, f"a POST form in {path.name} has no CSRF field"
