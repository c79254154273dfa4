"""`foibot drafts ...` and `campaign create` on the demo mailbox, sending to a real SMTP server."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from bot.cli import main
from tests.servers.smtp import SmtpServer

REPO = Path(__file__).resolve().parent.parent
HARTWELL_REPLY = "<IG-FOI-3391.ext.20261009111544@hartwell.gov.example>"  # INBOX 10


@pytest.fixture
def demo(
    tmp_path: Path, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """A synced copy of the demo mailbox on 2026-11-21 (the story's today)."""
    import bot.cli.mail_cmd

    monkeypatch.setattr(bot.cli.mail_cmd, "today_london", lambda: dt.date(2026, 11, 21))
    shutil.copytree(REPO / "demo" / "mailbox", tmp_path / "mail")
    config = tmp_path / "config.toml"
    config.write_text(
        '[requester]\nname = "Research Team"\nemail = "research@example.ac.uk"\n\n'
        f'[mailbox]\nkind = "maildir"\npath = "{tmp_path / "mail"}"\n\n'
        f'[database]\nurl = "sqlite:///{tmp_path / "foibot.sqlite3"}"\n'
        f'raw_dir = "{tmp_path / "raw"}"\n\n'
        f'[authorities]\ncsv = "{REPO / "demo" / "authorities.csv"}"\n\n' + smtp_server.smtp_toml(),
        encoding="utf-8",
    )
    for args in (["init"], ["sync", "--once"]):
        run(config, *args)
    yield config


def run(config: Path, *args: str, code: int = 0) -> Result:
    result = CliRunner().invoke(main, ["--config", str(config), *args])
    assert result.exit_code == code, result.output
    return result


def drafts(config: Path, *args: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads(
        run(config, "drafts", "list", "--json", *args).output
    )
    return records


def by_trigger(config: Path) -> dict[str, dict[str, Any]]:
    return {f"{d['trigger']}:{d['to']}": d for d in drafts(config)}


def test_sync_drafts_the_follow_ups_and_list_shows_them(demo: Path) -> None:
    records = drafts(demo, "--status", "pending")
    assert {(d["trigger"], d["to"]) for d in records} >= {
        ("response_overdue", "foi@hartwell.gov.example"),
        ("cost_refusal", "foi@caerwen.gov.example"),
    }
    text = run(demo, "drafts", "list").output
    assert "pending" in text and "foi@hartwell.gov.example" in text


def test_an_approved_chaser_is_delivered_threaded_with_a_copy_in_sent(
    demo: Path, smtp_server: SmtpServer
) -> None:
    chaser = by_trigger(demo)["response_overdue:foi@hartwell.gov.example"]
    shown = run(demo, "drafts", "show", str(chaser["id"])).output
    assert "To: foi@hartwell.gov.example" in shown and "IG/FOI/3391" in shown
    run(demo, "drafts", "approve", str(chaser["id"]))
    run(demo, "drafts", "send")
    (received,) = smtp_server.messages
    parsed = email.message_from_bytes(received.content, policy=email.policy.default)
    assert list(received.rcpt_tos) == ["foi@hartwell.gov.example"]
    assert parsed["In-Reply-To"] == HARTWELL_REPLY
    assert HARTWELL_REPLY in parsed["References"]
    assert "IG/FOI/3391" in parsed["Subject"]
    assert parsed["Message-ID"].strip("<>") == drafts(demo, "--status", "sent")[0][
        "message_id"
    ].strip("<>")
    sent_dir = demo.parent / "mail" / ".Sent"
    copies = [
        p for sub in ("cur", "new") for p in (sent_dir / sub).iterdir()
        if parsed["Message-ID"].encode() in p.read_bytes()
    ]  # fmt: skip
    assert len(copies) == 1
    run(demo, "drafts", "send")  # nothing approved is left: nothing is sent again
    assert len(smtp_server.messages) == 1


def test_a_rejected_draft_is_never_sent_nor_approved(demo: Path, smtp_server: SmtpServer) -> None:
    review = by_trigger(demo)["partially_successful:foi@netherfieldcc.gov.example"]
    run(demo, "drafts", "reject", str(review["id"]), "--reason", "happy with the answer")
    out = run(demo, "drafts", "approve", str(review["id"]), code=2).output
    assert "rejected" in out
    run(demo, "drafts", "send")
    assert smtp_server.messages == []
    run(demo, "drafts", "sweep", "--today", "2026-11-23")
    assert [d["status"] for d in drafts(demo) if d["id"] == review["id"]] == ["rejected"]
    assert not any(
        d["trigger"] == "partially_successful" and d["status"] == "pending" for d in drafts(demo)
    )


def write_editor(tmp_path: Path, script: str) -> str:
    editor = tmp_path / "editor.sh"
    editor.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    return str(editor)


def test_edit_rechecks_the_draft_and_refuses_an_injected_header(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chaser = by_trigger(demo)["response_overdue:foi@hartwell.gov.example"]
    monkeypatch.setenv("EDITOR", write_editor(
        tmp_path, 'sed -i "s/^To: .*/To: foi@hartwell.gov.example, boss@elsewhere.example/" "$1"'
    ))  # fmt: skip
    run(demo, "drafts", "edit", str(chaser["id"]))
    out = run(demo, "drafts", "approve", str(chaser["id"]), code=2).output
    assert "cannot be approved" in out and "to" in out
    monkeypatch.setenv("EDITOR", write_editor(
        tmp_path, 'sed -i "s/^To: .*/To: foi@hartwell.gov.example/; '
        's/^Dear /Dear Information Governance team, /" "$1"'
    ))  # fmt: skip
    run(demo, "drafts", "edit", str(chaser["id"]))
    run(demo, "drafts", "approve", str(chaser["id"]))
    (record,) = [d for d in drafts(demo) if d["id"] == chaser["id"]]
    assert record["status"] == "approved" and record["to"] == "foi@hartwell.gov.example"


def test_approving_an_unfilled_skeleton_is_refused(demo: Path, tmp_path: Path) -> None:
    """A clarification reply is a skeleton: approval waits for the operator's words."""
    from bot.store import Database
    from bot.store.models import Draft

    db = Database(f"sqlite:///{tmp_path / 'foibot.sqlite3'}")
    with db.session() as session:
        session.add(Draft(kind="clarification", trigger="test", to_addr="foi@glenmuir.gov.example",
                          subject="Re: FOISA 26/117", status="pending",
                          body="Dear Glenmuir,\n\n[[FILL IN: what you meant]]\n"))  # fmt: skip
    db.dispose()
    (draft,) = [d for d in drafts(demo) if d["trigger"] == "test"]
    out = run(demo, "drafts", "approve", str(draft["id"]), code=2).output
    assert "FILL IN" in out


def test_unknown_draft_ids_are_clear_errors(demo: Path) -> None:
    assert "no draft 999" in run(demo, "drafts", "show", "999", code=2).output
    assert "not a draft id" in run(demo, "drafts", "approve", "abc", code=2).output
    assert "give a draft id" in run(demo, "drafts", "approve", code=2).output


def test_campaign_create_drafts_one_request_per_authority_and_sending_creates_them(
    demo: Path, tmp_path: Path, smtp_server: SmtpServer
) -> None:
    template = tmp_path / "potholes.txt.j2"
    template.write_text(
        "Subject: Freedom of Information request - pothole claims\n\n"
        "Dear {{ authority.name }},\n\nPlease tell me how many pothole claims you paid in "
        "2025.\n\nYours faithfully,\n\n{{ requester.name }}\n",
        encoding="utf-8",
    )
    csv = tmp_path / "councils.csv"
    csv.write_text(
        "name,email,nation,kind\n"
        "Westbrook Metropolitan Borough Council,foi@westbrook.gov.example,england,council\n"
        "Glenmuir Council,foi@glenmuir.gov.example,scotland,council\n",
        encoding="utf-8",
    )
    args = (
        "campaign",
        "create",
        "Potholes",
        "--template",
        str(template),
        "--authorities",
        str(csv),
    )
    assert "2 new request drafts" in run(demo, *args).output
    assert "0 new request drafts" in run(demo, *args).output
    before = len(json.loads(run(demo, "export").output))
    run(demo, "drafts", "approve", "--all", "--campaign", "Potholes")
    run(demo, "drafts", "send")
    assert sorted(m.rcpt_tos[0] for m in smtp_server.messages) == [
        "foi@glenmuir.gov.example", "foi@westbrook.gov.example"
    ]  # fmt: skip
    assert all("[FOI-" in str(m.headers["Subject"]) for m in smtp_server.messages)
    exported = json.loads(run(demo, "export").output)
    assert len(exported) == before + 2
    run(demo, "sync", "--once")  # the Sent copies are read back: no second request
    assert len(json.loads(run(demo, "export").output)) == before + 2


def test_requests_list_flags_the_school_as_probably_overdue(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """St Aidan's (a school): past its 20th working day, not its 60th: "probably"."""
    import bot.cli.requests_cmd

    monkeypatch.setattr(bot.cli.requests_cmd, "today_london", lambda: dt.date(2026, 11, 21))
    lines = run(demo, "requests", "list").output.splitlines()
    (school,) = [line for line in lines if "St Aidan" in line]
    (hartwell,) = [line for line in lines if "Hartwell" in line]
    assert school.endswith("PROBABLY OVERDUE (school)") and hartwell.endswith("VERY OVERDUE")
    exported = {r["authority"]: r for r in json.loads(run(demo, "export").output)}
    school_record = exported["St Aidan's Church of England Academy"]
    assert (school_record["overdue"], school_record["probably_overdue"]) == (False, True)
    csv_text = run(demo, "export", "--format", "csv").output
    assert csv_text.splitlines()[0].endswith(",messages,very_overdue,probably_overdue")
