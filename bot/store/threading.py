"""Threading at the store edge: load what matching needs, apply its decision, learn.

``Threader`` holds the ``World`` snapshot for one processing run (built once, grown
as requests, thread keys, references and addresses are added), runs the pure
``bot.matching.match`` for each stored message and writes the outcome: the message
goes on a request, into the holding pen, or is marked unrelated; sent mail that
starts a conversation becomes a request (grouped into a campaign with requests of
the same text).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.config import Config
from bot.matching import (
    FREE_MAIL,
    AuthorityFacts,
    Evidence,
    Match,
    MessageFacts,
    RequestFacts,
    World,
    domain_of,
    match,
    normalize_subject,
    parent_domains,
)
from bot.matching.facts import shingles
from bot.matching.outgoing import (
    campaign_fingerprint,
    follow_up_kind,
    guess_regime,
    looks_like_request,
)
from bot.parse import Email
from bot.references import find_references
from bot.store.clocks import refresh_response_due
from bot.store.models import (
    Authority,
    AuthorityAddress,
    Campaign,
    Draft,
    Event,
    Message,
    Request,
    RequestReference,
    ThreadKey,
)
from bot.store.requests import add_reference, new_tracking_token
from bot.vocabulary import (
    DIGEST_DRAFT_KIND,
    AuthorityKind,
    Direction,
    MessageStatus,
    Nation,
    OutgoingKind,
    RequestState,
)

log = logging.getLogger(__name__)

CAMPAIGN_SIMILARITY = 0.6  # Jaccard of 6-word shingles between two request bodies


def request_facts(request: Request) -> RequestFacts:
    return RequestFacts(
        id=request.id,
        authority_id=request.authority_id,
        subject=request.subject,
        campaign_id=request.campaign_id,
        body=request.body or "",
        state=request.state,
        tracking_token=request.tracking_token,
        sent_at=request.sent_at,
    )


def load_world(session: Session, own_addresses: frozenset[str] = frozenset()) -> World:
    """Everything the rules read, in a handful of queries."""
    world = World(own_addresses=own_addresses)
    authorities = session.scalars(select(Authority).options(selectinload(Authority.addresses)))
    for authority in authorities:
        world.add_authority(authority_facts(authority))
    for request in session.scalars(select(Request)):
        world.add_request(request_facts(request))
    for request_id, key in session.execute(select(ThreadKey.request_id, ThreadKey.key)):
        world.add_thread_key(key, request_id)
    rows = session.execute(select(RequestReference.request_id, RequestReference.normalized))
    for request_id, normalized in rows:
        world.add_reference(normalized, request_id)
    return world


def authority_facts(authority: Authority) -> AuthorityFacts:
    emails = {authority.email.lower()} | {a.value for a in authority.addresses if a.kind == "email"}
    domains = {a.value for a in authority.addresses if a.kind == "domain"}
    own = domain_of(authority.email)
    if own not in FREE_MAIL:
        domains.add(own)
    return AuthorityFacts(authority.id, authority.name, frozenset(emails), frozenset(domains))


class Threader:
    """Matches stored messages within one session's unit of work."""

    def __init__(self, session: Session, config: Config | None) -> None:
        self.config = config
        own = {config.requester.email.lower()} if config else set()
        self.world = load_world(session, frozenset(own))
        # foibot's own weekly digests: a copy (in Sent, or in INBOX when it was sent to
        # the requester) is never FOI correspondence, whatever references it quotes.
        self.digests = frozenset(
            session.scalars(
                select(Draft.message_id).where(
                    Draft.kind == DIGEST_DRAFT_KIND, Draft.message_id.is_not(None)
                )
            )
        )

    def thread(self, session: Session, message: Message, email: Email) -> Match:
        """Decide where ``message`` goes and record it (the caller commits)."""
        facts = MessageFacts.from_email(email, Direction(message.direction))
        message.conversation = facts.conversation
        if message.message_id in self.digests:
            decision = Match("unrelated", note="foibot's own weekly digest")
            _record_decision(message, decision)
            return decision
        ours = self._our_letter(session, message, facts)
        if ours is not None:
            return ours
        decision = match(facts, self.world)
        if decision.verdict == "new_request":
            return self._new_request(session, message, email, facts, decision)
        _record_decision(message, decision)
        if decision.verdict == "assigned" and decision.request_id is not None:
            request = session.get(Request, decision.request_id)
            assert request is not None
            self.attach(session, message, request, facts, learn_sender=_identity(decision))
        return decision

    def attach(
        self,
        session: Session,
        message: Message,
        request: Request,
        facts: MessageFacts,
        learn_sender: bool,
    ) -> None:
        """Put ``message`` on ``request`` and learn from it: keys, references, the sender."""
        if message.id is None:
            session.flush()  # references and events name the message
        message.request = request
        message.request_id = request.id
        message.status = MessageStatus.MATCHED.value
        self._add_keys(session, request, message.message_id, facts.conversation)
        if message.direction == Direction.OUTGOING:
            if message.kind is None:
                message.kind = follow_up_kind(message.subject, message.text).value
            return
        for ref in facts.references:
            if add_reference(request, ref.text, message.id):
                self.world.add_reference(ref.normalized, request.id)
        if learn_sender and not self._shared_domain(facts.sender):
            self.learn_sender(session, request, facts.sender)

    def _our_letter(self, session: Session, message: Message, facts: MessageFacts) -> Match | None:
        """The copy of a letter foibot's outbox sent: on the draft's request, as its kind.

        The outbox recorded the request (for an initial request, it made it) and the
        Message-ID; without this, a sent request without a token in its subject could be
        matched by topic only, or made into a second request. The request's ``sent``
        event then names this message, so the lifecycle does not apply the request twice.
        """
        if message.direction != Direction.OUTGOING or not message.message_id:
            return None
        if f"mid:{message.message_id}" not in self.world.thread_keys:
            return None  # the outbox records this key for every letter it sends
        draft = session.scalars(
            select(Draft).where(
                Draft.message_id == message.message_id, Draft.request_id.is_not(None)
            )
        ).first()
        request = session.get(Request, draft.request_id) if draft and draft.request_id else None
        if draft is None or request is None:
            return None
        message.kind = draft.kind
        evidence = Evidence("outbox", f"the letter sent for draft {draft.id}", 1.0, (request.id,))
        decision = Match("assigned", request.id, "outbox", 1.0, (evidence,))
        _record_decision(message, decision)
        self.attach(session, message, request, facts, learn_sender=False)
        if draft.kind == OutgoingKind.REQUEST:
            for event in request.events:
                if event.kind == "sent" and event.message_id is None:
                    event.message_id = message.id
        return decision

    def _shared_domain(self, address: str) -> bool:
        """At a domain several authorities use (a shared service): learning it would mislead."""
        return any(
            len(self.world.by_domain.get(d, ())) > 1 for d in parent_domains(domain_of(address))
        )

    def learn_sender(self, session: Session, request: Request, address: str) -> None:
        """Record a sender address on the request's authority, so its next mail matches."""
        address = address.lower()
        if not address or domain_of(address) in FREE_MAIL or address in self.world.own_addresses:
            return
        known = session.scalars(
            select(AuthorityAddress).where(
                AuthorityAddress.authority_id == request.authority_id,
                AuthorityAddress.kind == "email",
                AuthorityAddress.value == address,
            )
        ).first()
        if known is None:
            session.add(
                AuthorityAddress(
                    authority_id=request.authority_id, kind="email", value=address, source="learned"
                )
            )
        self.world.learn_address(request.authority_id, address)

    def _add_keys(
        self, session: Session, request: Request, message_id: str | None, conversation: str | None
    ) -> None:
        keys = [f"mid:{message_id}"] if message_id else []
        keys += [f"conv:{conversation}"] if conversation else []
        for key in keys:
            if request.id in self.world.thread_keys.get(key, set()):
                continue
            session.add(ThreadKey(request_id=request.id, key=key))
            self.world.add_thread_key(key, request.id)

    def _new_request(
        self, session: Session, message: Message, email: Email, facts: MessageFacts, decision: Match
    ) -> Match:
        """Sent mail that starts a conversation: one request per authority it went to."""
        authorities = [session.get(Authority, a) for a in decision.authority_ids]
        exact = {a for addr in facts.recipients for a in self.world.by_email.get(addr, set())}
        foi_text = looks_like_request(email.subject, email.reply_text or email.text)
        chosen = [a for a in authorities if a is not None and (a.id in exact or foi_text)]
        if not chosen and foi_text:
            chosen = [self._guess_authority(session, facts)] if _external(facts, self.world) else []
        if not chosen:
            message.status = MessageStatus.UNRELATED.value
            message.match_evidence = _evidence(decision)
            return Match("unrelated", evidence=decision.evidence, note="sent mail, not a request")
        requests = [self._create_request(session, message, email, a) for a in chosen]
        message.kind = OutgoingKind.REQUEST.value
        message.match_evidence = _evidence(decision)
        for request in requests:
            self._add_keys(session, request, message.message_id, facts.conversation)
        message.request = requests[0]
        message.status = MessageStatus.MATCHED.value
        message.matched_by, message.confidence = "new_request", 1.0
        return Match(
            "new_request",
            requests[0].id,
            "new_request",
            1.0,
            decision.evidence,
            authority_ids=tuple(a.id for a in chosen),
        )

    def _create_request(
        self, session: Session, message: Message, email: Email, authority: Authority
    ) -> Request:
        body = email.reply_text or email.text
        sent_at = email.date or dt.datetime.now(dt.UTC)
        request = Request(
            authority=authority,
            regime=guess_regime(f"{email.subject}\n{body}", authority.nation).value,
            subject=email.subject.strip() or "(no subject)",
            body=body,
            to_address=authority.email,
            state=RequestState.AWAITING_RESPONSE.value,
            tracking_token=new_tracking_token(),
            sent_at=sent_at,
            body_fingerprint=campaign_fingerprint(email.subject, body, _names(authority)),
        )
        session.add(request)
        request.events.append(
            Event(kind="sent", at=sent_at, actor="bot", data={"from": "sent folder"})
        )
        session.flush()
        request.events[0].message_id = message.id
        self._join_campaign(session, request)
        refresh_response_due(request, self.config)
        self.world.add_request(request_facts(request))
        log.info("new request %s to %s from sent mail", request.id, authority.name)
        return request

    def _join_campaign(self, session: Session, request: Request) -> None:
        """The same text as an earlier request → the same campaign (created on the second).

        Same fingerprint (subject and body modulo the authority's name), or the same
        subject and nearly the same body (a Scottish copy citing FOISA sections).
        """
        twin = session.scalars(
            select(Request)
            .where(Request.body_fingerprint == request.body_fingerprint, Request.id != request.id)
            .order_by(Request.id)
        ).first() or self._similar_request(session, request)
        if twin is None:
            return
        if twin.campaign is None:
            twin.campaign = Campaign(
                name=_campaign_name(session, twin),
                subject=twin.subject,
                body_fingerprint=twin.body_fingerprint,
            )
            self.world.add_request(request_facts(twin))
        request.campaign = twin.campaign
        session.flush()

    def _similar_request(self, session: Session, request: Request) -> Request | None:
        subject = normalize_subject(request.subject)
        ours = shingles(request.body or "")
        if not subject or len(ours) < 10:
            return None
        best, best_score = None, CAMPAIGN_SIMILARITY
        for other in self.world.requests.values():
            if other.id == request.id or normalize_subject(other.subject) != subject:
                continue
            theirs = self.world.body_shingles(other)
            score = len(ours & theirs) / max(1, len(ours | theirs))
            if score >= best_score:
                best, best_score = other.id, score
        return session.get(Request, best) if best is not None else None

    def _guess_authority(self, session: Session, facts: MessageFacts) -> Authority:
        """An FOI request to an address not in the directory: a provisional authority."""
        address = next(a for a in facts.recipients if a not in self.world.own_addresses)
        domain = domain_of(address)
        existing = session.scalars(select(Authority).where(Authority.name == domain)).first()
        if existing is not None:
            return existing
        authority = Authority(
            name=domain, nation=_nation_of(domain), kind=AuthorityKind.OTHER.value, email=address
        )
        session.add(authority)
        session.flush()
        self.world.add_authority(authority_facts(authority))
        log.warning("request to %s: not in the authorities directory; added as %r", address, domain)
        return authority


def _external(facts: MessageFacts, world: World) -> bool:
    return any(a not in world.own_addresses for a in facts.recipients)


def _nation_of(domain: str) -> str:
    if domain.endswith((".scot", "gov.scot", "scot.nhs.uk", "scotland.police.uk")):
        return Nation.SCOTLAND.value
    if domain.endswith((".wales", ".cymru", "wales.nhs.uk")):
        return Nation.WALES.value
    if domain.endswith((".ni.gov.uk", "hscni.net", "psni.police.uk", "nidirect.gov.uk")):
        return Nation.NORTHERN_IRELAND.value
    return Nation.ENGLAND.value


def _names(authority: Authority) -> list[str]:
    stem = authority.name
    for word in ("Metropolitan Borough Council", "County Council", "City Council", "Council"):
        stem = stem.replace(word, "").strip()
    return [authority.name, stem]


def _campaign_name(session: Session, request: Request) -> str:
    base = (normalize_subject(request.subject) or "campaign")[:120]
    stamp = request.sent_at.date().isoformat() if request.sent_at else ""
    name = f"{base} ({stamp})" if stamp else base
    taken = set(session.scalars(select(Campaign.name).where(Campaign.name.like(f"{name}%"))))
    suffix = 2
    candidate = name
    while candidate in taken:
        candidate, suffix = f"{name} #{suffix}", suffix + 1
    return candidate


def _identity(decision: Match) -> bool:
    return decision.rule in {
        "headers",
        "thread_index",
        "tracking_token",
        "reference",
        "quoted_message_id",
    }


def _evidence(decision: Match) -> list[dict[str, Any]]:
    return [asdict(e) | {"request_ids": list(e.request_ids)} for e in decision.evidence]


def _record_decision(message: Message, decision: Match) -> None:
    message.matched_by = decision.rule
    message.confidence = decision.confidence
    message.match_evidence = _evidence(decision)
    message.suggestions = [
        {
            "request_id": s.request_id,
            "confidence": s.confidence,
            "rules": list(s.rules),
            "reasons": list(s.reasons),
        }
        for s in decision.suggestions
    ]
    if decision.note:
        message.match_evidence.append(
            {"rule": "decision", "reason": decision.note, "strength": 0.0}
        )
    status = {"holding": MessageStatus.HOLDING, "unrelated": MessageStatus.UNRELATED}
    message.status = status.get(decision.verdict, MessageStatus.MATCHED).value


def facts_of_row(message: Message) -> MessageFacts:
    """Facts for a stored message (operator actions), from its row instead of the raw mail."""
    attachments = "\n".join(a.text or "" for a in message.attachments)[:60_000]
    return MessageFacts(
        direction=Direction(message.direction),
        sender=message.from_addr,
        recipients=tuple(message.to_addrs or ()),
        subject=message.subject,
        reply_text=message.text,
        quoted_text="",
        attachment_text=attachments,
        header_ids=(),
        mentioned_ids=(),
        conversation=message.conversation,
        references=tuple(find_references(f"{message.subject}\n{message.text}\n{attachments}")),
        quoted_references=(),
        date=message.date,
        message_id=message.message_id,
    )
