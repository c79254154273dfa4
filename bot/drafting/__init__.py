"""Drafting: which letters a request needs now, and their context. Pure.

Named triggers (``registry.TRIGGERS``) read a snapshot of a request
(``RequestFacts``, gathered by ``bot.store.drafts``) and ``today``, and each answers
with a ``DraftPlan`` (the letter to draft, addressed and threaded), a ``Skipped``
(why not, although its moment had come) or nothing. ``bot.letters`` renders a plan's
context with the letter templates. See docs/drafting.md.

>>> [t.name for t in TRIGGERS][:2]
['response_overdue', 'very_overdue']
"""

from bot.drafting.addressing import Addressing, address, is_noreply, subject_core
from bot.drafting.clarifying import PLACEHOLDER, unfilled_placeholders
from bot.drafting.law import LAWS, Law, describe_exemption
from bot.drafting.questions import Question, parse_questions
from bot.drafting.registry import BY_NAME, TRIGGERS, Decisions, Trigger, decide
from bot.drafting.values import (
    LIVE,
    Decision,
    Dispute,
    DraftPlan,
    ExistingDraft,
    MessageFacts,
    Requester,
    RequestFacts,
    Skipped,
)

__all__ = [
    "BY_NAME", "LAWS", "LIVE", "PLACEHOLDER", "TRIGGERS", "Addressing", "Decision",
    "Decisions", "Dispute", "DraftPlan", "ExistingDraft", "Law", "MessageFacts", "Question",
    "RequestFacts", "Requester", "Skipped", "Trigger", "address", "decide",
    "describe_exemption", "is_noreply", "parse_questions", "subject_core",
    "unfilled_placeholders",
]  # fmt: skip
