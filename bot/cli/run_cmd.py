"""`foibot run`: the daemon (see bot/daemon and docs/daemon.md)."""

from __future__ import annotations

import logging

import click

from bot.cli.common import AppContext, pass_app
from bot.cli.setup_cmd import initialise
from bot.daemon import JOB_IDS, Daemon
from bot.errors import DaemonError
from bot.logs import setup_logging

LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING}


@click.command()
@click.option(
    "--run-job",
    "run_jobs",
    multiple=True,
    type=click.Choice(JOB_IDS),
    help="Also run this job once, as soon as the first sync has finished (repeatable).",
)
@click.option(
    "--log-level",
    type=click.Choice(sorted(LEVELS)),
    default="info",
    show_default=True,
    help="debug also logs every job run and sync batch.",
)
@pass_app
def run(app: AppContext, run_jobs: tuple[str, ...], log_level: str) -> None:
    """Run foibot: sync mail as it arrives, sweep deadlines daily, send approved
    letters, email the weekly digest. Logs one key=value line per event on stdout.

    Only one `foibot run` per database runs jobs; another waits on standby and takes
    over if the first dies. SIGTERM or Ctrl-C stop it cleanly, SIGHUP reloads the config.

    \b
    Example:
      foibot --config config.toml run
      foibot --config config.toml run --run-job digest
    """
    config = app.config()
    setup_logging(level=LEVELS[log_level])
    daemon = Daemon(app.path, config, initialise, say=click.echo, run_jobs=run_jobs)
    code = daemon.run()
    if code != 0:
        raise daemon.fatal or DaemonError("stopped after an error")
    click.echo("foibot: stopped")


COMMANDS = [run]
