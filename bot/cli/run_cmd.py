"""`foibot run`: the daemon loop (sync, then wait for new mail, until stopped).

SIGTERM or Ctrl-C finish the current step and exit cleanly. Scheduling of the
deadline sweep and the digest joins this loop as those stages land.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from types import FrameType

import click
from sqlalchemy import func, select

from bot.cli.common import AppContext, pass_app
from bot.cli.mail_cmd import run_sync
from bot.cli.setup_cmd import initialise
from bot.errors import BotError
from bot.mailbox import source_from_config
from bot.secrets import mailbox_password
from bot.store import Database
from bot.store.models import Message, Quarantine, Request

WAIT_SLICE = 2.0  # seconds; how quickly a stop signal is noticed while waiting


@click.command()
@pass_app
def run(app: AppContext) -> None:
    """Run foibot: sync the mailbox now, then whenever new mail may have arrived.

    \b
    Example:
      foibot --config config.toml run
    """
    config = app.config()
    db = initialise(config)
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        click.echo(f"foibot: {signal.Signals(signum).name} received, stopping", err=True)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    source = source_from_config(config.mailbox, mailbox_password(config))
    poll = float(config.mailbox.poll_seconds)
    failures, first = 0, True
    try:
        while not stop.is_set():
            try:
                report = run_sync(config, db, source)
                if failures or report.fetched or report.quarantined or first:
                    click.echo(f"sync: {report.summary()}; {status_line(db)}")
                failures, first = 0, False
            except BotError as err:
                failures += 1
                click.echo(f"foibot: error: {err} (retrying)", err=True)
            _wait(
                source.wait_for_change,
                stop,
                poll if failures == 0 else min(300.0, 5.0 * 2**failures),
            )
    finally:
        source.close()
        db.dispose()
    click.echo("foibot: stopped")


def _wait(wait_for_change: Callable[[float], bool], stop: threading.Event, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not stop.is_set() and time.monotonic() < deadline:
        slice_ = min(WAIT_SLICE, deadline - time.monotonic())
        if wait_for_change(slice_):
            return


def status_line(db: Database) -> str:
    with db.session() as session:
        requests = session.scalar(select(func.count(Request.id))) or 0
        messages = session.scalar(select(func.count(Message.id))) or 0
        quarantined = (
            session.scalar(
                select(func.count(Quarantine.id)).where(Quarantine.resolved_at.is_(None))
            )
            or 0
        )
    return f"{requests} requests, {messages} messages, {quarantined} quarantined"


COMMANDS = [run]
