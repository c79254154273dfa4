"""What every view reaches: the config, the database, today's date, the outbox sender.

One ``WebState`` is made by the app factory and kept in ``app.extensions``; views get it
with ``web_state()``. Each view opens its own short transaction (``with
web_state().db.session() as session:``), so the daemon writing the same SQLite file
(WAL) waits at most for one page's work, never for an idle session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlsplit

from flask import current_app, flash, redirect
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from bot.config import Config
from bot.errors import BotError, NotFoundError
from bot.rawstore import RawStore
from bot.store import Database
from bot.web.passwords import PasswordHash
from bot.web.sender import Sender
from bot.web.throttle import LoginThrottle

EXTENSION = "foibot"
FLASH_CHARS = 1_500
T = TypeVar("T")


@dataclass
class WebState:
    config: Config
    db: Database
    password: PasswordHash
    today: Callable[[], dt.date]
    throttle: LoginThrottle
    sender: Sender

    @property
    def raws(self) -> RawStore:
        return RawStore(self.config.database.raw_dir, fsync=False)


def web_state() -> WebState:
    state = current_app.extensions[EXTENSION]
    assert isinstance(state, WebState)
    return state


@contextmanager
def session_scope() -> Iterator[Session]:
    """One short transaction on the configured database."""
    with web_state().db.session() as session:
        yield session


def act(work: Callable[[Session], str], then: str) -> Response:
    """Run one operator action in a transaction; flash what happened and go to ``then``.

    ``work`` returns the message to show. A BotError (a refused approval, an unknown
    state) rolls the transaction back and is shown as the error message instead; a
    NotFoundError (the request or draft in the URL does not exist) is the 404 page.
    """
    try:
        with session_scope() as session:
            message = work(session)
    except NotFoundError:
        raise
    except BotError as err:
        flash(_short(str(err)), "error")
    else:
        flash(_short(message), "ok")
    return redirect(then, code=303)


def _short(text: str) -> str:
    """A flash message small enough for the session cookie (browsers drop one over 4 KB)."""
    return text if len(text) <= FLASH_CHARS else text[: FLASH_CHARS - 1] + "…"


def local_path(target: str | None, default: str = "/") -> str:
    """``target`` if it is a path on this site (``/drafts?x=1``), else ``default``."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
