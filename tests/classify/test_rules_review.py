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
