"""Load and validate config.toml.

Everything is checked when the file is loaded: types, ranges, unknown keys (a typo
must not be silently ignored), regexes, and that no secret is written in the file.
Problems are reported one line each, naming the TOML key and the fix, e.g.
``mailbox.port: expected an integer 1-65535, got "abc"``.

Relative paths are resolved against the directory of the config file. Secrets are
only *named* here (``password_env``, ``password_file``, ``password_credential``);
``bot.secrets`` reads them when a connection needs them.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from bot.errors import ConfigError
from bot.vocabulary import Nation, Regime

DEFAULT_CONFIG_NAME = "config.toml"
CONFIG_ENV = "FOIBOT_CONFIG"
SECRET_WORDS = ("password", "secret", "token", "passwd", "password_hash")

Port = Annotated[int, Field(ge=1, le=65535)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class SecretRef(_Section):
    """Where a password comes from: exactly one of env var, file, systemd credential."""

    password_env: str | None = None
    password_file: Path | None = None
    password_credential: str | None = None

    def secret_source(self) -> tuple[str, str] | None:
        """(key, value) of the configured source, or None when no secret is named."""
        for key in ("password_env", "password_file", "password_credential"):
            value = getattr(self, key)
            if value is not None:
                return key, str(value)
        return None

    @model_validator(mode="after")
    def _one_source(self) -> SecretRef:
        named = [
            k
            for k in ("password_env", "password_file", "password_credential")
            if getattr(self, k) is not None
        ]
        if len(named) > 1:
            raise ValueError(f"give only one of {', '.join(named)}")
        return self


def _plaintext_guard(tls: str, allow_insecure: bool) -> None:
    if tls == "none" and not allow_insecure:
        raise ValueError(
            'tls: "none" sends the password and mail unencrypted; '
            "set allow_insecure = true to accept that"
        )


class Requester(_Section):
    name: str = Field(min_length=1)
    email: str = Field(pattern=r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
    postal_address: str | None = None


class Mailbox(SecretRef):
    kind: Literal["maildir", "imap"]
    # maildir
    path: Path | None = None
    # imap
    host: str | None = None
    port: Port | None = None
    username: str | None = None
    auth: Literal["password", "xoauth2"] = "password"
    tls: Literal["implicit", "starttls", "none"] = "implicit"
    allow_insecure: bool = False  # the only way to allow tls = "none"
    ca_file: Path | None = None
    folders: tuple[str, ...] = ("INBOX",)
    sent_folder: str | None = None  # imap: found by SPECIAL-USE \Sent; maildir: ".Sent"
    poll_seconds: int = Field(default=300, ge=10, le=86400)
    timeout_seconds: float = Field(default=60.0, gt=0, le=3600)
    idle: bool = True

    @model_validator(mode="after")
    def _kind_fields(self) -> Mailbox:
        if self.kind == "maildir" and self.path is None:
            raise ValueError('path: a maildir mailbox needs path = "DIR"')
        if self.kind == "imap":
            if not self.host:
                raise ValueError('host: an imap mailbox needs host = "imap.example.org"')
            if not self.username:
                raise ValueError('username: an imap mailbox needs username = "..."')
        _plaintext_guard(self.tls, self.allow_insecure)
        return self

    @property
    def effective_port(self) -> int:
        if self.port is not None:
            return self.port
        return 993 if self.tls == "implicit" else 143


class Database(_Section):
    url: str = "sqlite:///state/foibot.sqlite3"
    raw_dir: Path = Path("state/raw")

    @field_validator("url")
    @classmethod
    def _known_backend(cls, url: str) -> str:
        if not url.startswith(("sqlite://", "postgresql")):
            raise ValueError(
                f'expected "sqlite:///PATH" or "postgresql+psycopg://...", got "{url}"'
            )
        return url


class Smtp(SecretRef):
    host: str = "localhost"
    port: Port | None = None
    username: str | None = None
    tls: Literal["implicit", "starttls", "none"] = "starttls"
    allow_insecure: bool = False  # the only way to allow tls = "none"
    ca_file: Path | None = None
    timeout_seconds: float = Field(default=60.0, gt=0, le=3600)
    from_address: str | None = None  # default: requester.email
    auth: Literal["password", "xoauth2"] = "password"
    # Who puts the copy of a sent letter in the Sent folder: foibot ("append"), the
    # submission server itself ("server": Gmail, Microsoft 365), or nobody ("none").
    sent_copy: Literal["append", "server", "none"] = "append"
    max_per_minute: int = Field(default=20, ge=1, le=10_000)  # batch sending rate limit
    max_attempts: int = Field(default=8, ge=1, le=100)  # then the draft is "failed"
    retry_seconds: float = Field(default=60.0, gt=0, le=86_400)  # first retry; doubles

    @model_validator(mode="after")
    def _no_silent_plaintext(self) -> Smtp:
        _plaintext_guard(self.tls, self.allow_insecure)
        return self

    @property
    def effective_port(self) -> int:
        if self.port is not None:
            return self.port
        return {"implicit": 465, "starttls": 587, "none": 25}[self.tls]


class HolidayChange(_Section):
    """One proclaimed (or cancelled) bank holiday the holidays package does not know."""

    date: dt.date
    name: str = "Proclaimed bank holiday"
    nations: tuple[Nation, ...] = (
        Nation.ENGLAND,
        Nation.WALES,
        Nation.SCOTLAND,
        Nation.NORTHERN_IRELAND,
    )


class Deadlines(_Section):
    default_regime: Regime = Regime.FOIA
    # Non-statutory: treat a request received on a non-working day as received on the
    # next working day. Some authorities' policies do this; the law does not.
    next_working_day_receipt: bool = False
    add_holidays: tuple[HolidayChange, ...] = ()
    remove_holidays: tuple[HolidayChange, ...] = ()
    sweep_time: dt.time = dt.time(7, 0)


class Digest(_Section):
    recipients: tuple[str, ...] = ()
    day_of_week: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] = "mon"
    time: dt.time = dt.time(8, 0)


class Daemon(_Section):
    """`foibot run`: how often it sends approved letters, how late a missed daily or weekly
    job may still run, and how often a standby process checks whether it may take over."""

    send_seconds: int = Field(default=30, ge=1, le=3600)
    misfire_grace_seconds: int = Field(default=3600, ge=1, le=86_400)
    standby_poll_seconds: float = Field(default=5.0, gt=0, le=600)


class Web(_Section):
    host: str = "127.0.0.1"
    port: Port = 8080
    base_url: str | None = None
    password_hash_env: str | None = None
    password_hash_file: Path | None = None
    password_hash_credential: str | None = None
    session_hours: int = Field(default=12, ge=1, le=720)  # a login lasts this long at most


class Authorities(_Section):
    csv: Path | None = None


class Letters(_Section):
    # A directory of Jinja2 letter templates that override the shipped ones by name.
    template_dir: Path | None = None


class Config(_Section):
    requester: Requester
    mailbox: Mailbox
    database: Database = Database()
    smtp: Smtp = Smtp()
    deadlines: Deadlines = Deadlines()
    digest: Digest = Digest()
    daemon: Daemon = Daemon()
    web: Web = Web()
    authorities: Authorities = Authorities()
    letters: Letters = Letters()

    source: Path = Path(DEFAULT_CONFIG_NAME)  # set by load_config, not read from TOML

    @property
    def base_dir(self) -> Path:
        return self.source.parent

    @property
    def database_url(self) -> str:
        """The database URL with a relative SQLite path made absolute."""
        prefix = "sqlite:///"
        url = self.database.url
        if url.startswith(prefix) and not url.startswith(prefix + "/"):
            rest = url[len(prefix) :]
            if rest and rest != ":memory:":
                return prefix + str(self.base_dir / rest)
        return url


_PATH_KEYS = (
    ("mailbox", "path"),
    ("mailbox", "password_file"),
    ("mailbox", "ca_file"),
    ("smtp", "password_file"),
    ("smtp", "ca_file"),
    ("database", "raw_dir"),
    ("web", "password_hash_file"),
    ("authorities", "csv"),
    ("letters", "template_dir"),
)


def default_config_path() -> Path:
    return Path(os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG_NAME)


def load_config(path: Path | str | None = None) -> Config:
    """Read, validate and resolve the config file; raise ConfigError listing every problem."""
    source = Path(path) if path is not None else default_config_path()
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            [
                "file not found; create it (see config.toml in the foibot repository) "
                "or pass --config PATH"
            ],
            str(source),
        ) from None
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError([f"cannot read the file: {err}"], str(source)) from err
    except tomllib.TOMLDecodeError as err:
        raise ConfigError([f"TOML syntax error: {err}"], str(source)) from err
    return config_from_dict(data, source)


def config_from_dict(data: dict[str, Any], source: Path) -> Config:
    problems = _secret_literals(data)
    if problems:
        raise ConfigError(problems, str(source))
    try:
        config = Config.model_validate({**data, "source": source.absolute()})
    except ValidationError as err:
        raise ConfigError(_describe(err), str(source)) from err
    config = _resolve_paths(config)
    from bot.letters import template_problems  # jinja2 only when letters are configured

    problems = template_problems(config.letters.template_dir)
    if problems:
        raise ConfigError(problems, str(source))
    return config


def _secret_literals(data: dict[str, Any]) -> list[str]:
    """A password written into config.toml is refused outright, with the fix."""
    problems = []
    for section, body in data.items():
        if not isinstance(body, dict):
            continue
        for key in body:
            if key in SECRET_WORDS:
                problems.append(
                    f"{section}.{key}: secrets must not be written in config.toml; "
                    f'use {key}_env = "VARNAME", {key}_file = "PATH" or '
                    f'{key}_credential = "NAME" (systemd LoadCredential)'
                )
    return problems


def _describe(err: ValidationError) -> list[str]:
    lines = []
    for problem in err.errors():
        loc = [str(p) for p in problem["loc"] if not isinstance(p, int)]
        key = ".".join(loc) or "(top level)"
        kind = problem["type"]
        got = problem.get("input")
        if kind == "extra_forbidden":
            lines.append(f"{key}: unknown key (check the spelling; see config.toml for every key)")
        elif kind == "missing":
            lines.append(f"{key}: required but missing")
        elif kind == "value_error":
            message = str(problem["msg"]).removeprefix("Value error, ")
            if ": " in message and not message.startswith("give"):
                sub, _, rest = message.partition(": ")
                lines.append(f"{key + '.' if key != '(top level)' else ''}{sub}: {rest}")
            else:
                lines.append(f"{key}: {message}")
        else:
            lines.append(f"{key}: {_expected(problem)}, got {_show(got)}")
    return lines


def _expected(problem: Any) -> str:
    kind = problem["type"]
    ctx = problem.get("ctx") or {}
    if kind.startswith("int") or kind in ("greater_than_equal", "less_than_equal"):
        low, high = _bounds(problem["loc"])
        if low is not None and high is not None:
            return f"expected an integer {low}-{high}"
        return "expected an integer"
    if kind == "literal_error":
        return f"expected one of {ctx.get('expected', '')}"
    if kind.startswith("bool"):
        return "expected true or false"
    if kind == "string_pattern_mismatch":
        return "expected an email address like name@example.org"
    if kind.startswith(("string", "str")):
        return "expected a text string"
    if kind.startswith("date"):
        return "expected a date YYYY-MM-DD"
    if kind.startswith("time"):
        return "expected a time HH:MM"
    if kind.startswith("float") or kind == "greater_than":
        return f"expected a number{' above ' + str(ctx['gt']) if 'gt' in ctx else ''}"
    if kind == "enum":
        return f"expected one of {ctx.get('expected', '')}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "expected a [section] table"
    if kind.startswith(("tuple", "list")):
        return "expected a list [...]"
    return str(problem["msg"]).lower()


def _bounds(loc: tuple[Any, ...]) -> tuple[int | None, int | None]:
    """The ge/le bounds declared on the field at ``loc`` (for a helpful message)."""
    model: Any = Config
    field = None
    for part in loc:
        fields = getattr(model, "model_fields", None)
        if not isinstance(part, str) or fields is None or part not in fields:
            break
        field = fields[part]
        model = field.annotation
    if field is None:
        return None, None
    metadata = list(field.metadata)
    for arg in get_args(field.annotation):
        metadata += [m for a in get_args(arg) for m in getattr(a, "metadata", [])]
        metadata += list(getattr(arg, "__metadata__", ()))
    low = next((m.ge for m in metadata if getattr(m, "ge", None) is not None), None)
    high = next((m.le for m in metadata if getattr(m, "le", None) is not None), None)
    return low, high


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, dict):
        return "a table"
    return repr(value)


def _resolve_paths(config: Config) -> Config:
    base = config.base_dir
    updates: dict[str, dict[str, Any]] = {}
    for section, key in _PATH_KEYS:
        value = getattr(getattr(config, section), key)
        if isinstance(value, Path) and not value.is_absolute():
            updates.setdefault(section, {})[key] = base / value
    for section, changes in updates.items():
        new_section = getattr(config, section).model_copy(update=changes)
        config = config.model_copy(update={section: new_section})
    return config
