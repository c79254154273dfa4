"""A request's lifecycle: a transition table written as data. Pure.

Each row says: in these states, when this happens, the request moves to this state
(or stays), these clock events are recorded for the deadline engine
(``bot.deadlines.EventKind``), and whether the clock starts afresh. What is not in
the table cannot happen, and ``transition`` raises LifecycleError saying what could.

An operator's decision is never undone silently: for a request whose state the
operator set (``locked_by_operator``), automatic happenings change nothing and the
Step carries what automation *would* have done (``proposed``), for the operator.

>>> step = transition(RequestState.AWAITING_RESPONSE, Happening.EXTENSION)
>>> step.state, step.events
(<RequestState.EXTENDED: 'extended'>, (<EventKind.EXTENSION: 'extension'>,))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.deadlines import ClockEvent, EventKind
from bot.errors import BotError
from bot.vocabulary import IncomingKind, Outcome, OutgoingKind, RequestState

S, E = RequestState, EventKind


class LifecycleError(BotError):
    """A happening that cannot apply to a request in its current state."""


class Happening(StrEnum):
    """What happened to a request: a message we sent or received, or an operator action."""

    REQUEST_SENT = "request_sent"
    CLARIFICATION_SENT = "clarification_sent"
    CHASER_SENT = "chaser_sent"
    REVIEW_REQUEST_SENT = "review_request_sent"
    REFINEMENT_SENT = "refinement_sent"
    COMPLAINT_SENT = "complaint_sent"
    FEE_PAID = "fee_paid"
    HARD_BOUNCE = "hard_bounce"
    SOFT_BOUNCE = "soft_bounce"
    AUTO_REPLY = "auto_reply"
    ACKNOWLEDGEMENT = "acknowledgement"
    CLARIFICATION_REQUESTED = "clarification_requested"
    EXTENSION = "extension"
    FEE_NOTICE = "fee_notice"
    RESPONSE_SUCCESSFUL = "response_successful"
    RESPONSE_PARTIALLY_SUCCESSFUL = "response_partially_successful"
    RESPONSE_REFUSED = "response_refused"
    RESPONSE_NOT_HELD = "response_not_held"
    REVIEW_ACKNOWLEDGED = "review_acknowledged"
    REVIEW_UPHELD = "review_upheld"
    REVIEW_PARTLY_UPHELD = "review_partly_upheld"
    REVIEW_OVERTURNED = "review_overturned"
    OTHER = "other"
    WITHDRAWN = "withdrawn"  # operator
    CLOSED = "closed"  # operator
    REOPENED = "reopened"  # operator


H = Happening
OPERATOR_ACTIONS = frozenset({H.WITHDRAWN, H.CLOSED, H.REOPENED})


@dataclass(frozen=True)
class Transition:
    """One cell of the table. ``to`` None: the state does not change."""

    to: RequestState | None
    events: tuple[EventKind, ...] = ()
    restart_clock: bool = False  # earlier clock events no longer count
    note: str = ""


# -- the table -----------------------------------------------------------------------
CLOCK_RUNNING = (S.AWAITING_RESPONSE, S.EXTENDED)
WAITING = (S.AWAITING_RESPONSE, S.AWAITING_CLARIFICATION, S.EXTENDED)
ANSWERED = (S.SUCCESSFUL, S.PARTIALLY_SUCCESSFUL, S.REFUSED, S.NOT_HELD)
REVIEW = (S.AWAITING_REVIEW, S.REVIEW_COMPLETE)
ENDED = (S.WITHDRAWN, S.CLOSED)
SENT = (*WAITING, S.DELIVERY_FAILED, *ANSWERED, *REVIEW, *ENDED)  # every state but draft
OPEN = (*WAITING, S.DELIVERY_FAILED, *ANSWERED, *REVIEW)
RESPONSES = {
    H.RESPONSE_SUCCESSFUL: S.SUCCESSFUL, H.RESPONSE_PARTIALLY_SUCCESSFUL: S.PARTIALLY_SUCCESSFUL,
    H.RESPONSE_REFUSED: S.REFUSED, H.RESPONSE_NOT_HELD: S.NOT_HELD,
}  # fmt: skip
REVIEW_OUTCOMES = (H.REVIEW_UPHELD, H.REVIEW_PARTLY_UPHELD, H.REVIEW_OVERTURNED)
T = Transition
# (states, happening, Transition(to: None = stays, clock events, restart clock, note))
# fmt: off
ROWS: tuple[tuple[tuple[RequestState, ...], Happening, Transition], ...] = (
    # -- sending the request -----------------------------------------------------------
    ((S.DRAFT,), H.REQUEST_SENT,
     T(S.AWAITING_RESPONSE, (E.SENT,), note="day 0: the request was sent")),
    ((S.DELIVERY_FAILED,), H.REQUEST_SENT,
     T(S.AWAITING_RESPONSE, (E.SENT,), True, "sent again after a bounce: a new day 0")),
    ((S.AWAITING_RESPONSE,), H.HARD_BOUNCE,  # never delivered: no clock runs
     T(S.DELIVERY_FAILED, (), True, "the request never arrived; check the address")),
    (tuple(s for s in SENT if s != S.AWAITING_RESPONSE), H.HARD_BOUNCE,
     T(None, note="a later message bounced; check which")),
    (SENT, H.SOFT_BOUNCE, T(None, note="delivery delayed: the mail server retries")),
    (SENT, H.AUTO_REPLY, T(None, note="automatic reply: nothing changes")),
    (SENT, H.OTHER, T(None, note="not a step of the request")),
    ((S.DELIVERY_FAILED,), H.ACKNOWLEDGEMENT,
     T(S.AWAITING_RESPONSE, (E.SENT,), True, "delivered after all: day 0 is the acknowledgement")),
    ((*WAITING, *ANSWERED, *REVIEW, *ENDED), H.ACKNOWLEDGEMENT, T(None, note="acknowledged")),
    # -- clarification (FOIA/FOISA s.1(3), EIR reg 9): the clock stops, then starts anew -
    (CLOCK_RUNNING, H.CLARIFICATION_REQUESTED,
     T(S.AWAITING_CLARIFICATION, (E.CLARIFICATION_REQUESTED,), note="no duty until we reply")),
    ((S.AWAITING_CLARIFICATION,), H.CLARIFICATION_REQUESTED,
     T(None, (E.CLARIFICATION_REQUESTED,), note="asked again")),
    ((S.AWAITING_CLARIFICATION,), H.CLARIFICATION_SENT,
     T(S.AWAITING_RESPONSE, (E.CLARIFICATION_SENT,), note="20 working days from its receipt")),
    (CLOCK_RUNNING, H.CLARIFICATION_SENT,
     T(None, note="not asked for: the clock does not restart")),
    # -- extensions and fees -----------------------------------------------------------
    (CLOCK_RUNNING, H.EXTENSION, T(S.EXTENDED, (E.EXTENSION,), note="s.10(3) or reg 7")),
    (CLOCK_RUNNING, H.FEE_NOTICE, T(None, (E.FEE_NOTICE,), note="clock stops until paid")),
    (CLOCK_RUNNING, H.FEE_PAID, T(None, (E.FEE_PAID,), note="days unpaid are disregarded")),
    # -- the response ------------------------------------------------------------------
    *(((*WAITING, S.DELIVERY_FAILED), h, T(to, (E.RESPONSE,), note="answered"))
      for h, to in RESPONSES.items()),
    *((ANSWERED, h, T(to, (E.RESPONSE,), note="a further response"))
      for h, to in RESPONSES.items()),
    ((*WAITING, *ANSWERED, *REVIEW), H.CHASER_SENT, T(None, note="chased")),
    ((S.REFUSED, S.PARTIALLY_SUCCESSFUL, S.NOT_HELD, S.REVIEW_COMPLETE), H.REFINEMENT_SENT,
     T(S.AWAITING_RESPONSE, (E.SENT,), True, "a refined request is a new request: new day 0")),
    # -- internal review ---------------------------------------------------------------
    ((*CLOCK_RUNNING, *ANSWERED), H.REVIEW_REQUEST_SENT,
     T(S.AWAITING_REVIEW, (E.REVIEW_REQUESTED,), note="internal review requested")),
    ((S.AWAITING_REVIEW,), H.REVIEW_REQUEST_SENT, T(None, note="more about the review")),
    ((S.AWAITING_REVIEW,), H.REVIEW_ACKNOWLEDGED, T(None, note="review acknowledged")),
    ((*CLOCK_RUNNING, *ANSWERED), H.REVIEW_ACKNOWLEDGED,
     T(S.AWAITING_REVIEW, (E.REVIEW_REQUESTED,), note="taken as a review request")),
    *((REVIEW, h, T(S.REVIEW_COMPLETE, (E.REVIEW_OUTCOME,), note="review decided"))
      for h in REVIEW_OUTCOMES),
    ((*CLOCK_RUNNING, *ANSWERED, *REVIEW), H.COMPLAINT_SENT, T(None, note="to the regulator")),
    # -- operator actions --------------------------------------------------------------
    ((S.DRAFT, *OPEN), H.WITHDRAWN, T(S.WITHDRAWN, note="withdrawn by the operator")),
    ((S.DRAFT, *OPEN, S.WITHDRAWN), H.CLOSED, T(S.CLOSED, note="closed by the operator")),
    (ENDED, H.REOPENED, T(S.AWAITING_RESPONSE, note="reopened by the operator")),
)
# fmt: on


def _table() -> dict[tuple[RequestState, Happening], Transition]:
    table: dict[tuple[RequestState, Happening], Transition] = {}
    for states, happening, cell in ROWS:
        for state in states:
            key = (state, happening)
            if key in table:
                raise AssertionError(f"two rows for {state} x {happening}")
            table[key] = cell
    return table


TABLE = _table()


@dataclass(frozen=True)
class Step:
    """The result of one happening: the new state and the clock events to record."""

    before: RequestState
    happening: Happening
    state: RequestState
    events: tuple[EventKind, ...] = ()
    restart_clock: bool = False
    note: str = ""
    held_by_operator: bool = False  # the operator's state was kept
    proposed: RequestState | None = None  # what automation would have set, when held

    @property
    def changed(self) -> bool:
        return self.state != self.before


def allowed(state: RequestState) -> list[Happening]:
    """The happenings the table allows in ``state``."""
    return [h for h in Happening if (state, h) in TABLE]


def transition(
    state: RequestState, happening: Happening, *, locked_by_operator: bool = False
) -> Step:
    """Apply ``happening`` to a request in ``state``.

    Raises LifecycleError when the table has no row for it. ``locked_by_operator``:
    the operator set the state; only an operator action may change it.
    """
    cell = TABLE.get((state, happening))
    if cell is None:
        expected = ", ".join(allowed(state)) or "nothing"
        raise LifecycleError(
            f"{happening} cannot apply to a request that is {state}; "
            f"in that state foibot expects: {expected}"
        )
    to = cell.to or state
    if locked_by_operator and happening not in OPERATOR_ACTIONS:
        note = f"kept the operator's state {state}; automation proposes {to}: {cell.note}"
        return Step(state, happening, state, note=note, held_by_operator=True, proposed=to)
    return Step(state, happening, to, cell.events, cell.restart_clock, cell.note)


def apply_events(
    history: Iterable[ClockEvent], step: Step, at: dt.datetime, stated_date: dt.date | None = None
) -> tuple[ClockEvent, ...]:
    """The request's clock events after ``step`` happened at ``at``.

    ``stated_date`` is an extension's new date (``dates.extended_to``).
    """
    kept = () if step.restart_clock else tuple(history)
    added = tuple(
        ClockEvent(kind, at, stated_date if kind is EventKind.EXTENSION else None)
        for kind in step.events
    )
    return kept + added


_INCOMING = {
    IncomingKind.AUTO_REPLY: H.AUTO_REPLY, IncomingKind.ACKNOWLEDGEMENT: H.ACKNOWLEDGEMENT,
    IncomingKind.CLARIFICATION_REQUEST: H.CLARIFICATION_REQUESTED,
    IncomingKind.EXTENSION: H.EXTENSION, IncomingKind.FEE_NOTICE: H.FEE_NOTICE,
    IncomingKind.REVIEW_ACKNOWLEDGEMENT: H.REVIEW_ACKNOWLEDGED, IncomingKind.OTHER: H.OTHER,
}  # fmt: skip
_OUTCOMES = {
    Outcome.SUCCESSFUL: H.RESPONSE_SUCCESSFUL, Outcome.PARTIALLY_SUCCESSFUL:
    H.RESPONSE_PARTIALLY_SUCCESSFUL, Outcome.REFUSED: H.RESPONSE_REFUSED,
    Outcome.NOT_HELD: H.RESPONSE_NOT_HELD, Outcome.UPHELD: H.REVIEW_UPHELD,
    Outcome.PARTLY_UPHELD: H.REVIEW_PARTLY_UPHELD, Outcome.OVERTURNED: H.REVIEW_OVERTURNED,
}  # fmt: skip
_OUTGOING = {
    OutgoingKind.REQUEST: H.REQUEST_SENT, OutgoingKind.CLARIFICATION: H.CLARIFICATION_SENT,
    OutgoingKind.CHASER: H.CHASER_SENT, OutgoingKind.REVIEW_REQUEST: H.REVIEW_REQUEST_SENT,
    OutgoingKind.REFINEMENT: H.REFINEMENT_SENT, OutgoingKind.COMPLAINT: H.COMPLAINT_SENT,
}  # fmt: skip


def incoming_happening(
    kind: IncomingKind, outcome: Outcome | None = None, bounce: str | None = None
) -> Happening:
    """The happening for a classified incoming message (``bounce``: "hard" or "soft")."""
    if kind is IncomingKind.BOUNCE:
        return H.SOFT_BOUNCE if bounce == "soft" else H.HARD_BOUNCE
    if kind in (IncomingKind.RESPONSE, IncomingKind.REVIEW_OUTCOME):
        fallback = Outcome.SUCCESSFUL if kind is IncomingKind.RESPONSE else Outcome.UPHELD
        return _OUTCOMES[outcome or fallback]
    return _INCOMING[kind]


def outgoing_happening(kind: OutgoingKind, state: RequestState | None = None) -> Happening:
    """The happening for a message we sent (an ``other`` message changes nothing).

    While the authority waits for our clarification (``state``), whatever we send it is
    the clarification: FOIA/FOISA s.1(3) and EIR reg 9 run from receipt of the further
    information, however the letter words it ("Please limit questions 4 to 6 to ...").
    """
    if kind is OutgoingKind.OTHER and state is RequestState.AWAITING_CLARIFICATION:
        return H.CLARIFICATION_SENT
    return _OUTGOING.get(kind, H.OTHER)


def replay(
    happenings: Sequence[tuple[Happening, dt.datetime, dt.date | None]],
    state: RequestState = RequestState.DRAFT,
) -> tuple[RequestState, tuple[ClockEvent, ...]]:
    """Run a history of (happening, when, stated date) from ``state``: (state, events)."""
    events: tuple[ClockEvent, ...] = ()
    for happening, at, stated in happenings:
        step = transition(state, happening)
        events = apply_events(events, step, at, stated)
        state = step.state
    return state, events
