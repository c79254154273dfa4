"""SQLAlchemy 2.0 ORM models for the vocabulary in architecture.md.

Column values that come from ``bot.vocabulary`` enums are stored as their plain
string values (``String`` columns, not database enums), so adding a value never
needs an ALTER TYPE on PostgreSQL. Times are stored in UTC (timezone-aware on
PostgreSQL, naive-UTC on SQLite; ``UtcDateTime`` hides the difference).

Schema changes go through Alembic (``bot/store/migrations``); a test checks that
the migrations and these models agree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on every backend."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Authority(Base):
    __tablename__ = "authorities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    nation: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32))
    email: Mapped[str] = mapped_column(String(320))  # the FOI address letters go to
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    addresses: Mapped[list[AuthorityAddress]] = relationship(
        back_populates="authority", cascade="all, delete-orphan", order_by="AuthorityAddress.id"
    )


class AuthorityAddress(Base):
    """An email address or domain known to belong to an authority.

    ``source`` says how we know: ``directory`` (the CSV), ``learned`` (an operator
    assigned a message from it), or ``operator``. A domain may belong to several
    authorities (shared services, nhs.net), so it is unique per authority only.
    """

    __tablename__ = "authority_addresses"
    __table_args__ = (UniqueConstraint("authority_id", "kind", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authorities.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # "email" | "domain"
    value: Mapped[str] = mapped_column(String(320), index=True)  # lowercased
    source: Mapped[str] = mapped_column(String(16), default="directory")

    authority: Mapped[Authority] = relationship(back_populates="addresses")


class Campaign(Base):
    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    subject: Mapped[str | None] = mapped_column(Text)
    body_fingerprint: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    requests: Mapped[list[Request]] = relationship(back_populates="campaign")


class Request(Base):
    __tablename__ = "requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    authority_id: Mapped[int] = mapped_column(ForeignKey("authorities.id"), index=True)
    regime: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
    to_address: Mapped[str | None] = mapped_column(String(320))
    state: Mapped[str] = mapped_column(String(32), index=True)
    tracking_token: Mapped[str | None] = mapped_column(String(32), unique=True)
    # Same subject and body modulo the authority's name → same fingerprint → one campaign.
    body_fingerprint: Mapped[str | None] = mapped_column(String(64), index=True)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # A cache of the deadline engine's answer, for sorting and export; recomputed
    # from events whenever they (or the holiday calendar) change.
    response_due: Mapped[dt.date | None] = mapped_column(Date, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    authority: Mapped[Authority] = relationship()
    campaign: Mapped[Campaign | None] = relationship(back_populates="requests")
    references: Mapped[list[RequestReference]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="RequestReference.id"
    )
    messages: Mapped[list[Message]] = relationship(
        back_populates="request", order_by="Message.date"
    )
    events: Mapped[list[Event]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="Event.at"
    )
    thread_keys: Mapped[list[ThreadKey]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="ThreadKey.id"
    )


class ThreadKey(Base):
    """Something that identifies a request's conversation.

    ``mid:<Message-ID>`` of every message on the request (a reply's In-Reply-To
    names one), ``conv:<key>`` for an Outlook Thread-Index conversation. One sent
    message addressed to several authorities gives the same key to several requests.
    """

    __tablename__ = "thread_keys"
    __table_args__ = (UniqueConstraint("request_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(1000), index=True)

    request: Mapped[Request] = relationship(back_populates="thread_keys")


class RequestReference(Base):
    """An authority's reference number for a request (there can be several)."""

    __tablename__ = "request_references"
    __table_args__ = (UniqueConstraint("request_id", "normalized"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"))
    reference: Mapped[str] = mapped_column(String(120))  # as the authority wrote it
    normalized: Mapped[str] = mapped_column(String(120), index=True)
    source_message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    request: Mapped[Request] = relationship(back_populates="references")


class RawMessage(Base):
    """The exact bytes of a fetched message, kept before anything else happens.

    The bytes live in a content-addressed, compressed file under ``raw_dir``
    (``sha256`` names it); the row records that the file is durable.
    """

    __tablename__ = "raw_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16), default="stored", index=True)
    first_seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class MessageLocation(Base):
    """Where a raw message was seen: (mailbox, folder, uidvalidity, uid) is unique."""

    __tablename__ = "message_locations"
    __table_args__ = (UniqueConstraint("mailbox", "folder", "uidvalidity", "uid"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    raw_id: Mapped[int] = mapped_column(ForeignKey("raw_messages.id"), index=True)
    mailbox: Mapped[str] = mapped_column(String(200))
    folder: Mapped[str] = mapped_column(String(300))
    uidvalidity: Mapped[int] = mapped_column(BigInteger)
    uid: Mapped[int] = mapped_column(BigInteger)
    is_sent: Mapped[bool] = mapped_column(Boolean, default=False)


class Message(Base):
    """A parsed message, incoming or outgoing, on a request or in the holding pen."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    raw_id: Mapped[int | None] = mapped_column(ForeignKey("raw_messages.id"), unique=True)
    message_id: Mapped[str | None] = mapped_column(String(998), index=True)
    direction: Mapped[str] = mapped_column(String(4))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    subject: Mapped[str] = mapped_column(Text, default="")
    from_addr: Mapped[str] = mapped_column(String(320), default="", index=True)
    from_name: Mapped[str] = mapped_column(String(300), default="")
    to_addrs: Mapped[list[str]] = mapped_column(JSON, default=list)
    date: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, index=True)
    in_reply_to: Mapped[str | None] = mapped_column(String(998))
    references_header: Mapped[list[str]] = mapped_column(JSON, default=list)
    conversation: Mapped[str | None] = mapped_column(String(64))  # Outlook Thread-Index key
    text: Mapped[str] = mapped_column(Text, default="")  # the new reply text
    kind: Mapped[str | None] = mapped_column(String(32))
    outcome: Mapped[str | None] = mapped_column(String(32))
    exemptions: Mapped[list[str]] = mapped_column(JSON, default=list)
    confidence: Mapped[float | None] = mapped_column()
    matched_by: Mapped[str | None] = mapped_column(String(64))
    match_evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    suggestions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    classification: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # An operator's decision on kind/outcome; automatic reclassification never undoes it.
    operator_override: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)

    request: Mapped[Request | None] = relationship(back_populates="messages")
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="message", cascade="all, delete-orphan", order_by="Attachment.id"
    )


class Attachment(Base):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(255))  # sanitised; never a path
    content_type: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    text: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)

    message: Mapped[Message] = relationship(back_populates="attachments")


class Event(Base):
    """Something that happened to a request; deadlines are recomputed from these."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_request_at", "request_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(48))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    stated_date: Mapped[dt.date | None] = mapped_column(Date)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    actor: Mapped[str] = mapped_column(String(16), default="bot")  # bot | operator
    reason: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    request: Mapped[Request] = relationship(back_populates="events")


class Draft(Base):
    """A letter awaiting the operator: pending -> approved -> sending -> sent."""

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id"), index=True)
    authority_id: Mapped[int | None] = mapped_column(ForeignKey("authorities.id"))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"))
    kind: Mapped[str] = mapped_column(String(32))
    trigger: Mapped[str] = mapped_column(String(64))
    # Unique while it matters: one draft per (request, trigger occurrence).
    trigger_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    to_addr: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    in_reply_to: Mapped[str | None] = mapped_column(String(998))
    references_header: Mapped[list[str]] = mapped_column(JSON, default=list)
    message_id: Mapped[str | None] = mapped_column(String(998), unique=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)  # why rejected
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    approved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    # The facts the letter was rendered from (JSON), kept for audit and re-rendering.
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    from_addr: Mapped[str | None] = mapped_column(String(320))  # fixed at approval
    # Set when the recipient is new (seen in one message only): the operator must
    # confirm it before approval; cleared by confirmation.
    address_note: Mapped[str | None] = mapped_column(Text)
    # Outbox sub-state while status is "sending": "smtp" (transaction open, final dot
    # not yet written) then "dot" (committed just before the final dot is written, so
    # a crash after it means the server has, or is about to have, the letter).
    phase: Mapped[str | None] = mapped_column(String(16))
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    sent_copy_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)  # copy in Sent
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class SyncState(Base):
    """Per mailbox folder: how far we have read."""

    __tablename__ = "sync_state"
    __table_args__ = (UniqueConstraint("mailbox", "folder"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mailbox: Mapped[str] = mapped_column(String(200))
    folder: Mapped[str] = mapped_column(String(300))
    uidvalidity: Mapped[int | None] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    highestmodseq: Mapped[int | None] = mapped_column(BigInteger)
    marker: Mapped[str | None] = mapped_column(Text)  # source-specific cheap change marker
    last_sync_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)


class Quarantine(Base):
    """A message that failed processing: kept with the error, retried on request."""

    __tablename__ = "quarantine"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    raw_id: Mapped[int] = mapped_column(ForeignKey("raw_messages.id"), unique=True)
    stage: Mapped[str] = mapped_column(String(32))
    error: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class Meta(Base):
    """Small key/value facts about the database (e.g. the holiday calendar fingerprint)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


__all__ = [
    "Attachment",
    "Authority",
    "AuthorityAddress",
    "Base",
    "Campaign",
    "Draft",
    "Event",
    "Message",
    "MessageLocation",
    "Meta",
    "Quarantine",
    "RawMessage",
    "Request",
    "RequestReference",
    "SyncState",
    "ThreadKey",
]
