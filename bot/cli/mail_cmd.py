"""`foibot sync`, `import`, `explain` and `quarantine`: getting mail in."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
from sqlalchemy import select

from bot.cli.common import AppContext, echo_json, json_option, open_db, pass_app
from bot.config import Config
from bot.errors import InputError, NotFoundError
from bot.mailbox import (
    ImportedMessage,
    MailSource,
    read_maildir,
    read_mbox,
    source_from_config,
)
from bot.parse import Email, ParseLimits, parse_email
from bot.pipeline import SyncReport, process_pending, retry_quarantined, store_imported, sync_once
from bot.rawstore import RawStore
from bot.rematch import rematch_held
from bot.secrets import mailbox_password
from bot.store import Database
from bot.store.models import Quarantine, RawMessage
from bot.timeutil import today_london


def raw_store(config: Config) -> RawStore:
    return RawStore(config.database.raw_dir)


def progress_printer() -> Any:
    """Overwrite one status line on a terminal; plain log lines otherwise."""
    tty = sys.stderr.isatty()

    def show(line: str) -> None:
        if tty:
            click.echo(f"\r\033[K{line}", nl=False, err=True)
        else:
            click.echo(line, err=True)

    return show


def read_path(path: Path) -> Iterator[ImportedMessage]:
    """A Maildir directory or an mbox file."""
    return read_maildir(path) if path.is_dir() else read_mbox(path)


def run_sync(config: Config, db: Database, source: MailSource | None = None) -> SyncReport:
    """One full sync of the configured mailbox (through ``source`` when given)."""
    own = source is None
    active = source or source_from_config(config.mailbox, mailbox_password(config))
    try:
        report = sync_once(
            db, raw_store(config), active, ParseLimits(), progress_printer(), config=config
        )
    finally:
        if own:
            active.close()
    if sys.stderr.isatty() and report.fetched:
        click.echo("", err=True)
    return report


def draft_due(config: Config, db: Database) -> int:
    """Run the drafting triggers over every open request; the number of new drafts."""
    from bot.store.drafts import sweep

    with db.session() as session:
        return len(sweep(session, config, today_london()))


@click.command()
@click.option("--once", is_flag=True, help="Sync once and exit (the daemon is `foibot run`).")
@pass_app
def sync(app: AppContext, once: bool) -> None:
    """Fetch new mail from every folder, keep it raw, parse it, and store it.

    \b
    Example:
      foibot sync --once
    """
    if not once:
        raise InputError("use `foibot sync --once`, or `foibot run` to keep syncing")
    config = app.config()
    with open_db(app) as db:
        report = run_sync(config, db)
        drafted = draft_due(config, db)
    click.echo(f"sync: {report.summary()}, {drafted} new drafts")


@click.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@pass_app
def import_cmd(app: AppContext, path: Path) -> None:
    """Import the messages of an mbox file or a Maildir (e.g. an old export).

    \b
    Example:
      foibot import ~/old-foi-mail.mbox
    """
    config = app.config()
    raws = raw_store(config)
    new = seen = 0
    show = progress_printer()
    with open_db(app) as db:
        for message in read_path(path):
            if store_imported(db, raws, message.origin, message.raw):
                new += 1
            seen += 1
            if seen % 500 == 0:
                show(f"read {seen} messages")
        report = process_pending(db, raws, ParseLimits(), progress=show, config=config)
        report.rematched, _ = rematch_held(db, raws, config)  # replies read before requests
    if sys.stderr.isatty():
        click.echo("", err=True)
    click.echo(
        f"import: {seen} read, {new} new, {report.processed} processed, "
        f"{report.quarantined} quarantined"
    )


@click.command()
@click.argument("eml", type=click.Path(dir_okay=False, path_type=Path))
@json_option
def explain(eml: Path, as_json: bool) -> None:
    """Parse (and classify) one message file without touching the database.

    \b
    Example:
      foibot explain reply.eml --json
    """
    try:
        raw = eml.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read {eml}: {err.strerror}") from err
    record = explain_record(parse_email(raw))
    if as_json:
        echo_json(record)
        return
    click.echo(f"Message-ID  {record['message_id'] or '-'}")
    click.echo(f"From        {record['from'] or '-'}")
    click.echo(f"Date        {record['date'] or '-'}")
    click.echo(f"Subject     {record['subject']}")
    outcome = f" / {record['outcome']}" if record["outcome"] else ""
    unsure = "  (not sure: check it)" if record["uncertain"] else ""
    click.echo(f"Kind        {record['kind']}{outcome}  confidence {record['confidence']}{unsure}")
    for label, key in (("Exemptions", "exemptions"), ("References", "references")):
        if record[key]:
            click.echo(f"{label:<12}{', '.join(record[key])}")
    for name, value in {**record["dates"], **record["flags"]}.items():
        click.echo(f"{name:<12}{value if value is not None else '(none)'}")
    for att in record["attachments"]:
        click.echo(f"Attachment  {att['filename']} ({att['content_type']}, {att['size']} bytes, "
                   f"{att['text_chars']} chars of text)")  # fmt: skip
    click.echo("Rules fired" if record["evidence"] else "Rules fired (none)")
    for hit in record["evidence"]:
        click.echo(f"  {hit['rule']} [{hit['signal']} {hit['weight']}] {hit['reason']}")
    for note in record["notes"]:
        click.echo(f"  - {note}")
    click.echo("")
    click.echo(record["text"])


def explain_record(email: Email) -> dict[str, Any]:
    """The `foibot explain --json` contract (architecture.md), plus ``uncertain``,
    ``flags`` (bounce hard/soft, s.16 advice) and ``notes`` (how it was decided)."""
    from bot.classify import classify  # imported here: this function is the only user

    found = classify(email).as_json()
    return {
        "message_id": email.message_id,
        "subject": email.subject,
        "from": email.from_addr,
        "date": email.date.isoformat() if email.date else None,
        "kind": found["kind"],
        "outcome": found["outcome"],
        "exemptions": found["exemptions"],
        "references": found["references"],
        "dates": found["dates"],
        "confidence": found["confidence"],
        "uncertain": found["uncertain"],
        "flags": found["flags"],
        "evidence": found["evidence"],
        "notes": found["notes"],
        "attachments": [
            {
                "filename": a.filename,
                "content_type": a.content_type,
                "size": a.size,
                "text_chars": len(a.text or ""),
            }
            for a in email.attachments
        ],
        "text": email.reply_text,
    }


@click.group()
def quarantine() -> None:
    """Messages that failed processing, kept with their error."""


@quarantine.command("list")
@json_option
@pass_app
def quarantine_list(app: AppContext, as_json: bool) -> None:
    """List quarantined messages that are not yet resolved.

    \b
    Example:
      foibot quarantine list --json
    """
    with open_db(app) as db, db.session() as session:
        rows = [
            _quarantine_record(q, session.get(RawMessage, q.raw_id))
            for q in session.scalars(
                select(Quarantine).where(Quarantine.resolved_at.is_(None)).order_by(Quarantine.id)
            )
        ]
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("quarantine is empty")
    for row in rows:
        click.echo(f"{row['id']:>4}  {row['stage']:<6} {row['error'].splitlines()[0][:100]}")


@quarantine.command("show")
@click.argument("quarantine_id", type=int)
@pass_app
def quarantine_show(app: AppContext, quarantine_id: int) -> None:
    """Show one quarantined message's error and where its raw bytes are.

    \b
    Example:
      foibot quarantine show 3
    """
    config = app.config()
    with open_db(app) as db, db.session() as session:
        row = session.get(Quarantine, quarantine_id)
        if row is None:
            raise NotFoundError(
                f"no quarantined message {quarantine_id}; see `foibot quarantine list`"
            )
        record = _quarantine_record(row, session.get(RawMessage, row.raw_id))
    for key, value in record.items():
        click.echo(f"{key:<10} {value}")
    click.echo(f"{'raw file':<10} {raw_store(config).path_for(record['sha256'])}")


@quarantine.command("retry")
@click.argument("quarantine_id", type=int, required=False)
@pass_app
def quarantine_retry(app: AppContext, quarantine_id: int | None) -> None:
    """Process quarantined messages again (all, or one id), e.g. after an upgrade.

    \b
    Example:
      foibot quarantine retry
    """
    config = app.config()
    with open_db(app) as db:
        ok, failing = retry_quarantined(db, raw_store(config), quarantine_id, ParseLimits(), config)
    click.echo(f"retry: {ok} processed, {failing} still failing")


def _quarantine_record(row: Quarantine, raw: RawMessage | None) -> dict[str, Any]:
    return {
        "id": row.id,
        "stage": row.stage,
        "error": row.error,
        "attempts": row.attempts,
        "created_at": row.created_at.isoformat(),
        "sha256": raw.sha256 if raw else None,
        "size": raw.size if raw else None,
    }


COMMANDS = [sync, import_cmd, explain, quarantine]
