"""Config loading: every problem is one line naming the TOML key, exit code 2."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.config import load_config
from bot.errors import ConfigError
from bot.secrets import check_secrets, mailbox_password
from tests.conftest import MINIMAL_CONFIG

REPO = Path(__file__).resolve().parent.parent

IMAP = """\
[requester]
name = "R"
email = "r@example.org"
[mailbox]
kind = "imap"
host = "imap.example.org"
username = "r@example.org"
"""


def run_check(path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--config", str(path), "check-config", "--no-connect"])
    return result.exit_code, result.output


def test_shipped_config_is_valid() -> None:
    """The repository's config.toml loads and points at the demo mailbox."""
    config = load_config(REPO / "config.toml")
    assert config.mailbox.kind == "maildir"
    assert config.mailbox.path == REPO / "demo" / "mailbox"
    assert config.database_url == f"sqlite:///{REPO}/state/foibot.sqlite3"


def test_minimal_config_gets_working_defaults(write_config: Callable[..., Path]) -> None:
    """A config with only [requester], [mailbox] and [database] is valid."""
    path = write_config()
    config = load_config(path)
    assert config.smtp.effective_port == 587
    assert config.deadlines.next_working_day_receipt is False
    assert config.web.host == "127.0.0.1"
    assert config.mailbox.path == path.parent / "mail"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            MINIMAL_CONFIG + '[smtp]\nport = "abc"\n',
            'smtp.port: expected an integer 1-65535, got "abc"',
            id="wrong-type",
        ),
        pytest.param(
            MINIMAL_CONFIG + "[smtp]\nport = 70000\n",
            "smtp.port: expected an integer 1-65535, got 70000",
            id="out-of-range",
        ),
        pytest.param(
            MINIMAL_CONFIG.replace('kind = "maildir"', 'kind = "maildir"\npoll_secnds = 30'),
            "mailbox.poll_secnds: unknown key",
            id="unknown-key",
        ),
        pytest.param(
            MINIMAL_CONFIG + '[smpt]\nhost = "x"\n',
            "smpt: unknown key",
            id="unknown-section",
        ),
        pytest.param(
            MINIMAL_CONFIG.replace('kind = "maildir"', 'kind = "pop3"'),
            "mailbox.kind: expected one of 'maildir' or 'imap', got \"pop3\"",
            id="bad-choice",
        ),
        pytest.param(
            MINIMAL_CONFIG.replace('email = "research@example.ac.uk"', 'email = "nobody"'),
            "requester.email: expected an email address",
            id="bad-email",
        ),
        pytest.param(
            MINIMAL_CONFIG.replace('path = "mail"\n', ""),
            'mailbox.path: a maildir mailbox needs path = "DIR"',
            id="maildir-without-path",
        ),
        pytest.param(
            IMAP + 'password = "hunter2"\n',
            "mailbox.password: secrets must not be written in config.toml",
            id="secret-in-file",
        ),
        pytest.param(
            IMAP + 'tls = "none"\n',
            'mailbox.tls: "none" sends the password and mail unencrypted',
            id="plaintext-without-opt-in",
        ),
        pytest.param(
            MINIMAL_CONFIG + '[deadlines]\nadd_holidays = [{ date = "2027-13-01" }]\n',
            "deadlines.add_holidays.date: expected a date YYYY-MM-DD",
            id="bad-holiday-date",
        ),
        pytest.param(
            MINIMAL_CONFIG + '[database]\nurl = "mysql://x"\n',
            "TOML syntax error",
            id="duplicate-table",
        ),
        pytest.param(
            MINIMAL_CONFIG + "[web\n",
            "TOML syntax error",
            id="syntax-error",
        ),
    ],
)
def test_bad_config_is_one_line_naming_the_key(
    write_config: Callable[..., Path], text: str, expected: str
) -> None:
    """Each problem is reported on one line with the key and exit code 2, no traceback."""
    code, output = run_check(write_config(text))
    assert code == 2
    assert expected in output
    assert "Traceback" not in output
    line = next(x for x in output.splitlines() if expected in x)
    assert line.startswith("foibot: error: ")


def test_all_problems_are_reported_at_once(write_config: Callable[..., Path]) -> None:
    """Two mistakes give two lines, so the user fixes both in one go."""
    text = MINIMAL_CONFIG + '[smtp]\nport = "abc"\ntimeout_seconds = -1\n'
    code, output = run_check(write_config(text))
    assert code == 2
    errors = [x for x in output.splitlines() if x.startswith("foibot: error:")]
    assert len(errors) == 2
    assert any("smtp.port" in x for x in errors)
    assert any("smtp.timeout_seconds" in x for x in errors)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    """A config path that does not exist is named, with exit 2."""
    code, output = run_check(tmp_path / "nope.toml")
    assert code == 2
    assert "nope.toml: file not found" in output


def test_missing_secret_env_names_the_key(
    write_config: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unset password environment variable names mailbox.password_env and the variable."""
    monkeypatch.delenv("FOIBOT_TEST_PW", raising=False)
    code, output = run_check(write_config(IMAP + 'password_env = "FOIBOT_TEST_PW"\n'))
    assert code == 2
    assert "mailbox.password_env: environment variable FOIBOT_TEST_PW is not set" in output


def test_secret_sources(
    write_config: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Passwords come from an env var, a file, or a systemd credential directory."""
    monkeypatch.setenv("FOIBOT_TEST_PW", "from-env")
    config = load_config(write_config(IMAP + 'password_env = "FOIBOT_TEST_PW"\n'))
    assert mailbox_password(config) == "from-env"

    (tmp_path / "pw").write_text("from-file\n")
    config = load_config(write_config(IMAP + 'password_file = "pw"\n'))
    assert mailbox_password(config) == "from-file"

    creds = tmp_path / "creds"
    creds.mkdir()
    (creds / "imap").write_text("from-credential")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(creds))
    config = load_config(write_config(IMAP + 'password_credential = "imap"\n'))
    assert mailbox_password(config) == "from-credential"


def test_unreadable_secret_file_is_reported(write_config: Callable[..., Path]) -> None:
    config = load_config(write_config(IMAP + 'password_file = "missing-pw"\n'))
    problems = check_secrets(config)
    assert len(problems) == 1
    assert problems[0].startswith("mailbox.password_file: cannot read")


def test_imap_without_any_secret_is_reported(write_config: Callable[..., Path]) -> None:
    config = load_config(write_config(IMAP))
    assert check_secrets(config) == [
        'mailbox: no password configured; set password_env = "VARNAME", '
        'password_file = "PATH" or password_credential = "NAME"'
    ]


def test_two_secret_sources_are_refused(write_config: Callable[..., Path]) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(write_config(IMAP + 'password_env = "A"\npassword_file = "b"\n'))
    assert "mailbox: give only one of password_env, password_file" in str(err.value)


def test_a_broken_letter_template_is_reported_at_load_naming_the_file(
    write_config: Callable[[str], Path], tmp_path: Path
) -> None:
    """[letters] template_dir is checked when the config is loaded, not when a letter is due."""
    letters = tmp_path / "letters"
    letters.mkdir()
    (letters / "chaser.txt.j2").write_text("Subject: x\n\n{% if %}\n", encoding="utf-8")
    (letters / "chasr.txt.j2").write_text("Subject: x\n\nhello\n", encoding="utf-8")
    path = write_config(MINIMAL_CONFIG + f'\n[letters]\ntemplate_dir = "{letters}"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    text = str(caught.value)
    assert "chaser.txt.j2 line 3" in text and "chasr.txt.j2 is not a letter" in text
