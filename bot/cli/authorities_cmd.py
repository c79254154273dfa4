"""`foibot authorities import|list`."""

from __future__ import annotations

from pathlib import Path

import click

from bot.authorities import parse_authorities_csv
from bot.cli.common import AppContext, echo_json, json_option, open_db, pass_app
from bot.errors import InputError
from bot.store.authorities import import_authorities, list_authorities


@click.group()
def authorities() -> None:
    """The authorities directory (names, FOI addresses, nations, kinds)."""


@authorities.command("import")
@click.argument("csv_file", type=click.Path(path_type=Path))
@pass_app
def import_cmd(app: AppContext, csv_file: Path) -> None:
    """Add or update authorities from a CSV with header name,email,nation,kind[,domains].

    \b
    Example:
      foibot authorities import demo/authorities.csv
    """
    try:
        text = csv_file.read_text(encoding="utf-8")
    except OSError as err:
        raise InputError(f"cannot read {csv_file}: {err.strerror}") from err
    records = parse_authorities_csv(text, str(csv_file))
    with open_db(app) as db, db.session() as session:
        result = import_authorities(session, records)
    click.echo(
        f"{len(records)} authorities read: {result.added} added, "
        f"{result.updated} updated, {result.unchanged} unchanged"
    )


@authorities.command("list")
@json_option
@pass_app
def list_cmd(app: AppContext, as_json: bool) -> None:
    """List the authorities with their addresses and domains.

    \b
    Example:
      foibot authorities list --json
    """
    with open_db(app) as db, db.session() as session:
        rows = [
            {
                "id": a.id,
                "name": a.name,
                "email": a.email,
                "nation": a.nation,
                "kind": a.kind,
                "domains": [x.value for x in a.addresses if x.kind == "domain"],
                "emails": [x.value for x in a.addresses if x.kind == "email"],
            }
            for a in list_authorities(session)
        ]
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("no authorities yet: foibot authorities import FILE.csv")
    for row in rows:
        click.echo(
            f"{row['id']:>4}  {row['name']}  <{row['email']}>  {row['nation']}/{row['kind']}"
        )


COMMANDS = [authorities]
