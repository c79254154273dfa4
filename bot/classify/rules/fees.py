"""Fees notices: FOIA s.9 (and s.13), EIR reg 8, FOISA s.9: pay first, then we answer.

A s.12 refusal also names money ("£450", "£25 per hour"); sentences about the cost
limit are not fee demands. Hedged mentions ("a fee may be charged") do not count.
"""

from __future__ import annotations

import re

from bot.classify.text import Found, View, find_all
from bot.classify.values import Hit, Signal

_NAMED = re.compile(
    r"\bfees? notice\b|\bnotice of (?:a |the )?fee\b"
    r"|\b(?:under|in accordance with|pursuant to) (?:section|s\.?) ?(?:9|13)\b(?!\s*\(?\d)"
    r"|\b(?:section|s\.?) ?9\s*\(\s*1\s*\)|\bregulation 8\b|\breg\.? ?8\b"
    r"|\b(?:charge|charging) (?:you )?(?:a|the|this) fee\b",
    re.I,
)
_PAYMENT = re.compile(
    r"\b(?:fee|charge|payment|sum|amount|total)\b(?: due| payable)? (?:of|is|will be|totals?"
    r"|totalling"
    r"|amounting to|comes to)\s*£\s?\d"
    r"|£\s?\d[\d,.]*\s*(?:fee|charge|is (?:due|payable)|payable|for (?:photocopying|postage|"
    r"disbursements|printing|copying))"
    r"|\b(?:pay|payment)\b.{0,60}\b(?:cheque|BACS|bank transfer|debit card|credit card|card"
    r" payment|online payment|sort code|invoice)"
    r"|\binvoice\b"
    r"|\b(?:on|upon|after|following) receipt of (?:the |your )?(?:payment|fee)"
    r"|\b(?:until|once|when) (?:the fee|payment|the payment|we receive (?:the |your )?(?:payment"
    r"|fee))(?: has been| is)?(?: paid| received| made)?",
    re.I,
)
_COST_LIMIT = re.compile(
    r"appropriate limit|cost limit|cost of compliance|per hour|an hour|\bhours\b|£\s?(?:450|600)\b"
    r"|section 12|s\.?\s?12\b|exceed",
    re.I,
)


def _fee_sentence(view: View, pattern: re.Pattern[str]) -> Found | None:
    """The first firm match outside a sentence about the s.12 cost limit."""
    return next(
        (f for f in find_all(view, pattern) if not _COST_LIMIT.search(f.sentence.text)), None
    )


def fees_notice_named(view: View) -> Hit | None:
    found = _fee_sentence(view, _NAMED)
    return Hit(Signal.FEE_NOTICE, found.quote, 0.85) if found else None


def payment_requested(view: View) -> Hit | None:
    found = _fee_sentence(view, _PAYMENT)
    return Hit(Signal.FEE_NOTICE, found.quote, 0.75) if found else None
