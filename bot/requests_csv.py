"""Reading a CSV of requests sent outside foibot (no I/O: text in, `NewRequest` values out).

Header: ``authority,subject,sent_at`` and optionally ``regime``, ``campaign``,
``references`` (separated by ``;``) and ``body``. ``sent_at`` is ISO-8601; without an
offset it is London time. Every bad row is reported with its line number, all at once.
"""

from __future__ import annotations

from bot.csvrows import csv_rows
from bot.errors import InputError
from bot.store.requests import NewRequest
from bot.timeutil import parse_option_instant
from bot.vocabulary import Regime

REQUIRED = ("authority", "subject", "sent_at")


def parse_requests_csv(text: str, source: str = "CSV") -> list[NewRequest]:
    rows: list[NewRequest] = []
    problems: list[str] = []
    for line, row in csv_rows(text, REQUIRED, source):
        try:
            rows.append(_row(row))
        except (InputError, ValueError) as err:
            problems.append(f"{source}:{line}: {err}")
    if problems:
        raise InputError("\n".join(problems))
    return rows


def _row(row: dict[str, str | None]) -> NewRequest:
    def cell(key: str) -> str:
        return (row.get(key) or "").strip()

    if not cell("authority"):
        raise ValueError("authority: empty")
    if not cell("subject"):
        raise ValueError("subject: empty")
    regime = cell("regime").lower()
    if regime and regime not in Regime.__members__.values():
        raise ValueError(f'regime: expected one of {", ".join(Regime)}, got "{cell("regime")}"')
    return NewRequest(
        authority=cell("authority"),
        subject=cell("subject"),
        sent_at=parse_option_instant(cell("sent_at"), "sent_at") if cell("sent_at") else None,
        regime=Regime(regime) if regime else None,
        campaign=cell("campaign") or None,
        references=tuple(r.strip() for r in cell("references").split(";") if r.strip()),
        body=cell("body") or None,
    )
