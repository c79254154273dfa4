"""Bounce rules: DSN reports, Exim, NDR senders, subjects and bodies; receipts are not bounces."""

from __future__ import annotations

import pytest

from bot.classify import Signal
from tests.classify.emails import email_of, run

DAEMON = {"sender": "mailer-daemon@mx.example.ac.uk", "name": "Mail Delivery System"}


@pytest.mark.parametrize(
    ("dsn", "severity"),
    [
        ([("5.1.1", "failed", "foi@x.gov.example")], "hard"),
        ([("4.4.1", "delayed", "foi@x.gov.example")], "soft"),
        ([("4.2.2", "failed", "a@x"), ("5.1.10", "failed", "b@x")], "hard"),
    ],
)
def test_dsn_report_gives_hard_or_soft(dsn: list[tuple[str, str, str]], severity: str) -> None:
    """A failed 5.x.x recipient is a hard bounce; only 4.x.x is soft."""
    hit = run("dsn_report", email_of("report", dsn=dsn))
    assert hit is not None and hit.signal is Signal.BOUNCE
    assert dict(hit.flags)["bounce"] == severity
    assert dsn[0][2] in hit.reason


def test_delivered_report_is_a_receipt_not_a_bounce() -> None:
    email = email_of("Your message was delivered.", dsn=[("2.0.0", "delivered", "foi@x")], **DAEMON)
    assert run("dsn_report", email) is None
    receipt = run("receipt_report", email)
    assert receipt is not None and receipt.signal is Signal.RECEIPT


def test_read_receipt_is_a_receipt() -> None:
    hit = run("receipt_report", email_of("was read on", report_type="disposition-notification"))
    assert hit is not None and hit.signal is Signal.RECEIPT


def test_x_failed_recipients_header() -> None:
    hit = run("failed_recipients_header", email_of("", headers={"X-Failed-Recipients": "a@b"}))
    assert hit is not None and "a@b" in hit.reason
    assert run("failed_recipients_header", email_of("")) is None


@pytest.mark.parametrize(
    ("sender", "name", "fires"),
    [
        ("mailer-daemon@googlemail.com", "Mail Delivery Subsystem", True),
        ("postmaster@council.gov.example", "", True),
        ("microsoftexchange329e71ec88ae4615bbc36ab6ce41109e@x.example", "Microsoft Outlook", True),
        ("noreply@council.gov.example", "Mail Delivery System", True),
        ("foi@council.gov.example", "FOI Team", False),
    ],
)
def test_mailer_daemon_sender(sender: str, name: str, fires: bool) -> None:
    assert (
        run("mailer_daemon_sender", email_of("", sender=sender, name=name)) is not None
    ) == fires


@pytest.mark.parametrize(
    ("subject", "severity"),
    [
        ("Undeliverable: FOI request", "hard"),
        ("Delivery Status Notification (Failure)", "hard"),
        ("Mail delivery failed: returning message to sender", "hard"),
        ("Undelivered Mail Returned to Sender", "hard"),
        ("Delivery Status Notification (Delay)", "soft"),
        ("Delivery delayed:FOI request", "soft"),
    ],
)
def test_ndr_subjects(subject: str, severity: str) -> None:
    hit = run("ndr_subject", email_of("", subject=subject))
    assert hit is not None and dict(hit.flags)["bounce"] == severity


@pytest.mark.parametrize(
    "subject", ["RE: Freedom of Information request", "Delivery of your FOI response"]
)
def test_ndr_subject_does_not_fire_on_replies(subject: str) -> None:
    assert run("ndr_subject", email_of("", subject=subject)) is None


@pytest.mark.parametrize(
    ("body", "fires"),
    [
        ("Your message to foi@x couldn't be delivered.", True),
        ("550 5.1.1 User unknown", True),
        ("Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'", True),
        ("This should not be taken as an indication that the information does not exist.", False),
        ("Our response has been delayed by staff absence.", False),
    ],
)
def test_ndr_body(body: str, fires: bool) -> None:
    """NDR wording fires; ordinary letters that say "does not exist" or "delayed" do not."""
    assert (run("ndr_body", email_of(body)) is not None) == fires
