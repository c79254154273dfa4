"""The CLI end to end on a temp config: init, authorities, requests, export, errors."""

from __future__ import annotations

import csv
import io
import json
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import main
from tests.conftest import MINIMAL_CONFIG

AUTHORITIES = """name,email,nation,kind,domains
Northmoor Council,foi@northmoor.gov.example,england,council,
Glenard Council,foi@glenard.gov.example,scotland,council,
"""


@pytest.fixture
def cli(write_config: Callable[..., Path], tmp_path: Path) -> Callable[..., Result]:
    (tmp_path / "authorities.csv").write_text(AUTHORITIES)
    path = write_config(MINIMAL_CONFIG + '[authorities]\ncsv = "authorities.csv"\n')

    def run(*args: str) -> Result:
        return CliRunner().invoke(main, ["--config", str(path), *args])

    return run


def test_every_command_has_help_with_an_example() -> None:
    """`--help` works for every command and shows an example."""
    runner = CliRunner()
    commands: list[list[str]] = []
    for name, command in main.commands.items():
        sub = getattr(command, "commands", None)
        if sub:
            commands += [[name, s] for s in sub]
        else:
            commands.append([name])
    assert len(commands) >= 9
    for args in commands:
        result = runner.invoke(main, [*args, "--help"])
        assert result.exit_code == 0, args
        assert "Example" in result.output, f"{' '.join(args)} --help has no example"


def test_init_creates_database_and_imports_authorities(cli: Callable[..., Result]) -> None:
    result = cli("init")
    assert result.exit_code == 0, result.output
    assert "database: created" in result.output
    assert "authorities: 2 added" in result.output
    again = cli("init")
    assert again.exit_code == 0 and "created" not in again.output
    listed = json.loads(cli("authorities", "list", "--json").output)
    assert [a["name"] for a in listed] == ["Glenard Council", "Northmoor Council"]


def test_commands_before_init_say_run_init(cli: Callable[..., Result]) -> None:
    result = cli("requests", "list")
    assert result.exit_code == 2
    assert "not initialised; run: foibot init" in result.output


def test_request_add_show_list_export(cli: Callable[..., Result]) -> None:
    """A request added by hand appears in list, show and both export formats."""
    assert cli("init").exit_code == 0
    added = cli(
        "requests", "add", "--authority", "Glenard Council", "--subject", "FOI: analytics",
        "--sent-at", "2026-09-14T09:30", "--reference", "FOI/2026/0456", "--campaign", "AI",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "request 1 added (foisa, awaiting_response)" in added.output

    shown = json.loads(cli("requests", "show", "1", "--json").output)
    assert shown["authority"] == "Glenard Council"
    assert shown["regime"] == "foisa"  # a Scottish authority answers under FOISA
    assert shown["sent_at"] == "2026-09-14T08:30:00+00:00"  # 09:30 BST
    assert shown["references"] == ["FOI/2026/0456"]
    assert shown["events"][0]["kind"] == "sent"

    exported = json.loads(cli("export", "--format", "json").output)
    assert set(exported[0]) >= {
        "id", "campaign", "authority", "authority_email", "subject", "regime", "state",
        "overdue", "sent_at", "response_due", "references", "messages",
    }  # fmt: skip
    assert exported[0]["campaign"] == "AI"

    rows = list(csv.DictReader(io.StringIO(cli("export", "--format", "csv").output)))
    assert rows[0]["authority_email"] == "foi@glenard.gov.example"
    assert rows[0]["references"] == "FOI/2026/0456"

    listed = cli("requests", "list")
    assert "Glenard Council" in listed.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["requests", "show", "999"], "no request 999"),
        (["requests", "show", "abc"], "request ids are numbers"),
        (["requests", "add", "--authority", "Nowhere", "--subject", "x"], "no authority 'Nowhere'"),
        (
            ["requests", "add", "--authority", "1", "--subject", "x", "--sent-at", "last week"],
            '--sent-at: cannot read "last week" as an ISO-8601 timestamp',
        ),
        (["authorities", "import", "missing.csv"], "cannot read missing.csv"),
    ],
)
def test_bad_input_is_one_clear_line(
    cli: Callable[..., Result], args: list[str], message: str
) -> None:
    assert cli("init").exit_code == 0
    result = cli(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_bad_authorities_csv_names_the_line(cli: Callable[..., Result], tmp_path: Path) -> None:
    assert cli("init").exit_code == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("name,email,nation,kind\nX,foi@x.example,atlantis,council\n")
    result = cli("authorities", "import", str(bad))
    assert result.exit_code == 2
    assert "bad.csv:2: nation" in result.output


def test_check_config_reports_each_connection(
    write_config: Callable[..., Path], tmp_path: Path
) -> None:
    """Without --no-connect: database and Maildir checked; an SMTP server that is down is named."""
    port = free_port()
    path = write_config(MINIMAL_CONFIG + f'[smtp]\nhost = "127.0.0.1"\nport = {port}\n')
    before = CliRunner().invoke(main, ["--config", str(path), "check-config"])
    assert before.exit_code == 2
    assert "database.url: the database" in before.output
    assert CliRunner().invoke(main, ["--config", str(path), "init"]).exit_code == 0
    after = CliRunner().invoke(main, ["--config", str(path), "check-config"])
    assert "database: ok" in after.output
    assert "mailbox: ok (Maildir" in after.output
    assert f"foibot: error: smtp: cannot use 127.0.0.1:{port}" in after.output
    assert after.exit_code == 2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_requests_carry_statutory_due_dates(cli: Callable[..., Result]) -> None:
    """A FOIA request sent 30 March 2023 is due 2 May 2023 and, unanswered, overdue."""
    assert cli("init").exit_code == 0
    added = cli(
        "requests", "add", "--authority", "Northmoor Council", "--subject", "FOI: budgets",
        "--sent-at", "2023-03-30T10:00+01:00",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    record = json.loads(cli("requests", "show", "1", "--json").output)
    assert record["regime"] == "foia"
    assert record["response_due"] == "2023-05-02"  # Good Friday, Easter Monday, 1 May skipped
    assert record["overdue"] is True
    assert record["very_overdue"] is True  # past 40 working days long ago
    assert "OVERDUE" in cli("requests", "list").output


def test_holiday_override_moves_the_due_date(
    write_config: Callable[..., Path], tmp_path: Path
) -> None:
    """A proclaimed holiday added in config is skipped at once by existing requests."""
    (tmp_path / "authorities.csv").write_text(AUTHORITIES)
    base = MINIMAL_CONFIG + '[authorities]\ncsv = "authorities.csv"\n'
    path = write_config(base)
    run = CliRunner().invoke
    assert run(main, ["--config", str(path), "init"]).exit_code == 0
    add = ["requests", "add", "--authority", "1", "--subject", "x", "--sent-at", "2023-03-30"]
    assert run(main, ["--config", str(path), *add]).exit_code == 0
    path.write_text(base + '[deadlines]\nadd_holidays = [{ date = "2023-04-20" }]\n')
    shown = json.loads(run(main, ["--config", str(path), "requests", "show", "1", "--json"]).output)
    assert shown["response_due"] == "2023-05-03"


# -- explain: classification (bot/classify) ---------------------------------------------

CLASSIFY_EML = Path(__file__).parent / "fixtures" / "classify" / "eml"


def test_explain_json_gives_the_classification() -> None:
    """`explain --json` fills kind, outcome, exemptions, references, dates, confidence, evidence."""
    eml = CLASSIFY_EML / "part_s12_for_q5_with_advice.eml"
    result = CliRunner().invoke(main, ["explain", str(eml), "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert (record["kind"], record["outcome"]) == ("response", "partially_successful")
    assert record["exemptions"] == ["s12"] and record["references"] == ["FOI/2023/1874"]
    assert 0.6 <= record["confidence"] <= 1 and record["uncertain"] is False
    assert "narrow question 5" in record["flags"]["advice_s16"]
    rules = [hit["rule"] for hit in record["evidence"]]
    assert "cost_limit" in rules and all(hit["reason"] for hit in record["evidence"])


def test_explain_json_extension_date_and_bounce_flag() -> None:
    run = CliRunner().invoke
    ext = json.loads(run(main, ["explain", str(CLASSIFY_EML / "ext_s10_3_s43_hartwell_style.eml"),
                                "--json"]).output)  # fmt: skip
    assert ext["kind"] == "extension" and ext["dates"] == {"extended_to": "2024-06-10"}
    bounce = json.loads(run(main, ["explain", str(CLASSIFY_EML / "bounce_postfix_delayed.eml"),
                                   "--json"]).output)  # fmt: skip
    assert bounce["kind"] == "bounce" and bounce["flags"]["bounce"] == "soft"


def test_explain_prints_the_rule_trace() -> None:
    """The human output shows the kind, the confidence and every rule that fired, with why."""
    eml = CLASSIFY_EML / "seed_004_trafford_acknowledgement.eml"
    result = CliRunner().invoke(main, ["explain", str(eml)])
    assert result.exit_code == 0, result.output
    assert "Kind        acknowledgement  confidence" in result.output
    assert "Rules fired" in result.output
    assert "reference_assigned [reference_given" in result.output
    assert "given the reference number 10400" in result.output


def test_explain_says_when_it_is_not_sure(tmp_path: Path) -> None:
    eml = tmp_path / "scan.eml"
    eml.write_bytes(b"From: foi@council.gov.example\nSubject: FOI 12345\n\n"
                    b"Please find our response attached.\n")  # fmt: skip
    result = CliRunner().invoke(main, ["explain", str(eml)])
    assert result.exit_code == 0 and "(not sure: check it)" in result.output
    record = json.loads(CliRunner().invoke(main, ["explain", str(eml), "--json"]).output)
    assert record["uncertain"] is True and record["confidence"] < 0.6
