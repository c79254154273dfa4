"""The ``foibot`` command line: thin wrappers around the library.

Each command parses its options, calls one library function, and turns a
``BotError`` into one clear line on stderr with exit code 2 (``--debug`` shows the
traceback instead). Commands live in small modules listed in ``COMMAND_MODULES``.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import click

from bot import __version__
from bot.cli.common import AppContext
from bot.errors import BotError

# One module per group of commands; each exposes ``COMMANDS``, a list of click commands.
COMMAND_MODULES = (
    "bot.cli.setup_cmd",  # init, check-config
    "bot.cli.authorities_cmd",  # authorities import / list
    "bot.cli.requests_cmd",  # requests list / show / add, export
    "bot.cli.deadline_cmd",  # deadline, holidays
    "bot.cli.mail_cmd",  # sync, import, explain, quarantine
    "bot.cli.holding_cmd",  # holding-pen list / assign / dismiss
    "bot.cli.messages_cmd",  # messages show / reclassify
    "bot.cli.drafts_cmd",  # drafts list / show / edit / approve / reject / sweep / send
    "bot.cli.campaign_cmd",  # campaign create
    "bot.cli.run_cmd",  # run
    "bot.cli.status_cmd",  # status
    "bot.cli.digest_cmd",  # digest
    "bot.cli.web_cmd",  # web
)


class _Group(click.Group):
    """A group that reports BotError as one line instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BotError as err:
            app = ctx.obj if isinstance(ctx.obj, AppContext) else None
            if app is not None and app.debug:
                raise
            for line in str(err).splitlines() or [type(err).__name__]:
                click.echo(f"foibot: error: {line}", err=True)
            sys.exit(err.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Config file (default: $FOIBOT_CONFIG or ./config.toml).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.version_option(__version__, prog_name="foibot")
@click.pass_context
def main(ctx: click.Context, config_path: Path | None, debug: bool) -> None:
    """foibot: runs your Freedom of Information correspondence.

    \b
    Example:
      foibot --config config.toml init
      foibot deadline --regime foia --received 2023-03-30T10:00+01:00
    """
    ctx.obj = AppContext(config_path=config_path, debug=debug)


def _register() -> None:
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        for command in module.COMMANDS:
            main.add_command(command)


_register()
