"""pytest fixtures for the real test servers; tests/conftest.py imports them.

``dovecot`` is one Dovecot for the whole session; ``imap_user`` is a user nobody else
has touched, so each test starts with an empty INBOX (and an empty ``Sent``).
A missing Dovecot FAILS the test with the install hint: it is never skipped.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.servers.dovecot import Dovecot


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    """A running Dovecot (plain + implicit-TLS ports on 127.0.0.1) for the session."""
    try:
        server = Dovecot()
    except RuntimeError as err:
        pytest.fail(str(err), pytrace=False)
    try:
        server.start()
        yield server
    finally:
        server.close()


@pytest.fixture
def imap_user(dovecot: Dovecot) -> Iterator[str]:
    """A fresh IMAP user (password ``dovecot.password``); restarts Dovecot if a test stopped it."""
    if not dovecot.running:
        dovecot.start()
    yield dovecot.new_user()
    if not dovecot.running:
        dovecot.start()
