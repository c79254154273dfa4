"""Matching: which request does a message belong to? (pure)

``match(facts, world)`` runs the rule registry (``rules.RULES``) over one message
and combines the hits (``decide``). The result names the deciding rule, its
confidence and every piece of evidence, so the holding pen, ``requests show`` and
the web page can say *why*.
"""

from __future__ import annotations

from bot.matching.decide import ASSIGN_AT, Evidence, Match, Suggestion, decide
from bot.matching.facts import (
    FREE_MAIL,
    AuthorityFacts,
    MessageFacts,
    RequestFacts,
    World,
    conversation_key,
    domain_of,
    normalize_subject,
    parent_domains,
)
from bot.matching.rules import RULES, Hit, Rule, run_rules


def match(facts: MessageFacts, world: World) -> Match:
    """Decide where one message goes, with the evidence for the decision."""
    return decide(facts, run_rules(facts, world), world)


__all__ = [
    "ASSIGN_AT",
    "FREE_MAIL",
    "RULES",
    "AuthorityFacts",
    "Evidence",
    "Hit",
    "Match",
    "MessageFacts",
    "RequestFacts",
    "Rule",
    "Suggestion",
    "World",
    "conversation_key",
    "domain_of",
    "match",
    "normalize_subject",
    "parent_domains",
]
