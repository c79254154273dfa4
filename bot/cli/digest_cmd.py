"""`foibot digest`: the weekly digest, printed, written as HTML, or sent now."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from bot.cli.common import AppContext, open_db, pass_app
from bot.config import Config
from bot.digest import iso_week
from bot.errors import DigestError, InputError
from bot.store import Database
from bot.store.models import Draft, utcnow
from bot.timeutil import today_london
from bot.vocabulary import DraftStatus


@click.command("digest")
@click.option(
    "--print",
    "print_text",
    is_flag=True,
    help="Print the text version (the default when no other option is given).",
)
@click.option(
    "--html",
    "html_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the HTML version to this file.",
)
@click.option(
    "--send", is_flag=True, help="Queue this week's digest for [digest] recipients and send it now."
)
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Build it as of this date (default: today in London).",
)
@pass_app
def digest(
    app: AppContext,
    print_text: bool,
    html_file: Path | None,
    send: bool,
    today: dt.datetime | None,
) -> None:
    """The weekly digest: where every request stands, what came in, what awaits you.

    Sending goes through the outbox without approval, once per recipient and ISO
    week: a second `--send` in the same week sends nothing.

    \b
    Example:
      foibot digest --print
      foibot digest --html digest.html --today 2026-11-21
      foibot digest --send
    """
    from bot.store.digests import build, render_html, render_text

    config = app.config()
    day = today.date() if today else today_london()
    if html_file is None and not send:
        print_text = True
    with open_db(app) as db:
        if print_text or html_file is not None:
            with db.session() as session:
                built = build(session, config, day)
            if print_text:
                click.echo(render_text(built), nl=False)
            if html_file is not None:
                _write(html_file, render_html(built))
                click.echo(f"digest {built.week}: HTML written to {html_file}")
        if send:
            _send(db, config, day)


def _write(path: Path, html: str) -> None:
    try:
        path.write_text(html, encoding="utf-8")
    except OSError as err:
        raise InputError(f"--html: cannot write {path}: {err.strerror or err}") from err


def _send(db: Database, config: Config, day: dt.date) -> None:
    """Queue this week's digest, run the outbox, and say what happened to each copy."""
    from bot.outbox import send_due
    from bot.store.digests import queue_weekly_digest, week_drafts

    if not config.digest.recipients:
        raise DigestError(
            f'no digest recipients: add `recipients = ["you@example.org"]` under [digest] '
            f"in {config.source}"
        )
    week = iso_week(day)
    with db.session() as session:
        queued = queue_weekly_digest(session, config, utcnow(), today=day)
    click.echo(f"digest {week}: {len(queued)} queued")
    report = send_due(db, config)
    click.echo(str(report))
    with db.session() as session:
        drafts = week_drafts(session, week)
    unsent = []
    for draft in drafts:
        click.echo(_outcome(draft, week, draft.id in report.sent))
        if draft.status != DraftStatus.SENT:
            unsent.append(f"to {draft.to_addr}: {draft.error or draft.status}")
    if unsent:
        raise DigestError(
            f"digest {week} not sent " + "; ".join(unsent)
            + " (it stays queued: `foibot drafts send` or the daemon retries it)"
        )  # fmt: skip


def _outcome(draft: Draft, week: str, now: bool) -> str:
    if draft.status == DraftStatus.SENT:
        when = "sent" if now else "already sent"
        at = f" at {draft.sent_at:%Y-%m-%d %H:%M} UTC" if draft.sent_at and not now else ""
        return f"digest {week}: {when} to {draft.to_addr} (draft {draft.id}){at}"
    return f"digest {week}: {draft.status} for {draft.to_addr} (draft {draft.id})"


COMMANDS = [digest]
