"""The shipped systemd units pass `systemd-analyze verify` and say what docs/daemon.md says.

verify insists that ExecStart's binary exists, so each unit is copied into a temp dir
with /opt/foibot/.venv/bin/foibot pointed at this checkout's foibot; nothing else is
changed. verify does NOT check that User= exists or that WorkingDirectory= exists
(shown below), and reports an unknown key only as a warning with exit code 0: so the
test also fails on any output at all.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
UNITS = ("foibot.service", "foibot-web.service")
INSTALLED = "/opt/foibot/.venv/bin/foibot"
HERE = str(Path(sys.executable).parent / "foibot")


def analyze() -> str:
    found = shutil.which("systemd-analyze")
    if found is None:
        pytest.fail("systemd-analyze not found: `make test` installs Debian's systemd package")
    return found


def local_copy(name: str, tmp_path: Path, **replace: str) -> Path:
    text = (REPO / "systemd" / name).read_text(encoding="utf-8")
    assert INSTALLED in text
    text = text.replace(INSTALLED, HERE)
    for old, new in replace.items():
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def verify(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([analyze(), "verify", "--man=no", str(path)],
                          capture_output=True, text=True, timeout=60)  # fmt: skip


def directives(name: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in (REPO / "systemd" / name).read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            found.setdefault(key.strip(), []).append(value.strip())
    return found


@pytest.mark.parametrize("name", UNITS)
def test_systemd_analyze_verify_accepts_the_unit_without_a_warning(
    name: str, tmp_path: Path
) -> None:
    result = verify(local_copy(name, tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout + result.stderr == "", result.stdout + result.stderr


def test_verify_checks_that_execstart_exists_which_is_why_the_path_is_rewritten(
    tmp_path: Path,
) -> None:
    path = tmp_path / "foibot.service"
    shutil.copy(REPO / "systemd" / "foibot.service", path)
    result = verify(path)
    assert result.returncode != 0
    assert INSTALLED in result.stderr


def test_verify_warns_on_an_unknown_key_but_exits_zero_so_any_output_fails(
    tmp_path: Path,
) -> None:
    path = local_copy("foibot.service", tmp_path, **{"Type=notify": "Type=notify\nWachdogSec=5"})
    result = verify(path)
    assert result.returncode == 0
    assert "Unknown key 'WachdogSec'" in result.stderr


def test_verify_does_not_check_the_user_or_the_working_directory(tmp_path: Path) -> None:
    path = local_copy("foibot.service", tmp_path, **{
        "User=foibot": "User=no-such-user-here",
        "WorkingDirectory=/var/lib/foibot": "WorkingDirectory=/no/such/directory",
    })  # fmt: skip
    result = verify(path)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


@pytest.mark.parametrize("name", UNITS)
def test_the_unit_is_hardened_with_an_exposure_below_two(name: str, tmp_path: Path) -> None:
    path = local_copy(name, tmp_path)
    result = subprocess.run(
        [analyze(), "security", "--offline=yes", "--threshold=20", "--no-pager", str(path)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", UNITS)
def test_the_unit_runs_the_installed_foibot_as_its_own_user_on_its_state_dir(name: str) -> None:
    unit = directives(name)
    command = "web" if name == "foibot-web.service" else "run"
    assert unit["ExecStart"] == [f"{INSTALLED} --config /etc/foibot/config.toml {command}"]
    assert unit["User"] == unit["Group"] == ["foibot"]
    assert unit["StateDirectory"] == ["foibot"]
    assert unit["WorkingDirectory"] == unit["ReadWritePaths"] == ["/var/lib/foibot"]
    assert unit["Restart"] == ["on-failure"]
    for key in ("NoNewPrivileges", "ProtectHome", "PrivateTmp", "ProtectKernelTunables",
                "ProtectControlGroups", "RestrictNamespaces", "LockPersonality"):  # fmt: skip
        assert unit[key] == ["yes"], key
    assert unit["ProtectSystem"] == ["strict"]
    assert unit["RestrictAddressFamilies"] == ["AF_UNIX AF_INET AF_INET6"]
    assert unit["SystemCallFilter"][0] == "@system-service"


def test_the_daemon_unit_is_type_notify_with_a_watchdog_and_its_credentials() -> None:
    unit = directives("foibot.service")
    assert unit["Type"] == ["notify"] and unit["NotifyAccess"] == ["main"]
    assert int(unit["WatchdogSec"][0]) >= 30
    assert unit["ExecReload"] == ["/bin/kill -HUP $MAINPID"]
    assert unit["KillMode"] == ["mixed"]
    assert sorted(unit["LoadCredential"]) == [
        "imap-password:/etc/foibot/credentials/imap-password",
        "smtp-password:/etc/foibot/credentials/smtp-password",
    ]


def test_the_web_unit_loads_the_password_hash_and_the_mail_passwords() -> None:
    names = sorted(c.split(":")[0] for c in directives("foibot-web.service")["LoadCredential"])
    assert names == ["imap-password", "smtp-password", "web-password-hash"]


def test_the_documented_config_names_the_credentials_the_units_load() -> None:
    docs = (REPO / "docs" / "daemon.md").read_text(encoding="utf-8")
    for line in ('password_credential = "imap-password"', 'password_credential = "smtp-password"',
                 'password_hash_credential = "web-password-hash"'):  # fmt: skip
        assert line in docs, line
