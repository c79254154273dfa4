"""The values drafting works on: a snapshot of one request, and the plan for a letter.

``RequestFacts`` is everything the triggers read, gathered by the store
(``bot.store.drafts.facts_of``) so the triggers stay pure. ``DraftPlan`` is what a
trigger decides: which letter, to whom, threaded how, rendered from which context.
``Skipped`` says why a trigger that could have fired did not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.classify.values import UNSURE_BELOW
from bot.deadlines import RequestDeadlines, WorkingCalendar, london_date
from bot.vocabulary import (
    AuthorityKind,
    Direction,
    DraftStatus,
    IncomingKind,
    Nation,
    OutgoingKind,
    Regime,
    RequestState,
)

# Drafts that are still on their way: a trigger does not add another beside one.
LIVE = frozenset({DraftStatus.PENDING, DraftStatus.APPROVED, DraftStatus.SENDING})


@dataclass(frozen=True)
class MessageFacts:
    """One message on the request, as classification and threading left it."""

    id: int
    direction: Direction
    date: dt.datetime
    kind: str | None  # an IncomingKind or OutgoingKind value
    outcome: str | None = None
    exemptions: tuple[str, ...] = ()
    confidence: float | None = None  # the kind's confidence; None when not classified
    operator_override: bool = False
    from_addr: str = ""
    from_name: str = ""
    message_id: str | None = None
    subject: str = ""
    text: str = ""  # the new text, without quoted history
    attachment_text: str = ""
    flags: Mapping[str, str | None] = field(default_factory=dict, hash=False)
    dates: Mapping[str, str] = field(default_factory=dict, hash=False)
    references: tuple[str, ...] = ()  # authority references classification found in it

    @property
    def incoming(self) -> bool:
        return self.direction is Direction.INCOMING

    @property
    def on(self) -> dt.date:
        """The London date of the message."""
        return london_date(self.date)

    @property
    def sure(self) -> bool:
        """The operator said what it is, or classification was confident enough."""
        if self.operator_override or not self.incoming:
            return True
        return self.confidence is not None and self.confidence >= UNSURE_BELOW

    @property
    def automatic(self) -> bool:
        """An out-of-office, a bounce or a machine's notice: never a letter to answer."""
        if self.kind in (IncomingKind.AUTO_REPLY, IncomingKind.BOUNCE):
            return True
        return self.flags.get("automatic") == "yes"

    @property
    def full_text(self) -> str:
        return f"{self.text}\n{self.attachment_text}".strip()

    def is_kind(self, kind: IncomingKind | OutgoingKind) -> bool:
        incoming = isinstance(kind, IncomingKind)
        return self.incoming == incoming and self.kind == kind.value


@dataclass(frozen=True)
class ExistingDraft:
    """A draft already made for the request (any status: a rejected one still counts)."""

    trigger: str
    trigger_key: str | None
    status: DraftStatus
    created_at: dt.datetime | None = None
    sent_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None  # for a rejected draft: when it was rejected


@dataclass(frozen=True)
class Dispute:
    """The operator says a "not held" answer is wrong (``foibot requests dispute``)."""

    message_id: int  # the row id of the disputed response
    reason: str
    at: dt.datetime


@dataclass(frozen=True)
class Requester:
    name: str
    email: str
    postal_address: str | None = None


@dataclass(frozen=True)
class RequestFacts:
    """A snapshot of one request: all a trigger may look at."""

    id: int
    regime: Regime
    nation: Nation
    authority_id: int
    authority_name: str
    authority_kind: AuthorityKind
    authority_email: str
    state: RequestState
    subject: str
    deadlines: RequestDeadlines
    calendar: WorkingCalendar = field(repr=False, compare=False)
    requester: Requester
    to_address: str | None = None
    body: str = ""
    sent_at: dt.datetime | None = None
    campaign_id: int | None = None
    references: tuple[str, ...] = ()  # the authority's references, as written
    tracking_token: str | None = None  # only when our own mail carried it
    messages: tuple[MessageFacts, ...] = ()  # in date order
    drafts: tuple[ExistingDraft, ...] = ()
    operator_holds: bool = False  # the operator set the state by hand
    dispute: Dispute | None = None

    @property
    def foi_address(self) -> str:
        return (self.to_address or self.authority_email).strip().lower()

    @property
    def school(self) -> bool:
        return self.deadlines.school

    def incoming(self) -> tuple[MessageFacts, ...]:
        return tuple(m for m in self.messages if m.incoming)

    def latest(self, kind: IncomingKind | OutgoingKind) -> MessageFacts | None:
        found = [m for m in self.messages if m.is_kind(kind)]
        return found[-1] if found else None

    def drafts_of(self, trigger: str) -> tuple[ExistingDraft, ...]:
        return tuple(d for d in self.drafts if d.trigger == trigger)

    def has_key(self, key: str) -> bool:
        return any(d.trigger_key == key for d in self.drafts)


@dataclass(frozen=True)
class DraftPlan:
    """What a trigger decided: the letter to draft, before it is rendered."""

    kind: OutgoingKind
    trigger: str
    trigger_key: str
    template: str  # a letter template name, see bot.letters.TEMPLATES
    to_addr: str
    subject: str  # the default subject (a template's "Subject:" line may replace it)
    in_reply_to: str | None
    references: tuple[str, ...]
    context: Mapping[str, Any] = field(hash=False)
    address_note: str | None = None
    request_id: int | None = None
    authority_id: int | None = None
    campaign_id: int | None = None


@dataclass(frozen=True)
class Skipped:
    """A trigger whose moment had come but which drafted nothing, and why."""

    trigger: str
    request_id: int
    reason: str


Decision = DraftPlan | Skipped | None
