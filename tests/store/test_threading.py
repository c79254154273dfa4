"""Threading through the store: requests from Sent mail, replies matched, the holding pen."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from bot.cli import main
from tests.conftest import MINIMAL_CONFIG

REPO = Path(__file__).resolve().parents[2]
CONFIG = MINIMAL_CONFIG + f'\n[authorities]\ncsv = "{REPO / "demo" / "authorities.csv"}"\n'


@pytest.fixture
def cli(write_config: Callable[..., Path], tmp_path: Path) -> Callable[..., Result]:
    path = write_config(CONFIG)

    def run(*args: str) -> Result:
        result = CliRunner().invoke(main, ["--config", str(path), *args])
        assert result.exit_code == 0, result.output
        return result

    run("init")
    return run


def synced_demo(cli: Callable[..., Result], tmp_path: Path) -> list[dict[str, Any]]:
    shutil.rmtree(tmp_path / "mail")
    shutil.copytree(REPO / "demo" / "mailbox", tmp_path / "mail")
    cli("sync", "--once")
    records: list[dict[str, Any]] = json.loads(cli("export", "--format", "json").output)
    return records


def by_authority(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["authority"].split()[0]: r for r in records}


def test_sent_requests_become_requests_in_one_campaign(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    """Each sent request is one request, all in one campaign; Glenmuir's is FOISA."""
    records = by_authority(synced_demo(cli, tmp_path))
    assert sorted(records) == [
        "Brackenvale",
        "Caerwen",
        "Glenmuir",
        "London",
        "Loughside",
        "Netherfield",
        "Northmoor",
        "St",
    ]
    assert len({r["campaign"] for r in records.values()}) == 1
    assert records["Glenmuir"]["regime"] == "foisa"
    assert records["Northmoor"]["sent_at"].startswith("2026-09-14T08:02")


def test_demo_replies_land_on_the_right_requests(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    """The answer key of demo/README.md: every reply on its request, by the expected rule."""
    records = by_authority(synced_demo(cli, tmp_path))

    def incoming(name: str) -> dict[str, str]:
        return {
            m["message_id"]: m["matched_by"]
            for m in records[name]["messages"]
            if m["direction"] == "in"
        }

    # the CRM acknowledgement has no headers: by its sub-domain, or by the reference 10412
    # when the response that also quotes it was read first
    assert set(incoming("Northmoor").values()) <= {"headers", "sender_domain", "reference"}
    assert len(incoming("Northmoor")) == 3  # auto-reply, CRM acknowledgement, response
    # the response has a new subject holding only NCC-051234-26, and no threading headers
    assert len(incoming("Netherfield")) == 2
    assert set(incoming("Netherfield").values()) <= {"headers", "reference", "sender_address"}
    assert list(incoming("Brackenvale").values()) == ["quoted_message_id"]  # the bounce
    assert list(incoming("Loughside").values()) == ["sender_domain"]
    assert incoming("St") == {}
    assert records["Netherfield"]["references"] == ["NCC-051234-26"]
    assert {"10412", "FOI 10412"} & set(records["Northmoor"]["references"])
    glenmuir_out = [m for m in records["Glenmuir"]["messages"] if m["direction"] == "out"]
    assert len(glenmuir_out) == 2  # the request and our clarification, a follow-up


def test_newsletter_and_personal_mail_are_on_no_request(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    records = synced_demo(cli, tmp_path)
    subjects = {m["subject"] for r in records for m in r["messages"]}
    assert not any("Northmoor News" in s or s == "Friday?" for s in subjects)
    assert json.loads(cli("holding-pen", "list", "--json").output) == []


def write_reply(tmp_path: Path, name: str, sender: str, subject: str, body: str) -> None:
    (tmp_path / "mail" / "new" / name).write_text(
        f"From: {sender}\nTo: research@example.ac.uk\nSubject: {subject}\n"
        f"Message-ID: <{name}@example>\nDate: Mon, 16 Nov 2026 10:00:00 +0000\n\n{body}\n"
    )


def test_holding_pen_assign_teaches_sender_and_reference(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    """A CRM mail from an unknown domain is held; once assigned, the next one from it matches."""
    synced_demo(cli, tmp_path)
    write_reply(
        tmp_path,
        "crm1",
        "noreply@casework-portal.example",
        "Case update",
        "Your request has been logged as case CW-778812. We will respond in 20 working days.",
    )
    cli("sync", "--once")
    held = json.loads(cli("holding-pen", "list", "--json").output)
    assert [h["message_id"] for h in held] == ["crm1@example"]
    hartwell = by_authority(json.loads(cli("export", "--format", "json").output))["London"]
    cli("holding-pen", "assign", str(held[0]["id"]), str(hartwell["id"]))
    hartwell = by_authority(json.loads(cli("export", "--format", "json").output))["London"]
    assert "CW-778812" in hartwell["references"]
    write_reply(
        tmp_path,
        "crm2",
        "noreply@casework-portal.example",
        "Response to CW-778812",
        "Please find attached our response.",
    )
    cli("sync", "--once")
    hartwell = by_authority(json.loads(cli("export", "--format", "json").output))["London"]
    placed = {m["message_id"]: m["matched_by"] for m in hartwell["messages"]}
    assert placed["crm1@example"] == "operator"
    assert placed["crm2@example"] in {"reference", "sender_address"}


def test_dismiss_and_unknown_ids_are_clear(
    cli: Callable[..., Result], tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    synced_demo(cli, tmp_path)
    write_reply(tmp_path, "odd", "foi@northmoor.gov.example", "Hello", "Please see the attached.")
    cli("sync", "--once")
    held = json.loads(cli("holding-pen", "list", "--json").output)
    assert [h["message_id"] for h in held] == [
        "odd@example"
    ]  # from an authority: held, not dropped
    cli("holding-pen", "dismiss", str(held[0]["id"]), "--reason", "not FOI")
    assert json.loads(cli("holding-pen", "list", "--json").output) == []
    path = tmp_path / "config.toml"
    bad = CliRunner().invoke(main, ["--config", str(path), "holding-pen", "assign", "9999", "1"])
    assert bad.exit_code == 2 and "no message 9999" in bad.output
    bad = CliRunner().invoke(main, ["--config", str(path), "holding-pen", "assign", "x", "1"])
    assert bad.exit_code == 2 and "message ids are numbers" in bad.output


def test_a_reply_read_before_its_request_is_placed_when_the_request_appears(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    """Import a reply first, then the sent request: the held reply is re-matched."""
    mail = tmp_path / "mail"
    write_reply(
        tmp_path,
        "early",
        "foi@westbrook.gov.example",
        "Re: FOI request: parking fines",
        "We have received your request and will respond within 20 working days.",
    )
    (mail / "new" / "early").write_text(
        (mail / "new" / "early")
        .read_text()
        .replace("Subject:", "In-Reply-To: <wb-req@example.ac.uk>\nSubject:")
    )
    cli("sync", "--once")
    assert len(json.loads(cli("holding-pen", "list", "--json").output)) == 1
    sent = mail / ".Sent" / "new"
    sent.mkdir(parents=True)
    for sub in ("cur", "tmp"):
        (mail / ".Sent" / sub).mkdir()
    (sent / "req").write_text(
        "From: research@example.ac.uk\nTo: foi@westbrook.gov.example\n"
        "Subject: FOI request: parking fines\n"
        "Message-ID: <wb-req@example.ac.uk>\nDate: Mon, 02 Nov 2026 09:00:00 +0000\n\n"
        "Under the Freedom of Information Act 2000 please send the number of parking fines.\n"
    )
    cli("sync", "--once")
    assert json.loads(cli("holding-pen", "list", "--json").output) == []
    (westbrook,) = json.loads(cli("export", "--format", "json").output)
    assert [m["matched_by"] for m in westbrook["messages"]] == ["new_request", "headers"]
