"""The drafting triggers: each fires on the right facts, and not on the near misses.

Every request here was sent on Monday 1 September 2025; the engine then says it is
due on Monday 29 September 2025 (20 working days) and very overdue after Monday
27 October 2025 (40), in all four regimes (no bank holiday falls in between).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from bot.drafting import BY_NAME, DraftPlan, MessageFacts, RequestFacts, Skipped, decide
from bot.vocabulary import AuthorityKind, IncomingKind, OutgoingKind, Regime, RequestState
from tests.drafting.builders import at, disputed, drafted, facts, message

D = dt.date.fromisoformat
S = RequestState
IN, OUT = IncomingKind, OutgoingKind
ALL = list(Regime)
COST = {Regime.FOIA: "s12", Regime.FOISA: "s12", Regime.EIR: "reg12(4)(b)",
        Regime.EISR: "reg10(4)(b)"}  # fmt: skip
COST_TEXT = "Complying would take more than 18 hours and exceed the cost limit."


def check(name: str, request: RequestFacts, today: str) -> DraftPlan | Skipped | None:
    return BY_NAME[name].check(request, D(today))


def plan(name: str, request: RequestFacts, today: str) -> DraftPlan:
    found = check(name, request, today)
    assert isinstance(found, DraftPlan), found
    return found


def names(request: RequestFacts, today: str) -> list[str]:
    return [p.trigger for p in decide(request, D(today)).plans]


def response(
    id: int,
    day: str,
    outcome: str,
    *exemptions: str,
    confidence: float = 0.9,
    flags: dict[str, str | None] | None = None,
    text: str = "",
    override: bool = False,
) -> MessageFacts:
    return message(
        id, IN.RESPONSE, at(day), outcome=outcome, exemptions=exemptions, confidence=confidence,
        flags=flags, text=text, override=override,
    )  # fmt: skip


# -- response overdue: the chaser -----------------------------------------------------------


@pytest.mark.parametrize("regime", ALL)
@pytest.mark.parametrize(
    ("today", "fires"), [("2025-09-29", False), ("2025-09-30", True), ("2025-10-20", True)]
)
def test_a_chaser_is_drafted_the_day_after_the_due_date(
    regime: Regime, today: str, fires: bool
) -> None:
    found = check("response_overdue", facts(regime), today)
    assert isinstance(found, DraftPlan) is fires
    if fires:
        assert isinstance(found, DraftPlan)
        assert found.kind is OUT.CHASER
        assert found.trigger_key == "response_overdue:7:2025-09-29"
        assert found.context["overdue"]["due"] == "2025-09-29"


def test_an_extension_moves_the_chaser_to_the_day_after_the_extended_date() -> None:
    extension = message(1, IN.EXTENSION, at("2025-09-22"), dates={"extended_to": "2025-10-27"})
    extended = facts(Regime.FOIA, S.EXTENDED, [extension])
    assert check("response_overdue", extended, "2025-10-27") is None
    chaser = plan("response_overdue", extended, "2025-10-28")
    assert chaser.trigger_key == "response_overdue:7:2025-10-27"
    assert chaser.context["overdue"]["extension_on"] == "2025-09-22"


@pytest.mark.parametrize(
    ("kind", "state"),
    [(IN.CLARIFICATION_REQUEST, S.AWAITING_CLARIFICATION), (IN.FEE_NOTICE, S.AWAITING_RESPONSE)],
)
def test_no_chaser_while_the_clock_is_stopped_for_a_clarification_or_a_fee(
    kind: IncomingKind, state: RequestState
) -> None:
    stopped = facts(Regime.FOIA, state, [message(1, kind, at("2025-09-10"))])
    assert check("response_overdue", stopped, "2025-11-20") is None


def test_a_clarification_restarts_the_clock_the_chaser_counts_from() -> None:
    asked = message(1, IN.CLARIFICATION_REQUEST, at("2025-09-10"))
    answered = message(2, OUT.CLARIFICATION, at("2025-09-15"))
    request = facts(Regime.FOIA, S.AWAITING_RESPONSE, [asked, answered])
    assert check("response_overdue", request, "2025-09-30") is None  # 20 days from 15 Sep
    chaser = plan("response_overdue", request, "2025-10-14")
    assert chaser.context["request"]["clarified_on"] == "2025-09-15"


@pytest.mark.parametrize(
    ("today", "fires"), [("2025-09-29", False), ("2025-09-30", True), ("2025-11-24", True)]
)
def test_a_school_is_chased_after_the_twentieth_working_day(today: str, fires: bool) -> None:
    """SI 2004/3364: the earlier of the 20th school day and the 60th working day. The
    20th school day is never before the 20th working day, so the chaser waits for it."""
    school = facts(Regime.FOIA, kind=AuthorityKind.SCHOOL)
    found = check("response_overdue", school, today)
    assert isinstance(found, DraftPlan) is fires
    if isinstance(found, DraftPlan):
        assert found.context["school"] is True
        assert found.context["deadlines"]["response_due"] == "2025-11-24"  # the 60th


@pytest.mark.parametrize("regime", [Regime.EIR, Regime.FOISA, Regime.EISR])
def test_the_school_rule_is_for_foia_only(regime: Regime) -> None:
    school = facts(regime, kind=AuthorityKind.SCHOOL)
    assert plan("response_overdue", school, "2025-09-30").context["school"] is False


def test_no_chaser_when_a_message_since_the_request_is_not_classified_with_confidence() -> None:
    unclear = message(1, IN.OTHER, at("2025-09-25"), confidence=0.4)
    found = check("response_overdue", facts(messages=[unclear]), "2025-10-01")
    assert isinstance(found, Skipped) and "not sure" in found.reason


def test_no_second_chaser_when_the_requester_chased_by_hand() -> None:
    chased = message(1, OUT.CHASER, at("2025-10-01"))
    found = check("response_overdue", facts(messages=[chased]), "2025-10-03")
    assert isinstance(found, Skipped) and "already chased" in found.reason


@pytest.mark.parametrize(
    "state", [S.SUCCESSFUL, S.REFUSED, S.AWAITING_REVIEW, S.DELIVERY_FAILED, S.CLOSED]
)
def test_no_chaser_for_an_answered_or_undelivered_request(state: RequestState) -> None:
    assert "response_overdue" not in names(facts(Regime.FOIA, state), "2025-10-20")


# -- very overdue: an internal review of the delay -------------------------------------------


def chased_on(day: str) -> MessageFacts:
    return message(1, OUT.CHASER, at(day))


@pytest.mark.parametrize("regime", ALL)
def test_very_overdue_and_chased_a_week_ago_drafts_an_internal_review(regime: Regime) -> None:
    request = facts(regime, messages=[chased_on("2025-10-22")])
    review = plan("very_overdue", request, "2025-10-29")
    assert review.kind is OUT.REVIEW_REQUEST
    assert review.trigger_key == "very_overdue:7:2025-09-01"
    assert review.context["review"]["ground"] == "no_response"
    assert review.subject.startswith("Internal review request: FOI 10400 - ")


def test_very_overdue_and_never_chased_drafts_the_review_and_no_chaser() -> None:
    """WhatDoTheyKnow's advice for a long-overdue request: ask for an internal review."""
    request = facts()
    assert plan("very_overdue", request, "2025-10-29").context["review"]["chased_on"] is None
    assert check("response_overdue", request, "2025-10-29") is None


def test_very_overdue_waits_a_few_days_after_a_chaser() -> None:
    found = check("very_overdue", facts(messages=[chased_on("2025-10-27")]), "2025-10-29")
    assert isinstance(found, Skipped) and "waiting" in found.reason


def test_an_extended_request_is_chased_for_its_promised_date_before_any_review() -> None:
    extension = message(1, IN.EXTENSION, at("2025-09-22"), dates={"extended_to": "2025-10-27"})
    extended = facts(Regime.FOIA, S.EXTENDED, [extension])
    found = check("very_overdue", extended, "2025-10-29")
    assert isinstance(found, Skipped) and "not chased yet" in found.reason
    assert plan("response_overdue", extended, "2025-10-29").kind is OUT.CHASER


def test_very_overdue_drafts_the_review_a_few_days_after_the_operator_declined_to_chase() -> None:
    """Extended to 27 Oct: the operator rejected the chaser of that date on 28 Oct."""
    rejected = replace(
        drafted("response_overdue", "response_overdue:7:2025-10-27", "rejected", "2025-10-28"),
        updated_at=at("2025-10-28"),
    )
    extension = message(1, IN.EXTENSION, at("2025-09-22"), dates={"extended_to": "2025-10-27"})
    request = facts(Regime.FOIA, S.EXTENDED, [extension], drafts=(rejected,))
    assert isinstance(check("very_overdue", request, "2025-10-30"), Skipped)
    assert plan("very_overdue", request, "2025-11-04").context["review"]["chased_on"] is None


def test_a_school_is_very_overdue_after_the_sixtieth_working_day() -> None:
    school = facts(Regime.FOIA, kind=AuthorityKind.SCHOOL, messages=[chased_on("2025-10-01")])
    assert check("very_overdue", school, "2025-11-24") is None
    assert plan("very_overdue", school, "2025-11-25").context["school"] is True


@pytest.mark.parametrize("regime", [Regime.EIR, Regime.FOISA, Regime.EISR])
def test_no_review_of_a_failure_to_respond_after_the_statutory_window(regime: Regime) -> None:
    """EIR reg 11(2), FOISA s.20(5), EISR reg 16(2): 40 working days after the due date."""
    request = facts(regime, messages=[chased_on("2025-10-01")])
    assert isinstance(check("very_overdue", request, "2025-11-24"), DraftPlan)
    late = check("very_overdue", request, "2025-11-25")
    assert isinstance(late, Skipped) and "2025-11-24" in late.reason


# -- answers to challenge: internal review requests ------------------------------------------


@pytest.mark.parametrize("regime", ALL)
def test_a_refusal_drafts_an_internal_review_citing_the_exemptions(regime: Regime) -> None:
    personal = {Regime.FOIA: "s40", Regime.FOISA: "s38", Regime.EIR: "reg13", Regime.EISR: "reg11"}
    exemption = personal[regime]
    refusal = response(5, "2025-09-26", "refused", exemption)
    review = plan("refused", facts(regime, S.REFUSED, [refusal]), "2025-10-01")
    assert review.trigger_key == "refused:7:m5"
    assert review.in_reply_to == "m5@council.example"
    (label,) = review.context["response"]["exemptions"]
    assert "personal" in label


@pytest.mark.parametrize(("today", "fires"), [("2025-11-18", True), ("2025-11-19", False)])
def test_a_review_is_asked_for_within_40_working_days_of_the_response(
    today: str, fires: bool
) -> None:
    refusal = response(5, "2025-09-23", "refused", "s43")  # 40 working days: 2025-11-18
    found = check("refused", facts(Regime.FOIA, S.REFUSED, [refusal]), today)
    assert isinstance(found, DraftPlan) is fires
    if not fires:
        assert isinstance(found, Skipped) and "ended on 2025-11-18" in found.reason


def test_foisa_review_window_runs_from_the_end_of_the_response_period() -> None:
    """FOISA s.20(5): 40 working days after the s.10 period ended (29 September), even
    for a response given before it."""
    refusal = response(5, "2025-09-10", "refused", "s38")
    request = facts(Regime.FOISA, S.REFUSED, [refusal])
    assert isinstance(check("refused", request, "2025-11-24"), DraftPlan)
    assert isinstance(check("refused", request, "2025-11-25"), Skipped)


def test_a_late_refusal_says_how_many_working_days_late_it_was() -> None:
    refusal = response(5, "2025-10-06", "refused", "s43")
    review = plan("refused", facts(Regime.FOIA, S.REFUSED, [refusal]), "2025-10-07")
    assert review.context["response"]["days_late"] == 5


@pytest.mark.parametrize(
    ("exemptions", "advice", "review", "refinement"),
    [
        (("s12",), {"advice_s16": "You could limit it to 2024."}, False, True),
        (("s12",), {}, False, True),  # advice not known: refine, do not guess
        (("s12",), {"advice_s16": None}, True, True),  # no advice: both, the operator picks
        (("s12", "s40"), {"advice_s16": "Limit it."}, True, True),
        (("s40",), {}, True, False),
    ],
)
def test_a_cost_refusal_is_refined_and_reviewed_only_when_no_advice_was_given(
    exemptions: tuple[str, ...], advice: dict[str, str | None], review: bool, refinement: bool
) -> None:
    refusal = response(5, "2025-09-26", "refused", *exemptions, flags=advice, text=COST_TEXT)
    fired = names(facts(Regime.FOIA, S.REFUSED, [refusal]), "2025-10-01")
    assert ("refused" in fired) is review
    assert ("cost_refusal" in fired) is refinement


def test_an_unsure_refusal_drafts_nothing_and_says_why() -> None:
    refusal = response(5, "2025-09-26", "refused", "s40", confidence=0.5)
    request = facts(Regime.FOIA, S.REFUSED, [refusal])
    found = decide(request, D("2025-10-01"))
    assert found.plans == ()
    assert [s.trigger for s in found.skipped] == ["refused"]
    assert "confidence 0.50" in found.skipped[0].reason


def test_the_operators_classification_makes_an_unsure_message_sure() -> None:
    refusal = response(5, "2025-09-26", "refused", "s40", confidence=0.3, override=True)
    assert names(facts(Regime.FOIA, S.REFUSED, [refusal]), "2025-10-01") == ["refused"]


def test_a_partial_answer_lists_the_numbered_questions_it_did_not_answer() -> None:
    answer = response(5, "2025-09-26", "partially_successful", text="1) Yes\n2) No\n3) None held")
    review = plan(
        "partially_successful", facts(Regime.FOIA, S.PARTIALLY_SUCCESSFUL, [answer]), "2025-10-01"
    )
    assert review.context["response"]["unanswered"] == [4]


def test_a_partial_answer_in_prose_is_not_sure_which_questions_it_answered() -> None:
    answer = response(5, "2025-09-26", "partially_successful", text="Some of it is attached.")
    review = plan(
        "partially_successful", facts(Regime.FOIA, S.PARTIALLY_SUCCESSFUL, [answer]), "2025-10-01"
    )
    assert review.context["response"]["unanswered"] is None


def test_a_disputed_not_held_answer_drafts_a_review_with_the_operators_reason() -> None:
    answer = response(5, "2025-09-26", "not_held")
    request = facts(Regime.FOIA, S.NOT_HELD, [answer])
    assert names(request, "2025-10-01") == []
    disputed_request = replace(request, dispute=disputed(5), operator_holds=True)
    review = plan("not_held_disputed", disputed_request, "2025-10-01")
    assert review.context["review"]["dispute"].startswith("its 2024 annual report")
    assert names(disputed_request, "2025-10-01") == ["not_held_disputed"]


def test_a_dispute_of_an_earlier_answer_does_not_carry_to_a_later_one() -> None:
    first, second = response(5, "2025-09-26", "not_held"), response(6, "2025-10-06", "not_held")
    request = facts(Regime.FOIA, S.NOT_HELD, [first, second], dispute=disputed(5))
    assert check("not_held_disputed", request, "2025-10-07") is None


# -- cost refusals: the refinement letter ----------------------------------------------------


@pytest.mark.parametrize("regime", ALL)
def test_a_cost_refusal_drafts_a_narrower_new_request(regime: Regime) -> None:
    refusal = response(5, "2025-09-26", "refused", COST[regime], text=COST_TEXT)
    refinement = plan("cost_refusal", facts(regime, S.REFUSED, [refusal]), "2025-10-01")
    assert refinement.kind is OUT.REFINEMENT
    assert refinement.context["refinement"]["narrowed"] == [3, 4]
    assert "dated within the last 12 months." in refinement.context["refinement"]["text"]


def test_the_authoritys_own_period_and_questions_are_used() -> None:
    advice = "If you limited questions 3 and 4 to the last two years we could answer them."
    refusal = response(5, "2025-09-26", "refused", "s12", flags={"advice_s16": advice})
    refinement = plan("cost_refusal", facts(Regime.FOIA, S.REFUSED, [refusal]), "2025-10-01")
    assert refinement.context["refinement"]["period"] == "2 years"
    assert refinement.context["refinement"]["from_advice"] is True
    assert refinement.context["response"]["advice"] == advice


@pytest.mark.parametrize(
    ("regime", "exemption", "text", "fires"),
    [
        (Regime.EIR, "reg12(4)(b)", "It would take 40 hours to locate.", True),
        (Regime.EIR, "reg12(4)(b)", "The request is vexatious in its tone.", False),
        (Regime.FOIA, "reg12(4)(b)", "It would take 40 hours to locate.", False),  # other regime
        (Regime.EISR, "reg12(4)(b)", "It would take 40 hours to locate.", False),
        (Regime.FOISA, "s14", "The request is repeated.", False),
    ],
)
def test_only_a_refusal_on_cost_under_the_requests_regime_is_refined(
    regime: Regime, exemption: str, text: str, fires: bool
) -> None:
    refusal = response(5, "2025-09-26", "refused", exemption, text=text)
    found = check("cost_refusal", facts(regime, S.REFUSED, [refusal]), "2025-10-01")
    assert isinstance(found, DraftPlan) is fires


def test_a_request_without_numbered_questions_leaves_the_narrower_request_to_the_operator() -> None:
    refusal = response(5, "2025-09-26", "refused", "s12")
    request = facts(Regime.FOIA, S.REFUSED, [refusal], body="All emails about bins since 2010.")
    assert plan("cost_refusal", request, "2025-10-01").context["refinement"]["text"] is None


# -- clarification -----------------------------------------------------------------------------


def test_a_clarification_request_drafts_a_reply_quoting_the_question() -> None:
    asked = message(
        1, IN.CLARIFICATION_REQUEST, at("2025-09-10"),
        text="Thank you for your request.\n\nCould you clarify which services you mean by "
        "children's services?\n\nKind regards",
    )  # fmt: skip
    request = facts(Regime.FOISA, S.AWAITING_CLARIFICATION, [asked])
    reply = plan("clarification_requested", request, "2025-09-11")
    assert reply.kind is OUT.CLARIFICATION
    assert reply.context["clarification"]["question"].startswith("Could you clarify which")
    answered = facts(Regime.FOISA, S.AWAITING_RESPONSE, [asked, message(2, OUT.CLARIFICATION,
                     at("2025-09-12"))])  # fmt: skip
    assert check("clarification_requested", answered, "2025-09-15") is None


# -- the regulator -----------------------------------------------------------------------------


def reviewing(regime: Regime, asked: str, *more: MessageFacts) -> RequestFacts:
    refusal = response(5, "2025-09-26", "refused", "s43")
    request = message(6, OUT.REVIEW_REQUEST, at(asked))
    state = S.REVIEW_COMPLETE if more else S.AWAITING_REVIEW
    return facts(regime, state, [refusal, request, *more])


@pytest.mark.parametrize(
    ("regime", "last_day"),
    [
        (Regime.FOIA, "2025-10-31"),  # s.45 Code: 20 working days (40 only exceptionally)
        (Regime.EIR, "2025-11-28"),  # reg 11(4): 40
        (Regime.FOISA, "2025-10-31"),  # s.21(1): 20
        (Regime.EISR, "2025-10-31"),  # reg 16(4): 20
    ],
)
def test_an_overdue_review_drafts_a_complaint_to_the_regulator(
    regime: Regime, last_day: str
) -> None:
    request = reviewing(regime, "2025-10-03")
    assert check("review_overdue", request, last_day) is None
    complaint = plan("review_overdue", request, (D(last_day) + dt.timedelta(days=3)).isoformat())
    assert complaint.kind is OUT.COMPLAINT
    assert complaint.to_addr == (
        "enquiries@foi.scot" if regime.scottish else "icocasework@ico.org.uk"
    )
    assert complaint.address_note and "form" in complaint.address_note
    assert complaint.in_reply_to is None and complaint.references == ()


@pytest.mark.parametrize(
    ("outcome", "fires"), [("upheld", True), ("partly_upheld", True), ("overturned", False)]
)
def test_an_upheld_review_drafts_a_complaint(outcome: str, fires: bool) -> None:
    decided = message(7, IN.REVIEW_OUTCOME, at("2025-10-20"), outcome=outcome)
    found = check("review_upheld", reviewing(Regime.FOIA, "2025-10-03", decided), "2025-10-21")
    assert isinstance(found, DraftPlan) is fires


@pytest.mark.parametrize(
    ("regime", "today", "fires"),
    [
        (Regime.FOIA, "2025-12-01", True),  # ICO: about six weeks (to 1 December)
        (Regime.FOIA, "2025-12-02", False),
        (Regime.FOISA, "2026-04-20", True),  # s.47(4): six months
        (Regime.FOISA, "2026-04-21", False),
    ],
)
def test_a_complaint_about_an_upheld_review_is_drafted_only_in_time(
    regime: Regime, today: str, fires: bool
) -> None:
    decided = message(7, IN.REVIEW_OUTCOME, at("2025-10-20"), outcome="upheld")
    found = check("review_upheld", reviewing(regime, "2025-10-03", decided), today)
    assert isinstance(found, DraftPlan) is fires


# -- the rules every trigger obeys --------------------------------------------------------------


@pytest.mark.parametrize("state", [S.CLOSED, S.WITHDRAWN, S.DRAFT, S.DELIVERY_FAILED])
def test_nothing_is_drafted_for_a_closed_withdrawn_or_undelivered_request(
    state: RequestState,
) -> None:
    refusal = response(5, "2025-09-26", "refused", "s40")
    assert names(facts(Regime.FOIA, state, [refusal]), "2025-10-20") == []


def test_nothing_is_drafted_while_the_operator_holds_the_state() -> None:
    held = facts(operator_holds=True)
    found = decide(held, D("2025-10-20"))
    assert found.plans == () and found.skipped[-1].trigger == "*"


def test_a_live_draft_of_the_same_trigger_blocks_another() -> None:
    pending = drafted("response_overdue", "response_overdue:7:2025-09-01", "pending")
    assert names(facts(drafts=(pending,)), "2025-10-01") == []


@pytest.mark.parametrize("status", ["rejected", "sent", "failed"])
def test_an_existing_key_in_any_status_is_never_drafted_again(status: str) -> None:
    before = drafted("response_overdue", "response_overdue:7:2025-09-29", status)
    assert names(facts(drafts=(before,)), "2025-10-01") == []


def test_a_second_refusal_after_a_refined_request_is_a_new_occurrence() -> None:
    first = response(5, "2025-09-26", "refused", "s12", text=COST_TEXT)
    second = response(9, "2025-11-03", "refused", "s12", text=COST_TEXT)
    done = drafted("cost_refusal", "cost_refusal:7:m5", "sent")
    request = facts(Regime.FOIA, S.REFUSED, [first, second], drafts=(done,))
    (again,) = decide(request, D("2025-11-04")).plans
    assert again.trigger_key == "cost_refusal:7:m9"


def test_a_pending_chaser_is_retired_once_the_authority_has_answered() -> None:
    pending = drafted("response_overdue", "response_overdue:7:2025-09-29", "pending")
    answered = response(5, "2025-10-02", "successful")
    found = decide(facts(Regime.FOIA, S.SUCCESSFUL, [answered], drafts=(pending,)), D("2025-10-03"))
    assert found.retired == (
        ("response_overdue:7:2025-09-29", "no longer needed: the request is now successful"),
    )


@pytest.mark.parametrize("status", ["approved", "rejected"])
def test_only_pending_drafts_are_retired(status: str) -> None:
    earlier = drafted("response_overdue", "response_overdue:7:2025-09-29", status)
    answered = response(5, "2025-10-02", "successful")
    request = facts(Regime.FOIA, S.SUCCESSFUL, [answered], drafts=(earlier,))
    assert decide(request, D("2025-10-03")).retired == ()


def test_a_draft_whose_trigger_is_only_unsure_now_is_kept() -> None:
    pending = drafted("refused", "refused:7:m5", "pending")
    refusal = response(5, "2025-09-26", "refused", "s40", confidence=0.5)
    request = facts(Regime.FOIA, S.REFUSED, [refusal], drafts=(pending,))
    assert decide(request, D("2025-10-01")).retired == ()


@pytest.mark.parametrize(
    ("text", "unanswered"),
    [
        ("1) Yes\n2) No\n3) None held", [4]),
        ("1. Yes\n2. No\n\nNone in respect of Qs. 3-4.", []),
        ("None in respect of Qs. 3-4. We do use analytics.", None),  # prose: not sure
        ("Regarding question 2, we have no plans. The rest is attached.", None),
        ("Please find our response attached.", None),
    ],
)
def test_unanswered_questions_are_named_only_when_the_reply_answers_by_number(
    text: str, unanswered: list[int] | None
) -> None:
    answer = response(5, "2025-09-26", "partially_successful", text=text)
    request = facts(Regime.FOIA, S.PARTIALLY_SUCCESSFUL, [answer])
    found = plan("partially_successful", request, "2025-10-01").context["response"]["unanswered"]
    assert found == unanswered


def test_an_old_chaser_does_not_count_for_the_extended_date() -> None:
    """Chased the original date, then extended to the very-overdue day: the promised date
    is chased first, the review is not drafted the same day."""
    chaser = message(1, OUT.CHASER, at("2025-09-30"))
    extension = message(2, IN.EXTENSION, at("2025-10-01"), dates={"extended_to": "2025-10-27"})
    request = facts(Regime.FOIA, S.EXTENDED, [chaser, extension])
    assert names(request, "2025-10-30") == ["response_overdue"]
