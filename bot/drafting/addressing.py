"""Who a letter goes to, and how it threads. Pure.

- **Recipient**: the request's FOI address (the address the request went to, else the
  authority's), never a no-reply sender. When the authority's latest real message came
  from another address seen in that one message only, the letter still goes to the FOI
  address and ``address_note`` names the new one, so the operator confirms the choice
  (a new address in a single message may be a person on leave or a ticketing system;
  the FOI address is the one the authority publishes for requests).
- **Threading**: In-Reply-To is the authority's latest real message (else our own
  latest message); References are the conversation's Message-IDs, the first and the
  newest, at most ``MAX_REFERENCES``.
- **Subject**: the request's subject with the authority's reference in front and
  foibot's tracking token behind when our own mail carried it, one "Re: " at most:
  "Re: FOI 10400 - Freedom of Information request - bins [FOI-1A2B3C]".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.drafting.values import MessageFacts, RequestFacts
from bot.references import is_tracking_token, normalize_reference

MAX_REFERENCES = 10  # the thread's root and the newest nine
_NOREPLY = re.compile(
    r"no[-_.]?reply|do[-_.]?not[-_.]?reply|dont[-_.]?reply|mailer[-_.]?daemon|^postmaster$"
    r"|^bounces?\b|^auto[-_.]?(?:reply|responder|confirm)|^no[-_.]?response$|^notifications?$",
    re.IGNORECASE,
)
_PREFIX = re.compile(r"^\s*(?:(?:re|fwd?|aw|sv|antw|vs)\s*(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE)
_TOKEN = re.compile(r"\s*\[?\bFOI-[0-9A-F]{6}\b\]?", re.IGNORECASE)


@dataclass(frozen=True)
class Addressing:
    to_addr: str
    address_note: str | None
    in_reply_to: str | None
    references: tuple[str, ...]
    subject_core: str  # "FOI 10400 - <subject> [FOI-1A2B3C]"

    @property
    def reply_subject(self) -> str:
        return f"Re: {self.subject_core}"


def is_noreply(address: str) -> bool:
    """A sender nobody reads: noreply@, no-reply@, donotreply@, MAILER-DAEMON@, postmaster@."""
    local = address.strip().lower().rpartition("@")[0]
    return bool(local) and bool(_NOREPLY.search(local))


def address(facts: RequestFacts) -> Addressing:
    to_addr, note = recipient(facts)
    in_reply_to, references = threading(facts)
    return Addressing(to_addr, note, in_reply_to, references, subject_core(facts))


def _people(facts: RequestFacts) -> list[MessageFacts]:
    """The authority's messages a person may read replies to: not automatic, not no-reply."""
    return [
        m
        for m in facts.incoming()
        if m.from_addr and not m.automatic and not is_noreply(m.from_addr)
    ]


def recipient(facts: RequestFacts) -> tuple[str, str | None]:
    """(to, note for the operator or None)."""
    people = _people(facts)
    foi = facts.foi_address
    if is_noreply(foi):
        if people:
            other = people[-1].from_addr.lower()
            return other, (
                f"the request's address {foi} is a no-reply address; this letter goes to "
                f"{other}, who wrote on {people[-1].on.isoformat()}"
            )
        return foi, f"{foi} is a no-reply address and no other address is known: change it"
    if not people:
        return foi, None
    latest = people[-1].from_addr.lower()
    seen = sum(1 for m in facts.incoming() if m.from_addr.lower() == latest)
    if latest != foi and seen == 1:
        return foi, (
            f"the authority's latest message came from {latest}, an address seen only once; "
            f"this letter goes to the FOI address {foi} (change the recipient if they asked "
            f"you to write to {latest})"
        )
    return foi, None


def threading(facts: RequestFacts) -> tuple[str | None, tuple[str, ...]]:
    """(In-Reply-To, References) for a letter continuing the request's conversation."""
    chain = [m for m in facts.messages if m.message_id and not m.automatic]
    if not chain:
        return None, ()
    real = [m for m in chain if m.incoming]
    parent = (real or chain)[-1]
    assert parent.message_id is not None
    # RFC 5322 3.6.4: the parent's ancestors, then the parent (not our later messages)
    ids: list[str] = []
    for message in chain:
        if message.date <= parent.date and message.message_id not in ids and message is not parent:
            ids.append(message.message_id or "")
    ids.append(parent.message_id)
    if len(ids) > MAX_REFERENCES:
        ids = [ids[0], *ids[-(MAX_REFERENCES - 1) :]]
    return parent.message_id, tuple(ids)


def base_subject(subject: str) -> str:
    """A subject without "Re:"/"Fwd:" prefixes and without our tracking token."""
    return " ".join(_TOKEN.sub("", _PREFIX.sub("", subject)).split()) or "(no subject)"


def primary_reference(facts: RequestFacts) -> str | None:
    """The authority's reference to quote, as the authority wrote it: one with letters
    ("FOI 10412") before bare digits ("10412")."""
    if not facts.references:
        return None
    lettered = [r for r in facts.references if any(c.isalpha() for c in r)]
    return (lettered or list(facts.references))[0]


def subject_core(facts: RequestFacts) -> str:
    subject = base_subject(facts.subject)
    reference = primary_reference(facts)
    if reference and normalize_reference(reference) not in _cores(subject):
        label = reference if any(c.isalpha() for c in reference) else f"Ref {reference}"
        subject = f"{label} - {subject}"
    token = facts.tracking_token
    if token and is_tracking_token(token):
        subject = f"{subject} [{token.upper()}]"
    return subject


def _cores(subject: str) -> str:
    """The subject reduced to letters and digits, to look for a reference in it."""
    return re.sub(r"[^0-9A-Z]+", "", subject.upper())


def review_subject(facts: RequestFacts) -> str:
    """ "Internal review request: FOI 10400 - <subject>": read as a review at a glance."""
    return f"Internal review request: {subject_core(facts)}"
