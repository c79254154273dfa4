"""Response, refusal and not-held rules; quoted request text never counts."""

from __future__ import annotations

import pytest

from bot.classify import Signal
from tests.classify.emails import email_of, run

OUR_REQUEST = (
    "If it is not possible to provide the information requested due to the information "
    "exceeding the cost of compliance limits identified in s.12 FOIA, please provide advice "
    "and assistance as to how I can refine my request, as required under s.16 FOIA."
)


@pytest.mark.parametrize(
    ("rule", "body", "fires"),
    [
        ("response_delivered", "Please find our response below.", True),
        ("response_delivered", "In response to your Freedom of Information request, ...", True),
        ("response_delivered", "Answer:", True),
        ("response_delivered", "Our response times may be longer than usual.", False),
        (
            "response_delivered",
            "The statutory deadline for our response is 20 working days.",
            False,
        ),
        ("information_disclosed", "Please find attached the information you requested.", True),
        ("information_disclosed", "We attach the building control certificates.", True),
        ("information_disclosed", "The contracts register can be found on our website.", True),
        ("information_disclosed", "Please see the attached letter, which is our response.", False),
        ("information_disclosed", "We are unable to provide the information requested.", False),
        ("figures_given", "There were 42 referrals to the service in 2023.", True),
        ("figures_given", "The appropriate limit is £450, or 18 hours of work.", False),
    ],
)
def test_response_rules(rule: str, body: str, fires: bool) -> None:
    assert (run(rule, email_of(body)) is not None) == fires


def test_answers_given_counts_short_answers() -> None:
    """ "No", "None in existence", "N/A" and figures are answers; "Not held" is not."""
    answers = "1. No\n2. None in existence\n3) N/A\n4. 3,412\n5. Not held"
    hit = run("answers_given", email_of(answers))
    assert hit is not None and hit.reason.startswith("4 answers")
    assert run("answers_given", email_of("1) Has the council used analytics?\n2) No")) is None


def test_table_cells_are_answers() -> None:
    """An HTML table rendered as text columns gives one answer per cell."""
    body = "1) Is the council using AI?      1) No\n2) Any reports?      2) None"
    assert run("answers_given", email_of(body)) is not None


@pytest.mark.parametrize(
    ("name", "signal"),
    [
        ("Response not held.pdf", Signal.NOT_HELD),
        ("Refusal Notice.pdf", Signal.WITHHELD),
        ("spend by ward.xlsx", Signal.DISCLOSED),
        ("FOI 1234 Response.pdf", Signal.RESPONSE),
        ("image001.png", None),
    ],
)
def test_attachment_names(name: str, signal: Signal | None) -> None:
    hit = run("attachment_names", email_of("", attachments={name: None}))
    assert (hit.signal if hit else None) == signal


@pytest.mark.parametrize(
    ("body", "part"),
    [
        ("The Council does not hold this information.", False),
        ("In accordance with section 1(1)(a), the Trust does not hold the information.", False),
        ("Regarding Qs. 4-6, this information is not held by the Council.", True),
        ("Not held. Clearance costs are not recorded separately.", False),
        ("No information is held about such systems.", False),
    ],
)
def test_not_held(body: str, part: bool) -> None:
    hit = run("not_held_statement", email_of(body))
    assert hit is not None and hit.part == part


@pytest.mark.parametrize(
    "body",
    [
        "We do not hold any contracts with third-party suppliers.",  # an answer: there are none
        "None in existence",
        "If the information is not held, we will tell you.",
    ],
)
def test_not_held_negatives(body: str) -> None:
    assert run("not_held_statement", email_of(body)) is None


@pytest.mark.parametrize(
    ("body", "exemptions", "signal"),
    [
        (
            "The information is withheld under sections 31(1)(a), 40(2) and 43(2).",
            ("s31", "s40", "s43"),
            Signal.WITHHELD,
        ),
        (
            "The exceptions at regulations 12(4)(b) and 13 apply.",
            ("reg12(4)(b)", "reg13"),
            Signal.WITHHELD,
        ),
        (
            "It is published on our website, so it is exempt under section 21.",
            ("s21",),
            Signal.DISCLOSED,
        ),
        (
            "Where fewer than five cases occurred, it is withheld under section 38(1)(b) of FOISA.",
            ("s38",),
            Signal.WITHHELD,
        ),
    ],
)
def test_exemptions_cited(body: str, exemptions: tuple[str, ...], signal: Signal) -> None:
    """Citations with refusal context; s.21 alone points to the information (given)."""
    hit = run("exemptions_cited", email_of(body))
    assert hit is not None and hit.exemptions == exemptions and hit.signal is signal


def test_exemptions_listed_after_an_introduction() -> None:
    body = (
        "We neither confirm nor deny holding it, by virtue of the following exemptions:\n\n"
        "Section 23(5) - Information supplied by security bodies\n\n"
        "Section 24(2) - National Security"
    )
    hit = run("exemptions_cited", email_of(body))
    assert hit is not None and hit.exemptions == ("s23", "s24")


@pytest.mark.parametrize(
    "body",
    [
        "Where information is exempt we will tell you which exemption applies.",
        "Information intended for future publication may be exempt under section 22.",
        "Your previous request was refused because it exceeded the appropriate limit (section 12).",
        "Assessments under section 17 of the Children Act 1989 are recorded.",
    ],
)
def test_exemption_negatives(body: str) -> None:
    """Possibilities, earlier requests and other Acts' sections are not exemptions applied."""
    assert run("exemptions_cited", email_of(body)) is None


def test_quoted_request_is_never_read() -> None:
    """Our request below the reply names s.12 and s.16; no refusal rule fires on it."""
    email = email_of("Please find our response attached.", quoted=OUR_REQUEST)
    for rule in ("cost_limit", "exemptions_cited", "refusal_wording", "s16_advice"):
        assert run(rule, email) is None, rule


def test_our_request_restated_in_the_reply_is_hedged() -> None:
    """Even restated inside the reply, the requester's "If it is not possible ..." is hedged."""
    assert run("cost_limit", email_of(OUR_REQUEST)) is None


@pytest.mark.parametrize(
    ("body", "fires", "part"),
    [
        ("Complying would exceed the appropriate limit of £450 (18 hours).", True, False),
        (
            "We are refusing question 5 under section 12, as it would take over 18 hours.",
            True,
            True,
        ),
        ("The cost limit under section 12(1) of FOISA is £600 and would be exceeded.", True, False),
        (
            "Where the cost would exceed the appropriate limit we may not be able to help.",
            False,
            False,
        ),
        (
            "Our last response to a previous iteration of this FOI declined it as it would"
            " take more than 18 hours.",
            False,
            False,
        ),
    ],
)
def test_cost_limit(body: str, fires: bool, part: bool) -> None:
    hit = run("cost_limit", email_of(body))
    assert (hit is not None) == fires
    if hit:
        assert hit.exemptions == ("s12",) and hit.part == part


def test_s16_advice_is_quoted() -> None:
    body = (
        "Complying would exceed the appropriate limit. If you were to narrow question 5 to the "
        "last 12 months, we may be able to answer it within the cost limit."
    )
    hit = run("s16_advice", email_of(body))
    assert hit is not None
    assert "narrow question 5 to the last 12 months" in str(dict(hit.flags)["advice_s16"])


def test_s16_advice_refused_explicitly() -> None:
    body = "We cannot identify any way in which the request could be narrowed to fit the limit."
    hit = run("s16_advice", email_of(body))
    assert hit is not None and dict(hit.flags)["advice_s16"] == ""


@pytest.mark.parametrize(
    ("rule", "body", "fires"),
    [
        ("vexatious", "We consider this request vexatious under section 14(1).", True),
        ("refusal_wording", "This letter acts as a refusal notice under section 17.", True),
        (
            "refusal_wording",
            "This letter acts as a refusal notice because the information is not held.",
            False,
        ),
        ("redaction", "Officers' names have been redacted.", True),
    ],
)
def test_other_refusal_rules(rule: str, body: str, fires: bool) -> None:
    assert (run(rule, email_of(body)) is not None) == fires


@pytest.mark.parametrize(
    ("body", "exemptions"),
    [
        ("The force was entitled to neither confirm nor deny by virtue of section 30(3), without "
         "needing to rely on section 31(3).", ("s30",)),
        ("In terms of section 21(4)(b) of FOISA, we withhold it under section 30(b) of FOISA.",
         ("s30",)),
    ],
)  # fmt: skip
def test_exemptions_not_relied_on_and_foisa_procedure(
    body: str, exemptions: tuple[str, ...]
) -> None:
    """An exemption not relied on is not cited; FOISA s.21 is the review procedure."""
    hit = run("exemptions_cited", email_of(body))
    assert hit is not None and hit.exemptions == exemptions
