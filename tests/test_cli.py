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
            "--sent-at: cannot read 'last week' as ISO-8601",
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
