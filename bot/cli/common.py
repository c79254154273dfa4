"""Shared pieces of the CLI: the context object and reusable option decorators."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import click

from bot.config import Config, default_config_path, load_config
from bot.store import Database

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class AppContext:
    """What every command can reach: the config path (loaded lazily) and flags."""

    config_path: Path | None
    debug: bool = False
    _config: Config | None = field(default=None, repr=False)

    @property
    def path(self) -> Path:
        return self.config_path or default_config_path()

    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.path)
        return self._config

    def optional_config(self) -> Config | None:
        """The config if one was given or exists; None when there is none at all.

        For commands such as ``deadline`` that work without a mailbox: a config
        that exists but is invalid is still an error.
        """
        if self.config_path is None and not self.path.exists():
            return None
        return self.config()


pass_app = click.make_pass_decorator(AppContext)


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON.")(func)


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, sort_keys=False, default=str, ensure_ascii=False))


@contextmanager
def open_db(app: AppContext) -> Iterator[Database]:
    """The configured database, which must be initialised (`foibot init`)."""
    db = Database(app.config().database_url)
    try:
        db.require_current()
        yield db
    finally:
        db.dispose()
