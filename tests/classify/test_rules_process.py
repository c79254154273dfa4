"""Acknowledgement, clarification, extension and fee rules, with their hard negatives."""

from __future__ import annotations

import pytest

from tests.classify.emails import email_of, run


@pytest.mark.parametrize(
    ("rule", "body", "fires"),
    [
        ("receipt_acknowledged", "We have received your request for information.", True),
        ("receipt_acknowledged", "We acknowledge receipt of your request.", True),
        ("receipt_acknowledged", "Your FOI request has been logged.", True),
        ("receipt_acknowledged", "We have received your email and will reply soon.", False),
        ("reference_assigned", "Your enquiry has been given the reference number 10400.", True),
        ("reference_assigned", "Please quote this reference in all correspondence.", True),
        ("reference_assigned", "Freedom of Information Request Reference No: 002406/24", False),
        ("statutory_clock", "You will receive a response within 20 working days.", True),
        ("statutory_clock", "We will respond no later than 4 July 2022.", True),
        ("statutory_clock", "We aim to reply to general enquiries within 10 working days.", False),
    ],
)
def test_acknowledgement_rules(rule: str, body: str, fires: bool) -> None:
    assert (run(rule, email_of(body)) is not None) == fires


def test_statutory_clock_keeps_the_stated_date() -> None:
    hit = run("statutory_clock", email_of("Received on 1 March; we will respond by 29 March 2024."))
    assert hit is not None and dict(hit.dates) == {"respond_by": "2024-03-29"}


def test_acknowledgement_clock_counts_even_when_conditional() -> None:
    """Trafford's "If you are requesting information under the FOI Act ... 20 working day"."""
    body = (
        "If you are requesting information under the Freedom of Information Act, there is a "
        "20 working day statutory timescale."
    )
    assert run("statutory_clock", email_of(body)) is not None


@pytest.mark.parametrize(
    ("rule", "body", "fires"),
    [
        ("clarification_asked", "Please could you clarify which services you mean?", True),
        ("clarification_asked", "Could you tell us which review you mean?", True),
        ("clarification_asked", "We need some further details to identify the information.", True),
        ("clarification_asked", "If we need to clarify your request, we will contact you.", False),
        ("clarification_asked", "Should we need clarification, we will be in touch.", False),
        (
            "clock_paused_for_clarification",
            "We will not be able to progress your request until we hear from you.",
            True,
        ),
        (
            "clock_paused_for_clarification",
            "Under section 1(3) we need not comply until then.",
            True,
        ),
        (
            "clock_paused_for_clarification",
            "The 20 working day period will restart when we receive your clarification.",
            True,
        ),
        (
            "clock_paused_for_clarification",
            "The 20 working day timescale will start on the first working day following receipt.",
            False,
        ),
    ],
)
def test_clarification_rules(rule: str, body: str, fires: bool) -> None:
    """Firm requests fire; an acknowledgement's "if we need to clarify" does not."""
    assert (run(rule, email_of(body)) is not None) == fires


@pytest.mark.parametrize(
    ("rule", "body", "extended_to"),
    [
        (
            "public_interest_extension",
            "We need further time to consider the public interest and expect to respond by"
            " 29 August 2023.",
            "2023-08-29",
        ),
        (
            "public_interest_extension",
            "We have not yet reached a decision and need further time to consider the public"
            " interest.",
            None,
        ),
        (
            "complex_and_voluminous",
            "The request is complex and voluminous, so we will respond by 16 May 2022.",
            "2022-05-16",
        ),
        ("new_response_date", "We now aim to respond by 9th November 2026.", "2026-11-09"),
        (
            "new_response_date",
            "The deadline for responding has been extended to 18 December 2024.",
            "2024-12-18",
        ),
        (
            "new_response_date",
            "The new date for our response is:\n\n16 December 2024",
            "2024-12-16",
        ),
    ],
)
def test_extension_rules_and_dates(rule: str, body: str, extended_to: str | None) -> None:
    hit = run(rule, email_of(body))
    assert hit is not None
    assert dict(hit.dates).get("extended_to") == extended_to


@pytest.mark.parametrize(
    "body",
    [
        "Where a public interest test is required, the Act allows us to extend this period.",
        "We may need to extend the deadline to consider the public interest.",
        "We extended the deadline under s.10(3) and have now completed the public interest test.",
        "Please accept our apologies: we were unable to respond within 20 working days.",
        "I apologise for the delay in responding to your request.",
    ],
)
def test_extension_hard_negatives(body: str) -> None:
    """Possibilities, past extensions and apologies for delay are not extensions."""
    for rule in ("public_interest_extension", "complex_and_voluminous", "new_response_date"):
        assert run(rule, email_of(body)) is None, rule


@pytest.mark.parametrize(
    ("rule", "body", "fires"),
    [
        ("fees_notice_named", "This letter is a fees notice under section 9 of the Act.", True),
        ("fees_notice_named", "Under regulation 8 we may make a reasonable charge.", True),
        (
            "fees_notice_named",
            "In some cases a fee may be payable and we would send a fees notice.",
            False,
        ),
        ("payment_requested", "The cost of photocopying is £38.40, payable by cheque.", True),
        ("payment_requested", "We will release the records on receipt of payment.", True),
        (
            "payment_requested",
            "The cost of compliance would exceed the appropriate limit of £450.",
            False,
        ),
        ("payment_requested", "At £25 per hour the cost would be £1,250.", False),
    ],
)
def test_fee_rules(rule: str, body: str, fires: bool) -> None:
    """Fee demands fire; hedged mentions and s.12 cost estimates do not."""
    assert (run(rule, email_of(body)) is not None) == fires


def test_extension_subject_is_a_sign_not_firm() -> None:
    hit = run("extension_subject", email_of("", subject="FOI 123 - Public Interest Test extension"))
    assert hit is not None and hit.weight < 0.6
    assert run("extension_subject", email_of("", subject="FOI: house extension plans")) is None


@pytest.mark.parametrize(
    ("body", "exemptions"),
    [
        ("Some of the information may be exempt under section 43(2) of the Act.", ("s43",)),
        ("We are considering whether sections 31 and 38 apply.", ("s31", "s38")),
        ("The information is withheld under section 40(2).", None),
    ],
)
def test_exemptions_considered(body: str, exemptions: tuple[str, ...] | None) -> None:
    """Exemptions an extension is considering; a decision is not a consideration."""
    hit = run("exemptions_considered", email_of(body))
    assert (hit.exemptions if hit else None) == exemptions


def test_considered_exemptions_are_not_applied() -> None:
    """Considering whether exemptions apply is no refusal; a clause after "whether" is firm."""
    body = (
        "We are considering whether sections 31 and 38 apply, and we estimate that we will need "
        "a further 20 working days."
    )
    assert run("exemptions_cited", email_of(body)) is None
    assert run("new_response_date", email_of(body)) is not None


def test_not_yet_in_a_position_is_an_extension_not_a_response() -> None:
    body = "I am sorry to say that we are not yet in a position to provide our response to you."
    assert run("new_response_date", email_of(body)) is not None
    assert run("response_delivered", email_of(body)) is None


def test_regulation_7_of_another_instrument_is_not_an_eir_extension() -> None:
    body = "Under section 13 and regulation 7 of the Fees Regulations we can supply it for £90."
    assert run("complex_and_voluminous", email_of(body)) is None


@pytest.mark.parametrize(
    "body",
    [
        "Could you please confirm:\n\n1. the period you mean; and\n2. which services.",
        "Once we receive your reply the 20 working day period will begin again.",
    ],
)
def test_clarification_wordings(body: str) -> None:
    rules = ("clarification_asked", "clock_paused_for_clarification")
    assert any(run(rule, email_of(body)) is not None for rule in rules)


def test_clock_date_from_the_sentence_that_gives_one() -> None:
    body = (
        "We must respond within 20 working days. You should therefore receive a response by "
        "31 March 2025."
    )
    hit = run("statutory_clock", email_of(body))
    assert hit is not None and dict(hit.dates) == {"respond_by": "2025-03-31"}
