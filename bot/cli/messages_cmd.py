"""`foibot messages show | reclassify`: one stored message, and the operator's word on it."""

from __future__ import annotations

from typing import Any

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cli.common import AppContext, echo_json, json_option, open_db, pass_app
from bot.store.holding import get_message
from bot.store.models import Event, Message
from bot.store.progress import reclassify


@click.group()
def messages() -> None:
    """Stored messages: how each was classified and matched, and corrections.

    \b
    Example:
      foibot messages show 42
    """


@messages.command("show")
@click.argument("message_id")
@json_option
@pass_app
def show_cmd(app: AppContext, message_id: str, as_json: bool) -> None:
    """Show a message's classification with its rule trace, its match evidence and the
    events it caused on its request.

    \b
    Example:
      foibot messages show 42 --json
    """
    with open_db(app) as db, db.session() as session:
        record = message_record(session, get_message(session, message_id))
    if as_json:
        echo_json(record)
        return
    _print(record)


@messages.command("reclassify")
@click.argument("message_id")
@click.option("--kind", required=True, help="The message kind (e.g. response, extension).")
@click.option("--outcome", default=None, help="A response's or review outcome's outcome.")
@click.option("--reason", default=None, help="Why (kept with the request's events).")
@pass_app
def reclassify_cmd(
    app: AppContext, message_id: str, kind: str, outcome: str | None, reason: str | None
) -> None:
    """Say what a message is; its request's state and deadlines follow.

    Automatic classification never changes it again.

    \b
    Example:
      foibot messages reclassify 42 --kind response --outcome refused \\
        --reason "the PDF refuses under s.43"
    """
    config = app.config()
    with open_db(app) as db, db.session() as session:
        message = reclassify(
            session, get_message(session, message_id), kind, outcome, reason, config
        )
        what = f"{message.kind} / {message.outcome}" if message.outcome else message.kind
        where = (
            f"request {message.request_id} is {message.request.state}"
            if message.request is not None
            else "it is on no request yet"
        )
        click.echo(f"message {message.id} is now {what} (set by the operator); {where}")


def message_record(session: Session, message: Message) -> dict[str, Any]:
    """One message: what it is and why, where it went and why, what it did."""
    events = session.scalars(
        select(Event).where(Event.message_id == message.id).order_by(Event.at, Event.id)
    )
    return {
        "id": message.id,
        "message_id": message.message_id,
        "direction": message.direction,
        "date": message.date.isoformat() if message.date else None,
        "from": message.from_addr,
        "to": list(message.to_addrs or []),
        "subject": message.subject,
        "status": message.status,
        "request_id": message.request_id,
        "kind": message.kind,
        "outcome": message.outcome,
        "exemptions": list(message.exemptions or []),
        "confidence": message.confidence,
        "operator_override": message.operator_override,
        "classification": message.classification or {},
        "match": {
            "matched_by": message.matched_by,
            "evidence": list(message.match_evidence or []),
            "suggestions": list(message.suggestions or []),
        },
        "events": [
            {
                "kind": e.kind,
                "at": e.at.isoformat(),
                "actor": e.actor,
                "reason": e.reason,
                "request_id": e.request_id,
                "stated_date": e.stated_date,
                "data": e.data,
            }
            for e in events
        ],
    }


def _print(record: dict[str, Any]) -> None:
    found = record["classification"]
    click.echo(f"Message {record['id']}  {record['direction']}  {record['date'] or '-'}")
    click.echo(f"  from        {record['from'] or '-'}")
    click.echo(f"  subject     {record['subject']}")
    click.echo(f"  status      {record['status']}  request {record['request_id'] or '-'}")
    outcome = f" / {record['outcome']}" if record["outcome"] else ""
    unsure = "  (not sure: check it)" if found.get("uncertain") else ""
    by = "  (set by the operator)" if record["operator_override"] else ""
    click.echo(f"  kind        {record['kind'] or '-'}{outcome}  confidence "
               f"{found.get('confidence', record['confidence'])}{unsure}{by}")  # fmt: skip
    if found.get("operator"):
        op = found["operator"]
        click.echo(
            f"  operator    {op.get('kind')} {op.get('outcome') or ''} {op.get('reason') or ''}"
        )
    for label, key in (("exemptions", "exemptions"), ("references", "references")):
        if found.get(key):
            click.echo(f"  {label:<12}{', '.join(found[key])}")
    for name, value in {**found.get("dates", {}), **found.get("flags", {})}.items():
        click.echo(f"  {name:<12}{value if value is not None else '(none)'}")
    if "evidence" in found:
        click.echo("Rules fired" if found["evidence"] else "Rules fired (none)")
    for hit in found.get("evidence", []):
        click.echo(f"  {hit['rule']} [{hit['signal']} {hit['weight']}] {hit['reason']}")
    for note in found.get("notes", []):
        click.echo(f"  - {note}")
    match = record["match"]
    click.echo(f"Matched by {match['matched_by'] or '-'}")
    for item in match["evidence"]:
        click.echo(f"  {item.get('rule')} [{item.get('strength', '')}] {item.get('reason', '')}")
    for s in match["suggestions"][:3]:
        click.echo(f"  maybe request {s['request_id']} ({s.get('confidence')})")
    for e in record["events"]:
        why = f": {e['reason']}" if e["reason"] else ""
        click.echo(
            f"Event on request {e['request_id']}  {e['at']}  {e['kind']} ({e['actor']}){why}"
        )


COMMANDS = [messages]
