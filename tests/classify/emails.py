"""Build Email values for rule tests directly (no MIME), and run one rule by name."""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType

from bot.classify import RULES, Hit, view_of
from bot.mailparts import Attachment
from bot.mimewalk import DeliveryStatus, DsnRecipient
from bot.parse import Email

WHEN = dt.datetime(2024, 3, 12, 10, 15, tzinfo=dt.UTC)
RULE_BY_NAME = {rule.name: rule for rule in RULES}


def email_of(
    body: str = "",
    *,
    subject: str = "RE: Freedom of Information request",
    headers: dict[str, str] | None = None,
    attachments: dict[str, str | None] | None = None,
    sender: str = "foi@council.gov.example",
    name: str = "FOI Team",
    quoted: str = "",
    dsn: list[tuple[str, str, str]] | None = None,  # (status, action, recipient)
    report_type: str | None = None,
) -> Email:
    files = tuple(
        Attachment(filename, "application/pdf", len(text or ""), "0" * 64, text)
        for filename, text in (attachments or {}).items()
    )
    status = (
        DeliveryStatus("dns; mx.example", tuple(DsnRecipient(r, a, s) for s, a, r in dsn))
        if dsn
        else None
    )
    return Email(
        message_id="m@example",
        subject=subject,
        from_addr=sender,
        from_name=name,
        date=WHEN,
        headers=MappingProxyType(headers or {}),
        text=body + ("\n\n" + quoted if quoted else ""),
        reply_text=body,
        quoted_text=quoted,
        attachments=files,
        is_report=bool(dsn or report_type),
        report_type=report_type or ("delivery-status" if dsn else None),
        delivery_status=status,
    )


def run(rule: str, email: Email) -> Hit | None:
    """The hit of the named rule on ``email``, or None."""
    return RULE_BY_NAME[rule].check(view_of(email))
