"""The events a request's deadlines depend on, as plain values.

A request's deadlines are a pure function of its ``ClockEvent`` list, its regime,
its authority kind and the calendar; store the events, never the dates, and
recompute whenever the calendar (e.g. a holiday override) changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from bot.deadlines.receipt import LONDON


class EventKind(StrEnum):
    SENT = "sent"  # the request reached the authority (day 0)
    CLARIFICATION_REQUESTED = "clarification_requested"  # FOIA s.1(3): clock stops
    CLARIFICATION_SENT = "clarification_sent"  # a new 20 days runs from its receipt
    FEE_NOTICE = "fee_notice"  # FOIA s.9 / EIR reg 8: clock stops until paid
    FEE_PAID = "fee_paid"  # notice..payment (inclusive) disregarded, s.10(2)
    EXTENSION = "extension"  # FOIA s.10(3) or EIR/EISR reg 7; ``stated_date`` optional
    RESPONSE = "response"  # the substantive response (or refusal notice)
    REVIEW_REQUESTED = "review_requested"  # internal review / FOISA s.20 requirement
    REVIEW_OUTCOME = "review_outcome"


@dataclass(frozen=True, slots=True)
class ClockEvent:
    """Something that happened at an instant; ``at`` must be timezone-aware.

    ``stated_date`` is the date an extension notice promises a decision by, if any.
    """

    kind: EventKind
    at: dt.datetime
    stated_date: dt.date | None = None
    # Derived once here, not at every recomputation: converting an aware datetime to
    # London time (and comparing aware datetimes) is the slowest step of the sweep.
    london_ordinal: int = field(init=False, repr=False, compare=False)
    instant: float = field(init=False, repr=False, compare=False)  # POSIX seconds

    def __post_init__(self) -> None:
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise ValueError(f"ClockEvent({self.kind}) needs an aware datetime, got {self.at}")
        # frozen: derived fields are set once, here
        object.__setattr__(self, "london_ordinal", self.at.astimezone(LONDON).toordinal())
        object.__setattr__(self, "instant", self.at.timestamp())

    @property
    def london_date(self) -> dt.date:
        """The date of the event in Europe/London: day 0 when the event is a receipt."""
        return dt.date.fromordinal(self.london_ordinal)
