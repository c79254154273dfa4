"""Machine-sent mail rules: headers, out-of-office subjects and bodies, list mail, thanks."""

from __future__ import annotations

import pytest

from bot.classify import Signal
from tests.classify.emails import email_of, run


@pytest.mark.parametrize(
    ("value", "weight"), [("auto-replied", 0.9), ("auto-generated", 0.5), ("no", None)]
)
def test_auto_submitted(value: str, weight: float | None) -> None:
    """auto-replied is a reply (RFC 3834); auto-generated only machine-sent; "no" is nothing."""
    hit = run("auto_submitted_header", email_of("", headers={"Auto-Submitted": value}))
    assert (hit.weight if hit else None) == weight


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("X-Autoreply", "yes"),
        ("X-Autorespond", "yes"),
        ("X-POST-MessageClass", "9; Autoresponder"),
        ("X-MS-Exchange-Inbox-Rules-Loop", "someone@council.gov.example"),
    ],
)
def test_autoreply_headers(header: str, value: str) -> None:
    hit = run("autoreply_headers", email_of("", headers={header: value}))
    assert hit is not None and hit.signal is Signal.AUTOMATIC


def test_x_post_messageclass_other_values_do_not_fire() -> None:
    assert (
        run("autoreply_headers", email_of("", headers={"X-POST-MessageClass": "1; Normal"})) is None
    )


@pytest.mark.parametrize(
    ("value", "fires"), [("auto_reply", True), ("bulk", True), ("first-class", False)]
)
def test_precedence(value: str, fires: bool) -> None:
    assert (
        run("precedence_header", email_of("", headers={"Precedence": value})) is not None
    ) == fires


def test_list_headers_mark_list_mail() -> None:
    hit = run("mailing_list_headers", email_of("", headers={"List-Unsubscribe": "<mailto:u@x>"}))
    assert hit is not None and hit.signal is Signal.MAILING_LIST


@pytest.mark.parametrize(
    ("subject", "signal"),
    [
        ("Automatic reply: FOI request", Signal.AUTOMATIC),
        ("Out of Office: FOI request", Signal.ABSENCE),
        ("Mark Ellison is out of the office.", Signal.ABSENCE),
        ("Auto-Response: your enquiry", Signal.AUTOMATIC),
        ("RE: Freedom of Information request", None),
        ("Office opening hours FOI", None),
    ],
)
def test_oof_subject(subject: str, signal: Signal | None) -> None:
    hit = run("oof_subject", email_of("", subject=subject))
    assert (hit.signal if hit else None) == signal


@pytest.mark.parametrize(
    ("body", "fires"),
    [
        ("I am currently on annual leave, returning on 11 March.", True),
        ("I will be back in the office on Monday.", True),
        ("I will have limited access to my emails.", True),
        ("This mailbox is no longer monitored.", True),
        ("My working days are Monday to Wednesday.", True),
        ("The officer who dealt with your request is now on leave.", False),
        ("If your matter is urgent please call 101.", False),
    ],
)
def test_absence_notice(body: str, fires: bool) -> None:
    """A person's own absence, in the first person; not a mention of someone's leave."""
    assert (run("absence_notice", email_of(body)) is not None) == fires


def test_generic_thanks_only_for_short_notices() -> None:
    short = email_of("Thank you for your email.\n\nWe aim to reply within 10 working days.")
    assert run("generic_thanks", short) is not None
    letter = email_of("Thank you for your email. " + "Here is our full answer. " * 80)
    assert run("generic_thanks", letter) is None
    assert run("generic_thanks", email_of("Dear Sir, please find our response.")) is None


def test_generic_thanks_in_welsh() -> None:
    body = "Diolch am eich e-bost. Byddwn yn ymateb cyn gynted â phosibl.\n\nThank you."
    assert run("generic_thanks", email_of(body)) is not None
