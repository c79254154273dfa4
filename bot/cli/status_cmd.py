"""`foibot status`: where everything stands (reads the database; contacts no server)."""

from __future__ import annotations

import click

from bot.cli.common import AppContext, echo_json, json_option, open_db, pass_app
from bot.daemon.status import gather
from bot.daemon.statustext import describe
from bot.store.models import utcnow
from bot.timeutil import today_london


@click.command()
@json_option
@pass_app
def status(app: AppContext, as_json: bool) -> None:
    """Show the daemon, the last sync per folder, counts, drafts, next jobs, last error.

    Next run times come from the running `foibot run` when there is one, otherwise
    they say when the jobs would run if it started now.

    \b
    Example:
      foibot status
      foibot status --json
    """
    config = app.config()
    with open_db(app) as db:
        record = gather(db, config, utcnow(), today_london())
    if as_json:
        echo_json(record)
        return
    for line in describe(record):
        click.echo(line)


COMMANDS = [status]
