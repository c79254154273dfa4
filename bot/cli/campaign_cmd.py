"""`foibot campaign create`: one initial-request draft per authority, for approval."""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli.common import AppContext, open_db, pass_app


@click.group("campaign")
def campaign() -> None:
    """Send the same request to many authorities.

    \b
    Example:
      foibot campaign create "Pothole claims 2026" --template potholes.txt.j2 \\
          --authorities councils.csv
    """


@campaign.command("create")
@click.argument("name")
@click.option("--template", "template", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The request letter, a Jinja2 template (see docs/drafting.md).")  # fmt: skip
@click.option("--authorities", "authorities_csv", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV with the header name,email,nation,kind.")  # fmt: skip
@pass_app
def create_cmd(app: AppContext, name: str, template: Path, authorities_csv: Path) -> None:
    """Draft the request to each authority in the CSV; approve them to send.

    Running it again drafts only for authorities added to the CSV since.

    \b
    Example:
      foibot campaign create "Pothole claims 2026" --template potholes.txt.j2 \\
          --authorities councils.csv
      foibot drafts approve --all --campaign "Pothole claims 2026"
    """
    from bot.store.drafts import campaign_drafts

    config = app.config()
    with open_db(app) as db, db.session() as session:
        made = campaign_drafts(session, config, name, template, authorities_csv)
        session.commit()
        click.echo(f'campaign "{name}": {len(made)} new request drafts')
    click.echo(f'Read them with `foibot drafts list --campaign "{name}"`.')


COMMANDS = [campaign]
