"""The domain vocabulary of architecture.md, as enums shared by every stage.

The string values are the stable names used in the database, JSON output, config
and docs; never rename one.
"""

from __future__ import annotations

from enum import StrEnum


class Nation(StrEnum):
    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"


class AuthorityKind(StrEnum):
    COUNCIL = "council"
    SCHOOL = "school"
    NHS = "nhs"
    POLICE = "police"
    CENTRAL_GOVERNMENT = "central_government"
    OTHER = "other"


class Regime(StrEnum):
    FOIA = "foia"
    EIR = "eir"
    FOISA = "foisa"
    EISR = "eisr"

    @property
    def scottish(self) -> bool:
        return self in (Regime.FOISA, Regime.EISR)

    @property
    def environmental(self) -> bool:
        return self in (Regime.EIR, Regime.EISR)


class RequestState(StrEnum):
    DRAFT = "draft"
    AWAITING_RESPONSE = "awaiting_response"
    AWAITING_CLARIFICATION = "awaiting_clarification"
    EXTENDED = "extended"
    DELIVERY_FAILED = "delivery_failed"
    SUCCESSFUL = "successful"
    PARTIALLY_SUCCESSFUL = "partially_successful"
    REFUSED = "refused"
    NOT_HELD = "not_held"
    AWAITING_REVIEW = "awaiting_review"
    REVIEW_COMPLETE = "review_complete"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"


class Direction(StrEnum):
    INCOMING = "in"
    OUTGOING = "out"


class IncomingKind(StrEnum):
    BOUNCE = "bounce"
    AUTO_REPLY = "auto_reply"
    ACKNOWLEDGEMENT = "acknowledgement"
    CLARIFICATION_REQUEST = "clarification_request"
    EXTENSION = "extension"
    FEE_NOTICE = "fee_notice"
    RESPONSE = "response"
    REVIEW_ACKNOWLEDGEMENT = "review_acknowledgement"
    REVIEW_OUTCOME = "review_outcome"
    OTHER = "other"


class OutgoingKind(StrEnum):
    REQUEST = "request"
    CLARIFICATION = "clarification"
    CHASER = "chaser"
    REVIEW_REQUEST = "review_request"
    REFINEMENT = "refinement"
    COMPLAINT = "complaint"
    OTHER = "other"


class Outcome(StrEnum):
    SUCCESSFUL = "successful"
    PARTIALLY_SUCCESSFUL = "partially_successful"
    REFUSED = "refused"
    NOT_HELD = "not_held"
    # outcomes of a review_outcome message
    UPHELD = "upheld"
    PARTLY_UPHELD = "partly_upheld"
    OVERTURNED = "overturned"


# Draft.kind of the weekly digest (not a letter to an authority: never threaded, never
# listed as correspondence).
DIGEST_DRAFT_KIND = "digest"


class DraftStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    SENDING = "sending"
    SENT = "sent"
    REJECTED = "rejected"
    FAILED = "failed"


class MessageStatus(StrEnum):
    """Where a stored message stands in the pipeline."""

    STORED = "stored"  # raw kept, not yet processed
    MATCHED = "matched"  # on a request
    HOLDING = "holding"  # in the holding pen, awaiting the operator
    DISMISSED = "dismissed"  # operator said: not FOI correspondence
    UNRELATED = "unrelated"  # no FOI signal at all (newsletters, personal mail)
