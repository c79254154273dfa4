"""The authority asks what we mean: a clarification reply skeleton.

FOIA s.1(3), FOISA s.1(3), EIR/EISR reg 9(2): the authority need not answer until it
has the clarification, and the 20 working days run afresh from its receipt. Only
the requester knows the answer, so the letter quotes the authority's question and
leaves a ``[[FILL IN: ...]]`` placeholder that blocks approval until it is replaced.
"""

from __future__ import annotations

import datetime as dt
import re

from bot.drafting.context import QUOTE_CHARS, make_plan, quote_of
from bot.drafting.guards import unsure
from bot.drafting.values import Decision, MessageFacts, RequestFacts
from bot.vocabulary import IncomingKind, OutgoingKind, RequestState

# A placeholder the operator must replace before approval: [[FILL IN: what to write]]
PLACEHOLDER = re.compile(r"\[\[\s*FILL IN\b[^\]]*\]\]", re.IGNORECASE)
_ASKING = re.compile(
    r"\?|\b(?:please|could you|can you|would you)\b.{0,60}\b(?:clarify|confirm|specify|explain"
    r"|let (?:me|us) know|provide)\b|\bclarif",
    re.IGNORECASE | re.DOTALL,
)


def unfilled_placeholders(body: str) -> list[str]:
    """Every ``[[FILL IN: ...]]`` left in a letter, in order (empty: none left).

    >>> unfilled_placeholders("Dear FOI team,\\n[[FILL IN: your answer]]\\nYours")
    ['[[FILL IN: your answer]]']
    """
    return [match.group(0) for match in PLACEHOLDER.finditer(body)]


def question_of(message: MessageFacts) -> str:
    """The paragraphs of the authority's message that ask us something; all of its new
    text (trimmed) when no paragraph clearly asks."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", message.text) if p.strip()]
    asking = [p for p in paragraphs if _ASKING.search(p)]
    if not asking:
        return quote_of(message)
    text = "\n\n".join(asking)
    return text if len(text) <= QUOTE_CHARS else quote_of(message)


def clarification_requested(facts: RequestFacts, today: dt.date) -> Decision:
    if facts.state is not RequestState.AWAITING_CLARIFICATION:
        return None
    message = facts.latest(IncomingKind.CLARIFICATION_REQUEST)
    if message is None:
        return None
    name = "clarification_requested"
    if not message.sure:
        return unsure(name, facts, message)
    return make_plan(
        facts, today, trigger=name, key=f"{name}:{facts.id}:m{message.id}",
        kind=OutgoingKind.CLARIFICATION, template="clarification_reply",
        extra={"clarification": {"on": message.on.isoformat(), "question": question_of(message)}},
    )  # fmt: skip
