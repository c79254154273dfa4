"""Review overdue or upheld: a complaint to the regulator with the case history.

FOIA and EIR: the Information Commissioner (FOIA s.50; EIR reg 18). A review is
overdue after 20 working days under FOIA (the s.45 Code's standard; the Code allows 40
only in exceptional cases, which the authority must say it is using) and after 40
under EIR (reg 11(4)), so that is when foibot drafts the complaint (the engine's
``review_due``); the letter states the limit it relies on, and an operator who knows
the authority announced the exceptional 40 days rejects the draft. After an outcome,
the ICO asks for complaints within about six weeks (practice).

FOISA and EISR: an application to the Scottish Information Commissioner (FOISA
s.47(1); EISR reg 17), possible once the 20 working days of s.21(1) (EISR reg 16(4))
have passed without a review outcome, and within six months (s.47(4)).

The regulators prefer their online forms, so every complaint draft carries an
address note the operator must confirm; a complaint about an upheld decision also
needs the requester's grounds, left as a placeholder.
"""

from __future__ import annotations

import datetime as dt

from bot.drafting.addressing import subject_core
from bot.drafting.context import copies, history, make_plan, response_context
from bot.drafting.guards import answer, too_late, unsure
from bot.drafting.law import LAWS
from bot.drafting.values import Decision, RequestFacts
from bot.vocabulary import IncomingKind, OutgoingKind, RequestState


def _deadline(facts: RequestFacts) -> dt.date | None:
    deadlines = facts.deadlines
    return deadlines.sic_appeal_by if facts.regime.scottish else deadlines.regulator_complaint_by


def _complaint(
    name: str, key: str, facts: RequestFacts, today: dt.date, extra: dict[str, object]
) -> Decision:
    late = too_late(name, facts, _deadline(facts), today, "go to the regulator")
    if late is not None:
        return late
    law = LAWS[facts.regime]
    verb = "Application for a decision" if facts.regime.scottish else "Complaint"
    note = (
        f"this letter goes to {law.regulator} at {law.regulator_email}; the regulator prefers "
        f"complaints through its form at {law.regulator_form} (with copies of the "
        "correspondence attached): confirm the address, or use the form and reject this draft"
    )
    return make_plan(
        facts, today, trigger=name, key=key, kind=OutgoingKind.COMPLAINT,
        template="regulator_complaint", threaded=False,
        subject=f"{verb}: {facts.authority_name} - {subject_core(facts)}",
        to_addr=law.regulator_email, address_note=note,
        extra={"history": history(facts), "copies": copies(facts), **extra},
    )  # fmt: skip


def review_overdue(facts: RequestFacts, today: dt.date) -> Decision:
    deadlines = facts.deadlines
    limit = deadlines.review_due
    asked = deadlines.review_requested_on
    if facts.state is not RequestState.AWAITING_REVIEW or asked is None or limit is None:
        return None
    if deadlines.review_outcome_on is not None or today <= limit:
        return None
    name = "review_overdue"
    days = facts.calendar.working_days_between(asked, today)
    return _complaint(
        name, f"{name}:{facts.id}:{asked.isoformat()}", facts, today,
        {"complaint": {"ground": name, "review_asked_on": asked.isoformat(),
                       "review_limit": limit.isoformat(), "days_waited": days},
         "response": None},
    )  # fmt: skip


def review_upheld(facts: RequestFacts, today: dt.date) -> Decision:
    if facts.state is not RequestState.REVIEW_COMPLETE:
        return None
    message = answer(facts, IncomingKind.REVIEW_OUTCOME, ("upheld", "partly_upheld"))
    if message is None:
        return None
    name = "review_upheld"
    if not message.sure:
        return unsure(name, facts, message)
    asked = facts.deadlines.review_requested_on
    return _complaint(
        name, f"{name}:{facts.id}:m{message.id}", facts, today,
        {"complaint": {"ground": name, "review_asked_on": asked.isoformat() if asked else None,
                       "review_limit": None, "days_waited": None},
         "response": response_context(facts, message)},
    )  # fmt: skip
