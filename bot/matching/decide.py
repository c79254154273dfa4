"""Combine the rules' hits into one decision, conservatively.

The order of trust, written out:

1. **Identity** (headers, Thread-Index, our token, a recorded reference) decides,
   narrowed by the sender's authority when it points at several requests. Two
   identity hits that disagree, or an identity hit on a request of a *different*
   authority than the sender's, go to the holding pen.
2. Without identity, the **authority** (sender address, then domain) gives the
   candidate requests. One open request there, and a message that is about FOI at
   all (a reference, FOI wording, our subject or our quoted text) → assigned. Several
   → the **topic** (subject, quoted request text) must pick exactly one.
3. A domain shared by several authorities, a subject shared by a campaign, or an
   authority named in the text never decide alone.
4. Anything else that looks like FOI, or that comes from an authority, waits in the
   holding pen with ranked suggestions; the rest is unrelated.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.matching.facts import FREE_MAIL, MessageFacts, World, domain_of
from bot.matching.rules import AUTHORITY, IDENTITY, SIGNAL, TOPIC, Hit
from bot.vocabulary import Direction

ASSIGN_AT = 0.75  # below this the operator decides
CONFLICT_MARGIN = 0.2  # identity hits closer than this on different requests conflict
REFERENCE_RULES = frozenset({"reference", "quoted_reference"})


@dataclass(frozen=True)
class Evidence:
    rule: str
    reason: str
    strength: float
    request_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Suggestion:
    request_id: int
    confidence: float
    rules: tuple[str, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    """Where a message goes: ``assigned`` (to ``request_id``), ``holding``,
    ``unrelated``, or (sent mail only) ``new_request`` to ``authority_ids``."""

    verdict: str
    request_id: int | None = None
    rule: str | None = None  # the deciding rule (``matched_by``)
    confidence: float = 0.0
    evidence: tuple[Evidence, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    authority_ids: tuple[int, ...] = ()
    note: str = ""


def decide(facts: MessageFacts, hits: list[Hit], world: World) -> Match:
    evidence = tuple(
        Evidence(h.rule, h.reason, h.strength, tuple(sorted(h.request_ids))) for h in hits
    )
    by_level: dict[str, list[Hit]] = {IDENTITY: [], AUTHORITY: [], TOPIC: [], SIGNAL: []}
    for hit in hits:
        by_level[hit.level].append(hit)
    authorities = _sender_authorities(by_level[AUTHORITY])
    topic = _topic_requests(by_level[TOPIC])
    votes = _identity_votes(by_level[IDENTITY], authorities, topic, world)
    related = bool(by_level[SIGNAL] or topic or votes)
    if votes:
        return _by_identity(facts, votes, authorities, topic, evidence, world)
    if facts.direction == Direction.OUTGOING:
        return _outgoing(facts, authorities, topic, evidence, world)
    if facts.bulk:
        if topic:
            return _hold(
                evidence, _rank(topic, hits), "a mailing-list message that mentions a request"
            )
        return Match("unrelated", evidence=evidence, note="a mailing list or newsletter")
    candidates = {r.id for r in world.requests_of(authorities)} if authorities else set()
    if not candidates:
        if related:
            return _hold(evidence, _rank(topic, hits), "about FOI but from no known authority")
        return Match("unrelated", evidence=evidence, note="no FOI signal, no known sender")
    exact = any(h.rule == "sender_address" for h in by_level[AUTHORITY])
    narrowed = candidates & topic if topic else set()
    if len(candidates) == 1 and related:
        (only,) = candidates
        confidence = (0.8 if exact else 0.75) + (0.1 if only in topic else 0.0)
        return _assign(only, "sender_address" if exact else "sender_domain", confidence, evidence)
    if len(narrowed) == 1:
        (only,) = narrowed
        return _assign(
            only,
            "subject" if _topic_rule(by_level[TOPIC], only) == "subject" else "quoted_request",
            0.8,
            evidence,
        )
    reason = (
        f"{len(candidates)} open requests at this authority; nothing picks one"
        if related
        else "from an authority, but nothing says it is about FOI"
    )
    return _hold(evidence, _rank(narrowed or candidates, hits), reason)


def _sender_authorities(hits: list[Hit]) -> set[int]:
    """Authorities the sender belongs to: exact address first, then an unshared domain.

    (An address at a domain several authorities share is never *learned* automatically,
    see ``bot.store.threading``, so a shared service's mailbox does not stick to one.)
    """
    exact = {a for h in hits if h.rule == "sender_address" for a in h.authority_ids}
    if exact:
        return exact
    return {
        a for h in hits if h.rule == "sender_domain" and h.strength >= 0.5 for a in h.authority_ids
    }


def _topic_requests(hits: list[Hit]) -> set[int]:
    found: set[int] = set()
    for hit in hits:
        found |= hit.request_ids
    return found


def _topic_rule(hits: list[Hit], request_id: int) -> str:
    return next((h.rule for h in hits if request_id in h.request_ids), "subject")


def _identity_votes(
    hits: list[Hit], authorities: set[int], topic: set[int], world: World
) -> dict[int, tuple[float, str]]:
    """Per request, the strongest identity evidence (rule, strength) that names it alone."""
    votes: dict[int, tuple[float, str]] = {}
    for hit in hits:
        chosen = set(hit.request_ids)
        strength = hit.strength
        if authorities and hit.rule in REFERENCE_RULES:
            # authorities number their own requests: another authority's number is not ours
            chosen = {r for r in chosen if world.requests[r].authority_id in authorities}
        if len(chosen) > 1 and authorities:
            chosen = {r for r in chosen if world.requests[r].authority_id in authorities} or chosen
        if len(chosen) > 1 and topic:
            chosen = (chosen & topic) or chosen
        if len(chosen) != 1:
            continue  # ambiguous on its own: kept as evidence, not a vote
        if len(hit.request_ids) > 1:
            strength -= 0.05  # needed narrowing
        (request_id,) = chosen
        if strength > votes.get(request_id, (0.0, ""))[0]:
            votes[request_id] = (strength, hit.rule)
    return votes


def _colleague(facts: MessageFacts, world: World) -> bool:
    """From the requester's own organisation or a free-mail address, and not a forward."""
    own_domains = {domain_of(a) for a in world.own_addresses}
    sender_domain = domain_of(facts.sender)
    return not facts.forwarded_from and (sender_domain in own_domains or sender_domain in FREE_MAIL)


def _by_identity(
    facts: MessageFacts,
    votes: dict[int, tuple[float, str]],
    authorities: set[int],
    topic: set[int],
    evidence: tuple[Evidence, ...],
    world: World,
) -> Match:
    ranked = sorted(votes.items(), key=lambda kv: -kv[1][0])
    best, (strength, rule) = ranked[0]
    suggestions = tuple(Suggestion(r, round(s, 2), (name,), ()) for r, (s, name) in ranked[:5])
    if len(ranked) > 1 and ranked[1][1][0] >= 0.7 and strength - ranked[1][1][0] < CONFLICT_MARGIN:
        return _held(
            strength, evidence, suggestions, "identity evidence points at different requests"
        )
    request = world.requests[best]
    if not authorities and rule in {"reference", "quoted_reference"} and _colleague(facts, world):
        return _held(
            strength,
            evidence,
            suggestions,
            "a reference mentioned by someone who is not the authority",
        )
    if authorities and request.authority_id not in authorities:
        return _held(
            strength,
            evidence,
            suggestions,
            "matched a request of a different authority than the sender's",
        )
    if authorities:
        strength = max(strength, 0.85) if strength < ASSIGN_AT else strength + 0.02
    if best in topic:
        strength += 0.02
    confidence = round(min(strength, 0.99), 2)
    if confidence < ASSIGN_AT:
        return _held(
            confidence,
            evidence,
            suggestions,
            "weak identity evidence (a short reference) and no sender agreement",
        )
    return Match("assigned", best, rule, confidence, evidence, suggestions)


def _outgoing(
    facts: MessageFacts,
    authorities: set[int],
    topic: set[int],
    evidence: tuple[Evidence, ...],
    world: World,
) -> Match:
    """Sent mail with no identity: a follow-up with the same subject, or a new request.

    A reply (it has In-Reply-To/References) to a conversation foibot does not know is
    held rather than made a request: it may answer an acknowledgement not yet read.
    """
    if facts.header_ids:
        follow = [r.id for r in world.requests_of(authorities) if r.id in topic]
        if len(follow) == 1:
            return _assign(follow[0], "subject", 0.8, evidence)
        return _hold(evidence, _rank(topic, []), "our reply to a conversation foibot does not know")
    if not authorities:
        return Match("new_request", evidence=evidence, note="to no known authority")
    follow = [r.id for r in world.requests_of(authorities) if r.id in topic]
    if len(follow) == 1:
        return _assign(follow[0], "subject", 0.8, evidence)
    return Match("new_request", evidence=evidence, authority_ids=tuple(sorted(authorities)))


def _assign(request_id: int, rule: str, confidence: float, evidence: tuple[Evidence, ...]) -> Match:
    confidence = round(min(confidence, 0.99), 2)
    suggestion = Suggestion(request_id, confidence, (rule,), ())
    if confidence < ASSIGN_AT:
        return Match("holding", None, None, confidence, evidence, (suggestion,))
    return Match("assigned", request_id, rule, confidence, evidence, (suggestion,))


def _rank(request_ids: set[int], hits: list[Hit]) -> tuple[Suggestion, ...]:
    """Candidates ordered by the summed strength of the hits naming them (top 10)."""
    scored = []
    for request_id in request_ids:
        naming = [h for h in hits if request_id in h.request_ids]
        total = sum(h.strength / max(1, len(h.request_ids)) for h in naming)
        scored.append((total, request_id, naming))
    scored.sort(key=lambda t: (-t[0], t[1]))
    return tuple(
        Suggestion(
            rid,
            round(min(total, 0.7), 2),
            tuple(h.rule for h in naming),
            tuple(h.reason for h in naming),
        )
        for total, rid, naming in scored[:10]
    )


def _held(
    confidence: float,
    evidence: tuple[Evidence, ...],
    suggestions: tuple[Suggestion, ...],
    note: str,
) -> Match:
    return Match("holding", None, None, confidence, evidence, suggestions, note=note)


def _hold(evidence: tuple[Evidence, ...], suggestions: tuple[Suggestion, ...], note: str) -> Match:
    confidence = suggestions[0].confidence if suggestions else 0.0
    return Match("holding", None, None, confidence, evidence, suggestions, note=note)
