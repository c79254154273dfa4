"""The dashboard: campaigns and requests by state, overdue ones highlighted.

Filters and sorting are query-string parameters, worked out on the server (no script):
``/?state=extended&campaign=NAME&overdue=overdue&sort=-due``. ``overdue`` is one of
``overdue`` (including very overdue), ``very_overdue``, ``not_overdue``; ``sort`` names
a column, with ``-`` for descending. Requests without a due date sort last either way.
Overdue is worked out from each request's events and the app's ``today`` (London), as
``foibot export`` does.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any

from flask import Blueprint, render_template, request, url_for
from sqlalchemy.orm import Session

from bot.store.models import Request
from bot.store.requests import export_record, list_requests
from bot.vocabulary import RequestState
from bot.web.state import session_scope, web_state

bp = Blueprint("dashboard", __name__)

OVERDUE_FILTERS = ("overdue", "very_overdue", "not_overdue")
NO_CAMPAIGN = "(no campaign)"
Row = dict[str, Any]
SORT_KEYS: dict[str, Callable[[Row], Any]] = {
    "due": lambda r: r["due"],
    "id": lambda r: r["id"],
    "authority": lambda r: r["authority"].lower(),
    "campaign": lambda r: (r["campaign"] or "").lower() or None,
    "state": lambda r: r["state"],
    "sent": lambda r: r["sent"],
    "last": lambda r: r["last_message"],
}
DEFAULT_SORT = "due"


def request_row(req: Request, today: dt.date) -> Row:
    """One request as the dashboard shows it."""
    record = export_record(req, today, web_state().config)
    dates = [m.date for m in req.messages if m.date is not None]
    return {
        **{k: v for k, v in record.items() if k != "messages"},
        "due": dt.date.fromisoformat(record["response_due"]) if record["response_due"] else None,
        "sent": req.sent_at,
        "message_count": len(req.messages),
        "last_message": max(dates, default=None),
    }


def sort_rows(rows: list[Row], sort: str) -> list[Row]:
    """Rows sorted by the ``sort`` column (``-`` prefix: descending); blanks last."""
    name = sort.lstrip("-")
    key = SORT_KEYS.get(name, SORT_KEYS[DEFAULT_SORT])
    present = [r for r in rows if key(r) is not None]
    blank = [r for r in rows if key(r) is None]
    present.sort(key=lambda r: (key(r), r["id"]), reverse=sort.startswith("-"))
    return present + sorted(blank, key=lambda r: r["id"])


def keep(row: Row, overdue: str) -> bool:
    if overdue == "overdue":
        return bool(row["overdue"])
    if overdue == "very_overdue":
        return bool(row["very_overdue"])
    if overdue == "not_overdue":
        return not row["overdue"]
    return True


def campaign_summary(rows: list[Row]) -> list[dict[str, Any]]:
    """Per campaign: how many requests, in which states, how many overdue."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(row["campaign"] or NO_CAMPAIGN, []).append(row)
    return [
        {
            "name": name,
            "filter": None if name == NO_CAMPAIGN else name,
            "total": len(members),
            "states": sorted(Counter(r["state"] for r in members).items()),
            "overdue": sum(bool(r["overdue"]) for r in members),
            "very_overdue": sum(bool(r["very_overdue"]) for r in members),
        }
        for name, members in sorted(groups.items(), key=lambda g: (g[0] == NO_CAMPAIGN, g[0]))
    ]


def load_rows(session: Session, today: dt.date) -> list[Row]:
    return [request_row(r, today) for r in list_requests(session)]


@bp.route("/")
def index() -> str:
    state = request.args.get("state", "")
    campaign = request.args.get("campaign", "")
    overdue = request.args.get("overdue", "")
    overdue = overdue if overdue in OVERDUE_FILTERS else ""
    sort = request.args.get("sort", DEFAULT_SORT)
    sort = sort if sort.lstrip("-") in SORT_KEYS else DEFAULT_SORT
    today = web_state().today()
    with session_scope() as session:
        everything = load_rows(session, today)
    shown = [
        r
        for r in everything
        if (not state or r["state"] == state)
        and (not campaign or r["campaign"] == campaign)
        and keep(r, overdue)
    ]
    filters = {"state": state, "campaign": campaign, "overdue": overdue}
    active: dict[str, Any] = {k: v for k, v in filters.items() if v}

    def sort_url(column: str) -> str:
        target = f"-{column}" if sort == column else column
        return url_for("dashboard.index", **active, sort=target)

    return render_template(
        "dashboard.html",
        today=today,
        rows=sort_rows(shown, sort),
        total=len(everything),
        by_state=Counter(r["state"] for r in everything),
        overdue_count=sum(bool(r["overdue"]) for r in everything),
        very_overdue_count=sum(bool(r["very_overdue"]) for r in everything),
        campaigns=campaign_summary(everything),
        campaign_names=sorted({r["campaign"] for r in everything if r["campaign"]}),
        states=[s.value for s in RequestState],
        filters=filters,
        sort=sort,
        sort_url=sort_url,
        overdue_filters=OVERDUE_FILTERS,
    )
