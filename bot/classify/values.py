"""The values of classification: a rule, what it found (a Hit), and the Classification.

A rule answers one narrow question about a message ("does it carry an
Auto-Submitted header?", "does it say the information is not held?") and, when
it fires, says why: the header or the sentence, quoted. ``decide`` turns the hits
into a kind, an outcome and a confidence; every hit stays in the evidence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from bot.vocabulary import IncomingKind, Outcome

if TYPE_CHECKING:
    from bot.classify.text import View

# A classification below this confidence is shown to the operator as "not sure".
UNSURE_BELOW = 0.6


class Signal(StrEnum):
    """What a rule's hit says about the message."""

    BOUNCE = "bounce"  # a delivery failure report
    RECEIPT = "receipt"  # a read receipt or a successful-delivery report: not correspondence
    MAILING_LIST = "mailing_list"  # list or newsletter mail
    AUTOMATIC = "automatic"  # sent by a machine (headers, "Automatic reply:" subject)
    ABSENCE = "absence"  # a person's out-of-office notice
    GENERIC_THANKS = "generic_thanks"  # "Thank you for your email" and little else
    ACKNOWLEDGEMENT = "acknowledgement"  # receipt of the request confirmed, clock stated
    REFERENCE_GIVEN = "reference_given"  # the authority assigned a reference number
    CLARIFICATION = "clarification"  # the authority asks us to clarify (s.1(3))
    EXTENSION = "extension"  # more time taken (s.10(3), EIR reg 7), a new date
    FEE_NOTICE = "fee_notice"  # a fee is charged before the request is answered
    RESPONSE = "response"  # a reply that delivers the authority's answer
    DISCLOSED = "disclosed"  # information given
    NOT_HELD = "not_held"  # a determination that the information is not held
    WITHHELD = "withheld"  # information refused: an exemption, s.12 or s.14 applied
    REVIEW_ACK = "review_acknowledgement"  # our internal review request was received
    REVIEW_OUTCOME = "review_outcome"  # the internal review is decided
    UPHELD = "upheld"  # the review upheld the original decision
    PARTLY_UPHELD = "partly_upheld"
    OVERTURNED = "overturned"
    ADVICE = "advice"  # s.16 advice: what could be provided within the cost limit


@dataclass(frozen=True)
class Hit:
    """One rule firing: the signal, the evidence quoted, and how much it is worth (0-1).

    ``part`` says the decision quoted covers only part of the request ("Q4-6").
    """

    signal: Signal
    reason: str
    weight: float
    part: bool = False
    exemptions: tuple[str, ...] = ()
    dates: tuple[tuple[str, str], ...] = ()  # (name, ISO date)
    flags: tuple[tuple[str, str], ...] = ()


Check = Callable[["View"], Hit | None]


@dataclass(frozen=True)
class Rule:
    """A named check, as Mailman's rules: a name, one line saying what it looks for."""

    name: str
    description: str
    check: Check


@dataclass(frozen=True)
class Evidence:
    """A rule that fired and the text or header that made it fire."""

    rule: str
    reason: str
    signal: Signal
    weight: float

    def as_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "reason": self.reason, "signal": str(self.signal),
                "weight": self.weight}  # fmt: skip


@dataclass(frozen=True)
class Classification:
    """What an incoming message is (architecture.md vocabulary) and why.

    ``flags`` holds facts later stages need: ``bounce`` ("hard"/"soft"), ``automatic``
    ("yes"), ``advice_s16`` (the advice quoted, or None when a s.12 refusal gave none).
    """

    kind: IncomingKind
    outcome: Outcome | None = None
    exemptions: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    dates: Mapping[str, str] = field(default_factory=dict, hash=False)
    flags: Mapping[str, str | None] = field(default_factory=dict, hash=False)
    confidence: float = 0.0
    evidence: tuple[Evidence, ...] = ()
    notes: tuple[str, ...] = ()  # how the decision and the confidence were reached

    @property
    def uncertain(self) -> bool:
        """Low confidence: later stages put the message in front of the operator."""
        return self.confidence < UNSURE_BELOW

    def as_json(self) -> dict[str, Any]:
        """The classification keys of the `foibot explain --json` contract (and more)."""
        return {
            "kind": str(self.kind),
            "outcome": str(self.outcome) if self.outcome else None,
            "exemptions": list(self.exemptions),
            "references": list(self.references),
            "dates": dict(self.dates),
            "confidence": self.confidence,
            "uncertain": self.uncertain,
            "flags": dict(self.flags),
            "evidence": [e.as_json() for e in self.evidence],
            "notes": list(self.notes),
        }
