"""The values matching reads: one message's facts and a snapshot of what is known.

``MessageFacts`` is built from a parsed Email; ``World`` holds the requests,
authorities, thread keys and references the store knows. Both are plain values, so
every rule is a pure function of them.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bot.authorities import domain_of as domain_of  # re-exported for the rules
from bot.parse import Email
from bot.references import FoundReference, find_references
from bot.vocabulary import Direction

_MAX_SCAN = 60_000  # characters of attachment text searched for references and quotes
_ID_IN_TEXT = re.compile(r"<([^<>\s@]{1,200}@[^<>\s@]{1,200})>")
_SUBJECT_PREFIX = re.compile(
    r"^\s*(?:(?:re|fw|fwd|aw|sv|vs|antw|r|tr|wg)\s*(?:\[\d+\])?\s*:"
    r"|\[(?:external|ext|official|official[- ]sensitive|sec=[^\]]*|secure|spam\??|"
    r"not protectively marked|unclassified)\]"
    r"|(?:external|official|official[- ]sensitive|not protectively marked)\s*[:-]"
    r"|automatic reply\s*:|auto(?:matic)?[- ]?(?:reply|response)\s*:|out of (?:the )?office\s*:"
    r"|undeliverable\s*:|read\s*:|caution\s*:)\s*",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z0-9]+")
_STOP = "a an and the of to in on for from by with at or is are be as re fw fwd your our my "
STOP_WORDS = frozenset(
    (_STOP + "this that it its request requests information foi freedom act under").split()
)
_FREE = (
    "gmail.com googlemail.com outlook.com hotmail.com hotmail.co.uk live.com live.co.uk "
    "msn.com yahoo.com yahoo.co.uk icloud.com me.com aol.com btinternet.com protonmail.com "
    "proton.me gmx.com gmx.co.uk mail.com zoho.com fastmail.com virginmedia.com sky.com "
    "talktalk.net ntlworld.com"
)
FREE_MAIL = frozenset(_FREE.split())


def normalize_subject(subject: str) -> str:
    """Subject without Re:/Fwd:/[EXTERNAL]/"Automatic reply:" prefixes, lower case."""
    text = subject.strip()
    while True:
        stripped = _SUBJECT_PREFIX.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    return " ".join(text.lower().split())


def subject_words(subject: str) -> frozenset[str]:
    words = _WORD.findall(normalize_subject(subject))
    return frozenset(w for w in words if w not in STOP_WORDS and len(w) > 1)


def shingles(text: str, size: int = 6) -> frozenset[int]:
    """Hashes of every run of ``size`` words: a cheap, order-aware text fingerprint."""
    words = _WORD.findall(text.lower())
    return frozenset(hash(tuple(words[i : i + size])) for i in range(len(words) - size + 1))


def conversation_key(thread_index: str | None) -> str | None:
    """The conversation part of an Outlook Thread-Index (its first 22 bytes)."""
    if not thread_index:
        return None
    try:
        raw = base64.b64decode(thread_index.strip() + "==", validate=False)
    except (binascii.Error, ValueError):
        return None
    return base64.b64encode(raw[:22]).decode() if len(raw) >= 22 else None


def parent_domains(domain: str) -> list[str]:
    """``foi.wigan.gov.uk`` → itself and its parents down to three labels (never ``gov.uk``)."""
    labels = domain.split(".")
    floor = (
        3
        if len(labels) >= 3 and labels[-2] in {"gov", "nhs", "police", "org", "co", "ac", "sch"}
        else 2
    )
    return [".".join(labels[i:]) for i in range(0, max(1, len(labels) - floor + 1))]


def local_part_tag(address: str) -> str | None:
    """The ``xxxx`` of ``you+xxxx@example.org`` (plus addressing)."""
    local = address.partition("@")[0]
    return local.partition("+")[2] or None


_FORWARD_SUBJECT = re.compile(r"^\s*(?:fw|fwd|tr|wg)\s*:", re.IGNORECASE)
_FROM_LINE = re.compile(r"^[\s>*]*from:\**\s*(.+)$", re.IGNORECASE | re.MULTILINE)
_ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def _forwarded_from(email: Email) -> str | None:
    """Who wrote the message a forward carries (its first "From:" line)."""
    if not (email.forwarded or _FORWARD_SUBJECT.match(email.subject)):
        return None
    for source in (email.quoted_text, email.text):
        line = _FROM_LINE.search(source[:20_000])
        if line:
            address = _ADDRESS.search(line.group(1))
            return address.group(0).lower() if address else None
    return None


def _unique(refs: list[FoundReference], skip: set[str]) -> list[FoundReference]:
    kept: dict[str, FoundReference] = {}
    for ref in refs:
        if ref.normalized not in skip:
            kept.setdefault(ref.normalized, ref)
    return list(kept.values())


def _is_bulk(headers: Mapping[str, str]) -> bool:
    """A mailing list or newsletter. (Precedence: bulk alone is not enough: some FOI
    systems mark their automatic acknowledgements that way.)"""
    return bool(headers.get("List-Id") or headers.get("List-Unsubscribe"))


@dataclass(frozen=True)
class MessageFacts:
    direction: Direction
    sender: str  # lowercased address
    recipients: tuple[str, ...]  # To, Cc, Delivered-To, X-Original-To
    subject: str
    reply_text: str  # the new text only
    quoted_text: str
    attachment_text: str
    header_ids: tuple[str, ...]  # In-Reply-To then References, newest first
    mentioned_ids: tuple[str, ...]  # Message-IDs written in text (bounces quote the original)
    conversation: str | None  # Outlook Thread-Index conversation key
    references: tuple[FoundReference, ...]  # in subject, new text and attachments
    quoted_references: tuple[FoundReference, ...]  # only in quoted history
    final_recipients: tuple[str, ...] = ()  # of a delivery-status report
    bulk: bool = False  # a mailing list or newsletter (List-Id, List-Unsubscribe)
    forwarded_from: str | None = None  # the original sender inside a forwarded message
    date: dt.datetime | None = None
    message_id: str | None = None

    @classmethod
    def from_email(cls, email: Email, direction: Direction) -> MessageFacts:
        attachments = "\n".join(a.text or "" for a in email.attachments)[:_MAX_SCAN]
        new_text = f"{email.subject}\n{email.reply_text}\n{attachments}"
        everything = find_references(new_text)
        found = [r for r in everything if not r.earlier]  # an earlier request's number is weak
        quoted = _unique(
            [*find_references(email.quoted_text[:_MAX_SCAN]), *everything],
            {r.normalized for r in found},
        )
        headers = email.headers
        extra = [headers.get(h, "") for h in ("Delivered-To", "X-Original-To")]
        recipients = tuple(
            dict.fromkeys(a.lower() for a in (*email.to, *email.cc, *extra) if "@" in a)
        )
        in_reply = (email.in_reply_to,) if email.in_reply_to else ()
        header_ids = tuple(dict.fromkeys((*in_reply, *reversed(email.references))))
        scan = f"{email.text[:_MAX_SCAN]}\n{attachments}"
        returned = email.delivery_status.original_message_id if email.delivery_status else None
        found_ids = (m.group(1) for m in _ID_IN_TEXT.finditer(scan))
        mentioned = tuple(dict.fromkeys([*([returned] if returned else []), *found_ids]))
        return cls(
            direction=direction,
            sender=email.from_addr.lower(),
            recipients=recipients,
            subject=email.subject,
            reply_text=email.reply_text,
            quoted_text=email.quoted_text,
            attachment_text=attachments,
            header_ids=header_ids,
            mentioned_ids=tuple(m for m in mentioned if m != email.message_id)[:50],
            conversation=conversation_key(email.thread_index),
            references=tuple(found),
            quoted_references=tuple(quoted),
            final_recipients=tuple(a.lower() for a in email.final_recipients),
            bulk=_is_bulk(headers),
            forwarded_from=_forwarded_from(email),
            date=email.date,
            message_id=email.message_id,
        )

    @property
    def counterparties(self) -> tuple[str, ...]:
        """Whose authority matters: the sender of incoming mail, the recipients of sent mail."""
        if self.direction == Direction.OUTGOING:
            return self.recipients
        forwarded = (self.forwarded_from,) if self.forwarded_from else ()
        return (self.sender, *self.final_recipients, *forwarded)


@dataclass(frozen=True)
class RequestFacts:
    id: int
    authority_id: int
    subject: str
    campaign_id: int | None = None
    body: str = ""
    state: str = "awaiting_response"
    tracking_token: str | None = None
    sent_at: dt.datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.state not in {"closed", "withdrawn", "draft"}


@dataclass(frozen=True)
class AuthorityFacts:
    id: int
    name: str
    emails: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()


@dataclass
class World:
    """What the store knows, indexed for the rules. Built once per run, grown as it goes."""

    requests: dict[int, RequestFacts] = field(default_factory=dict)
    authorities: dict[int, AuthorityFacts] = field(default_factory=dict)
    thread_keys: dict[str, set[int]] = field(default_factory=dict)  # "mid:…"/"conv:…" → requests
    references: dict[str, set[int]] = field(default_factory=dict)  # normalized → requests
    tokens: dict[str, int] = field(default_factory=dict)
    by_email: dict[str, set[int]] = field(default_factory=dict)  # address → authorities
    by_domain: dict[str, set[int]] = field(default_factory=dict)  # domain → authorities
    own_addresses: frozenset[str] = frozenset()  # the requester's addresses
    _shingles: dict[int, frozenset[int]] = field(default_factory=dict, repr=False)
    _subjects: dict[int, frozenset[str]] = field(default_factory=dict, repr=False)

    def add_request(self, request: RequestFacts) -> None:
        self.requests[request.id] = request
        self._shingles.pop(request.id, None)
        self._subjects.pop(request.id, None)
        if request.tracking_token:
            self.tokens[request.tracking_token.upper()] = request.id

    def add_authority(self, authority: AuthorityFacts) -> None:
        self.authorities[authority.id] = authority
        for email in authority.emails:
            self.by_email.setdefault(email, set()).add(authority.id)
        for domain in authority.domains:
            self.by_domain.setdefault(domain, set()).add(authority.id)

    def learn_address(self, authority_id: int, address: str) -> None:
        self.by_email.setdefault(address.lower(), set()).add(authority_id)

    def add_thread_key(self, key: str, request_id: int) -> None:
        self.thread_keys.setdefault(key, set()).add(request_id)

    def add_reference(self, normalized: str, request_id: int) -> None:
        self.references.setdefault(normalized, set()).add(request_id)

    def requests_of(
        self, authority_ids: Iterable[int], open_only: bool = True
    ) -> list[RequestFacts]:
        wanted = set(authority_ids)
        return [
            r for r in self.requests.values()
            if r.authority_id in wanted and (r.is_open or not open_only)
        ]  # fmt: skip

    def body_shingles(self, request: RequestFacts) -> frozenset[int]:
        cached = self._shingles.get(request.id)
        if cached is None:
            cached = self._shingles[request.id] = shingles(request.body)
        return cached

    def subject_words_of(self, request: RequestFacts) -> frozenset[str]:
        cached = self._subjects.get(request.id)
        if cached is None:
            cached = self._subjects[request.id] = subject_words(request.subject)
        return cached
