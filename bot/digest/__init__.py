"""The weekly digest (pure): plain values in, a ``Digest`` out, rendered as text and HTML.

    digest = build_digest(DigestInput(today=..., now=..., requests=..., ...))
    text, html = render_text(digest), render_html(digest)

``bot.store.digests`` gathers the input from the database and queues the digest
for the outbox; see docs/digest.md. Modules: ``values`` (the input), ``model``
(the ``Digest`` and its sections, every count derived from the items), ``build``
(where each request stands), ``render`` (the Jinja2 templates in templates/digest).
"""

from bot.digest.build import build_digest, iso_week, standing
from bot.digest.model import (
    NO_CAMPAIGN,
    Answer,
    Bar,
    Digest,
    DraftLine,
    DueSoon,
    FolderHealth,
    Group,
    Lateness,
    LateRequest,
)
from bot.digest.render import render_html, render_text, subject
from bot.digest.values import DigestInput, DraftInput, FolderInput, MessageInput, RequestInput

__all__ = [
    "NO_CAMPAIGN",
    "Answer",
    "Bar",
    "Digest",
    "DigestInput",
    "DraftInput",
    "DraftLine",
    "DueSoon",
    "FolderHealth",
    "FolderInput",
    "Group",
    "LateRequest",
    "Lateness",
    "MessageInput",
    "RequestInput",
    "build_digest",
    "iso_week",
    "render_html",
    "render_text",
    "standing",
    "subject",
]
