"""`foibot requests import FILE.csv`: requests sent outside foibot, in bulk."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import main
from tests.conftest import MINIMAL_CONFIG

REPO = Path(__file__).resolve().parent.parent
CONFIG = MINIMAL_CONFIG + f'\n[authorities]\ncsv = "{REPO / "demo" / "authorities.csv"}"\n'


@pytest.fixture
def cli(write_config: Callable[..., Path]) -> Callable[..., Result]:
    path = write_config(CONFIG)

    def run(*args: str) -> Result:
        return CliRunner().invoke(main, ["--config", str(path), *args])

    assert run("init").exit_code == 0
    return run


def test_import_adds_every_row_with_clock_campaign_and_references(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    """Each row becomes a request whose clock starts at sent_at (London time)."""
    csv_file = tmp_path / "sent.csv"
    csv_file.write_text(
        "authority,subject,sent_at,campaign,references,regime\n"
        "Westbrook Metropolitan Borough Council,FOI: parking,2026-11-02T09:30,parking,"
        "FOI 123;WB-77,\n"
        "foi@kestrelshire.police.example,FOI: parking,2026-11-02T09:31,parking,,eir\n"
    )
    result = cli("requests", "import", str(csv_file))
    assert result.exit_code == 0, result.output
    assert "2 requests added" in result.output
    records = json.loads(cli("export", "--format", "json").output)
    assert [r["campaign"] for r in records] == ["parking", "parking"]
    assert records[0]["references"] == ["FOI 123", "WB-77"]
    assert records[0]["sent_at"] == "2026-11-02T09:30:00+00:00"  # GMT in November
    assert records[1]["regime"] == "eir"
    # FOIA: St Andrew's Day (Mon 30 Nov, a Scottish bank holiday) is not a working day
    assert records[0]["response_due"] == "2026-12-01"


def test_a_bad_row_is_reported_with_its_line_and_nothing_is_added(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    csv_file = tmp_path / "sent.csv"
    csv_file.write_text(
        "authority,subject,sent_at,regime\n"
        "Westbrook Metropolitan Borough Council,FOI: parking,2026-11-02T09:30,\n"
        "Westbrook Metropolitan Borough Council,,2026-11-02T09:30,\n"
        "Westbrook Metropolitan Borough Council,FOI: x,yesterday,foi\n"
    )
    result = cli("requests", "import", str(csv_file))
    assert result.exit_code == 2
    assert f"{csv_file}:3: subject: empty" in result.output
    assert f"{csv_file}:4:" in result.output and "regime" in result.output
    assert "Traceback" not in result.output
    assert json.loads(cli("export", "--format", "json").output) == []


def test_missing_columns_and_unknown_authority_are_clear_errors(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    csv_file = tmp_path / "sent.csv"
    csv_file.write_text("authority,subject\nX,Y\n")
    result = cli("requests", "import", str(csv_file))
    assert result.exit_code == 2 and "missing: sent_at" in result.output
    csv_file.write_text("authority,subject,sent_at\nNowhere Council,FOI,2026-11-02T09:30\n")
    result = cli("requests", "import", str(csv_file))
    assert result.exit_code == 2 and "Nowhere Council" in result.output
