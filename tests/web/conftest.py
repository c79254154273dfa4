"""Fixtures for the web tests: the synced demo (built once), a live server, clients."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.support import (
    PASSWORD_HASH,
    LiveServer,
    WebClient,
    build_demo,
    copy_demo,
    live_server,
)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo mailbox with hostile mail, synced on 2026-11-21: built once, copied per test."""
    directory = tmp_path_factory.mktemp("web-demo")
    build_demo(directory)
    return directory


@pytest.fixture(autouse=True)
def web_hash_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The config names FOIBOT_TEST_WEB_HASH as the password hash's env var."""
    monkeypatch.setenv("FOIBOT_TEST_WEB_HASH", PASSWORD_HASH)


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path) -> Path:
    """This test's own copy of the demo: its config path."""
    return copy_demo(demo_template, tmp_path / "site")


@pytest.fixture
def site(demo: Path) -> Iterator[LiveServer]:
    """A live server on the demo copy (approvals are not sent: no SMTP here)."""
    with live_server(demo) as server:
        yield server


@pytest.fixture
def client(site: LiveServer) -> WebClient:
    """A logged-in client."""
    web = site.client()
    assert web.login().status == 303
    return web
