"""`foibot requests list|show|add` and `foibot export`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import click

from bot.cli.common import AppContext, echo_json, json_option, open_db, pass_app
from bot.errors import InputError
from bot.requests_csv import parse_requests_csv
from bot.store.progress import set_state
from bot.store.requests import (
    NewRequest,
    add_request,
    export_record,
    get_request,
    list_requests,
)
from bot.timeutil import parse_option_instant, today_london
from bot.vocabulary import Regime, RequestState

REGIMES = click.Choice([r.value for r in Regime])


@click.group()
def requests() -> None:
    """FOI requests: one authority, one regime, its messages and deadlines."""


@requests.command("list")
@click.option(
    "--state", type=click.Choice([s.value for s in RequestState]), help="Only this state."
)
@click.option("--campaign", help="Only this campaign.")
@json_option
@pass_app
def list_cmd(app: AppContext, state: str | None, campaign: str | None, as_json: bool) -> None:
    """List requests with their state and response due date.

    \b
    Example:
      foibot requests list --state awaiting_response
    """
    today, config = today_london(), app.config()
    with open_db(app) as db, db.session() as session:
        records = [export_record(r, today, config) for r in list_requests(session, state, campaign)]
    if as_json:
        echo_json(records)
        return
    if not records:
        click.echo("no requests")
    for rec in records:
        due = rec["response_due"] or "-"
        flag = _flag(rec)
        click.echo(f"{rec['id']:>5}  {rec['state']:<22} due {due:<10}  {rec['authority']}{flag}")


@requests.command("show")
@click.argument("request_id")
@json_option
@pass_app
def show_cmd(app: AppContext, request_id: str, as_json: bool) -> None:
    """Show one request: authority, references, deadlines, messages, events.

    \b
    Example:
      foibot requests show 12 --json
    """
    with open_db(app) as db, db.session() as session:
        request = get_request(session, request_id)
        record = export_record(request, today_london(), app.config())
        record["tracking_token"] = request.tracking_token
        record["events"] = [
            {"kind": e.kind, "at": e.at.isoformat(), "actor": e.actor, "reason": e.reason,
             "message_id": e.message_id, "stated_date": e.stated_date, "data": e.data}
            for e in request.events
        ]  # fmt: skip
    if as_json:
        echo_json(record)
        return
    click.echo(f"Request {record['id']}: {record['subject']}")
    click.echo(f"  authority   {record['authority']} <{record['authority_email']}>")
    click.echo(f"  regime      {record['regime']}    state {record['state']}")
    click.echo(f"  sent        {record['sent_at'] or '-'}")
    click.echo(f"  due         {record['response_due'] or '-'}{_flag(record)}")
    click.echo(f"  references  {', '.join(record['references']) or '-'}")
    click.echo(f"  messages    {len(record['messages'])}")
    for m in record["messages"]:
        how = f"{m['matched_by'] or '-'} {m['confidence'] or 0:.2f}"
        click.echo(
            f"    #{m['id']:<5} {m['date'] or '-':<25} {m['direction']:<3} "
            f"{m['kind'] or '-':<22} {how:<20} {m['subject']}"
        )
    for event in record["events"]:
        why = f": {event['reason']}" if event["reason"] else ""
        click.echo(f"  event       {event['at']}  {event['kind']} ({event['actor']}){why}")


@requests.command("add")
@click.option("--authority", required=True, help="Authority id, name or email.")
@click.option("--subject", required=True, help="The request's subject line.")
@click.option("--sent-at", help="When it was sent (ISO-8601; no offset = London time).")
@click.option("--regime", type=REGIMES, help="Default: from config, FOISA for Scotland.")
@click.option("--campaign", help="Campaign name (created if new).")
@click.option("--reference", "references", multiple=True, help="Authority reference (repeat).")
@click.option("--body-file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_app
def add_cmd(
    app: AppContext,
    authority: str,
    subject: str,
    sent_at: str | None,
    regime: str | None,
    campaign: str | None,
    references: tuple[str, ...],
    body_file: Path | None,
) -> None:
    """Record a request sent outside foibot, so its replies and deadlines are tracked.

    \b
    Example:
      foibot requests add --authority "Northmoor Council" \\
        --subject "FOI: data analytics" --sent-at 2026-09-14T09:30 --reference "FOI 10412"
    """
    new = NewRequest(
        authority=authority,
        subject=subject,
        sent_at=parse_option_instant(sent_at, "--sent-at") if sent_at else None,
        regime=Regime(regime) if regime else None,
        campaign=campaign,
        references=references,
        body=body_file.read_text(encoding="utf-8") if body_file else None,
    )
    config = app.config()
    with open_db(app) as db, db.session() as session:
        request = add_request(session, new, config)
        click.echo(f"request {request.id} added ({request.regime}, {request.state})")


@requests.command("import")
@click.argument("csv_file", type=click.Path(dir_okay=False, path_type=Path))
@pass_app
def import_cmd(app: AppContext, csv_file: Path) -> None:
    """Add requests sent outside foibot from a CSV (authority,subject,sent_at[,...]).

    Optional columns: regime, campaign, references (separated by ;), body. All rows are
    checked first; nothing is added when any row is wrong.

    \b
    Example:
      foibot requests import sent-requests.csv
    """
    try:
        text = csv_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read {csv_file}: {err}") from err
    rows = parse_requests_csv(text, str(csv_file))
    config = app.config()
    with open_db(app) as db, db.session() as session:
        added = [add_request(session, new, config) for new in rows]
        click.echo(
            f"{len(added)} requests added (ids {added[0].id}-{added[-1].id})"
            if added
            else "no requests in the file"
        )


@requests.command("set-state")
@click.argument("request_id")
@click.argument("state")
@click.option("--reason", required=True, help="Why (kept with the request's events).")
@pass_app
def set_state_cmd(app: AppContext, request_id: str, state: str, reason: str) -> None:
    """Set a request's state by hand; automatic updates then only propose changes.

    STATE is one of the request states (docs/classification.md). Later mail never
    undoes it: what automation would have done is recorded as a `proposed` event.

    \b
    Example:
      foibot requests set-state 5 successful --reason "answered by post on 20 Nov"
    """
    config = app.config()
    with open_db(app) as db, db.session() as session:
        request = set_state(session, get_request(session, request_id), state, reason, config)
        click.echo(f"request {request.id} is now {request.state} (set by the operator)")


@requests.command("dispute")
@click.argument("request_id")
@click.option("--reason", required=True, help="Why you believe the information is held.")
@pass_app
def dispute_cmd(app: AppContext, request_id: str, reason: str) -> None:
    """Dispute a "not held" answer: foibot drafts an internal review request.

    \b
    Example:
      foibot requests dispute 5 --reason "their 2024 annual report cites these figures"
    """
    from bot.store.drafts import dispute, sweep

    config = app.config()
    with open_db(app) as db, db.session() as session:
        request = get_request(session, request_id)
        dispute(session, request, reason)
        session.flush()
        made = sweep(session, config, today_london(), request_ids=[request.id])
        click.echo(f"request {request.id}: dispute recorded")
        for draft in made:
            click.echo(f"draft {draft.id}: {draft.kind} ({draft.trigger}); `foibot drafts show`")


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Default: stdout.")
@pass_app
def export(app: AppContext, fmt: str, output: Path | None) -> None:
    """Export every request with its messages (JSON list, or CSV one row per request).

    \b
    Example:
      foibot export --format csv --output requests.csv
    """
    today, config = today_london(), app.config()
    with open_db(app) as db, db.session() as session:
        records = [export_record(r, today, config) for r in list_requests(session)]
    text = _as_csv(records) if fmt == "csv" else json.dumps(records, indent=2, ensure_ascii=False)
    if output:
        output.write_text(text + ("" if text.endswith("\n") else "\n"), encoding="utf-8")
        click.echo(f"{len(records)} requests written to {output}", err=True)
    else:
        click.echo(text)


def _as_csv(records: list[dict[str, Any]]) -> str:
    """Lists become '; '-joined text; messages become a JSON array in one cell."""
    columns = [
        "id",
        "campaign",
        "authority",
        "authority_email",
        "subject",
        "regime",
        "state",
        "overdue",
        "sent_at",
        "response_due",
        "references",
        "messages",
        "very_overdue",  # added later: appended, so existing columns keep their places
        "probably_overdue",
    ]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for rec in records:
        row = dict(rec)
        row["references"] = "; ".join(rec["references"])
        row["messages"] = json.dumps(rec["messages"], ensure_ascii=False)
        writer.writerow({k: row[k] for k in columns})
    return buffer.getvalue()


def _flag(record: dict[str, Any]) -> str:
    if record["overdue"]:
        return "  VERY OVERDUE" if record["very_overdue"] else "  OVERDUE"
    return "  PROBABLY OVERDUE (school)" if record.get("probably_overdue") else ""


COMMANDS = [requests, export]
