"""Time helpers for the edges: today's London date, and instants given as options."""

from __future__ import annotations

import datetime as dt

from bot.deadlines import LONDON, parse_instant
from bot.errors import InputError


def parse_option_instant(text: str, option: str) -> dt.datetime:
    """``parse_instant`` with the option's name in the error ("--sent-at: cannot read ...")."""
    try:
        return parse_instant(text)
    except InputError as err:
        raise InputError(f"{option}: {err}") from err


def today_london() -> dt.date:
    return dt.datetime.now(LONDON).date()
