"""Attachment downloads: always a download, never displayed by the browser.

The sender chose the file's name and type, so neither is trusted: the response is
``Content-Disposition: attachment`` with a plain-ASCII ``filename`` (and the real name in
RFC 5987 ``filename*``), ``X-Content-Type-Options: nosniff``, and a content type from a
short list of types browsers do not run (anything else, HTML and SVG included, is
``application/octet-stream``). A sandboxing CSP covers the response as well.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from flask import Blueprint, abort
from werkzeug.wrappers import Response

from bot.store.models import Attachment, Message, RawMessage
from bot.web.payloads import attachment_bytes
from bot.web.state import session_scope, web_state

bp = Blueprint("attachments", __name__)

SAFE_TYPES = frozenset(
    {
        "application/pdf",
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "image/png",
        "image/jpeg",
        "image/gif",
        "text/csv",
        "text/plain",
    }
)
DOWNLOAD_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"
_NOT_ASCII_SAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def ascii_filename(name: str, fallback: str = "attachment") -> str:
    """A filename any browser and shell handles: ASCII letters, digits, ``._ -`` only."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    plain = _NOT_ASCII_SAFE.sub("_", plain).strip(" ._")[:150]
    return plain or fallback


def content_disposition(name: str) -> str:
    """``attachment; filename="..."; filename*=UTF-8''...`` for ``name``."""
    return (
        f"attachment; filename=\"{ascii_filename(name)}\"; filename*=UTF-8''{quote(name, safe='')}"
    )


def download_type(content_type: str) -> str:
    base = content_type.split(";", 1)[0].strip().lower()
    return base if base in SAFE_TYPES else "application/octet-stream"


@bp.route("/attachments/<int:attachment_id>")
def download(attachment_id: int) -> Response:
    with session_scope() as session:
        attachment = session.get(Attachment, attachment_id)
        if attachment is None:
            abort(404, description=f"no attachment {attachment_id}")
        message = session.get(Message, attachment.message_id)
        raw = session.get(RawMessage, message.raw_id) if message and message.raw_id else None
        if raw is None:
            abort(404, description="the raw message of this attachment is not stored")
        name, ctype, sha, raw_sha = (
            attachment.filename, attachment.content_type, attachment.sha256, raw.sha256
        )  # fmt: skip
    data = attachment_bytes(web_state().raws.get(raw_sha), sha)
    if data is None:
        abort(404, description="this attachment cannot be found in its raw message")
    response = Response(data, content_type=download_type(ctype))
    response.headers["Content-Disposition"] = content_disposition(name)
    response.headers["Content-Security-Policy"] = DOWNLOAD_CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
