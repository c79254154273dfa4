"""Commands that set foibot up: init, check-config."""

from __future__ import annotations

import click

from bot.authorities import parse_authorities_csv
from bot.cli.common import AppContext, pass_app
from bot.config import Config
from bot.connectivity import check_connections
from bot.errors import ConfigError, InputError
from bot.secrets import check_secrets
from bot.store import Database
from bot.store.authorities import import_authorities


def initialise(config: Config) -> Database:
    """Create state directories, create or upgrade the schema, import the directory."""
    config.database.raw_dir.mkdir(parents=True, exist_ok=True)
    db = Database(config.database_url)
    before, after = db.upgrade()
    if before != after:
        click.echo(f"database: {'created' if before is None else 'upgraded'} (schema {after})")
    csv_path = config.authorities.csv
    if csv_path is not None:
        try:
            text = csv_path.read_text(encoding="utf-8")
        except OSError as err:
            raise InputError(f"authorities.csv: cannot read {csv_path}: {err.strerror}") from err
        with db.session() as session:
            result = import_authorities(session, parse_authorities_csv(text, str(csv_path)))
        if result.added or result.updated:
            click.echo(
                f"authorities: {result.added} added, {result.updated} updated from {csv_path}"
            )
    return db


@click.command()
@pass_app
def init(app: AppContext) -> None:
    """Create or upgrade the database and import the authorities directory.

    Safe to run again: it only adds what is missing.

    \b
    Example:
      foibot --config config.toml init
    """
    config = app.config()
    initialise(config).dispose()
    click.echo(f"ready: {config.database_url}")


@click.command("check-config")
@click.option("--no-connect", is_flag=True, help="Validate only; do not contact servers.")
@pass_app
def check_config(app: AppContext, no_connect: bool) -> None:
    """Validate the config file, its secrets and (unless --no-connect) the servers.

    \b
    Example:
      foibot --config config.toml check-config --no-connect
    """
    config = app.config()
    problems = check_secrets(config)
    if problems:
        raise ConfigError(problems, str(config.source))
    click.echo(f"{config.source}: valid")
    if no_connect:
        return
    results = check_connections(config)
    for ok, line in results:
        if ok:
            click.echo(line)
    failures = [line for ok, line in results if not ok]
    if failures:
        raise ConfigError(failures)


COMMANDS = [init, check_config]
