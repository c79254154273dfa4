"""The key that signs session cookies, made once and kept in the database.

It lives in the ``meta`` table (key ``web.session_key``), so every web process and
every restart signs and accepts the same cookies without a file to manage. Two
processes starting at once may both try to create it: the primary key lets one win,
and the other reads the winner's key. Deleting the row logs every browser out.
"""

from __future__ import annotations

import secrets

from sqlalchemy.exc import IntegrityError

from bot.store import Database
from bot.store.models import Meta

META_KEY = "web.session_key"
KEY_BYTES = 32


def session_key(db: Database) -> str:
    """The stored key, created on first use."""
    with db.session() as session:
        row = session.get(Meta, META_KEY)
        if row is not None and row.value:
            return row.value
    try:
        with db.session() as session:
            session.add(Meta(key=META_KEY, value=secrets.token_hex(KEY_BYTES)))
    except IntegrityError:
        pass  # another process made it a moment ago: use theirs
    with db.session() as session:
        row = session.get(Meta, META_KEY)
        assert row is not None and row.value
        return row.value
