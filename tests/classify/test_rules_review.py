"""Internal review rules: acknowledged, decided, and which way."""

from __future__ import annotations

import pytest

from tests.classify.emails import email_of, run

BOILERPLATE = (
    "If you are dissatisfied with the handling of your request, you have the right to ask for "
    "an internal review. If you are not content with the outcome of the internal review, you "
    "may apply to the Information Commissioner."
)


@pytest.mark.parametrize(
    ("body", "fires"),
    [
        ("We acknowledge receipt of your request for an internal review.", True),
        (
            "Your request for an internal review has been logged and passed to a senior officer.",
            True,
        ),
        ("Thank you for requesting an internal review of our handling of your request.", True),
        ("We have received your requirement for review.", True),
        ("We will aim to complete the review within 20 working days.", True),
        (BOILERPLATE, False),
    ],
)
def test_review_acknowledged(body: str, fires: bool) -> None:
    assert (run("review_acknowledged", email_of(body)) is not None) == fires


@pytest.mark.parametrize(
    ("body", "fires"),
    [
        ("I have now completed the internal review of the Council's response.", True),
        ("The internal review of this request has been completed.", True),
        ("The Review Panel has considered your requirement for review.", True),
        ("Having reviewed the original response, I am satisfied it was right.", True),
        ("The outcome of your review will be sent within 20 working days.", False),
        (BOILERPLATE, False),
    ],
)
def test_review_decided(body: str, fires: bool) -> None:
    assert (run("review_decided", email_of(body)) is not None) == fires


def test_review_outcome_subject() -> None:
    assert (
        run("review_outcome_subject", email_of("", subject="Internal review outcome - FOI 12"))
        is not None
    )
    assert run("review_outcome_subject", email_of("", subject="Internal review - FOI 12")) is None


@pytest.mark.parametrize(
    ("body", "rule"),
    [
        ("I therefore uphold the original decision.", "review_upheld"),
        ("I am satisfied that section 43(2) was correctly applied.", "review_upheld"),
        ("The Panel does not uphold your complaint.", "review_upheld"),
        ("I have decided to confirm the original decision without modification.", "review_upheld"),
        ("Your complaint is upheld, and the figures are provided below.", "review_overturned"),
        ("I have decided to overturn the original decision.", "review_overturned"),
        ("I do not uphold the original decision.", "review_overturned"),
        ("The ICB was wrong to withhold the contract values.", "review_overturned"),
        ("The Panel has substituted a different decision.", "review_overturned"),
        ("Your complaint is partially upheld.", "review_partly_upheld"),
        ("The original decision is therefore upheld in part.", "review_partly_upheld"),
        ("Some of the withheld information should now be released.", "review_partly_upheld"),
    ],
)
def test_which_way(body: str, rule: str) -> None:
    """Each outcome fires its own rule and not the opposite one."""
    assert run(rule, email_of(body)) is not None
    opposite = {"review_upheld": "review_overturned", "review_overturned": "review_upheld"}
    if rule in opposite:
        assert run(opposite[rule], email_of(body)) is None


def test_satisfied_that_it_was_not_applied_is_not_upheld() -> None:
    body = "I am satisfied that the exemption was not correctly applied."
    assert run("review_upheld", email_of(body)) is None
    assert run("review_overturned", email_of(body)) is not None


@pytest.mark.parametrize(
    "body",
    [
        "Your representations have been passed to the Head of Legal Services, who will "
        "reconsider the decision.",
        "Your request has been passed to the force's Review Officer.",
        "The force aims to complete internal reviews within 20 working days.",
    ],
)
def test_review_acknowledged_wordings(body: str) -> None:
    """EIR reg 11 representations, a review officer, the review timescale."""
    assert run("review_acknowledged", email_of(body)) is not None


def test_review_acknowledgement_keeps_the_due_date() -> None:
    body = "We have received your request for an internal review. That is by 20 November 2023."
    hit = run("review_acknowledged", email_of(body))
    assert hit is not None and dict(hit.dates) == {"respond_by": "2023-11-20"}


def test_original_decision_should_not_stand() -> None:
    body = "I have decided that the original decision should not stand."
    assert run("review_decided", email_of(body)) is not None
    assert run("review_overturned", email_of(body)) is not None
