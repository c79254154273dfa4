"""The digest as text and as HTML, from Jinja2 templates in ``templates/digest/``.

Both renderings read the same ``Digest`` value and compute nothing of their own, so
the text and the HTML always give the same numbers.

Mail content (subjects, authority names) is untrusted. The HTML environment
autoescapes everything; the text one does not (it is not HTML) but every such value
goes through the ``line`` filter, which makes it one line of printable text. The HTML
is built for mail clients: layout and bar charts are tables with inline styles and
percentage widths; no images, no CSS classes, no scripts.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import jinja2

from bot.compose import one_line
from bot.deadlines import LONDON, long_date
from bot.digest.model import Digest, working_days

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "digest"
TEXT_TEMPLATE = "digest.txt.j2"
HTML_TEMPLATE = "digest.html.j2"

# Bar colours by request state (the derived "late" colours are used in the lists).
COLOURS = {
    "draft": "#b0b7bf",
    "awaiting_response": "#3b73b9",
    "awaiting_clarification": "#c9a227",
    "extended": "#7a5cc0",
    "delivery_failed": "#8b1e1e",
    "successful": "#2e8b57",
    "partially_successful": "#76a84f",
    "refused": "#c0392b",
    "not_held": "#8c8c8c",
    "awaiting_review": "#e69138",
    "review_complete": "#45818e",
    "withdrawn": "#6f6f6f",
    "closed": "#4d4d4d",
}
OTHER_COLOUR = "#999999"


def when(value: dt.datetime | None) -> str:
    """An instant as London time: 'Saturday 21 November 2026 17:52'."""
    if value is None:
        return "never"
    local = value.astimezone(LONDON)
    return f"{long_date(local.date())} {local:%H:%M}"


def colour(state: str) -> str:
    return COLOURS.get(state, OTHER_COLOUR)


@lru_cache(maxsize=2)
def environment(html: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        autoescape=html,  # HTML: every value escaped; text: see the module docstring
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        long_date=long_date, when=when, line=one_line, working_days=working_days, colour=colour
    )
    return env


def render_text(digest: Digest) -> str:
    """The digest as plain text (the mail's text/plain part and ``foibot digest --print``)."""
    text = environment(False).get_template(TEXT_TEMPLATE).render(d=digest)
    lines = [line.rstrip() for line in text.splitlines()]
    return "\n".join(lines).strip("\n") + "\n"


def render_html(digest: Digest) -> str:
    """The digest as an HTML document (the mail's text/html part and ``--html FILE``)."""
    html = environment(True).get_template(HTML_TEMPLATE).render(d=digest, subject=subject(digest))
    return html.strip("\n") + "\n"


def subject(digest: Digest) -> str:
    """The mail's subject: the week and the numbers that need the operator."""
    parts = [f"{digest.overdue} overdue"]
    if digest.probably_overdue:
        parts.append(f"{digest.probably_overdue} probably overdue")
    parts += [
        f"{len(digest.due_soon)} due soon",
        f"{len(digest.answers)} answers",
        f"{len(digest.awaiting_approval)} to approve",
    ]
    if digest.failed:
        parts.append(f"{len(digest.failed)} failed")
    if not digest.sync_ok:
        parts.append("sync needs attention")
    return f"foibot digest {digest.week}: {', '.join(parts)}"
