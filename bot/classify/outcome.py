"""The outcome of a response or a review outcome, from the hits. Pure.

A response, as a WhatDoTheyKnow volunteer would label it:

- ``refused``: something was withheld (an exemption, s.12, s.14) and nothing given;
- ``not_held``: a determination that the information is not held, and nothing given;
- ``partially_successful``: some information given, and some withheld or
  determined not held; or a refusal / not-held decision that says it covers only
  part of the request ("Q4-6", "some of the information", redactions);
- ``successful``: information given and nothing withheld or determined not held.
  Per-question answers such as "No", "None in existence" or "N/A" are answers: the
  authority has told us what exists. Only a not-held *determination* ("the Council
  does not hold this information", "not held", s.1(1)(a)) makes a part not held.

With no sign either way a response is taken as ``successful`` at confidence 0.5,
so the operator checks it.

A review outcome is about the original decision: ``upheld``, ``overturned``, or
``partly_upheld`` when the review says so or shows signs of both.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.classify.values import Hit, Signal
from bot.vocabulary import IncomingKind, Outcome

_UNSURE = 0.5


def _best(hits: Sequence[Hit], signal: Signal) -> float:
    return max((h.weight for h in hits if h.signal is signal), default=0.0)


def _response(hits: Sequence[Hit]) -> tuple[Outcome, float, str]:
    given, held, refused = (_best(hits, s) for s in (Signal.DISCLOSED, Signal.NOT_HELD,
                                                      Signal.WITHHELD))  # fmt: skip
    part_refused = any(h.part for h in hits if h.signal is Signal.WITHHELD)
    part_not_held = any(h.part for h in hits if h.signal is Signal.NOT_HELD)
    if refused:
        if given or part_refused:
            why = "information given and some withheld" if given else "a refusal of part only"
            return Outcome.PARTIALLY_SUCCESSFUL, min(refused, given or 0.7), why
        return Outcome.REFUSED, refused, "withheld, nothing given"
    if held:
        if given or part_not_held:
            why = "information given, some not held" if given else "part determined not held"
            return Outcome.PARTIALLY_SUCCESSFUL, min(held, given or 0.7), why
        return Outcome.NOT_HELD, held, "determined not held, nothing given"
    if given:
        return Outcome.SUCCESSFUL, given, "information given, nothing withheld or not held"
    return Outcome.SUCCESSFUL, _UNSURE, "no sign of the outcome: assumed successful"


def _review(hits: Sequence[Hit]) -> tuple[Outcome, float, str]:
    partly, over, upheld = (_best(hits, s) for s in (Signal.PARTLY_UPHELD, Signal.OVERTURNED,
                                                     Signal.UPHELD))  # fmt: skip
    if partly:
        return Outcome.PARTLY_UPHELD, partly, "the review says partly"
    if over and upheld:
        return Outcome.PARTLY_UPHELD, min(over, upheld), "signs of both upheld and overturned"
    if over:
        return Outcome.OVERTURNED, over, "the original decision was reversed"
    if upheld:
        return Outcome.UPHELD, upheld, "the original decision stands"
    return Outcome.UPHELD, _UNSURE, "no sign of the review's outcome: assumed upheld"


def decide_outcome(kind: IncomingKind, hits: Sequence[Hit]) -> tuple[Outcome | None, float, str]:
    """(outcome, its confidence, why) for a response or review outcome; (None, 1, "") else."""
    if kind is IncomingKind.RESPONSE:
        return _response(hits)
    if kind is IncomingKind.REVIEW_OUTCOME:
        return _review(hits)
    return None, 1.0, ""
