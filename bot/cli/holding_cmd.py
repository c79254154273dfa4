"""`foibot holding-pen list | assign | dismiss`: messages waiting for the operator."""

from __future__ import annotations

import click

from bot.cli.common import AppContext, echo_json, json_option, open_db, pass_app
from bot.rawstore import RawStore
from bot.rematch import rematch_held
from bot.store.holding import assign, dismiss, held_messages, held_record, suggested_requests


@click.group("holding-pen")
def holding_pen() -> None:
    """Messages foibot could not place on a request with confidence.

    \b
    Example:
      foibot holding-pen list
    """


@holding_pen.command("list")
@json_option
@pass_app
def list_cmd(app: AppContext, as_json: bool) -> None:
    """List held messages with ranked suggestions and the evidence for each.

    \b
    Example:
      foibot holding-pen list --json
    """
    with open_db(app) as db, db.session() as session:
        messages = held_messages(session)
        records = [held_record(m, suggested_requests(session, messages)) for m in messages]
    if as_json:
        echo_json(records)
        return
    if not records:
        click.echo("The holding pen is empty.")
        return
    for record in records:
        click.echo(f"#{record['id']}  {record['date'] or '-'}  {record['from']}")
        click.echo(f"    {record['subject']}")
        if record["why"]:
            click.echo(f"    why held: {record['why']}")
        for s in record["suggestions"][:3]:
            click.echo(
                f"    maybe request {s['request_id']} ({s['authority']}: {s['subject']}), "
                f"{s['confidence']:.2f} by {', '.join(s['rules'])}"
            )
    click.echo(
        f"\n{len(records)} held. Use `foibot holding-pen assign MSG REQUEST` or `dismiss MSG`."
    )


@holding_pen.command("assign")
@click.argument("message_id")
@click.argument("request_id")
@pass_app
def assign_cmd(app: AppContext, message_id: str, request_id: str) -> None:
    """Put a message on a request; its sender and references are learned.

    \b
    Example:
      foibot holding-pen assign 42 7
    """
    with open_db(app) as db, db.session() as session:
        message = assign(session, message_id, request_id, app.optional_config())
        click.echo(f"message {message.id} is now on request {message.request_id}")


@holding_pen.command("dismiss")
@click.argument("message_id")
@click.option("--reason", default=None, help="Why it is not FOI correspondence.")
@pass_app
def dismiss_cmd(app: AppContext, message_id: str, reason: str | None) -> None:
    """Mark a held message as not FOI correspondence.

    \b
    Example:
      foibot holding-pen dismiss 42 --reason "council newsletter"
    """
    with open_db(app) as db, db.session() as session:
        message = dismiss(session, message_id, reason)
        click.echo(f"message {message.id} dismissed")


@holding_pen.command("rematch")
@pass_app
def rematch_cmd(app: AppContext) -> None:
    """Run matching again on every held message (e.g. after `requests add`).

    \b
    Example:
      foibot holding-pen rematch
    """
    config = app.config()
    with open_db(app) as db:
        placed, held = rematch_held(db, RawStore(config.database.raw_dir), config)
    click.echo(f"{placed} placed on a request, {held} still held")


COMMANDS = [holding_pen]
