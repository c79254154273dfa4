"""`foibot digest` on the demo mailbox (demo/README.md is the answer key), sent to a real
SMTP server."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
import shutil
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import main
from tests.servers.smtp import SmtpServer

REPO = Path(__file__).resolve().parent.parent
STORY_DAY = dt.date(2026, 11, 21)  # the demo's "today", a Saturday
TODAY = ("--today", STORY_DAY.isoformat())
MakeDemo = Callable[..., Path]


def config_text(root: Path, extra: str = "") -> str:
    return (
        '[requester]\nname = "Research Team"\nemail = "research@example.ac.uk"\n\n'
        f'[mailbox]\nkind = "maildir"\npath = "{root / "mail"}"\n\n'
        f'[database]\nurl = "sqlite:///{root / "foibot.sqlite3"}"\nraw_dir = "{root / "raw"}"\n\n'
        f'[authorities]\ncsv = "{REPO / "demo" / "authorities.csv"}"\n\n{extra}'
    )


def run(config: Path, *args: str, code: int = 0) -> Result:
    result = CliRunner().invoke(main, ["--config", str(config), *args])
    assert result.exit_code == code, result.output
    return result


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo mailbox synced once on 2026-11-21; each test gets a copy (see ``demo``)."""
    import bot.cli.mail_cmd

    root = tmp_path_factory.mktemp("demo-synced")
    shutil.copytree(REPO / "demo" / "mailbox", root / "mail")
    config = root / "config.toml"
    config.write_text(config_text(root), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bot.cli.mail_cmd, "today_london", lambda: STORY_DAY)
        run(config, "init")
        run(config, "sync", "--once")
    return root


@pytest.fixture
def demo(synced: Path, tmp_path: Path) -> MakeDemo:
    """``demo(extra_toml)``: a config on a fresh copy of the synced demo."""

    def make(extra: str = "") -> Path:
        root = tmp_path / "demo"
        shutil.copytree(synced, root)
        config = root / "config.toml"
        config.write_text(config_text(root, extra), encoding="utf-8")
        return config

    return make


def glance(text: str) -> dict[str, str]:
    block = text.split("AT A GLANCE", 1)[1].split("\n\n", 1)[0]
    return {k.lower(): v for k, v in re.findall(r"^  (\S.*?) {2,}(\S.*)$", block, re.M)}


EXPECTED_GLANCE = {
    "requests": "8", "overdue": "1", "very overdue": "1", "probably overdue (schools)": "1",
    "due in the next 7 days": "1", "responses received this week": "0",
    "drafts awaiting your approval": "4", "failed or delivery uncertain": "0",
    "holding pen": "0", "quarantine (unresolved)": "0", "mail sync": "OK",
}  # fmt: skip
HARTWELL = (
    r"- #\d+ London Borough of Hartwell: very overdue\n"
    r"  9 working days late \(due Monday 9 November 2026\)"
)
ST_AIDANS = (
    r"- #\d+ St Aidan's Church of England Academy: probably overdue \(school: 20 school days; "
    r"legal outer limit Thursday 31 December 2026\)\n"
    r"  14 working days after its 20th working day \(Monday 2 November 2026\)"
)
LOUGHSIDE = r"- #\d+ Loughside Health and Social Care Trust: due Monday 23 November 2026 \(in 1"
BARS = {  # the campaign's requests by state on 2026-11-21 (8 requests, 30-character bars)
    "awaiting response": (3, 11), "extended": (1, 4), "delivery failed": (1, 4),
    "successful": (1, 4), "partially successful": (1, 4), "refused": (1, 4),
}  # fmt: skip


def assert_story_text(text: str) -> None:
    """What the demo's answer key says about 2026-11-21, as the text digest shows it."""
    assert {k: v for k, v in glance(text).items() if k in EXPECTED_GLANCE} == EXPECTED_GLANCE
    assert re.search(HARTWELL, text) and re.search(ST_AIDANS, text) and re.search(LOUGHSIDE, text)
    assert "OVERDUE OR PROBABLY OVERDUE (2)" in text and "DUE IN THE NEXT 7 DAYS (1)" in text
    for label, (count, hashes) in BARS.items():
        assert re.search(rf"^  {label} +{count}  #{{{hashes}}}$", text, re.M), label
    assert "DRAFTS AWAITING YOUR APPROVAL (4)" in text
    assert "chaser to foi@hartwell.gov.example (London Borough of Hartwell)" in text
    for name in ("Glenmuir", "Caerwen", "Northmoor", "Netherfield", "Brackenvale"):
        late = text.split("OVERDUE OR PROBABLY OVERDUE", 1)[1].split("RESPONSES RECEIVED", 1)[0]
        assert name not in late, f"{name} is neither late nor due this week"


def test_print_shows_the_demo_story(demo: MakeDemo) -> None:
    assert_story_text(run(demo(), "digest", "--print", *TODAY).output)


def test_without_options_the_text_is_printed_for_today_in_london(
    demo: MakeDemo, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.cli.digest_cmd

    monkeypatch.setattr(bot.cli.digest_cmd, "today_london", lambda: STORY_DAY)
    assert_story_text(run(demo(), "digest").output)


def test_html_writes_the_same_digest_as_an_html_file(demo: MakeDemo, tmp_path: Path) -> None:
    target = tmp_path / "digest.html"
    out = run(demo(), "digest", "--html", str(target), *TODAY).output
    assert out == f"digest 2026-W47: HTML written to {target}\n"
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert_story_html(html)


def assert_story_html(html: str) -> None:
    for section in (
        "Overdue or probably overdue (2)",
        "Due in the next 7 days (1)",
        "Responses received this week (0)",
        "Drafts awaiting your approval (4)",
    ):
        assert f">{section}</h2>" in html, section  # fmt: skip
    assert re.search(r">Requests</td><td[^>]*>8</td>", html)
    assert re.search(r">Drafts awaiting your approval</td><td[^>]*>4</td>", html)
    assert "St Aidan&#39;s Church of England Academy</strong>: <span" in html
    assert "legal outer limit Thursday 31 December 2026" in html
    assert 'style="width:38%;height:14px;background-color:#3b73b9' in html  # 3 of 8 awaiting


def parts(message: EmailMessage) -> tuple[str, str]:
    text_part, html_part = message.iter_parts()
    assert (text_part.get_content_type(), html_part.get_content_type()) == (
        "text/plain",
        "text/html",
    )
    assert text_part.get_content_charset() == html_part.get_content_charset() == "utf-8"
    text, html = (str(p.get_content()).replace("\r\n", "\n") for p in (text_part, html_part))
    return text, html


def test_send_delivers_text_and_html_once_per_week(demo: MakeDemo, smtp_server: SmtpServer) -> None:
    config = demo('[digest]\nrecipients = ["boss@uni.example"]\n\n' + smtp_server.smtp_toml())
    out = run(config, "digest", "--send", *TODAY).output
    assert re.search(r"digest 2026-W47: sent to boss@uni\.example \(draft \d+\)", out)
    (received,) = smtp_server.messages
    assert list(received.rcpt_tos) == ["boss@uni.example"]
    parsed = email.message_from_bytes(received.content, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    assert parsed.get_content_type() == "multipart/alternative"
    assert parsed["Subject"].startswith("foibot digest 2026-W47: 1 overdue, 1 probably overdue")
    assert parsed["From"] == "Research Team <research@example.ac.uk>"
    text, html = parts(parsed)
    assert_story_text(text)
    assert_story_html(html)
    again = run(config, "digest", "--send", *TODAY).output
    assert "digest 2026-W47: 0 queued" in again and "already sent to boss@uni.example" in again
    assert len(smtp_server.messages) == 1


def test_send_without_recipients_is_a_clear_error(demo: MakeDemo) -> None:
    out = run(demo(), "digest", "--send", *TODAY, code=2).output
    assert "foibot: error: no digest recipients: add `recipients = " in out


def test_send_with_the_server_down_says_so_and_keeps_the_digest_queued(
    demo: MakeDemo, smtp_server: SmtpServer
) -> None:
    config = demo('[digest]\nrecipients = ["boss@uni.example"]\n\n' + smtp_server.smtp_toml())
    smtp_server.stop()
    out = run(config, "digest", "--send", *TODAY, code=2).output
    assert "foibot: error: digest 2026-W47 not sent to boss@uni.example: cannot connect" in out
    assert "it stays queued" in out
    smtp_server.start()
    drafts = run(config, "drafts", "list", "--status", "approved").output
    assert "digest" in drafts and "boss@uni.example" in drafts


def test_the_digest_copies_in_sent_and_inbox_are_never_correspondence(
    demo: MakeDemo, smtp_server: SmtpServer
) -> None:
    """A digest quotes request subjects and references; its copies must not be matched."""
    recipients = '[digest]\nrecipients = ["boss@uni.example", "research@example.ac.uk"]\n\n'
    config = demo(recipients + smtp_server.smtp_toml())
    requests_before = run(config, "requests", "list").output
    run(config, "digest", "--send", *TODAY)  # two copies appended to Sent
    to_requester = next(m for m in smtp_server.messages if "research@" in m.rcpt_tos[0])
    received = b"Received: from mx.example.ac.uk; Sat, 21 Nov 2026 08:00:05 +0000\r\n"
    (config.parent / "mail" / "new" / "digest").write_bytes(received + to_requester.content)
    assert "3 new" in run(config, "sync", "--once").output
    assert run(config, "requests", "list").output == requests_before
    assert run(config, "holding-pen", "list").output == "The holding pen is empty.\n"
