"""From the rules' hits to a Classification: kind, outcome, confidence.

Kind. Each hit's signal belongs to a group (a kind, or "receipt"/"mailing list",
which are ``other``). A group's score is the noisy-OR of its hits' weights,
1 - prod(1 - w): two independent signs are stronger than one. A group is *firm*
at 0.6 or more. The kind is the first firm group in PRECEDENCE, which orders what a
message does to a request, most decisive first: a delivery report that says the
message was delivered (or read) is a receipt, whoever sent it; a bounce says nothing
else matters; list mail (List-Id, List-Unsubscribe) is a newsletter whatever it
says about FOI;
an extension letter also contains refusal-notice text (s.17(2)), so extension
comes before response; a response often thanks us for the request, so response
comes before acknowledgement. With no firm group, the best scoring group wins if it
scores more than 0.5 (one weak sign is not enough); otherwise the message is ``other``.

An acknowledgement that is really a person's absence notice (absence wording and
no reference number assigned) is an ``auto_reply``.

Confidence = score of the chosen group x (1 - 0.5 x the strongest *conflicting*
group's score), and for a response or review outcome no more than the outcome's
own confidence. Groups that normally travel with the chosen kind (a response
quoting our request's receipt, an automatic header on an acknowledgement) do not
conflict. Below UNSURE_BELOW the operator is asked.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.classify.outcome import decide_outcome
from bot.classify.values import Hit, Signal
from bot.vocabulary import IncomingKind as K

Fired = Sequence[tuple[str, Hit]]  # (rule name, hit)
FIRM = 0.6
_NOTHING = 0.5  # confidence of "other" when no rule fired

GROUP_OF: dict[Signal, str] = {
    Signal.BOUNCE: "bounce", Signal.RECEIPT: "receipt",
    Signal.REVIEW_OUTCOME: "review_outcome", Signal.UPHELD: "review_outcome",
    Signal.PARTLY_UPHELD: "review_outcome", Signal.OVERTURNED: "review_outcome",
    Signal.REVIEW_ACK: "review_acknowledgement", Signal.EXTENSION: "extension",
    Signal.FEE_NOTICE: "fee_notice", Signal.CLARIFICATION: "clarification_request",
    Signal.RESPONSE: "response", Signal.DISCLOSED: "response", Signal.NOT_HELD: "response",
    Signal.WITHHELD: "response", Signal.ACKNOWLEDGEMENT: "acknowledgement",
    Signal.REFERENCE_GIVEN: "acknowledgement", Signal.MAILING_LIST: "mailing_list",
    Signal.AUTOMATIC: "auto_reply", Signal.ABSENCE: "auto_reply",
    Signal.GENERIC_THANKS: "auto_reply",
}  # fmt: skip
PRECEDENCE: tuple[str, ...] = (
    "receipt", "bounce", "mailing_list", "review_outcome", "review_acknowledgement", "extension",
    "fee_notice", "clarification_request", "response", "acknowledgement", "auto_reply",
)  # fmt: skip
KIND_OF_GROUP = {g: K.OTHER if g in ("receipt", "mailing_list") else K(g) for g in PRECEDENCE}
_ALL = frozenset(PRECEDENCE)
_MACHINE = frozenset({"acknowledgement", "auto_reply", "mailing_list"})
COMPATIBLE: dict[str, frozenset[str]] = {
    "bounce": _ALL,
    "receipt": _ALL,
    "review_outcome": _MACHINE | {"review_acknowledgement", "response", "extension"},
    "review_acknowledgement": _MACHINE | {"extension", "response"},
    "extension": _MACHINE | {"response"},
    "fee_notice": _MACHINE | {"response", "clarification_request"},
    "clarification_request": _MACHINE,
    "response": _MACHINE,
    "acknowledgement": _MACHINE,
    "mailing_list": _MACHINE,
    "auto_reply": _MACHINE,
}
# Signs of a decision that only count fully inside a review ("was correctly applied").
_REVIEW_ONLY = frozenset({Signal.UPHELD, Signal.PARTLY_UPHELD, Signal.OVERTURNED})
# Phrases alone ("in response to your request") are not a rival to a clarification.
_SUBSTANTIVE = frozenset({Signal.DISCLOSED, Signal.NOT_HELD, Signal.WITHHELD})
# Nor is a warning that the request as it stands would cost too much: that is why the
# authority asks us to clarify or narrow it (s.1(3) with s.16 advice), not a refusal.
_REASONS_TO_CLARIFY = frozenset({"cost_limit"})


def noisy_or(weights: Sequence[float]) -> float:
    """Combined strength of independent signs: 1 - prod(1 - w)."""
    miss = 1.0
    for weight in weights:
        miss *= 1.0 - weight
    return 1.0 - miss


def _weights(fired: Fired) -> list[tuple[str, Signal, float]]:
    """(group, signal, weight) of each hit; a review's verdict without a review counts half."""
    decided = any(hit.signal is Signal.REVIEW_OUTCOME for _, hit in fired)
    out = []
    for _, hit in fired:
        group = GROUP_OF.get(hit.signal)
        if group is not None:
            half = hit.signal in _REVIEW_ONLY and not decided
            out.append((group, hit.signal, hit.weight * (0.5 if half else 1.0)))
    return out


def group_scores(fired: Fired) -> dict[str, float]:
    weights: dict[str, list[float]] = {}
    for group, _, weight in _weights(fired):
        weights.setdefault(group, []).append(weight)
    return {group: noisy_or(ws) for group, ws in weights.items()}


def _rival_score(group: str, fired: Fired, chosen: str) -> float:
    """How strongly ``group`` competes with ``chosen``: a response competes with a
    clarification request only with substance, and not with a cost-limit warning."""
    if group == "response" and chosen == "clarification_request":
        fired = [(name, hit) for name, hit in fired if name not in _REASONS_TO_CLARIFY]
    return noisy_or([
        w for g, signal, w in _weights(fired)
        if g == group and (group != "response" or signal in _SUBSTANTIVE)
    ])  # fmt: skip


def decide_kind(fired: Fired) -> tuple[K, float, list[str]]:
    """The kind, its confidence before the outcome, and notes saying why."""
    scores = group_scores(fired)
    if not scores:
        return K.OTHER, _NOTHING, ["no rule fired: not FOI correspondence, or not recognised"]
    firm = [g for g in PRECEDENCE if scores.get(g, 0.0) >= FIRM]
    chosen = firm[0] if firm else max(scores, key=lambda g: scores[g])
    if not firm and scores[chosen] <= _NOTHING:
        return K.OTHER, _NOTHING, [f"only weak signs (best {chosen} {scores[chosen]:.2f}): other"]
    notes = [f"kind {KIND_OF_GROUP[chosen]}: " + (
        f"first firm group by precedence (score {scores[chosen]:.2f})" if firm
        else f"no firm group; best score {scores[chosen]:.2f}")]  # fmt: skip
    signals = {hit.signal for _, hit in fired}
    if (
        chosen == "acknowledgement"
        and Signal.ABSENCE in signals
        and Signal.REFERENCE_GIVEN not in signals
    ):
        notes.append("an absence notice without a reference number: auto_reply")
        chosen = "auto_reply"
    rivals = {
        g: _rival_score(g, fired, chosen)
        for g in scores
        if g != chosen and g not in COMPATIBLE[chosen]
    }
    rival = max(rivals, key=lambda g: rivals[g], default=None)
    conflict = rivals[rival] if rival is not None and rivals[rival] >= _NOTHING else 0.0
    confidence = scores.get(chosen, _NOTHING) * (1.0 - 0.5 * conflict)
    if conflict:
        notes.append(f"conflicting signs of {KIND_OF_GROUP[rival or chosen]} ({conflict:.2f}) "
                     f"lower the confidence")  # fmt: skip
    return KIND_OF_GROUP[chosen], confidence, notes


__all__ = ["FIRM", "Fired", "decide_kind", "decide_outcome", "group_scores", "noisy_or"]
