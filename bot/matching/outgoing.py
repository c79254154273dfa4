"""Sent mail: is it a new request, which regime, which campaign, what kind of follow-up (pure)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from bot.matching.facts import normalize_subject
from bot.vocabulary import Nation, OutgoingKind, Regime

_REQUEST_WORDS = re.compile(
    r"freedom of information|\bfoi(?:a|sa)?\b|environmental information regulations"
    r"|\beirs?\b|request(?:ing)? (?:for )?(?:the following )?information"
    r"|under the .{0,40}\b(?:act|regulations)\b",
    re.IGNORECASE,
)
_EIR = re.compile(r"environmental information|\beirs?\b|\beisrs?\b", re.IGNORECASE)
_SCOTTISH = re.compile(
    r"freedom of information \(scotland\)|\bfoisa\b|\(scotland\) regulations", re.IGNORECASE
)
_SALUTATION = re.compile(
    r"^\s*(?:dear|to|hello|hi|good (?:morning|afternoon))\b[^\n]*\n", re.IGNORECASE
)

# Follow-up kinds, first match wins; each pattern is how requesters actually write them.
_REVIEW = r"internal review|review (?:of )?(?:the|your|this) (?:decision|response|handling)"
_REFINE = r"\brefine|narrow(?:ed|er)? (?:my|the) request|section 16|s\.?\s?16\b"
_CHASE = (
    r"overdue|still (?:not )?(?:received|awaiting|waiting)|(?:have|has) (?:now )?passed"
    r"|no response|chas(?:e|ing)|not (?:yet )?received a response"
)
_CLARIFY = r"clarif|to confirm,? |by .{0,20} i mean|what i meant"
_FOLLOW_UPS: tuple[tuple[OutgoingKind, re.Pattern[str]], ...] = (
    (OutgoingKind.COMPLAINT, re.compile(r"information commissioner|\bico\b|complain", re.I)),
    (OutgoingKind.REVIEW_REQUEST, re.compile(_REVIEW, re.I)),
    (OutgoingKind.REFINEMENT, re.compile(_REFINE, re.I)),
    (OutgoingKind.CHASER, re.compile(_CHASE, re.I)),
    (OutgoingKind.CLARIFICATION, re.compile(_CLARIFY, re.I)),
)


def looks_like_request(subject: str, text: str) -> bool:
    """FOI/EIR/FOISA wording in the subject or the first part of the text."""
    return bool(_REQUEST_WORDS.search(subject) or _REQUEST_WORDS.search(text[:20_000]))


def guess_regime(text: str, nation: str) -> Regime:
    """EIR wording → eir; FOISA wording or a Scottish authority → foisa/eisr; else foia."""
    environmental = bool(_EIR.search(text))
    scottish = nation == Nation.SCOTLAND or bool(_SCOTTISH.search(text))
    if scottish:
        return Regime.EISR if environmental else Regime.FOISA
    return Regime.EIR if environmental else Regime.FOIA


def follow_up_kind(subject: str, text: str) -> OutgoingKind:
    sample = f"{subject}\n{text[:5000]}"
    for kind, pattern in _FOLLOW_UPS:
        if pattern.search(sample):
            return kind
    return OutgoingKind.OTHER


def campaign_fingerprint(subject: str, body: str, names: Iterable[str]) -> str:
    """The same text sent to several authorities gives the same fingerprint.

    The salutation line and the authority's own name are removed first, so
    "Dear Wigan Council" and "Dear Trafford Council" letters agree.
    """
    text = _SALUTATION.sub("", body.strip() + "\n", count=1).lower()
    for name in sorted(names, key=len, reverse=True):
        if name:
            text = text.replace(name.lower(), " ")
    words = re.findall(r"[a-z0-9]+", text)
    subject_key = normalize_subject(subject)
    return hashlib.sha256((subject_key + "\n" + " ".join(words)).encode()).hexdigest()
