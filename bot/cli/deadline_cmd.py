"""``foibot deadline`` and ``foibot holidays``: the deadline engine on the command line.

Both work without a config file; when one exists, its ``[deadlines]`` section gives
the holiday overrides, the default regime and the non-statutory receipt option.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from bot.cli.common import AppContext, echo_json, json_option, pass_app
from bot.config import Config
from bot.deadlines import (
    FIRST_YEAR,
    LAST_YEAR,
    HolidayOverride,
    WorkingCalendar,
    calendar_for,
    holiday_json,
    parse_instant,
    sentence,
    summarise_response,
    summary_json,
)
from bot.errors import InputError
from bot.store.clocks import overrides_from_config
from bot.vocabulary import AuthorityKind, Nation, Regime


def _settings(app: AppContext) -> tuple[Config | None, tuple[HolidayOverride, ...]]:
    config = app.optional_config()
    return config, overrides_from_config(config)


def _default_regime(config: Config | None, regime: str | None) -> Regime:
    if regime is not None:
        return Regime(regime)
    return config.deadlines.default_regime if config else Regime.FOIA


_REGIMES = click.Choice([r.value for r in Regime], case_sensitive=False)


@click.command()
@click.option("--regime", type=_REGIMES, default=None, help="foia, eir, foisa or eisr.")
@click.option(
    "--received",
    required=True,
    help="When the request reached the authority, ISO-8601 (no offset = London time).",
)
@click.option("--nation", type=click.Choice([n.value for n in Nation]), default=None)
@click.option(
    "--authority-kind",
    "authority_kind",
    type=click.Choice([k.value for k in AuthorityKind]),
    default=None,
    help="'school': FOIA 60 working days outer limit, 20 expected (SI 2004/3364).",
)
@click.option(
    "--next-working-day-receipt/--statutory-receipt",
    "next_working_day_receipt",
    default=None,
    help="NON-STATUTORY: treat receipt on a non-working day as the next working day "
    "(default: off, or [deadlines] next_working_day_receipt).",
)
@json_option
@pass_app
def deadline(
    app: AppContext,
    regime: str | None,
    received: str,
    nation: str | None,
    authority_kind: str | None,
    next_working_day_receipt: bool | None,
    as_json: bool,
) -> None:
    """When a request received at a given moment must be answered.

    \b
    Example:
      foibot deadline --regime foia --received 2023-03-30T10:00+01:00
      Due Tuesday 2 May 2023 (20 working days after Thursday 30 March 2023; ...)
    """
    config, overrides = _settings(app)
    chosen = _default_regime(config, regime)
    if next_working_day_receipt is None:
        next_working_day_receipt = bool(config and config.deadlines.next_working_day_receipt)
    try:
        received_at = parse_instant(received)
    except InputError as err:
        raise InputError(f"--received: {err}") from err
    summary = summarise_response(
        received_at,
        chosen,
        calendar_for(chosen, overrides),
        authority_kind=AuthorityKind(authority_kind) if authority_kind else None,
        nation=Nation(nation) if nation else None,
        next_working_day_receipt=next_working_day_receipt,
    )
    if as_json:
        echo_json(summary_json(summary))
    else:
        click.echo(sentence(summary))


def _listing(calendar: WorkingCalendar, year: int) -> dict[str, Any]:
    return {
        "calendar": str(calendar.kind),
        "year": year,
        "holidays": [holiday_json(h) for h in calendar.holidays_in_year(year)],
        "removed": [holiday_json(h) for h in calendar.removed if h.date.year == year],
    }


@click.command()
@click.option(
    "--year",
    type=click.IntRange(FIRST_YEAR, LAST_YEAR),
    default=None,
    help="Default: this year.",
)
@click.option("--regime", type=_REGIMES, default=None, help="Default: [deadlines] default_regime.")
@json_option
@pass_app
def holidays(app: AppContext, year: int | None, regime: str | None, as_json: bool) -> None:
    """List the non-working days (besides weekends) of the calendar in use.

    \b
    Each day shows its source: the holidays package (with its subdivisions), the Act
    itself (Christmas Day, Good Friday) or a config override.
    Example:
      foibot holidays --year 2023 --regime foisa
    """
    config, overrides = _settings(app)
    chosen = _default_regime(config, regime)
    calendar = calendar_for(chosen, overrides)
    listing = _listing(calendar, year or dt.date.today().year)
    listing["regime"] = str(chosen)
    if as_json:
        echo_json(listing)
        return
    click.echo(f"{chosen} calendar ({calendar.kind}), {listing['year']}:")
    for item in listing["holidays"]:
        where = (
            f"{item['source']}: {', '.join(item['regions'])}" if item["regions"] else item["source"]
        )
        click.echo(f"  {item['date']} {item['weekday']:<9} {item['name']}  [{where}]")
    for item in listing["removed"]:
        click.echo(f"  {item['date']} {item['weekday']:<9} {item['name']}  [removed by override]")


COMMANDS = [deadline, holidays]
