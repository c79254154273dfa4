"""What happened to a request: a placed message's classification applied to the request.

The edge between the pure classifier and lifecycle and the store.
``classify_message`` keeps the classifier's answer on an incoming message row;
``apply_to_request`` turns the kind of a message on a request into a lifecycle
happening, runs the transition table (``bot.lifecycle``), records what it did as
Events and recomputes the due date. Nothing here commits.

What a message records (actor ``bot``, ``data["by"] == "lifecycle"``, with the
happening and the states before and after):

- the step's clock events (``extension`` with its stated date, ``response``, ...), or
  for a change of state without one an event named after the happening (``hard_bounce``);
- ``unexpected``: the table has no row for it (a response while a review is awaited):
  the state stays and the lifecycle's error is the reason, for the operator;
- ``needs_review``: the classifier was not sure (the state stays, the proposal is kept),
  or a later message bounced;
- ``proposed``: the operator set the state (``requests set-state``): automation never
  undoes that, it proposes.

A message is applied once. One older than a message already on the request (Sent mail
read before the reply it answers, a held message placed later) replays the request's
history in date order, so the order mail is read in does not matter. The operator's
decisions (``set_state``, ``reclassify``) are recorded with actor ``operator``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from bot.classify import Classification, classify
from bot.config import Config
from bot.deadlines import EventKind
from bot.errors import InputError
from bot.lifecycle import (
    ANSWERED,
    WAITING,
    Happening,
    LifecycleError,
    Step,
    incoming_happening,
    outgoing_happening,
    transition,
)
from bot.parse import Email
from bot.store.clocks import refresh_response_due
from bot.store.models import Event, Message, Request, utcnow
from bot.vocabulary import Direction, IncomingKind, Outcome, OutgoingKind, RequestState

LIFECYCLE = "lifecycle"  # Event.data["by"] of the events this module derives from messages
STATE_SET, RECLASSIFIED = "state_set", "reclassified"  # the operator's decisions
UNEXPECTED, NEEDS_REVIEW, PROPOSED = "unexpected", "needs_review", "proposed"
OUTCOMES = {
    IncomingKind.RESPONSE: (Outcome.SUCCESSFUL, Outcome.PARTIALLY_SUCCESSFUL, Outcome.REFUSED,
                            Outcome.NOT_HELD),
    IncomingKind.REVIEW_OUTCOME: (Outcome.UPHELD, Outcome.PARTLY_UPHELD, Outcome.OVERTURNED),
}  # fmt: skip


def classify_message(
    message: Message, email: Email, classified: Classification | None = None
) -> Classification:
    """Classify an incoming message and store the answer on its row.

    ``classified``: ``classify(email)``, when it was worked out already (by the parser,
    see ``bot.parsepool``). Sent mail keeps the kind threading gave it; a message the
    operator classified (``operator_override``) is never changed.
    """
    found = classified if classified is not None else classify(email)
    if message.direction != Direction.INCOMING.value or message.operator_override:
        return found
    message.kind = found.kind.value
    message.outcome = found.outcome.value if found.outcome else None
    message.exemptions = list(found.exemptions)
    # the kind's own confidence is in here; ``message.confidence`` is the match's
    message.classification = found.as_json()
    return found


def happening_of(message: Message, state: RequestState | None = None) -> Happening | None:
    """What a placed message stands for in the lifecycle (None: it has no kind yet).

    A sent ``other`` message while the request awaits our clarification is the
    clarification (``bot.lifecycle.outgoing_happening``): the row's kind says so too.
    """
    if message.kind is None:
        return None
    if message.direction == Direction.OUTGOING.value:
        happening = outgoing_happening(OutgoingKind(message.kind), state)
        if happening is Happening.CLARIFICATION_SENT and not message.operator_override:
            message.kind = OutgoingKind.CLARIFICATION.value
        return happening
    flags = (message.classification or {}).get("flags") or {}
    outcome = Outcome(message.outcome) if message.outcome else None
    return incoming_happening(IncomingKind(message.kind), outcome, flags.get("bounce"))


def apply_to_request(
    session: Session, request: Request, message: Message, config: Config | None
) -> list[Event]:
    """Apply ``message`` (on ``request``) to the request's state; the events it recorded."""
    if message.id is None:
        session.flush()
    if any(_from_message(e, message) for e in request.events):
        return []  # applied already: re-processing adds nothing
    locked = operator_holds(request)
    if not locked and any(_when(m) > _when(message) for m in _walked(request) if m is not message):
        replay(request, config)
        return [e for e in request.events if _from_message(e, message)]
    state, events = _step(RequestState(request.state), locked, message)
    request.events.extend(events)
    request.state = state.value
    if events:
        refresh_response_due(request, config)
    return events


def placed_by_operator(
    session: Session,
    request: Request,
    message: Message,
    previous: Request | None,
    config: Config | None,
) -> None:
    """The operator put ``message`` on ``request`` (from the holding pen, or from the
    ``previous`` request): the kind stored when it was read is applied (the row keeps no
    headers to classify it again), and the request it left is replayed without it."""
    if previous is not None and previous is not request:
        replay(previous, config)
    apply_to_request(session, request, message, config)


def replay(request: Request, config: Config | None) -> None:
    """Recompute the request's state and lifecycle events from its messages in date order.

    The operator's ``state_set`` events stay and take effect at their time; from then
    on automation only proposes.
    """
    old = [e for e in request.events if _is_lifecycle(e)]
    others = [e for e in request.events if not _is_lifecycle(e)]
    sent = any(e.kind == EventKind.SENT.value for e in others)
    state = RequestState.AWAITING_RESPONSE if sent else RequestState.DRAFT
    timeline: list[tuple[dt.datetime, int, int, Message | Event]] = [
        (_when(m), 0, m.id or 0, m) for m in _walked(request)
    ]
    timeline += [(e.at, 1, e.id or 0, e) for e in others if e.kind == STATE_SET]
    locked, new = False, []
    for *_, item in sorted(timeline, key=lambda entry: entry[:3]):
        if isinstance(item, Event):
            state, locked = RequestState(item.data["to"]), True
            continue
        state, events = _step(state, locked, item)
        new += events
    if _signature(new) != _signature(old):  # else the rows stay as they are
        for event in old:
            request.events.remove(event)  # delete-orphan: the row goes at the next flush
        request.events.extend(new)
    request.state = state.value
    refresh_response_due(request, config)


def operator_holds(request: Request) -> bool:
    """The request's latest change of state was the operator's (``requests set-state``)."""
    changes = [e for e in request.events if e.kind == STATE_SET or _changed_state(e)]
    latest = max(changes, key=lambda e: (e.at, e.id or 0), default=None)
    return latest is not None and latest.kind == STATE_SET


def set_state(
    session: Session, request: Request, state: str, reason: str, config: Config | None
) -> Request:
    """The operator sets the request's state; automation will not undo it.

    Moving an unanswered request to an answered state records the response on the clock
    (it was answered by other means), so the request is no longer overdue.
    """
    try:
        target = RequestState(state)
    except ValueError:
        names = ", ".join(s.value for s in RequestState)
        raise InputError(f"no request state {state!r}; one of: {names}") from None
    if not reason.strip():
        raise InputError("--reason: say why (it is kept with the request's events)")
    before, now = RequestState(request.state), utcnow()
    data = {"from": before.value, "to": target.value}
    request.events.append(
        Event(kind=STATE_SET, at=now, actor="operator", reason=reason.strip(), data=data)
    )
    if target in ANSWERED and before in (*WAITING, RequestState.DELIVERY_FAILED):
        request.events.append(
            Event(kind=EventKind.RESPONSE.value, at=now, actor="operator",
                  reason="answered (state set by the operator)", data={"with": STATE_SET})
        )  # fmt: skip
    request.state = target.value
    session.flush()
    refresh_response_due(request, config)
    return request


def reclassify(
    session: Session,
    message: Message,
    kind: str,
    outcome: str | None,
    reason: str | None,
    config: Config | None,
) -> Message:
    """The operator says what a message is; its request's lifecycle is applied again."""
    incoming = message.direction == Direction.INCOMING.value
    new_kind, new_outcome = _checked(incoming, kind, outcome, message.outcome)
    before = {"kind": message.kind, "outcome": message.outcome}
    after = {"kind": new_kind, "outcome": new_outcome}
    now = utcnow()
    message.kind, message.outcome, message.operator_override = new_kind, new_outcome, True
    operator = after | {"reason": reason, "at": now.isoformat()}
    message.classification = {**(message.classification or {}), "operator": operator}
    request = message.request
    if request is not None:
        request.events.append(
            Event(kind=RECLASSIFIED, at=now, actor="operator", message_id=message.id,
                  reason=reason or f"reclassified as {_label(after)}",
                  data={"from": before, "to": after})
        )  # fmt: skip
        replay(request, config)
    session.flush()
    return message


# -- the step for one message ----------------------------------------------------------------


def _step(state: RequestState, locked: bool, message: Message) -> tuple[RequestState, list[Event]]:
    """The state after ``message`` and the events to record for it."""
    happening = happening_of(message, state)
    at = _when(message)
    if happening is None:  # stored before classification existed
        data = {"by": LIFECYCLE, "happening": None, "from": state.value, "to": state.value}
        return state, [_event(NEEDS_REVIEW, at, message, "not classified: check it", data)]
    base: dict[str, Any] = {"by": LIFECYCLE, "happening": happening.value, "from": state.value}
    try:
        step = transition(state, happening)
    except LifecycleError as err:
        return state, [_event(UNEXPECTED, at, message, str(err), base | {"to": state.value})]
    if happening is Happening.HARD_BOUNCE and not step.changed:  # a follow-up bounced
        return state, [_event(NEEDS_REVIEW, at, message, step.note, base | {"to": state.value})]
    if not (step.changed or step.events):
        return state, []
    if locked:
        held = transition(state, happening, locked_by_operator=True)
        return state, [_proposal(PROPOSED, at, message, held.note, base, step)]
    if _unsure(message):
        confidence = (message.classification or {}).get("confidence") or 0.0
        why = (
            f"not sure this is {_label({'kind': message.kind, 'outcome': message.outcome})} "
            f"(confidence {confidence:.2f}); automation would set {step.state}: {step.note}"
        )
        return state, [_proposal(NEEDS_REVIEW, at, message, why, base, step)]
    data = base | {"to": step.state.value} | ({"restart_clock": True} if step.restart_clock else {})
    kinds = [k.value for k in step.events] or [happening.value]
    stated = _extended_to(message)
    return step.state, [
        _event(k, at, message, step.note, data, stated if k == EventKind.EXTENSION else None)
        for k in kinds
    ]


def _proposal(
    kind: str, at: dt.datetime, message: Message, why: str, base: dict[str, Any], step: Step
) -> Event:
    data = base | {"to": base["from"], "proposed": step.state.value,
                   "clock": [k.value for k in step.events]}  # fmt: skip
    return _event(kind, at, message, why, data)


def _event(
    kind: str,
    at: dt.datetime,
    message: Message,
    reason: str,
    data: dict[str, Any],
    stated_date: dt.date | None = None,
) -> Event:
    return Event(kind=kind, at=at, stated_date=stated_date, message_id=message.id, actor="bot",
                 reason=reason, data=data)  # fmt: skip


# -- small facts ----------------------------------------------------------------------------


def _when(message: Message) -> dt.datetime:
    return message.date or message.created_at or utcnow()


def _walked(request: Request) -> list[Message]:
    """The request's messages the lifecycle walks: all but the one that started it
    (its ``sent`` event, written by threading, stands for it)."""
    started = {
        e.message_id
        for e in request.events
        if e.kind == EventKind.SENT.value and not _is_lifecycle(e)
    }
    return [m for m in request.messages if m.id is None or m.id not in started]


def _signature(events: list[Event]) -> list[tuple[Any, ...]]:
    rows = [(e.at, e.message_id or 0, e.kind, e.stated_date, e.reason, e.data) for e in events]
    return sorted(rows, key=lambda row: row[:3])


def _is_lifecycle(event: Event) -> bool:
    return (event.data or {}).get("by") == LIFECYCLE


def _from_message(event: Event, message: Message) -> bool:
    """An event recorded for ``message`` by the lifecycle, or the request's own ``sent``."""
    if event.message_id is None or event.message_id != message.id:
        return False
    return _is_lifecycle(event) or event.kind == EventKind.SENT.value


def _changed_state(event: Event) -> bool:
    data = event.data or {}
    return _is_lifecycle(event) and data.get("from") != data.get("to")


def _unsure(message: Message) -> bool:
    if message.operator_override or message.direction != Direction.INCOMING.value:
        return False
    return bool((message.classification or {}).get("uncertain"))


def _extended_to(message: Message) -> dt.date | None:
    value = ((message.classification or {}).get("dates") or {}).get("extended_to")
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _label(kind: dict[str, Any]) -> str:
    return f"{kind['kind']} / {kind['outcome']}" if kind.get("outcome") else str(kind["kind"])


def _checked(
    incoming: bool, kind: str, outcome: str | None, current: str | None
) -> tuple[str, str | None]:
    """The operator's kind and outcome, validated for the message's direction."""
    kinds: Any = IncomingKind if incoming else OutgoingKind
    if kind not in {k.value for k in kinds}:
        names = ", ".join(k.value for k in kinds)
        what = "an incoming" if incoming else "a sent"
        raise InputError(f"--kind: {kind!r} is not a kind of {what} message; one of: {names}")
    allowed = [o.value for o in OUTCOMES.get(IncomingKind(kind), ())] if incoming else []
    if outcome is None and allowed:
        if current not in allowed:
            raise InputError(f"--outcome: kind {kind} needs one of: {', '.join(allowed)}")
        outcome = current
    if outcome is not None and outcome not in allowed:
        fits = (
            f"one of: {', '.join(allowed)}"
            if allowed
            else "none (only responses and review outcomes have one)"
        )
        raise InputError(f"--outcome: {outcome!r} does not fit kind {kind}; {fits}")
    return kind, outcome
