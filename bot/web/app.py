"""The Flask app factory: configuration, blueprints, security, error pages.

    app = create_app(config, db, load_password_hash(config))
    waitress.serve(app, host="127.0.0.1", port=8080)      # what `foibot web` does

Templates are ``templates/web/*.html`` (Jinja2, autoescaped: mail content is always
shown as text), static files ``templates/web/static/``. Every request passes the CSRF
check, then the login check (``bot.web.auth``); every response gets the security
headers (``bot.web.headers``). A ``NotFoundError`` is a 404 page, any other
``BotError`` a page with its one-line message: never a traceback.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from bot.config import Config
from bot.errors import BotError, NotFoundError
from bot.store import Database
from bot.timeutil import today_london
from bot.web import attachments, auth, dashboard, drafts, holding, quarantine, timeline
from bot.web.csrf import init_csrf
from bot.web.headers import init_headers
from bot.web.nav import init_nav
from bot.web.passwords import PasswordHash
from bot.web.sender import Sender, SendRun
from bot.web.sessionkey import session_key
from bot.web.state import EXTENSION, WebState
from bot.web.throttle import LoginThrottle

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "web"
MAX_FORM_BYTES = 2 * 1024 * 1024  # a letter is far smaller


def outbox_run(config: Config, db: Database) -> SendRun:
    """One ``send_due`` pass, as the background sender calls it."""

    def run() -> str:
        from bot.outbox import send_due

        return str(send_due(db, config))

    return run


def create_app(
    config: Config,
    db: Database,
    password: PasswordHash,
    *,
    today: Callable[[], dt.date] = today_london,
    throttle: LoginThrottle | None = None,
    send_after_approval: bool = True,
) -> Flask:
    """The web app on ``db``; ``today`` decides what is overdue (tests fix it)."""
    app = Flask(
        __name__,
        template_folder=str(TEMPLATES),
        static_folder=str(TEMPLATES / "static"),
        static_url_path="/static",
    )
    secure = (config.web.base_url or "").lower().startswith("https://")
    app.config.update(
        SECRET_KEY=session_key(db),
        SESSION_COOKIE_NAME="foibot_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=secure,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=config.web.session_hours),
        MAX_CONTENT_LENGTH=MAX_FORM_BYTES,
        MAX_FORM_MEMORY_SIZE=MAX_FORM_BYTES,
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.jinja_env.autoescape = True  # every template, whatever its name
    app.extensions[EXTENSION] = WebState(
        config=config,
        db=db,
        password=password,
        today=today,
        throttle=throttle or LoginThrottle(),
        sender=Sender(outbox_run(config, db) if send_after_approval else None),
    )
    init_csrf(app)  # first: a forged POST is refused before anything else looks at it
    app.before_request(auth.require_login)
    init_headers(app)
    init_nav(app)
    for module in (auth, dashboard, timeline, holding, drafts, quarantine, attachments):
        app.register_blueprint(module.bp)
    _error_pages(app)
    return app


def _error_pages(app: Flask) -> None:
    def page(title: str, message: str, status: int) -> tuple[str, int]:
        return render_template("error.html", title=title, message=message, status=status), status

    @app.errorhandler(NotFoundError)
    def not_found(err: NotFoundError) -> tuple[str, int]:
        return page("Not found", str(err), 404)

    @app.errorhandler(BotError)
    def bot_error(err: BotError) -> tuple[str, int]:
        return page("Cannot do that", str(err), 409)

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException) -> Response | tuple[str, int]:
        if err.code is None or err.code < 400:
            return err.get_response()
        return page(err.name, err.description or err.name, err.code)

    @app.errorhandler(InternalServerError)
    def server_error(err: InternalServerError) -> tuple[str, int]:
        # Flask has logged the traceback; the browser gets none of it.
        return page("Something went wrong", "The error is in the web server's log.", 500)
