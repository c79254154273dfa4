"""Security headers on every response; templates with nothing the CSP would have to allow."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.web.support import LiveServer, Reply, WebClient, route_urls

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "web"
CSP_PARTS = (
    "default-src 'none'",
    "style-src 'self'",
    "script-src 'self'",
    "img-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
)


def assert_secure(reply: Reply, where: str) -> None:
    csp = reply.headers.get("Content-Security-Policy", "")
    if "sandbox" in csp:  # a download: stricter still
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp, where
    else:
        for part in CSP_PARTS:
            assert part in csp, f"{where}: CSP lacks {part!r}: {csp!r}"
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, where
    assert reply.headers.get("X-Frame-Options") == "DENY", where
    assert reply.headers.get("X-Content-Type-Options") == "nosniff", where
    assert reply.headers.get("Referrer-Policy") == "no-referrer", where


def test_every_page_has_the_security_headers_and_is_never_cached(
    site: LiveServer, client: WebClient
) -> None:
    for endpoint, url in route_urls(site.app, "GET"):
        reply = client.get(url)
        assert_secure(reply, f"{endpoint} {url} ({reply.status})")
        if endpoint != "static":
            assert reply.headers.get("Cache-Control") == "no-store", url


@pytest.mark.parametrize(
    "path", ["/login", "/", "/no/such/page", "/requests/999", "/static/style.css"]
)
def test_responses_to_a_visitor_have_the_security_headers(site: LiveServer, path: str) -> None:
    assert_secure(site.client().get(path), path)


def test_refusals_and_redirects_have_the_security_headers(
    site: LiveServer, client: WebClient
) -> None:
    assert_secure(client.post("/logout", {}), "CSRF refusal")
    assert_secure(site.client().post("/login", {}), "login without token")
    assert_secure(site.client().get("/drafts"), "redirect to login")


def test_pages_showing_mail_are_not_cacheable(client: WebClient) -> None:
    for path in ("/requests/1", "/holding", "/drafts/1", "/attachments/1"):
        assert client.get(path).headers.get("Cache-Control") == "no-store", path


def test_no_template_has_inline_script_style_or_unescaped_output() -> None:
    for path in [*TEMPLATES.glob("*.html")]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), f"inline script in {path.name}"
        assert not re.search(r"\sstyle=", text), f"inline style in {path.name}"
        assert not re.search(r"<style", text), f"style element in {path.name}"
        assert not re.search(r"\son[a-z]+=", text), f"event handler attribute in {path.name}"
        assert not re.search(r"\|\s*safe\b", text), f"|safe in {path.name}"
        assert "autoescape false" not in text, path.name
