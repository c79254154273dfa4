"""Letters: every trigger's letter for FOIA, EIR, FOISA (and EISR), compared with golden files.

The golden files in tests/golden/letters/ are the exact letters (recipient, subject,
threading and body). Any difference fails. After a deliberate change, regenerate
them and read the diff before committing:

    FOIBOT_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_letters.py
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from bot.drafting import BY_NAME, DraftPlan, Requester, RequestFacts, unfilled_placeholders
from bot.drafting.campaign import letter_context, template_context
from bot.errors import LetterTemplateError
from bot.letters import TEMPLATES, render_letter, render_text, template_problems
from bot.matching.outgoing import follow_up_kind, looks_like_request
from bot.vocabulary import AuthorityKind, IncomingKind, OutgoingKind, Regime, RequestState
from tests.drafting.builders import at, disputed, facts, message

GOLDEN = Path(__file__).parent / "golden" / "letters"
UPDATE = os.environ.get("FOIBOT_UPDATE_GOLDEN") == "1"
IN, OUT, S = IncomingKind, OutgoingKind, RequestState
COST_TEXT = "Complying would take more than 18 hours and exceed the cost limit."
ADVICE = (
    "You may wish to narrow your request. For example, if you limited questions 3 and 4 to "
    "information dated within the last 12 months, we expect that we could answer it."
)
CLARIFY = (
    "Thank you for your request, which we received on 1 September.\n\n"
    "Before we can answer it, could you please confirm which services you mean by "
    "children's services, and what period questions 3 and 4 should cover?\n\n"
    "Under section 1(3) we will not proceed until we hear from you.\n\nKind regards"
)


def refusal(regime: Regime, *exemptions: str, **kw: object) -> RequestFacts:
    answer = message(5, IN.RESPONSE, at("2025-09-26"), outcome="refused", exemptions=exemptions,
                     **kw)  # type: ignore[arg-type]  # fmt: skip
    return facts(regime, S.REFUSED, [answer])


def reviewed(regime: Regime, outcome: str | None) -> RequestFacts:
    exemption = {Regime.FOIA: "s43", Regime.FOISA: "s33"}.get(regime, "reg12(5)(e)")
    answer = message(5, IN.RESPONSE, at("2025-09-26"), outcome="refused", exemptions=(exemption,),
                     text="We withhold the contracts: they are commercially sensitive.",
                     )  # fmt: skip
    asked = message(6, OUT.REVIEW_REQUEST, at("2025-10-03"), text="Please review the refusal.")
    more = [message(7, IN.REVIEW_OUTCOME, at("2025-10-20"), outcome=outcome,
                    text="The panel upholds the decision.")] if outcome else []  # fmt: skip
    state = S.REVIEW_COMPLETE if outcome else S.AWAITING_REVIEW
    return facts(regime, state, [answer, asked, *more])


def chased(regime: Regime, **kw: object) -> RequestFacts:
    return facts(regime, messages=[message(1, OUT.CHASER, at("2025-10-01"))], **kw)  # type: ignore[arg-type]


# name -> (trigger, facts, today)
CASES: dict[str, tuple[str, Callable[[], RequestFacts], str]] = {
    "chaser_foia": ("response_overdue", lambda: facts(Regime.FOIA), "2025-09-30"),
    "chaser_foia_school": (
        "response_overdue", lambda: facts(Regime.FOIA, kind=AuthorityKind.SCHOOL), "2025-10-01"),
    "chaser_eir_extended": ("response_overdue", lambda: facts(Regime.EIR, S.EXTENDED, [
        message(1, IN.EXTENSION, at("2025-09-22"), dates={"extended_to": "2025-10-27"})]),
        "2025-10-28"),
    "chaser_foisa_after_clarification": ("response_overdue", lambda: facts(Regime.FOISA, messages=[
        message(1, IN.CLARIFICATION_REQUEST, at("2025-09-03")),
        message(2, OUT.CLARIFICATION, at("2025-09-08"))]), "2025-10-07"),
    "internal_review_foia_refused_cost_no_advice": ("refused", lambda: refusal(
        Regime.FOIA, "s12", flags={"advice_s16": None}, text=COST_TEXT), "2025-10-01"),
    "internal_review_foia_partial_unanswered_late": ("partially_successful", lambda: facts(
        Regime.FOIA, S.PARTIALLY_SUCCESSFUL, [message(
            5, IN.RESPONSE, at("2025-10-03"), outcome="partially_successful", exemptions=("s43",),
            text="1) Yes.\n2) No.\n3) Withheld under section 43(2).")]), "2025-10-06"),
    "internal_review_foia_partial_unsure_which": ("partially_successful", lambda: facts(
        Regime.FOIA, S.PARTIALLY_SUCCESSFUL, [message(
            5, IN.RESPONSE, at("2025-09-26"), outcome="partially_successful",
            text="Please find attached the information we hold.")]), "2025-10-01"),
    "internal_review_eir_refused": (
        "refused", lambda: refusal(Regime.EIR, "reg12(5)(e)", "reg13"), "2025-10-01"),
    "internal_review_foisa_no_response": ("very_overdue", lambda: chased(Regime.FOISA),
                                          "2025-10-28"),
    "internal_review_eisr_not_held_disputed": ("not_held_disputed", lambda: facts(
        Regime.EISR, S.NOT_HELD, [message(5, IN.RESPONSE, at("2025-09-26"), outcome="not_held")],
        dispute=disputed(5)), "2025-10-01"),
    "refinement_foia_with_advice": ("cost_refusal", lambda: refusal(
        Regime.FOIA, "s12", flags={"advice_s16": ADVICE}, text=f"{COST_TEXT}\n\n{ADVICE}"),
        "2025-10-01"),
    "refinement_foisa_no_advice": ("cost_refusal", lambda: refusal(
        Regime.FOISA, "s12", flags={"advice_s16": None}, text=COST_TEXT), "2025-10-01"),
    "refinement_eir_unnumbered_request": ("cost_refusal", lambda: replace(refusal(
        Regime.EIR, "reg12(4)(b)", text=COST_TEXT), body="All air quality reports since 1990."),
        "2025-10-01"),
    "clarification_reply_foia": ("clarification_requested", lambda: facts(
        Regime.FOIA, S.AWAITING_CLARIFICATION,
        [message(1, IN.CLARIFICATION_REQUEST, at("2025-09-03"), text=CLARIFY)]), "2025-09-04"),
    "clarification_reply_foisa": ("clarification_requested", lambda: facts(
        Regime.FOISA, S.AWAITING_CLARIFICATION, [message(
            1, IN.CLARIFICATION_REQUEST, at("2025-09-03"), text=CLARIFY)], references=()),
        "2025-09-04"),
    "regulator_complaint_foia_upheld": (
        "review_upheld", lambda: reviewed(Regime.FOIA, "upheld"), "2025-10-21"),
    "regulator_complaint_eir_review_overdue": (
        "review_overdue", lambda: reviewed(Regime.EIR, None), "2025-12-01"),
    "regulator_complaint_foisa_review_overdue": (
        "review_overdue", lambda: reviewed(Regime.FOISA, None), "2025-11-03"),
    "regulator_complaint_eisr_partly_upheld": (
        "review_upheld", lambda: reviewed(Regime.EISR, "partly_upheld"), "2025-10-21"),
}  # fmt: skip


def plan_of(case: str) -> DraftPlan:
    trigger, build, today = CASES[case]
    found = BY_NAME[trigger].check(build(), dt.date.fromisoformat(today))
    assert isinstance(found, DraftPlan), found
    return found


def shown(to: str, subject: str, body: str, plan: DraftPlan | None = None) -> str:
    head = [f"To: {to}", f"Subject: {subject}"]
    if plan is not None:
        head += [f"In-Reply-To: {plan.in_reply_to}", f"References: {' '.join(plan.references)}"]
        if plan.address_note:
            head.append(f"Address-Note: {plan.address_note}")
    return "\n".join(head) + "\n\n" + body


def compare(name: str, text: str) -> None:
    path = GOLDEN / f"{name}.txt"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with FOIBOT_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{path.name} differs from the golden file"


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_letter_matches_its_golden_file(case: str) -> None:
    plan = plan_of(case)
    letter = render_letter(plan.template, plan.context)
    compare(case, shown(plan.to_addr, letter.subject, letter.body, plan))


CAMPAIGN_TEMPLATE = """Subject: Pothole claims {{ today[:4] }}

Please can you tell me, for {{ authority.name }}:

1) How many pothole damage claims you received in each of the last three financial years.
2) How much you paid out on them in each of those years.
"""


@pytest.mark.parametrize("regime", [Regime.FOIA, Regime.EIR, Regime.FOISA])
def test_each_initial_request_matches_its_golden_file(regime: Regime) -> None:
    authority = {"name": "Glenmuir Council" if regime.scottish else "Caerwen County Council",
                 "email": "foi@council.example", "nation": "wales", "kind": "council"}  # fmt: skip
    requester = Requester("Research Team", "research@example.ac.uk", "1 High Street, Northmoor")
    base = template_context(regime, "Potholes", authority, requester, dt.date(2025, 9, 1))
    asked = render_text(CAMPAIGN_TEMPLATE, base)
    context = letter_context(base, asked.subject, asked.body, "FOI-1A2B3C")
    letter = render_letter("initial_request", context)
    assert looks_like_request(letter.subject, letter.body)
    compare(f"initial_request_{regime.value}", shown("foi@council.example", *vars(letter).values()))


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_letter_sent_by_hand_would_be_recognised_as_its_kind(case: str) -> None:
    """Sent mail is classified by its words (bot.matching.outgoing.follow_up_kind): each
    letter's wording must say what it is, and nothing that says another kind."""
    plan = plan_of(case)
    letter = render_letter(plan.template, plan.context)
    assert follow_up_kind(letter.subject, letter.body) is plan.kind


@pytest.mark.parametrize("case", sorted(CASES))
def test_letters_cite_their_own_regime_and_regulator_only(case: str) -> None:
    plan = plan_of(case)
    body = render_letter(plan.template, plan.context).body
    scottish = plan.context["regime"] in ("foisa", "eisr")
    if scottish:
        assert "Freedom of Information Act 2000" not in body and "ICO" not in body
    else:
        assert "Scottish" not in body


@pytest.mark.parametrize(
    ("case", "placeholders"),
    [
        ("chaser_foia", 0),
        ("internal_review_foia_refused_cost_no_advice", 0),
        ("internal_review_foia_partial_unsure_which", 1),  # which parts: only the operator knows
        ("refinement_foia_with_advice", 0),
        ("refinement_eir_unnumbered_request", 1),  # the narrower request itself
        ("clarification_reply_foia", 1),
        ("regulator_complaint_foia_upheld", 1),  # the grounds of the complaint
        ("regulator_complaint_eir_review_overdue", 0),
    ],
)
def test_what_only_the_operator_knows_is_a_placeholder_that_blocks_approval(
    case: str, placeholders: int
) -> None:
    plan = plan_of(case)
    assert (
        len(unfilled_placeholders(render_letter(plan.template, plan.context).body)) == placeholders
    )


def test_a_filled_in_placeholder_is_no_longer_reported() -> None:
    body = "You asked:\n\n[[FILL IN: your answer]]\n[[ fill in: more ]]\n"
    assert unfilled_placeholders(body) == ["[[FILL IN: your answer]]", "[[ fill in: more ]]"]
    assert unfilled_placeholders(body.replace("[[FILL IN: your answer]]", "Social care.")) == [
        "[[ fill in: more ]]"
    ]


# -- templates: overrides and errors --------------------------------------------------------


def test_a_users_template_overrides_the_shipped_one(tmp_path: Path) -> None:
    (tmp_path / "chaser.txt.j2").write_text(
        'Subject: Chasing {{ request.title }}\n\n{% include "_greeting.txt.j2" %}\n\nWell?\n'
    )
    plan = plan_of("chaser_foia")
    letter = render_letter("chaser", plan.context, tmp_path)
    assert letter.subject == "Chasing Freedom of Information request - predictive analytics"
    assert letter.body.endswith("Dear Northmoor Metropolitan Borough Council,\n\nWell?\n")
    assert render_letter("refinement", plan_of("refinement_foia_with_advice").context, tmp_path)


def test_a_missing_variable_is_an_error_naming_the_template_and_line(tmp_path: Path) -> None:
    (tmp_path / "chaser.txt.j2").write_text("Subject: x\n\nDear {{ authority.nmae }},\n")
    with pytest.raises(LetterTemplateError, match=r"chaser\.txt\.j2 line 3: .*nmae"):
        render_letter("chaser", plan_of("chaser_foia").context, tmp_path)


def test_a_syntax_error_is_reported_at_config_load_and_at_render(tmp_path: Path) -> None:
    (tmp_path / "chaser.txt.j2").write_text("Subject: x\n\n{% if %}\n")
    (tmp_path / "chasr.txt.j2").write_text("typo in the name\n")
    (tmp_path / "_footer.txt.j2").write_text("a partial is fine\n")
    problems = template_problems(tmp_path)
    assert len(problems) == 2
    assert problems[0].startswith("letters.template_dir: chaser.txt.j2 line 3:")
    assert "chasr.txt.j2 is not a letter foibot writes" in problems[1]
    with pytest.raises(LetterTemplateError, match=r"chaser\.txt\.j2: line 3"):
        render_letter("chaser", plan_of("chaser_foia").context, tmp_path)
    assert template_problems(tmp_path / "missing") == [
        f"letters.template_dir: {tmp_path / 'missing'} is not a directory"
    ]
    assert template_problems(None) == []


def test_every_shipped_template_parses_and_an_unknown_letter_is_an_error() -> None:
    from bot.letters import SHIPPED

    assert template_problems(SHIPPED) == []
    assert {p.name[: -len(".txt.j2")] for p in SHIPPED.glob("[!_]*.txt.j2")} == set(TEMPLATES)
    with pytest.raises(LetterTemplateError, match=r"no_such\.txt\.j2: not found"):
        render_letter("no_such", {})


def test_inserted_text_is_plain_and_a_subject_is_one_line() -> None:
    letter = render_text(
        "Subject: {{ title }}\n\n{{ name }} & <b>{{ '{{ 1 + 1 }}' }}</b>\n",
        {"title": "Bins\r\nBcc: x@evil.example", "name": "Smith & Sons <foi@x>"},
    )
    assert letter.subject == "Bins Bcc: x@evil.example"
    assert letter.body == "Smith & Sons <foi@x> & <b>{{ 1 + 1 }}</b>\n"


def test_a_template_without_a_subject_line_uses_the_context_subject_or_fails() -> None:
    assert render_text("Hello\n", {"subject": "Bins"}).subject == "Bins"
    with pytest.raises(LetterTemplateError, match="no subject"):
        render_text("Hello\n", {})


def test_a_refinement_after_a_partial_answer_says_part_was_answered() -> None:
    """Cost refusal of part of a request: the letter must not say the whole was refused."""
    answer = message(5, IN.RESPONSE, at("2025-09-26"), outcome="partially_successful",
                     exemptions=("s12",), text=COST_TEXT)  # fmt: skip
    request = facts(Regime.FOIA, S.PARTIALLY_SUCCESSFUL, [answer])
    found = BY_NAME["cost_refusal"].check(request, dt.date(2025, 10, 1))
    assert isinstance(found, DraftPlan)
    body = render_letter(found.template, found.context).body
    assert "You answered part of it and refused the rest" in body
    assert "You refused it" not in body
