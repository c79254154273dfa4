"""``foibot deadline`` and ``foibot holidays`` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main

MINIMAL = '[requester]\nname="A"\nemail="a@example.org"\n[mailbox]\nkind="maildir"\npath="mail"\n'


@pytest.fixture(autouse=True)
def _no_config_in_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from an empty directory with no $FOIBOT_CONFIG: no config unless given."""
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.delenv("FOIBOT_CONFIG", raising=False)


def run(*args: str, config: Path | None = None) -> tuple[int, str, str]:
    prefix = ["--config", str(config)] if config else []
    result = CliRunner().invoke(main, [*prefix, *args])
    return result.exit_code, result.stdout, result.stderr


def deadline_json(*args: str, config: Path | None = None) -> dict[str, object]:
    code, out, err = run("deadline", *args, "--json", config=config)
    assert code == 0, err
    value = json.loads(out)
    assert isinstance(value, dict)
    return value


@pytest.fixture
def config_file(tmp_path: Path):  # type: ignore[no-untyped-def]
    def write(extra: str) -> Path:
        path = tmp_path / "config.toml"
        path.write_text(MINIMAL + extra, encoding="utf-8")
        return path

    return write


def test_json_has_the_stable_keys() -> None:
    """The worked example through the CLI: FOIA, 30 March 2023, due 2 May 2023."""
    data = deadline_json("--regime", "foia", "--received", "2023-03-30T10:00+01:00")
    assert data["regime"] == "foia"
    assert data["received_local_date"] == "2023-03-30"
    assert data["day_one"] == "2023-03-31"
    assert data["due"] == "2023-05-02"
    assert data["very_overdue_after"] == "2023-06-01"
    assert data["calendar"] == "uk"
    assert data["working_days"] == 20
    skipped = data["skipped"]
    assert isinstance(skipped, list)
    assert [s["date"] for s in skipped] == ["2023-04-07", "2023-04-10", "2023-05-01"]
    assert [s["name"] for s in skipped] == [
        "Good Friday",
        "Easter Monday",
        "Early May bank holiday",
    ]


def test_human_sentence_names_weekdays_and_skipped_days() -> None:
    """Without --json the answer is a sentence with weekday names."""
    code, out, _ = run("deadline", "--regime", "foia", "--received", "2023-03-30T10:00+01:00")
    assert code == 0
    assert out.splitlines()[0] == (
        "Due Tuesday 2 May 2023 (20 working days after Thursday 30 March 2023; "
        "skipped: Good Friday, Easter Monday, Early May bank holiday)"
    )


def test_foisa_uses_the_scottish_calendar() -> None:
    data = deadline_json("--regime", "foisa", "--received", "2023-03-30T10:00+01:00")
    assert data["due"] == "2023-04-28"
    assert data["calendar"] == "scotland"


def test_summer_time_late_evening_is_the_next_london_day() -> None:
    """23:30 UTC in June is 00:30 BST the next day."""
    data = deadline_json("--regime", "foia", "--received", "2024-06-11T23:30+00:00")
    assert data["received_local_date"] == "2024-06-12"
    assert data["day_one"] == "2024-06-13"
    assert data["due"] == "2024-07-10"


def test_timestamp_without_offset_is_london_time() -> None:
    data = deadline_json("--regime", "foia", "--received", "2024-06-11T23:30")
    assert data["received_local_date"] == "2024-06-11"
    assert data["due"] == "2024-07-09"


def test_school_has_expected_and_outer_dates() -> None:
    """Schools: 20 working days expected, 60 the outer limit (SI 2004/3364)."""
    data = deadline_json(
        "--regime", "foia", "--received", "2023-03-30T10:00+01:00", "--authority-kind", "school"
    )
    assert data["expected_due"] == "2023-05-02"
    assert data["due"] == "2023-06-29"
    assert data["very_overdue_after"] == "2023-06-29"
    assert data["working_days"] == 60
    code, out, _ = run(
        "deadline", "--regime", "foia", "--received", "2023-03-30", "--authority-kind", "school"
    )
    assert code == 0
    assert "Expected by Tuesday 2 May 2023" in out


def test_weekend_receipt_and_the_non_statutory_option() -> None:
    """Saturday receipt is day 0 in law; the labelled option moves it to Monday."""
    assert deadline_json("--regime", "foia", "--received", "2023-06-10")["due"] == "2023-07-07"
    data = deadline_json(
        "--regime", "foia", "--received", "2023-06-10", "--next-working-day-receipt"
    )
    assert data["due"] == "2023-07-10"
    assert data["next_working_day_receipt"] is True
    assert any("NON-STATUTORY" in note for note in data["notes"])  # type: ignore[attr-defined]


@pytest.mark.parametrize("bad", ["nonsense", "2023-13-40", "30/03/2023", ""])
def test_unparseable_timestamp_is_a_one_line_error(bad: str) -> None:
    code, out, err = run("deadline", "--regime", "foia", "--received", bad)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "--received" in err
    assert "Traceback" not in err


def test_unknown_regime_is_rejected() -> None:
    code, _, err = run("deadline", "--regime", "gdpr", "--received", "2023-03-30")
    assert code == 2
    assert "Traceback" not in err


def test_config_added_holiday_moves_the_due_date(config_file) -> None:  # type: ignore[no-untyped-def]
    """A proclaimed holiday in config counts for FOIA whatever nation it names."""
    path = config_file(
        '[[deadlines.add_holidays]]\ndate = 2023-04-20\nname = "Test proclamation"\n'
        'nations = ["england"]\n'
    )
    data = deadline_json("--regime", "foia", "--received", "2023-03-30", config=path)
    assert data["due"] == "2023-05-03"  # one more day skipped after 2 May
    assert "Test proclamation" in [s["name"] for s in data["skipped"]]  # type: ignore[attr-defined]
    # England only: not a holiday in Scotland, so FOISA is unchanged.
    assert (
        deadline_json("--regime", "foisa", "--received", "2023-03-30", config=path)["due"]
        == "2023-04-28"
    )


def test_config_scottish_holiday_counts_for_foisa(config_file) -> None:  # type: ignore[no-untyped-def]
    path = config_file('[[deadlines.add_holidays]]\ndate = 2023-04-20\nnations = ["scotland"]\n')
    data = deadline_json("--regime", "foisa", "--received", "2023-03-30", config=path)
    assert data["due"] == "2023-05-02"  # 28 Apr becomes day 19; 1 May skipped


def test_config_removed_holiday(config_file) -> None:  # type: ignore[no-untyped-def]
    """A cancelled holiday becomes a working day again."""
    path = config_file("[[deadlines.remove_holidays]]\ndate = 2023-05-01\n")
    data = deadline_json("--regime", "foia", "--received", "2023-03-30", config=path)
    assert data["due"] == "2023-05-01"


def test_config_option_and_default_regime(config_file) -> None:  # type: ignore[no-untyped-def]
    path = config_file('[deadlines]\ndefault_regime = "foisa"\nnext_working_day_receipt = true\n')
    data = deadline_json("--received", "2023-06-10", config=path)
    assert data["regime"] == "foisa"
    assert data["due"] == "2023-07-10"
    statutory = deadline_json("--received", "2023-06-10", "--statutory-receipt", config=path)
    assert statutory["due"] == "2023-07-07"


def test_holidays_lists_sources(config_file) -> None:  # type: ignore[no-untyped-def]
    path = config_file(
        '[[deadlines.add_holidays]]\ndate = 2023-04-20\nname = "Test proclamation"\n'
        "[[deadlines.remove_holidays]]\ndate = 2023-05-08\n"
    )
    code, out, err = run("holidays", "--year", "2023", "--regime", "foia", "--json", config=path)
    assert code == 0, err
    data = json.loads(out)
    by_date = {h["date"]: h for h in data["holidays"]}
    assert by_date["2023-04-10"]["source"] == "package"
    assert by_date["2023-04-10"]["regions"] == ["ENG", "NIR"]
    assert by_date["2023-03-17"]["regions"] == ["NIR"]
    assert by_date["2023-04-20"]["source"] == "override"
    assert "2023-05-08" not in by_date
    assert [h["date"] for h in data["removed"]] == ["2023-05-08"]
    code, out, _ = run("holidays", "--year", "2023", "--regime", "foisa")
    assert code == 0
    assert "Easter Monday" not in out
    assert "St Andrew's Day" in out
    assert "[package: SCT]" in out


def test_commands_have_help() -> None:
    for command in ("deadline", "holidays"):
        code, out, _ = run(command, "--help")
        assert code == 0
        assert "Example" in out
