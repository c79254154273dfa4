"""`foibot web` (serve the operator's web page) and `foibot web hash-password`."""

from __future__ import annotations

import sys

import click

from bot.cli.common import AppContext
from bot.errors import InputError


@click.group("web", invoke_without_command=True)
@click.option("--host", default=None,
              help="Address to listen on (default: [web] host, 127.0.0.1).")  # fmt: skip
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help="Port to listen on (default: [web] port, 8080).")  # fmt: skip
@click.pass_context
def web(ctx: click.Context, host: str | None, port: int | None) -> None:
    """Serve the web page: requests, timelines, holding pen, drafts, quarantine.

    Needs a password hash named by [web] password_hash_env, password_hash_file or
    password_hash_credential (make one with `foibot web hash-password`).

    \b
    Example:
      foibot web hash-password > ~/.config/foibot/web-password
      foibot web --port 8080
    """
    if ctx.invoked_subcommand is not None:
        return
    from bot.web.serve import serve

    app = ctx.find_object(AppContext)
    assert app is not None
    config = app.config()
    serve(
        config,
        host or config.web.host,
        port or config.web.port,
        announce=lambda line: click.echo(line, err=True),
    )


@web.command("hash-password")
@click.option("--stdin", "from_stdin", is_flag=True,
              help="Read the password from stdin (one line), not the terminal.")  # fmt: skip
def hash_password_cmd(from_stdin: bool) -> None:
    """Print the hash line of a new web password (asked twice, never echoed).

    Put the line where [web] password_hash_env, password_hash_file or
    password_hash_credential points; never in config.toml.

    \b
    Example:
      foibot web hash-password > /etc/foibot/web-password
      printf '%s\\n' "$PASSWORD" | foibot web hash-password --stdin
    """
    from bot.web.passwords import MIN_PASSWORD, hash_password

    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(
            "New web password", hide_input=True, confirmation_prompt="Repeat it", err=True
        )
    if len(password) < MIN_PASSWORD:
        raise InputError(f"choose a password of at least {MIN_PASSWORD} characters")
    click.echo(hash_password(password))


COMMANDS: list[click.Command] = [web]
