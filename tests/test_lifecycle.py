"""The request lifecycle: every transition in the table, the illegal ones, operator locks,
and the deadlines recomputed from the clock events after each step."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.deadlines import ClockEvent, ClockState, RequestDeadlines, calendar_for, compute_deadlines
from bot.deadlines import EventKind as E
from bot.errors import BotError
from bot.lifecycle import (
    OPERATOR_ACTIONS,
    TABLE,
    Happening,
    LifecycleError,
    apply_events,
    incoming_happening,
    outgoing_happening,
    replay,
    transition,
)
from bot.vocabulary import IncomingKind, Outcome, OutgoingKind, Regime
from bot.vocabulary import RequestState as S

H = Happening
ILLEGAL = [(s, h) for s in S for h in Happening if (s, h) not in TABLE]


@pytest.mark.parametrize(("state", "happening"), sorted(TABLE))
def test_every_transition_in_the_table(state: S, happening: Happening) -> None:
    cell = TABLE[(state, happening)]
    step = transition(state, happening)
    assert step.state == (cell.to or state)
    assert step.events == cell.events and step.restart_clock == cell.restart_clock
    assert step.note and not step.held_by_operator


@pytest.mark.parametrize(("state", "happening"), ILLEGAL)
def test_illegal_transitions_raise_a_clear_error(state: S, happening: Happening) -> None:
    with pytest.raises(LifecycleError) as caught:
        transition(state, happening)
    message = str(caught.value)
    assert str(state) in message and str(happening) in message and "expects" in message
    assert isinstance(caught.value, BotError)


@pytest.mark.parametrize(
    ("state", "happening", "to"),
    [
        (S.DRAFT, H.REQUEST_SENT, S.AWAITING_RESPONSE),
        (S.AWAITING_RESPONSE, H.HARD_BOUNCE, S.DELIVERY_FAILED),
        (S.EXTENDED, H.HARD_BOUNCE, S.EXTENDED),
        (S.AWAITING_RESPONSE, H.SOFT_BOUNCE, S.AWAITING_RESPONSE),
        (S.AWAITING_RESPONSE, H.CLARIFICATION_REQUESTED, S.AWAITING_CLARIFICATION),
        (S.AWAITING_CLARIFICATION, H.CLARIFICATION_SENT, S.AWAITING_RESPONSE),
        (S.AWAITING_RESPONSE, H.EXTENSION, S.EXTENDED),
        (S.EXTENDED, H.RESPONSE_PARTIALLY_SUCCESSFUL, S.PARTIALLY_SUCCESSFUL),
        (S.AWAITING_RESPONSE, H.RESPONSE_NOT_HELD, S.NOT_HELD),
        (S.REFUSED, H.REVIEW_REQUEST_SENT, S.AWAITING_REVIEW),
        (S.AWAITING_REVIEW, H.REVIEW_OVERTURNED, S.REVIEW_COMPLETE),
        (S.REFUSED, H.REFINEMENT_SENT, S.AWAITING_RESPONSE),
        (S.DELIVERY_FAILED, H.ACKNOWLEDGEMENT, S.AWAITING_RESPONSE),
    ],
)
def test_the_issue_s_transitions(state: S, happening: Happening, to: S) -> None:
    assert transition(state, happening).state is to


@pytest.mark.parametrize(
    ("state", "happening"),
    [
        (S.DRAFT, H.RESPONSE_SUCCESSFUL),  # nothing was sent
        (S.SUCCESSFUL, H.REVIEW_UPHELD),  # no review was asked for
        (S.AWAITING_CLARIFICATION, H.EXTENSION),  # the clock is stopped
        (S.REVIEW_COMPLETE, H.REVIEW_REQUEST_SENT),  # next step is the regulator
        (S.AWAITING_REVIEW, H.RESPONSE_REFUSED),  # a review outcome, surely: ask
        (S.CLOSED, H.WITHDRAWN),
    ],
)
def test_some_illegal_transitions(state: S, happening: Happening) -> None:
    with pytest.raises(LifecycleError):
        transition(state, happening)


def test_an_operator_decision_is_never_undone_silently() -> None:
    """Locked: automation proposes, the state stays, no clock events are recorded."""
    step = transition(S.REFUSED, H.RESPONSE_SUCCESSFUL, locked_by_operator=True)
    assert step.state is S.REFUSED and step.held_by_operator and step.proposed is S.SUCCESSFUL
    assert step.events == () and not step.changed and "operator" in step.note
    for action in OPERATOR_ACTIONS & {H.CLOSED, H.WITHDRAWN}:
        assert transition(S.REFUSED, action, locked_by_operator=True).state is not S.REFUSED
    with pytest.raises(LifecycleError):  # illegal stays illegal, locked or not
        transition(S.DRAFT, H.RESPONSE_SUCCESSFUL, locked_by_operator=True)


@pytest.mark.parametrize(
    ("kind", "outcome", "bounce", "happening"),
    [
        (IncomingKind.BOUNCE, None, "hard", H.HARD_BOUNCE),
        (IncomingKind.BOUNCE, None, "soft", H.SOFT_BOUNCE),
        (IncomingKind.RESPONSE, Outcome.REFUSED, None, H.RESPONSE_REFUSED),
        (IncomingKind.RESPONSE, None, None, H.RESPONSE_SUCCESSFUL),
        (IncomingKind.REVIEW_OUTCOME, Outcome.PARTLY_UPHELD, None, H.REVIEW_PARTLY_UPHELD),
        (IncomingKind.CLARIFICATION_REQUEST, None, None, H.CLARIFICATION_REQUESTED),
        (IncomingKind.OTHER, None, None, H.OTHER),
    ],
)
def test_incoming_happening(
    kind: IncomingKind, outcome: Outcome | None, bounce: str | None, happening: Happening
) -> None:
    assert incoming_happening(kind, outcome, bounce) is happening


def test_every_incoming_kind_and_outgoing_kind_maps() -> None:
    for kind in IncomingKind:
        assert isinstance(incoming_happening(kind), Happening)
    assert outgoing_happening(OutgoingKind.REVIEW_REQUEST) is H.REVIEW_REQUEST_SENT
    assert outgoing_happening(OutgoingKind.OTHER) is H.OTHER


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T10:00:00+00:00")


CAL = calendar_for(Regime.FOIA)


def deadlines(events: tuple[ClockEvent, ...], regime: Regime = Regime.FOIA) -> RequestDeadlines:
    return compute_deadlines(events, regime, calendar_for(regime))


def test_deadlines_after_each_step_of_a_long_story() -> None:
    """Sent, clarification (clock restarts), extension, refusal, review: dates after each."""
    state, events = S.DRAFT, ()
    story = [
        (H.REQUEST_SENT, "2024-01-08", None),
        (H.CLARIFICATION_REQUESTED, "2024-01-10", None),
        (H.CLARIFICATION_SENT, "2024-01-22", None),
        (H.EXTENSION, "2024-02-12", dt.date(2024, 3, 18)),
        (H.RESPONSE_REFUSED, "2024-03-15", None),
        (H.REVIEW_REQUEST_SENT, "2024-03-20", None),
        (H.REVIEW_UPHELD, "2024-04-10", None),
    ]
    seen = []
    for happening, day, stated in story:
        step = transition(state, happening)
        events = apply_events(events, step, at(day), stated)
        state = step.state
        seen.append((state, deadlines(events)))
    (s0, d0), (s1, d1), (s2, d2), (s3, d3), (s4, d4), (s5, d5), (s6, d6) = seen
    assert (s0, d0.response_due) == (S.AWAITING_RESPONSE, dt.date(2024, 2, 5))
    assert (s1, d1.clock, d1.response_due) == (
        S.AWAITING_CLARIFICATION,
        ClockState.AWAITING_CLARIFICATION,
        None,
    )
    # uk-time-limits.md worked example: a new 20 working days from the clarification
    assert (s2, d2.response_due) == (S.AWAITING_RESPONSE, dt.date(2024, 2, 19))
    assert (s3, d3.extended_to, d3.effective_due) == (
        S.EXTENDED,
        dt.date(2024, 3, 18),
        dt.date(2024, 3, 18),
    )
    assert (s4, d4.clock, d4.responded_on) == (S.REFUSED, ClockState.ANSWERED, dt.date(2024, 3, 15))
    assert d4.review_request_by == CAL.add_working_days(dt.date(2024, 3, 15), 40)
    assert (s5, d5.review_due) == (
        S.AWAITING_REVIEW,
        CAL.add_working_days(dt.date(2024, 3, 20), 20),
    )
    assert (s6, d6.review_outcome_on) == (S.REVIEW_COMPLETE, dt.date(2024, 4, 10))
    assert d6.regulator_complaint_by == dt.date(2024, 4, 10) + dt.timedelta(weeks=6)


def test_fees_notice_stops_the_clock_until_paid() -> None:
    state, events = replay(
        [(H.REQUEST_SENT, at("2024-01-08"), None), (H.FEE_NOTICE, at("2024-01-15"), None)]
    )
    assert state is S.AWAITING_RESPONSE and deadlines(events).clock is ClockState.AWAITING_FEE
    paid = apply_events(events, transition(state, H.FEE_PAID), at("2024-01-19"))
    after = deadlines(paid)
    assert after.disregarded_days == 5 and after.response_due == CAL.add_working_days(
        dt.date(2024, 2, 5), 5
    )


def test_a_hard_bounce_then_a_resend_starts_a_new_day_zero() -> None:
    state, events = replay(
        [(H.REQUEST_SENT, at("2024-01-08"), None), (H.HARD_BOUNCE, at("2024-01-08"), None)]
    )
    assert state is S.DELIVERY_FAILED
    resent = transition(state, H.REQUEST_SENT)
    assert resent.restart_clock
    events = apply_events(events, resent, at("2024-01-15"))
    assert [e.kind for e in events] == [E.SENT]
    assert deadlines(events).response_due == CAL.add_working_days(dt.date(2024, 1, 15), 20)


def test_a_refinement_is_a_new_request_with_its_own_clock() -> None:
    state, events = replay(
        [
            (H.REQUEST_SENT, at("2024-01-08"), None),
            (H.RESPONSE_REFUSED, at("2024-02-01"), None),
            (H.REFINEMENT_SENT, at("2024-02-06"), None),
        ]
    )
    assert state is S.AWAITING_RESPONSE and [e.kind for e in events] == [E.SENT]
    assert deadlines(events).response_due == CAL.add_working_days(dt.date(2024, 2, 6), 20)


def test_eir_extension_without_a_date_runs_to_40_working_days() -> None:
    _, events = replay(
        [(H.REQUEST_SENT, at("2024-01-08"), None), (H.EXTENSION, at("2024-01-30"), None)]
    )
    d = deadlines(events, Regime.EIR)
    assert d.extended_to == calendar_for(Regime.EIR).add_working_days(dt.date(2024, 1, 8), 40)


def test_noise_changes_nothing() -> None:
    """Auto-replies, acknowledgements, chasers and soft bounces add no clock events."""
    state, events = replay([(H.REQUEST_SENT, at("2024-01-08"), None)])
    for happening in (H.AUTO_REPLY, H.ACKNOWLEDGEMENT, H.SOFT_BOUNCE, H.CHASER_SENT, H.OTHER):
        step = transition(state, happening)
        assert step.state is state and apply_events(events, step, at("2024-01-09")) == events
