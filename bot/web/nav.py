"""The navigation bar's counts and the small helpers every template uses.

The counts (held messages, pending drafts, unresolved quarantine) come from one short
query per page, and only for a logged-in operator: the login page tells a visitor
nothing about the mail.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from bot.deadlines import LONDON
from bot.store.models import Draft, Message, Quarantine
from bot.vocabulary import DraftStatus, MessageStatus
from bot.web.auth import logged_in
from bot.web.state import session_scope


def nav_counts() -> dict[str, int] | None:
    """How many held messages, pending drafts and quarantined messages; None when the
    database cannot say (the error page that explains why must still render)."""
    try:
        return _counts()
    except SQLAlchemyError:
        return None


def _counts() -> dict[str, int]:
    with session_scope() as session:
        held = session.scalar(
            select(func.count(Message.id)).where(Message.status == MessageStatus.HOLDING.value)
        )
        pending = session.scalar(
            select(func.count(Draft.id)).where(Draft.status == DraftStatus.PENDING.value)
        )
        failing = session.scalar(
            select(func.count(Quarantine.id)).where(Quarantine.resolved_at.is_(None))
        )
    return {"held": held or 0, "pending": pending or 0, "quarantined": failing or 0}


def london(value: dt.datetime | None, with_time: bool = True) -> str:
    """A stored UTC time as London wall-clock time ("2026-11-09 10:05")."""
    if value is None:
        return "-"
    local = value.astimezone(LONDON)
    return local.strftime("%Y-%m-%d %H:%M") if with_time else local.date().isoformat()


def label(value: Any) -> str:
    """``partially_successful`` -> ``partially successful`` (for display only)."""
    return "-" if value is None or value == "" else str(value).replace("_", " ")


def size(value: int | None) -> str:
    if value is None:
        return "-"
    if value < 1024:
        return f"{value} bytes"
    if value < 1024 * 1024:
        return f"{value / 1024:.1f} KB"
    return f"{value / (1024 * 1024):.1f} MB"


def init_nav(app: Flask) -> None:
    app.jinja_env.globals.update(nav_counts=nav_counts, logged_in=logged_in)
    app.jinja_env.filters.update(london=london, label=label, size=size)
