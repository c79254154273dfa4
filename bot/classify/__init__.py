"""Classify an incoming message: kind, outcome, exemptions, references, dates. Pure.

An ordered registry of small named rules (``registry.RULES``) each looks for one
sign and says why it fired; ``decide`` weighs the signs into a kind, an outcome and
a confidence; every rule that fired is kept as evidence. See docs/classification.md.

>>> from bot.parse import parse_email
>>> c = classify(parse_email(b"Subject: Automatic reply: FOI\\n\\nI am on annual leave."))
>>> c.kind, [e.rule for e in c.evidence]
(<IncomingKind.AUTO_REPLY: 'auto_reply'>, ['oof_subject', 'absence_notice'])
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.classify.decide import Fired, decide_kind
from bot.classify.outcome import decide_outcome
from bot.classify.registry import RULES
from bot.classify.text import View, view_of
from bot.classify.values import UNSURE_BELOW, Classification, Evidence, Hit, Rule, Signal
from bot.parse import Email
from bot.references import find_references
from bot.vocabulary import IncomingKind

__all__ = [
    "RULES", "UNSURE_BELOW", "Classification", "Evidence", "Hit", "Rule", "Signal", "View",
    "classify", "run_rules", "view_of",
]  # fmt: skip

_EXEMPTION_KINDS = frozenset({IncomingKind.RESPONSE, IncomingKind.REVIEW_OUTCOME,
                              IncomingKind.EXTENSION})  # fmt: skip
# Which stated dates a kind keeps: an acknowledgement's "by 12 October" is not an extension.
_DATES = {
    IncomingKind.EXTENSION: ("extended_to",),
    IncomingKind.ACKNOWLEDGEMENT: ("respond_by",),
    IncomingKind.REVIEW_ACKNOWLEDGEMENT: ("respond_by",),
}
_CONSIDERED_ONLY = frozenset({"exemptions_considered"})
_REFERENCE_PREFIX = 1_500  # authorities put their reference at the top of a letter
# Refusals on cost grounds, where advice on narrowing the request is owed (FOIA s.16,
# FOISA s.15, EIR reg 9): recorded as ``advice_s16``.
_COST_REFUSALS = frozenset({"s12", "reg12(4)(b)"})
_NO_DIGITS = str.maketrans("", "", "0123456789")


def run_rules(view: View, rules: Sequence[Rule] = RULES) -> list[tuple[str, Hit]]:
    """(rule name, hit) for every rule that fired, in registry order."""
    fired = []
    for rule in rules:
        hit = rule.check(view)
        if hit is not None:
            fired.append((rule.name, hit))
    return fired


def _references(view: View) -> tuple[str, ...]:
    """Authority references in the subject, the new text (with hard-wrapped lines joined,
    so "FOI\\n10400" is found), attachment names and the top of each attachment."""
    texts = [view.subject, *(s.text for s in view.sentences if s.where == "body"), *view.names]
    texts += [" ".join(text[:_REFERENCE_PREFIX].split()) for _, text in view.attachments]
    seen: dict[str, str] = {}
    for text in texts:
        if _digits(text) < 3:
            continue  # a reference has three digits at least: nothing to find
        for found in find_references(text):
            if not found.earlier:  # "identical to your request of 6 March (HU-FOI-23-118)"
                seen.setdefault(found.normalized, found.text)
    return tuple(seen.values())


def _digits(text: str) -> int:
    """How many characters of ``text`` are digits (``str.isdigit``)."""
    if text.isascii():
        return len(text) - len(text.translate(_NO_DIGITS))
    return sum(map(str.isdigit, text))


def _flags(kind: IncomingKind, fired: Fired, exemptions: Sequence[str]) -> dict[str, str | None]:
    flags: dict[str, str | None] = {}
    values = [pair for _, hit in fired for pair in hit.flags]
    if kind is IncomingKind.BOUNCE:
        severities = {v for k, v in values if k == "bounce"}
        flags["bounce"] = "hard" if "hard" in severities or not severities else "soft"
    if any(k == "automatic" for k, _ in values):
        flags["automatic"] = "yes"
    if _COST_REFUSALS & set(exemptions) and kind is IncomingKind.RESPONSE:
        advice = next((v for k, v in values if k == "advice_s16"), "")
        flags["advice_s16"] = advice or None
    return flags


def _combine(fired: Fired, kind: IncomingKind) -> tuple[list[str], dict[str, str]]:
    exemptions: list[str] = []
    dates: dict[str, str] = {}
    stated = ""
    for name, hit in fired:
        if name in _CONSIDERED_ONLY and kind is not IncomingKind.EXTENSION:
            continue  # exemptions being considered are listed for an extension only
        if kind in _EXEMPTION_KINDS:
            exemptions += [e for e in hit.exemptions if e not in exemptions]
        for name, value in hit.dates:
            if name in _DATES.get(kind, ()):
                dates.setdefault(name, value)
            elif kind is IncomingKind.EXTENSION and name == "respond_by":
                stated = value  # "we will endeavour to respond by 17 March" in an extension
    if kind is IncomingKind.EXTENSION and "extended_to" not in dates and stated:
        dates["extended_to"] = stated
    return exemptions, dates


def classify(email: Email) -> Classification:
    """Classify one incoming message."""
    view = view_of(email)
    fired = run_rules(view)
    kind, confidence, notes = decide_kind(fired)
    outcome, outcome_confidence, why = decide_outcome(kind, [hit for _, hit in fired])
    if outcome is not None:
        notes.append(f"outcome {outcome}: {why} ({outcome_confidence:.2f})")
        confidence = min(confidence, outcome_confidence)
    exemptions, dates = _combine(fired, kind)
    flags = _flags(kind, fired, exemptions)
    if "advice_s16" in flags and flags["advice_s16"] is None:
        notes.append("a s.12 refusal without s.16 advice on what could be provided")
    return Classification(
        kind=kind,
        outcome=outcome,
        exemptions=tuple(exemptions),
        references=_references(view),
        dates=dates,
        flags=flags,
        confidence=round(confidence, 2),
        evidence=tuple(Evidence(name, hit.reason, hit.signal, hit.weight) for name, hit in fired),
        notes=tuple(notes),
    )
