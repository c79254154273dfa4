"""Shared fixtures: real servers started on demand, and small config helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.servers.browser import browser, page
from tests.servers.fixtures import dovecot, imap_user
from tests.servers.postgres import PostgresCluster, postgres_cluster
from tests.servers.smtp import smtp_certificate, smtp_factory, smtp_server

__all__ = [  # fixtures shared by the whole suite
    "browser",
    "dovecot",
    "imap_user",
    "page",
    "smtp_certificate",
    "smtp_factory",
    "smtp_server",
]

MINIMAL_CONFIG = """\
[requester]
name = "Research Team"
email = "research@example.ac.uk"

[mailbox]
kind = "maildir"
path = "mail"

[database]
url = "sqlite:///state/foibot.sqlite3"
"""


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    """One real PostgreSQL server for the whole session."""
    with postgres_cluster() as cluster:
        yield cluster


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database URL: a SQLite file, then a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/foibot.sqlite3"
    cluster: PostgresCluster = request.getfixturevalue("postgres")
    return cluster.create_database()


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[[str], Path]:
    """Write a config.toml into tmp_path (with an empty Maildir beside it)."""

    def write(text: str = MINIMAL_CONFIG, name: str = "config.toml") -> Path:
        for sub in ("cur", "new", "tmp"):
            (tmp_path / "mail" / sub).mkdir(parents=True, exist_ok=True)
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
