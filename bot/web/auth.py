"""Logging in and out, and the check that every page but the login page needs a login.

A login is a mark in the signed session cookie: an HMAC of the configured password hash
under the session key, plus the login time. Changing the password therefore logs every
browser out, and a login lasts at most ``[web] session_hours`` however active it is.
Wrong passwords are throttled per client address and for the account
(``bot.web.throttle``).
"""

from __future__ import annotations

import hashlib
import hmac
import time

from flask import Blueprint, current_app, render_template, request, session, url_for
from werkzeug.wrappers import Response

from bot.web.csrf import new_csrf_token
from bot.web.state import local_path, web_state

bp = Blueprint("auth", __name__)

PUBLIC_ENDPOINTS = frozenset({"auth.login", "static"})
MAX_PASSWORD = 1024  # characters; longer is simply wrong


def account_mark() -> str:
    """Who a logged-in session belongs to: tied to the session key and the password hash."""
    key = str(current_app.secret_key).encode()
    return hmac.new(key, web_state().password.line().encode(), hashlib.sha256).hexdigest()


def logged_in() -> bool:
    mark, at = session.get("auth"), session.get("login_at")
    if not isinstance(mark, str) or not isinstance(at, int | float):
        return False
    fresh = 0 <= time.time() - at < current_app.permanent_session_lifetime.total_seconds()
    return fresh and hmac.compare_digest(mark, account_mark())


def require_login() -> Response | None:
    """Send a visitor who is not logged in to the login page (runs before every view)."""
    if request.endpoint in PUBLIC_ENDPOINTS or logged_in():
        return None
    session.pop("auth", None)
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return current_app.redirect(url_for("auth.login", next=local_path(target)), 303)


def _login_page(status: int, error: str | None = None, wait: int | None = None) -> Response:
    body = render_template(
        "login.html", error=error, wait=wait, next=local_path(request.values.get("next"))
    )
    response = current_app.make_response((body, status))
    if wait is not None:
        response.headers["Retry-After"] = str(wait)
    return response


def _throttled(wait: int) -> Response:
    minutes = max(1, round(wait / 60))
    message = f"Too many wrong passwords. Try again in about {minutes} minute(s)."
    return _login_page(429, message, wait)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Response:
    if request.method == "GET":
        if logged_in():
            return current_app.redirect(local_path(request.args.get("next")), 303)
        return _login_page(200)
    state = web_state()
    address = request.remote_addr or "unknown"
    wait = state.throttle.attempt(address)  # counted as a failure unless it succeeds
    if wait is not None:
        return _throttled(wait)
    password = request.form.get("password", "")
    if len(password) <= MAX_PASSWORD and state.password.matches(password):
        state.throttle.succeeded(address)
        target = local_path(request.form.get("next"))
        session.clear()  # nothing from before the login survives it
        session.permanent = True
        session["auth"], session["login_at"] = account_mark(), time.time()
        new_csrf_token()
        current_app.logger.info("web: login from %s", address)
        return current_app.redirect(target, 303)
    current_app.logger.warning("web: wrong password from %s", address)
    wait = state.throttle.retry_after(address)
    if wait is not None:
        return _throttled(wait)
    return _login_page(403, "Wrong password.")


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    session.clear()
    return current_app.redirect(url_for("auth.login"), 303)
