"""`foibot drafts list | show | edit | approve | reject | sweep | send`: letters awaiting you."""

from __future__ import annotations

import datetime as dt

import click

from bot.cli.common import AppContext, echo_json, json_option, open_db, pass_app
from bot.compose import header_text
from bot.errors import InputError, LetterError
from bot.store.approval import (
    apply_edit,
    approve,
    approve_all,
    draft_record,
    edit_text,
    get_draft,
    list_drafts,
    parse_edit,
    problems_of,
    reject,
    rendered,
)
from bot.store.db import begin_writing
from bot.timeutil import today_london
from bot.vocabulary import DIGEST_DRAFT_KIND, DraftStatus

STATUSES = [s.value for s in DraftStatus]


@click.group("drafts")
def drafts() -> None:
    """Letters foibot has drafted: nothing is sent until you approve it.

    \b
    Example:
      foibot drafts list
      foibot drafts show 3
      foibot drafts approve 3
    """


@drafts.command("list")
@click.option("--status", "statuses", multiple=True, type=click.Choice(STATUSES),
              help="Only drafts in this status (repeatable). Default: all.")  # fmt: skip
@click.option("--campaign", default=None, help="Only this campaign's drafts.")
@json_option
@pass_app
def list_cmd(
    app: AppContext, statuses: tuple[str, ...], campaign: str | None, as_json: bool
) -> None:
    """List drafts with their status, trigger and recipient.

    \b
    Example:
      foibot drafts list --status pending --json
    """
    with open_db(app) as db, db.session() as session:
        records = [draft_record(d) for d in list_drafts(session, statuses, campaign)]
    if as_json:
        echo_json(records)
        return
    if not records:
        click.echo("No drafts.")
        return
    for r in records:
        where = (
            f"request {r['request_id']}"
            if r["request_id"]
            else ("weekly digest" if r["kind"] == DIGEST_DRAFT_KIND else "new request")
        )
        click.echo(f"#{r['id']}  {r['status']:<8}  {r['kind']:<14} {where}  to {r['to']}")
        click.echo(f"    {header_text(r['subject'])}")
        click.echo(f"    why: {r['trigger']}")
        for note in (r["address_note"], r["error"]):
            if note:
                click.echo(f"    note: {note}")
    pending = sum(r["status"] == DraftStatus.PENDING for r in records)
    click.echo(f"\n{len(records)} drafts, {pending} pending. `foibot drafts show ID` to read one.")


@drafts.command("show")
@click.argument("draft_id")
@pass_app
def show_cmd(app: AppContext, draft_id: str) -> None:
    """Show the exact email that will be sent, headers included.

    \b
    Example:
      foibot drafts show 3
    """
    config = app.config()
    with open_db(app) as db, db.session() as session:
        draft = get_draft(session, draft_id)
        problems = problems_of(draft, config) if draft.status == DraftStatus.PENDING else []
        try:
            text = rendered(draft, config).decode("utf-8", "replace")
        except LetterError:  # unsafe fields: show them as stored, the problems below
            text = edit_text(draft)
        click.echo(f"draft {draft.id}: {draft.status}, {draft.kind}, why: {draft.trigger}")
        if draft.reason:
            click.echo(f"rejected: {draft.reason}")
        if draft.error:
            click.echo(f"last error: {draft.error}")
    click.echo("-" * 72)
    click.echo(text.replace("\r\n", "\n").rstrip())
    click.echo("-" * 72)
    for problem in problems:
        click.echo(f"before approval: {problem}")


@drafts.command("edit")
@click.argument("draft_id")
@pass_app
def edit_cmd(app: AppContext, draft_id: str) -> None:
    """Edit a draft's recipient, subject and letter in $EDITOR; it is checked again.

    An approved draft that is edited goes back to pending and must be approved again.

    \b
    Example:
      EDITOR=nano foibot drafts edit 3
    """
    config = app.config()
    with open_db(app) as db:
        with db.session() as session:  # no transaction stays open while the editor is
            draft = get_draft(session, draft_id)
            original, key = edit_text(draft), draft.id
        changed = click.edit(original, extension=".txt", require_save=True)
        if changed is None or changed == original:
            click.echo(f"draft {key} unchanged")
            return
        edited = parse_edit(changed)
        with db.session() as session:
            begin_writing(session)
            draft = get_draft(session, key)
            if edit_text(draft) != original:
                click.echo(changed, err=True)  # the operator's words are not lost
                raise InputError(
                    f"draft {key} changed while you were editing it (it is now "
                    f"{draft.status}); your text is above, nothing was saved"
                )
            problems = apply_edit(session, draft, edited, config)
            status = draft.status
    click.echo(f"draft {key} saved ({status})")
    for problem in problems:
        click.echo(f"before approval: {problem}")


@drafts.command("approve")
@click.argument("draft_id", required=False)
@click.option("--all", "all_pending", is_flag=True, help="Approve every pending draft.")
@click.option("--campaign", default=None, help="With --all: only this campaign's drafts.")
@click.option("--confirm-address", is_flag=True,
              help="Confirm a recipient address foibot has seen only once.")  # fmt: skip
@pass_app
def approve_cmd(
    app: AppContext,
    draft_id: str | None,
    all_pending: bool,
    campaign: str | None,
    confirm_address: bool,
) -> None:
    """Approve a draft for sending (`foibot run` or `drafts send` sends it).

    \b
    Example:
      foibot drafts approve 3
      foibot drafts approve --all --campaign "Pothole claims 2026"
    """
    if (draft_id is None) == (not all_pending):
        raise InputError("give a draft id, or --all (optionally with --campaign NAME)")
    if campaign is not None and not all_pending:
        raise InputError("--campaign goes with --all")
    if confirm_address and all_pending:
        raise InputError(
            "--confirm-address confirms one recipient you have read: give a draft id, not --all"
        )
    config = app.config()
    with open_db(app) as db, db.session() as session:
        if draft_id is not None:
            draft = approve(session, get_draft(session, draft_id), config, confirm_address)
            session.commit()
            click.echo(f"draft {draft.id} approved: to {draft.to_addr}, {draft.message_id}")
            return
        approved, refused = approve_all(session, config, campaign)
        session.commit()
    click.echo(f"{len(approved)} drafts approved")
    for _draft, why in refused:
        click.echo(f"not approved: {why}")


@drafts.command("reject")
@click.argument("draft_id")
@click.option("--reason", required=True, help="Why it should not be sent.")
@pass_app
def reject_cmd(app: AppContext, draft_id: str, reason: str) -> None:
    """Reject a draft: it is never sent, and not drafted again for the same reason.

    \b
    Example:
      foibot drafts reject 3 --reason "they answered by post"
    """
    with open_db(app) as db, db.session() as session:
        draft = reject(session, get_draft(session, draft_id), reason)
        session.commit()
        click.echo(f"draft {draft.id} rejected")


@drafts.command("sweep")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Count deadlines as of this date (default: today in London).")  # fmt: skip
@pass_app
def sweep_cmd(app: AppContext, today: dt.datetime | None) -> None:
    """Check every open request's deadlines and answers now and draft what is due.

    \b
    Example:
      foibot drafts sweep
    """
    from bot.store.drafts import sweep

    config = app.config()
    day = today.date() if today else today_london()
    with open_db(app) as db, db.session() as session:
        made = sweep(session, config, day)
        session.commit()
        for draft in made:
            click.echo(f"#{draft.id}  {draft.kind} for request {draft.request_id}: {draft.trigger}")
    click.echo(f"{len(made)} new drafts")


@drafts.command("send")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Send at most N.")
@pass_app
def send_cmd(app: AppContext, limit: int | None) -> None:
    """Send approved drafts now (the daemon does this on its own).

    \b
    Example:
      foibot drafts send
    """
    from bot.outbox import send_due

    config = app.config()
    with open_db(app) as db:
        report = send_due(db, config, limit=limit)
    click.echo(str(report))


COMMANDS = [drafts]
