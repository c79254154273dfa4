"""Security headers on every response.

The Content-Security-Policy allows nothing but our own stylesheet, our own small
script, our own images and forms posting back to us: an injected ``<script>`` or
``onerror=`` in mail content would not run even if escaping ever failed. Pages are
never framed, never send a Referer (URLs hold request ids), and pages showing mail are
never cached (``no-store``); only the static files may be cached.
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.wrappers import Response

CSP = "; ".join(
    (
        "default-src 'none'",
        "style-src 'self'",
        "script-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",  # the draft page's status check (static/foibot.js)
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)
ALWAYS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
STATIC_CACHE = "private, max-age=3600"


def add_security_headers(response: Response) -> Response:
    for name, value in ALWAYS.items():
        response.headers.setdefault(name, value)
    if request.endpoint == "static":
        response.headers["Cache-Control"] = STATIC_CACHE
    else:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


def init_headers(app: Flask) -> None:
    app.after_request(add_security_headers)
