"""Login: every page needs it, wrong passwords are throttled, the cookie is locked down."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.config import load_config
from bot.errors import ConfigError
from bot.store import Database
from bot.store.models import Meta
from bot.web.app import create_app
from bot.web.passwords import hash_password, load_password_hash, parse_hash
from bot.web.sessionkey import META_KEY, session_key
from bot.web.state import local_path
from bot.web.throttle import LoginThrottle
from tests.servers.dovecot import free_port
from tests.web.support import PASSWORD, REPO, LiveServer, WebClient, live_server, route_urls

PUBLIC = {"auth.login", "static"}


def test_every_page_sends_a_visitor_who_is_not_logged_in_to_the_login_page(
    site: LiveServer,
) -> None:
    web = site.client()
    for endpoint, url in route_urls(site.app, "GET"):
        reply = web.get(url)
        if endpoint in PUBLIC:
            assert reply.status == 200, url
            continue
        assert reply.status == 303, f"{url} answered {reply.status} without a login"
        assert reply.location.startswith("/login?next="), url
        assert b"Northmoor" not in reply.body


def test_a_post_with_a_valid_token_but_no_login_changes_nothing(site: LiveServer) -> None:
    web = site.client()
    token = web.csrf("/login")  # an anonymous session has a token for the login form
    for endpoint, url in route_urls(site.app, "POST"):
        if endpoint in PUBLIC:
            continue
        reply = web.post(url, {"csrf_token": token, "reason": "x", "state": "closed"})
        assert reply.status == 303 and reply.location.startswith("/login"), url
    with site.db.session() as session:
        from bot.store.models import Draft, Request

        assert session.get(Request, 1) is not None
        assert session.get(Request, 1).state == "successful"  # type: ignore[union-attr]
        assert session.get(Draft, 1).status == "pending"  # type: ignore[union-attr]


def test_the_right_password_logs_in_and_returns_to_the_page_asked_for(site: LiveServer) -> None:
    web = site.client()
    first = web.get("/drafts?status=pending")
    assert first.location == "/login?next=/drafts?status%3Dpending"
    token = web.csrf(first.location)
    reply = web.post(
        "/login", {"password": PASSWORD, "csrf_token": token, "next": "/drafts?status=pending"}
    )
    assert reply.status == 303 and reply.location == "/drafts?status=pending"
    assert web.get("/drafts?status=pending").status == 200


def test_login_never_redirects_to_another_site() -> None:
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"):
        assert local_path(target) == "/"
    assert local_path("/requests/3?x=1") == "/requests/3?x=1"


def test_a_wrong_password_is_refused_and_shows_the_login_page_again(site: LiveServer) -> None:
    reply = site.client().login("not the password")
    assert reply.status == 403 and "Wrong password" in reply.text


def test_five_wrong_passwords_throttle_the_login_even_for_the_right_password(
    site: LiveServer,
) -> None:
    web = site.client()
    statuses = [web.login("wrong password").status for _ in range(5)]
    assert statuses == [403, 403, 403, 403, 429]
    throttled = web.login(PASSWORD)
    assert throttled.status == 429
    assert int(throttled.headers["Retry-After"]) > 0
    assert "Too many wrong passwords" in throttled.text
    assert web.get("/").status == 303  # still not logged in


def test_the_throttle_counts_across_clients_from_one_address(site: LiveServer) -> None:
    for _ in range(5):
        site.client().login("wrong password")
    assert site.client().login(PASSWORD).status == 429


def test_the_throttle_lets_the_address_try_again_when_the_window_has_passed(
    demo: Path,
) -> None:
    now = [1000.0]
    throttle = LoginThrottle(window=900.0, clock=lambda: now[0])
    with live_server(demo, throttle=throttle) as site:
        web = site.client()
        for _ in range(5):
            web.login("wrong password")
        assert web.login(PASSWORD).status == 429
        now[0] += 901.0
        assert web.login(PASSWORD).status == 303


def test_failures_from_many_addresses_throttle_the_account_as_a_whole() -> None:
    throttle = LoginThrottle(per_address=5, per_account=20, clock=lambda: 0.0)
    for n in range(20):
        assert throttle.attempt(f"10.0.0.{n}") is None  # each a wrong password
    assert throttle.attempt("192.0.2.1") == 900


def test_a_right_password_clears_the_address_and_is_not_counted_for_the_account() -> None:
    throttle = LoginThrottle(per_address=2, per_account=3, clock=lambda: 0.0)
    assert throttle.attempt("a") is None
    assert throttle.attempt("a") is None
    throttle.succeeded("a")  # the second one was right
    assert throttle.attempt("a") is None
    assert throttle.attempt("b") is None
    assert throttle.attempt("c") == 900  # a, a (wrong), b: three failures for the account


def test_simultaneous_logins_check_no_more_passwords_than_the_limit() -> None:
    throttle = LoginThrottle(per_address=5, per_account=100)
    start = threading.Barrier(40)
    allowed: list[bool] = []

    def try_once() -> None:
        start.wait()
        allowed.append(throttle.attempt("203.0.113.9") is None)

    threads = [threading.Thread(target=try_once) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 5 and allowed.count(False) == 35


def test_the_session_cookie_is_httponly_and_samesite_strict(site: LiveServer) -> None:
    web = site.client()
    reply = web.login()
    cookie = reply.headers["Set-Cookie"]
    assert "foibot_session=" in cookie
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Secure" not in cookie  # plain http on loopback: a Secure cookie would be dropped


def test_the_session_cookie_is_secure_when_the_base_url_is_https(demo: Path) -> None:
    text = demo.read_text(encoding="utf-8").replace(
        "[web]\n", '[web]\nbase_url = "https://foibot.example.ac.uk"\n'
    )
    demo.write_text(text, encoding="utf-8")
    config = load_config(demo)
    db = Database(config.database_url)
    try:
        app = create_app(config, db, load_password_hash(config))
        client = app.test_client()
        client.get("/login")
        cookie = client.get_cookie("foibot_session")
        assert cookie is not None and cookie.secure and cookie.http_only
    finally:
        db.dispose()


def test_logging_out_ends_the_session(client: WebClient) -> None:
    assert client.get("/").status == 200
    assert client.submit("/logout").status == 303
    assert client.get("/").status == 303


def test_a_new_password_hash_logs_every_browser_out(demo: Path, site: LiveServer) -> None:
    web = site.client()
    web.login()
    other = load_config(demo)
    app = create_app(other, site.db, parse_hash(hash_password("another password", n=2**10)))
    cookie = next(c for c in web.jar if c.name == "foibot_session")
    client = app.test_client()
    client.set_cookie("foibot_session", cookie.value or "", domain="localhost")
    assert client.get("/").status_code == 303


def test_the_session_key_is_made_once_and_shared_by_every_process(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'foibot.sqlite3'}")
    try:
        db.upgrade()
        first, second = session_key(db), session_key(db)
        assert first == second and len(first) == 64
        with db.session() as session:
            assert session.get(Meta, META_KEY).value == first  # type: ignore[union-attr]
    finally:
        db.dispose()


def test_a_password_hash_checks_the_right_password_only() -> None:
    stored = parse_hash(hash_password("s3cret password", n=2**10))
    assert stored.matches("s3cret password")
    assert not stored.matches("s3cret passwore")
    assert stored.line().startswith("scrypt$1024$8$1$")


@pytest.mark.parametrize(
    "line",
    [
        "",
        "argon2id$v=19$m=65536$abc$def",
        "scrypt$1000$8$1$c2FsdHNhbHQ=$a2V5a2V5a2V5a2V5a2V5a2V5",  # N not a power of two
        "scrypt$1048576$64$1$c2FsdHNhbHQ=$a2V5a2V5a2V5a2V5a2V5a2V5",  # 8 GiB per login
        "scrypt$1024$8$1$not base64!$a2V5",
    ],
)
def test_an_unusable_hash_line_is_refused(line: str) -> None:
    with pytest.raises(ValueError):
        parse_hash(line)


def run_cli(config: Path, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--config", str(config), *args], input=stdin)
    return result.exit_code, result.output


def test_web_refuses_to_start_without_a_password_hash_and_says_how_to_make_one(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo.write_text(
        demo.read_text(encoding="utf-8").replace(
            'password_hash_env = "FOIBOT_TEST_WEB_HASH"\n', ""
        ),
        encoding="utf-8",
    )
    code, output = run_cli(demo, "web", "--port", "1")
    assert code == 2
    assert "password_hash_env" in output and "password_hash_file" in output
    assert "password_hash_credential" in output and "foibot web hash-password" in output
    with pytest.raises(ConfigError):
        load_password_hash(load_config(demo))


def test_web_refuses_a_hash_env_var_that_is_not_set(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FOIBOT_TEST_WEB_HASH")
    code, output = run_cli(demo, "web", "--port", "1")
    assert code == 2 and "FOIBOT_TEST_WEB_HASH" in output


def test_hash_password_from_stdin_prints_a_line_that_checks_the_password(demo: Path) -> None:
    code, output = run_cli(demo, "web", "hash-password", "--stdin", stdin="a long password\n")
    assert code == 0, output
    assert parse_hash(output.strip()).matches("a long password")


def test_hash_password_asks_twice_on_the_terminal(demo: Path) -> None:
    code, output = run_cli(demo, "web", "hash-password", stdin="a long password\na long password\n")
    assert code == 0, output
    line = output.strip().splitlines()[-1]
    assert parse_hash(line).matches("a long password")


def test_hash_password_refuses_a_short_password(demo: Path) -> None:
    code, output = run_cli(demo, "web", "hash-password", "--stdin", stdin="short\n")
    assert code == 2 and "at least 8 characters" in output


def test_foibot_web_serves_on_loopback_by_default_and_stops_on_sigterm(demo: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "--config", str(demo), "web", "--port", str(port)],
        cwd=REPO,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        assert f"serving on http://127.0.0.1:{port}/" in line, line
        assert WebClient(f"http://127.0.0.1:{port}").get("/login").status == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_the_hash_may_come_from_a_file_or_a_systemd_credential(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    line = hash_password("from a file", n=2**10)
    (tmp_path / "web-password").write_text(line + "\n", encoding="utf-8")
    (tmp_path / "creds").mkdir()
    (tmp_path / "creds" / "foibot-web").write_text(line, encoding="utf-8")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(tmp_path / "creds"))
    original = demo.read_text(encoding="utf-8")
    for key in (
        f'password_hash_file = "{tmp_path / "web-password"}"',
        'password_hash_credential = "foibot-web"',
    ):
        demo.write_text(
            original.replace('password_hash_env = "FOIBOT_TEST_WEB_HASH"', key), encoding="utf-8"
        )
        assert load_password_hash(load_config(demo)).matches("from a file"), key


def test_a_hash_written_in_config_toml_is_refused(demo: Path) -> None:
    text = demo.read_text(encoding="utf-8").replace(
        "[web]\n", f'[web]\npassword_hash = "{hash_password("x" * 8, n=2**10)}"\n'
    )
    demo.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"must not be written in config\.toml"):
        load_config(demo)
