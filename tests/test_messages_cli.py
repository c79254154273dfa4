"""`foibot messages show|reclassify` and `foibot requests set-state`: output, help, errors."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import main
from tests.conftest import MINIMAL_CONFIG

REPO = Path(__file__).resolve().parent.parent
CONFIG = MINIMAL_CONFIG + f'\n[authorities]\ncsv = "{REPO / "demo" / "authorities.csv"}"\n'


@pytest.fixture
def run(write_config: Callable[..., Path], tmp_path: Path) -> Callable[..., Result]:
    path = write_config(CONFIG)

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(main, ["--config", str(path), *args])

    assert invoke("init").exit_code == 0
    shutil.rmtree(tmp_path / "mail")
    shutil.copytree(REPO / "demo" / "mailbox", tmp_path / "mail")
    assert invoke("sync", "--once").exit_code == 0
    return invoke


def message_id_of(run: Callable[..., Result], authority: str, kind: str) -> int:
    records = json.loads(run("export", "--format", "json").output)
    (record,) = [r for r in records if r["authority"].startswith(authority)]
    (message,) = [m for m in record["messages"] if m["kind"] == kind]
    return int(message["id"])


def test_messages_show_prints_the_rule_trace_the_match_and_the_events(
    run: Callable[..., Result],
) -> None:
    clarification = message_id_of(run, "Glenmuir", "clarification_request")
    shown = run("messages", "show", str(clarification))
    assert shown.exit_code == 0, shown.output
    assert "clarification_request  confidence 0.95" in shown.output
    assert "clarification_asked [clarification 0.8]" in shown.output  # the rule trace
    assert "Matched by headers" in shown.output  # the match evidence
    assert "clarification_requested (bot)" in shown.output  # what it did to the request
    record = json.loads(run("messages", "show", str(clarification), "--json").output)
    assert record["kind"] == "clarification_request" and record["request_id"]
    assert {e["rule"] for e in record["classification"]["evidence"]} >= {"clarification_asked"}
    assert record["match"]["matched_by"] == "headers"
    assert [e["kind"] for e in record["events"]] == ["clarification_requested"]


def test_reclassify_prints_the_new_kind_and_the_request_s_state(
    run: Callable[..., Result],
) -> None:
    ack = message_id_of(run, "Loughside", "acknowledgement")
    done = run("messages", "reclassify", str(ack), "--kind", "response", "--outcome", "not_held")
    assert done.exit_code == 0, done.output
    assert "response / not_held (set by the operator)" in done.output
    assert "is not_held" in done.output


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["messages", "show", "9999"], "no message 9999"),
        (["messages", "show", "x"], "message ids are numbers"),
        (["messages", "reclassify", "9999", "--kind", "response"], "no message 9999"),
        (["requests", "set-state", "9999", "closed", "--reason", "r"], "no request 9999"),
        (["requests", "set-state", "1", "answered", "--reason", "r"], "no request state"),
        (["requests", "set-state", "1", "closed", "--reason", " "], "--reason"),
    ],
)
def test_bad_ids_and_values_are_one_clear_line(
    run: Callable[..., Result], args: list[str], error: str
) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and error in result.output


@pytest.mark.parametrize(
    ("kind", "outcome", "error"),
    [
        ("refusal", None, "not a kind of an incoming message"),
        ("response", "upheld", "does not fit kind response"),
        ("acknowledgement", "refused", "does not fit kind acknowledgement"),
        ("review_outcome", None, "kind review_outcome needs one of"),
        ("chaser", None, "not a kind of an incoming message"),  # an outgoing kind
    ],
)
def test_reclassify_checks_kind_and_outcome(
    run: Callable[..., Result], kind: str, outcome: str | None, error: str
) -> None:
    ack = message_id_of(run, "Loughside", "acknowledgement")
    args = ["messages", "reclassify", str(ack), "--kind", kind]
    result = run(*args, *(["--outcome", outcome] if outcome else []))
    assert result.exit_code == 2 and error in result.output


def test_a_sent_message_takes_the_kinds_of_sent_mail(run: Callable[..., Result]) -> None:
    clarification = message_id_of(run, "Glenmuir", "clarification")
    bad = run("messages", "reclassify", str(clarification), "--kind", "response")
    assert bad.exit_code == 2 and "not a kind of a sent message" in bad.output
    done = run("messages", "reclassify", str(clarification), "--kind", "chaser")
    assert done.exit_code == 0 and "request 3 is awaiting_clarification" in done.output


@pytest.mark.parametrize(
    "command",
    [["messages", "show"], ["messages", "reclassify"], ["requests", "set-state"], ["messages"]],
)
def test_help_has_an_example(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output and "foibot " in result.output
