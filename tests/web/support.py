"""The web tests' world: the demo mailbox synced on 2026-11-21 plus hostile mail, a live
waitress server on a free 127.0.0.1 port in a thread, and a small cookie-keeping client.

The demo database is built once per session (``foibot init`` + ``foibot sync --once``
through click's CliRunner) and copied for each test, so every test starts from the same
state and may change it. The config uses relative paths, so a copied directory works.
"""

from __future__ import annotations

import datetime as dt
import html
import http.cookiejar
import re
import shutil
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import select

from bot.cli import main
from bot.config import load_config
from bot.store import Database
from bot.store.models import Message
from bot.vocabulary import MessageStatus
from bot.web.app import create_app
from bot.web.passwords import hash_password, parse_hash
from bot.web.serve import make_server, stop_server
from bot.web.throttle import LoginThrottle

REPO = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 21)  # the demo story's "today" (demo/README.md)
PASSWORD = "correct horse battery"
PASSWORD_HASH = hash_password(PASSWORD, n=2**12)  # cheap for tests; same code path
XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"
HOSTILE_SUBJECT = f"Re: FOI 10412 {XSS_SCRIPT} {XSS_IMG}"
HOSTILE_FILENAME = '"><img src=x onerror=alert(3)>.html'
HELD_SUBJECT = (
    f"Your Freedom of Information request - use of data analytics in children's services {XSS_IMG}"
)
NORTHMOOR_REQUEST = "<foi-req-northmoor.20260914090200@example.ac.uk>"

# Request ids in the synced demo (demo/README.md order of the Sent folder).
NORTHMOOR, CAERWEN, GLENMUIR, NETHERFIELD, HARTWELL, BRACKENVALE, ST_AIDANS, LOUGHSIDE = range(1, 9)


def hostile_reply() -> EmailMessage:
    """A reply on Northmoor's request whose subject, body and attachment name carry XSS."""
    m = EmailMessage()
    m["From"] = '"Northmoor FOI <b>team</b>" <foi@northmoor.gov.example>'
    m["To"] = "research@example.ac.uk"
    m["Subject"] = HOSTILE_SUBJECT
    m["Date"] = format_datetime(dt.datetime(2026, 11, 12, 10, 0, tzinfo=dt.UTC))
    m["Message-ID"] = "<hostile.1@northmoor.gov.example>"
    m["In-Reply-To"] = NORTHMOOR_REQUEST
    m.set_content(
        f"Dear Research Team,\n\nAbout FOI 10412: {XSS_SCRIPT} and {XSS_IMG}.\n\nRegards\n"
    )
    m.add_attachment(
        b"<html><script>alert(2)</script></html>",
        maintype="text",
        subtype="html",
        filename=HOSTILE_FILENAME,
    )
    return m


def held_message() -> EmailMessage:
    """FOI mail from no known authority about the campaign: it waits in the holding pen."""
    m = EmailMessage()
    m["From"] = '"Records Office" <records@shared-services.example>'
    m["To"] = "research@example.ac.uk"
    m["Subject"] = HELD_SUBJECT
    m["Date"] = format_datetime(dt.datetime(2026, 11, 16, 9, 0, tzinfo=dt.UTC))
    m["Message-ID"] = "<held.1@shared-services.example>"
    m.set_content(
        "Dear Research Team,\n\nWe are handling your Freedom of Information request on behalf "
        f"of the council and will reply within 20 working days. {XSS_SCRIPT}\n\nRecords Office\n"
    )
    return m


def config_text(smtp_toml: str = "", extra: str = "") -> str:
    return (
        '[requester]\nname = "Research Team"\nemail = "research@example.ac.uk"\n\n'
        '[mailbox]\nkind = "maildir"\npath = "mail"\n\n'
        '[database]\nurl = "sqlite:///foibot.sqlite3"\nraw_dir = "raw"\n\n'
        f'[authorities]\ncsv = "{REPO / "demo" / "authorities.csv"}"\n\n'
        '[web]\npassword_hash_env = "FOIBOT_TEST_WEB_HASH"\n'
        f"{extra}\n{smtp_toml}"
    )


def build_demo(directory: Path) -> Path:
    """The demo mailbox plus hostile mail, synced on TODAY; returns the config path."""
    import bot.cli.mail_cmd

    shutil.copytree(REPO / "demo" / "mailbox", directory / "mail")
    for number, message in enumerate((hostile_reply(), held_message()), start=90):
        (directory / "mail" / "new" / f"1795100000.M{number}P1.test").write_bytes(bytes(message))
    config = directory / "config.toml"
    config.write_text(config_text(), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bot.cli.mail_cmd, "today_london", lambda: TODAY)
        for args in (["init"], ["sync", "--once"]):
            result = CliRunner().invoke(main, ["--config", str(config), *args])
            assert result.exit_code == 0, result.output
    return config


def copy_demo(template: Path, directory: Path, smtp_toml: str = "", extra: str = "") -> Path:
    """A private copy of the built demo, with its own [smtp] (and extra [web] lines)."""
    shutil.copytree(template, directory, dirs_exist_ok=True)
    config = directory / "config.toml"
    config.write_text(config_text(smtp_toml, extra), encoding="utf-8")
    return config


@dataclass
class LiveServer:
    """A waitress server for one app, running in a thread."""

    app: Flask
    db: Database
    url: str
    server: Any
    thread: threading.Thread

    def client(self) -> WebClient:
        return WebClient(self.url)


@contextmanager
def live_server(
    config_path: Path,
    *,
    send_after_approval: bool = False,
    throttle: LoginThrottle | None = None,
) -> Iterator[LiveServer]:
    config = load_config(config_path)
    db = Database(config.database_url)
    app = create_app(
        config,
        db,
        parse_hash(PASSWORD_HASH),
        today=lambda: TODAY,
        throttle=throttle,
        send_after_approval=send_after_approval,
    )
    server = make_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.run, name="test-waitress", daemon=True)
    thread.start()
    try:
        yield LiveServer(app, db, f"http://127.0.0.1:{server.effective_port}", server, thread)
    finally:
        stop_server(server)
        thread.join(10)
        app.extensions["foibot"].sender.join(30)
        db.dispose()


@dataclass
class Reply:
    status: int
    headers: Any
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return str(self.headers.get("Location") or "")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class WebClient:
    """An HTTP client with a cookie jar that never follows redirects (tests look at them)."""

    base: str
    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    def __post_init__(self) -> None:
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirects()
        )

    def request(
        self, method: str, path: str, data: dict[str, str] | None = None, **headers: str
    ) -> Reply:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)
        try:
            with self._opener.open(req, timeout=60) as response:
                return Reply(response.status, response.headers, response.read())
        except urllib.error.HTTPError as err:
            with err:
                return Reply(err.code, err.headers, err.read())

    def get(self, path: str, **headers: str) -> Reply:
        return self.request("GET", path, **headers)

    def post(self, path: str, data: dict[str, str] | None = None, **headers: str) -> Reply:
        return self.request("POST", path, data or {}, **headers)

    def csrf(self, path: str = "/login") -> str:
        """The session's CSRF token, read from a form on ``path``."""
        found = CSRF_FIELD.search(self.get(path).text)
        assert found, f"no CSRF field on {path}"
        return found.group(1)

    def login(self, password: str = PASSWORD) -> Reply:
        token = self.csrf("/login")
        return self.post("/login", {"password": password, "csrf_token": token, "next": "/"})

    def submit(self, path: str, data: dict[str, str] | None = None, form_page: str = "/") -> Reply:
        """POST with this session's valid CSRF token (as the page's form would)."""
        return self.post(path, {**(data or {}), "csrf_token": self.csrf(form_page)})


# Sample values for URL arguments, so every route of the app can be visited. A new
# route with a new argument fails ``route_urls`` until a sample is added here.
SAMPLE_ARGS = {
    "request_id": NORTHMOOR,
    "draft_id": 1,
    "message_id": 24,  # the held message
    "attachment_id": 1,
    "quarantine_id": 1,
    "filename": "style.css",
}


def route_urls(app: Flask, method: str) -> list[tuple[str, str]]:
    """(endpoint, URL) of every route of ``app`` that answers ``method``."""
    urls = []
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            if method not in (rule.methods or ()):
                continue
            missing = [a for a in rule.arguments if a not in SAMPLE_ARGS]
            assert not missing, f"add a sample value for {missing} of {rule.rule}"
            args = {a: SAMPLE_ARGS[a] for a in rule.arguments}
            urls.append((rule.endpoint, url_for(rule.endpoint, **args)))
    assert urls, f"no {method} routes?"
    return sorted(urls)


# -- reading pages ------------------------------------------------------------------------


def row_ids(reply: Reply) -> list[int]:
    """The request ids of the dashboard's table, in the order shown."""
    return [int(n) for n in re.findall(r'<tr id="request-(\d+)"', reply.text)]


def row(reply: Reply, request_id: int) -> str:
    found = re.search(rf'<tr id="request-{request_id}"[^>]*>.*?</tr>', reply.text, flags=re.S)
    assert found, f"request {request_id} is not on the page"
    return found.group(0)


def flashes(reply: Reply) -> list[str]:
    return [
        html.unescape(t)
        for t in re.findall(r'<p class="flash [a-z]+"[^>]*>(.*?)</p>', reply.text, flags=re.S)
    ]


def follow(client: WebClient, reply: Reply) -> Reply:
    assert reply.status == 303, (reply.status, reply.text[:500])
    return client.get(reply.location)


def held_id(site: LiveServer) -> int:
    with site.db.session() as session:
        return session.scalars(
            select(Message.id).where(Message.status == MessageStatus.HOLDING.value)
        ).one()
