"""The matching rules: small named checks, each saying which requests a message points to.

A rule returns hits; a hit names the requests it points at, how strongly, at what
level, and why. Levels:

- ``identity``: the message carries something that belongs to one conversation
  (our Message-ID in its headers, a reference number, our tracking token);
- ``authority``: who it is from (or to) — it narrows to an authority, never to a
  request on its own;
- ``topic``: the subject or our request text — it narrows within an authority; a
  campaign subject shared by many requests never decides alone;
- ``signal``: the message is about an FOI request at all (no request named).

``RULES`` is the ordered registry; ``bot.matching.decide`` combines the hits.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.matching.facts import (
    MessageFacts,
    World,
    domain_of,
    local_part_tag,
    parent_domains,
    shingles,
    subject_words,
)
from bot.references import is_tracking_token

IDENTITY, AUTHORITY, TOPIC, SIGNAL = "identity", "authority", "topic", "signal"


@dataclass(frozen=True)
class Hit:
    rule: str
    level: str
    request_ids: frozenset[int]
    strength: float
    reason: str
    authority_ids: frozenset[int] = frozenset()


Check = Callable[[MessageFacts, World], list[Hit]]


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    check: Check


def _identity(rule: str, request_ids: frozenset[int], strength: float, reason: str) -> Hit:
    return Hit(rule, IDENTITY, request_ids, strength, reason)


def _ids(values: set[int] | None) -> frozenset[int]:
    return frozenset(values or ())


def headers(facts: MessageFacts, world: World) -> list[Hit]:
    hits = []
    for position, mid in enumerate(facts.header_ids):
        found = _ids(world.thread_keys.get(f"mid:{mid}"))
        if found:
            strength = 0.98 if position == 0 else 0.95
            reason = f"In-Reply-To/References <{mid}> is a message on this request"
            hits.append(Hit("headers", IDENTITY, found, strength, reason))
    return _distinct(hits)


def thread_index(facts: MessageFacts, world: World) -> list[Hit]:
    found = (
        _ids(world.thread_keys.get(f"conv:{facts.conversation}"))
        if facts.conversation
        else frozenset()
    )
    if not found:
        return []
    return [
        Hit(
            "thread_index",
            IDENTITY,
            found,
            0.9,
            "Outlook Thread-Index continues this request's conversation",
        )
    ]


_TOKEN_IN_TEXT = re.compile(r"\[?\b(FOI-[0-9A-F]{6})\b\]?", re.IGNORECASE)


def tracking_token(facts: MessageFacts, world: World) -> list[Hit]:
    hits = []
    for match in _TOKEN_IN_TEXT.finditer(f"{facts.subject}\n{facts.reply_text[:5000]}"):
        request_id = world.tokens.get(match.group(1).upper())
        if request_id is not None and is_tracking_token(match.group(1)):
            hits.append(
                _identity(
                    "tracking_token", frozenset({request_id}), 0.99, f"our token {match.group(1)}"
                )
            )
    for address in facts.recipients:
        tag = local_part_tag(address)
        request_id = world.tokens.get(f"FOI-{tag}".upper()) if tag else None
        if request_id is not None:
            hits.append(
                _identity(
                    "tracking_token",
                    frozenset({request_id}),
                    0.99,
                    f"sent to our plus-address {address}",
                )
            )
    return _distinct(hits)


def quoted_message_id(facts: MessageFacts, world: World) -> list[Hit]:
    hits = []
    for mid in facts.mentioned_ids:
        found = _ids(world.thread_keys.get(f"mid:{mid}"))
        if found:
            hits.append(
                _identity(
                    "quoted_message_id",
                    found,
                    0.9,
                    f"quotes our Message-ID <{mid}> (a bounce or forward)",
                )
            )
    return _distinct(hits)


def reference(facts: MessageFacts, world: World) -> list[Hit]:
    hits = []
    for ref in facts.references:
        found = _ids(world.references.get(ref.normalized))
        if found:
            strength = 0.95 if ref.strong else 0.7
            hits.append(
                _identity(
                    "reference",
                    found,
                    strength,
                    f"authority reference {ref.text!r} is recorded on this request",
                )
            )
    for ref in facts.quoted_references:
        found = _ids(world.references.get(ref.normalized))
        if found:
            strength = 0.75 if ref.strong else 0.5
            hits.append(
                _identity(
                    "quoted_reference",
                    found,
                    strength,
                    f"quoted history mentions reference {ref.text!r}",
                )
            )
    return _distinct(hits)


def sender_address(facts: MessageFacts, world: World) -> list[Hit]:
    hits = []
    for address in facts.counterparties:
        authorities = _ids(world.by_email.get(address))
        if authorities:
            requests = frozenset(r.id for r in world.requests_of(authorities))
            names = ", ".join(sorted(world.authorities[a].name for a in authorities))
            hits.append(
                Hit(
                    "sender_address",
                    AUTHORITY,
                    requests,
                    0.8,
                    f"{address} is an address of {names}",
                    authorities,
                )
            )
    return hits


def sender_domain(facts: MessageFacts, world: World) -> list[Hit]:
    hits = []
    for address in facts.counterparties:
        for domain in parent_domains(domain_of(address)):
            authorities = _ids(world.by_domain.get(domain))
            if authorities:
                requests = frozenset(r.id for r in world.requests_of(authorities))
                shared = len(authorities) > 1
                names = ", ".join(sorted(world.authorities[a].name for a in authorities))
                reason = f"{address} is in {domain}, " + (
                    f"shared by {names}" if shared else f"the domain of {names}"
                )
                hits.append(
                    Hit(
                        "sender_domain",
                        AUTHORITY,
                        requests,
                        0.3 if shared else 0.7,
                        reason,
                        authorities,
                    )
                )
                break
    return hits


def subject_match(facts: MessageFacts, world: World) -> list[Hit]:
    words = subject_words(facts.subject)
    if len(words) < 2:
        return []
    found = []
    for request in world.requests.values():
        theirs = world.subject_words_of(request)
        if len(theirs) >= 2 and len(theirs & words) / len(theirs) >= 0.8:
            found.append(request.id)
    if not found:
        return []
    return [
        Hit("subject", TOPIC, frozenset(found), 0.6, f"subject matches {len(found)} request(s)")
    ]


def quoted_request(facts: MessageFacts, world: World) -> list[Hit]:
    if not world.requests:
        return []
    text = shingles(f"{facts.quoted_text}\n{facts.reply_text}\n{facts.attachment_text}")
    if not text:
        return []
    found = []
    for request in world.requests.values():
        ours = world.body_shingles(request)
        if len(ours) >= 5 and len(ours & text) / len(ours) >= 0.35:
            found.append(request.id)
    if not found:
        return []
    return [
        Hit(
            "quoted_request",
            TOPIC,
            frozenset(found),
            0.6,
            f"quotes the text of {len(found)} request(s)",
        )
    ]


# "Freedom of Information" alone is in every council's email footer and newsletter; these
# phrases are what a message *about a request* says.
_FOI_WORDS = re.compile(
    r"(?:freedom of information|\bfoi(?:sa|a)?\b|\beirs?\b|environmental information|information)"
    r"(?:\s+\(scotland\))?(?:\s+act)?(?:\s+\d{4})?\s+(?:request|enquiry|application)"
    r"|request for information|your (?:recent |original )?(?:request|enquiry)\b"
    r"|internal review|(?:under|in accordance with) (?:section|s\.?) ?1[0-7]\b"
    r"|(?:20|twenty) working days",
    re.IGNORECASE,
)
_DISCLAIMER = re.compile(
    r"may be (?:subject to|disclosed|released|monitored|recorded)|intended (?:solely )?for the"
    r"|confidential|intended recipient|legally privileged|virus|unsubscribe",
    re.IGNORECASE,
)


def foi_signal(facts: MessageFacts, world: World) -> list[Hit]:
    if facts.bulk:
        return []  # newsletters mention the disclosure log; they are never a reply
    # "Our ref: 2025/2078" is on every council letter; only an FOI-prefixed one counts here
    foi_refs = [r for r in facts.references if r.rule == "generic_prefix"]
    if foi_refs:
        reason = f"gives an FOI reference {foi_refs[0].text!r}"
        return [Hit("foi_signal", SIGNAL, frozenset(), 0.5, reason)]
    sources = (
        ("subject", facts.subject),
        ("text", facts.reply_text[:20_000]),
        ("attachment", facts.attachment_text[:20_000]),
    )
    for source, text in sources:
        for sentence in re.split(r"(?<=[.!?])\s+|\n{2,}", text):
            if _DISCLAIMER.search(sentence):
                continue
            found = _FOI_WORDS.search(sentence)
            if found:
                return [
                    Hit(
                        "foi_signal",
                        SIGNAL,
                        frozenset(),
                        0.5,
                        f"{source} mentions {found.group(0)!r}",
                    )
                ]
    return []


def _distinct(hits: list[Hit]) -> list[Hit]:
    """One hit per (rule, request set): the strongest."""
    best: dict[frozenset[int], Hit] = {}
    for hit in hits:
        if hit.request_ids not in best or hit.strength > best[hit.request_ids].strength:
            best[hit.request_ids] = hit
    return list(best.values())


RULES: tuple[Rule, ...] = (
    Rule("headers", "In-Reply-To/References name a message already on a request", headers),
    Rule("thread_index", "Outlook Thread-Index continues a request's conversation", thread_index),
    Rule("tracking_token", "our [FOI-XXXXXX] token or plus-address", tracking_token),
    Rule("quoted_message_id", "the text quotes our Message-ID (bounces)", quoted_message_id),
    Rule("reference", "an authority reference recorded on a request", reference),
    Rule("sender_address", "an address known for an authority", sender_address),
    Rule("sender_domain", "the sender's domain belongs to an authority", sender_domain),
    Rule("subject", "the subject, without Re:/Fwd:, matches", subject_match),
    Rule("quoted_request", "the message quotes our request text", quoted_request),
    Rule("foi_signal", "FOI wording or a reference in the new text (not disclaimers)", foi_signal),
)


def run_rules(facts: MessageFacts, world: World) -> list[Hit]:
    return [hit for rule in RULES for hit in rule.check(facts, world)]
