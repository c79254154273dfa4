"""CSRF protection: a secret token in the session, repeated in every form, checked on POST.

Every template form includes ``{{ csrf_field() }}``. Before any view runs, a request that
changes state (anything but GET, HEAD, OPTIONS) must carry the session's token in the
``csrf_token`` form field (or the ``X-CSRF-Token`` header); otherwise it is refused with
400 and nothing happens. This runs before the login check, so the login form is
protected too (a forged login would sign the victim into the attacker's session).
The session cookie is also ``SameSite=Strict``; the token does not rely on it.
"""

from __future__ import annotations

import hmac
import secrets

from flask import Flask, abort, request, session
from markupsafe import Markup, escape

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SESSION_KEY = "csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def csrf_token() -> str:
    """This session's token, made on first use."""
    token = session.get(SESSION_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        session[SESSION_KEY] = token
    return token


def new_csrf_token() -> str:
    """A fresh token (after login, so a token seen before login is worthless)."""
    session.pop(SESSION_KEY, None)
    return csrf_token()


def csrf_field() -> Markup:
    """The hidden form field carrying the token."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD, escape(csrf_token()))


def token_is_valid() -> bool:
    expected = session.get(SESSION_KEY)
    given = request.form.get(FIELD) or request.headers.get(HEADER) or ""
    if not isinstance(expected, str) or not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def check_csrf() -> None:
    """Refuse (400) a state-changing request without this session's token."""
    if request.method in SAFE_METHODS:
        return
    if not token_is_valid():
        abort(400, description="The form was stale or not sent by this site: reload the page.")


def init_csrf(app: Flask) -> None:
    app.before_request(check_csrf)
    app.jinja_env.globals["csrf_field"] = csrf_field
    app.jinja_env.globals["csrf_token"] = csrf_token
