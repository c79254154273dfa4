"""Addressing and threading of outgoing letters: recipient, In-Reply-To, References, subject."""

from __future__ import annotations

import pytest

from bot.drafting import address, is_noreply, subject_core
from bot.drafting.addressing import MAX_REFERENCES, base_subject
from bot.vocabulary import IncomingKind, OutgoingKind
from tests.drafting.builders import FOI_ADDRESS, at, facts, message

IN, OUT = IncomingKind, OutgoingKind


@pytest.mark.parametrize(
    ("sender", "noreply"),
    [
        ("noreply@crm.northmoor.gov.example", True),
        ("no-reply@council.example", True),
        ("No_Reply@council.example", True),
        ("donotreply@mail.loughside.hscni.example", True),
        ("do-not-reply@council.example", True),
        ("MAILER-DAEMON@mx1.example.ac.uk", True),
        ("postmaster@council.example", True),
        ("foi-noreply@council.example", True),
        ("foi@council.example", False),
        ("priya.shah@hartwell.gov.example", False),
        ("foi-requests@northmoor-council.example", False),
        ("postmasters.office@council.example", False),  # a person's office, not the daemon
    ],
)
def test_no_reply_senders_are_recognised(sender: str, noreply: bool) -> None:
    assert is_noreply(sender) is noreply


def test_a_request_without_replies_goes_to_its_foi_address_threaded_on_our_request() -> None:
    addressing = address(facts())
    assert addressing.to_addr == FOI_ADDRESS and addressing.address_note is None
    assert addressing.in_reply_to == "request@example.ac.uk"
    assert addressing.references == ("request@example.ac.uk",)


def test_the_letter_replies_to_the_authoritys_latest_real_message() -> None:
    ack = message(1, IN.ACKNOWLEDGEMENT, at("2025-09-01", 11), from_addr="noreply@council.example")
    oof = message(2, IN.AUTO_REPLY, at("2025-09-02"), from_addr="priya.shah@council.example")
    bounce = message(3, IN.BOUNCE, at("2025-09-03"), from_addr="MAILER-DAEMON@mx.example")
    addressing = address(facts(messages=[ack, oof, bounce]))
    assert addressing.in_reply_to == "m1@council.example"
    assert addressing.references == ("request@example.ac.uk", "m1@council.example")
    assert addressing.to_addr == FOI_ADDRESS  # never the no-reply acknowledgement's sender
    assert addressing.address_note is None  # an out-of-office is not a new correspondent


def test_a_new_address_seen_once_is_named_for_the_operator_to_confirm() -> None:
    reply = message(1, IN.RESPONSE, at("2025-09-20"), from_addr="Jo.Bloggs@council.example")
    addressing = address(facts(messages=[reply]))
    assert addressing.to_addr == FOI_ADDRESS
    assert addressing.address_note is not None
    assert "jo.bloggs@council.example" in addressing.address_note
    assert "seen only once" in addressing.address_note


def test_an_address_the_authority_has_used_before_needs_no_confirmation() -> None:
    first = message(1, IN.ACKNOWLEDGEMENT, at("2025-09-02"), from_addr="team@council.example")
    second = message(2, IN.RESPONSE, at("2025-09-20"), from_addr="team@council.example")
    assert address(facts(messages=[first, second])).address_note is None


def test_a_no_reply_foi_address_falls_back_to_a_person_who_wrote_with_a_note() -> None:
    reply = message(1, IN.RESPONSE, at("2025-09-20"), from_addr="officer@council.example")
    request = facts(messages=[reply], to_address="noreply@council.example")
    addressing = address(request)
    assert addressing.to_addr == "officer@council.example"
    assert addressing.address_note and "no-reply" in addressing.address_note


def test_references_keep_the_root_and_the_newest_messages() -> None:
    replies = [message(i, IN.OTHER, at(f"2025-09-{i + 1:02d}")) for i in range(1, 20)]
    addressing = address(facts(messages=replies))
    assert len(addressing.references) == MAX_REFERENCES
    assert addressing.references[0] == "request@example.ac.uk"
    assert addressing.references[-1] == "m19@council.example" == addressing.in_reply_to


@pytest.mark.parametrize(
    ("subject", "references", "token", "expected"),
    [
        ("Bins", ("FOI 10400",), None, "FOI 10400 - Bins"),
        ("RE: Re: Fwd: Bins", ("FOI 10400",), None, "FOI 10400 - Bins"),
        ("Bins", ("10412", "FOI 10412"), None, "FOI 10412 - Bins"),  # the lettered form
        ("Bins", ("10412",), None, "Ref 10412 - Bins"),
        ("Freedom of Information Request NCC-049446-20", ("NCC-049446-20",), None,
         "Freedom of Information Request NCC-049446-20"),  # already there
        ("Bins", (), "FOI-1A2B3C", "Bins [FOI-1A2B3C]"),
        ("Bins [FOI-1A2B3C]", ("EIR 21/123",), "FOI-1A2B3C", "EIR 21/123 - Bins [FOI-1A2B3C]"),
        ("Bins", (), "FOI-123456", "Bins"),  # not a valid token: is_tracking_token says no
    ],
)  # fmt: skip
def test_the_subject_keeps_the_reference_and_our_token_without_piling_up_re(
    subject: str, references: tuple[str, ...], token: str | None, expected: str
) -> None:
    request = facts(references=references, subject=subject, tracking_token=token)
    assert subject_core(request) == expected
    assert address(request).reply_subject == f"Re: {expected}"


@pytest.mark.parametrize(
    ("subject", "base"),
    [
        ("Re: RE:  Bins", "Bins"),
        ("AW: Sv: Bins", "Bins"),
        ("Re[2]: Bins", "Bins"),
        ("", "(no subject)"),
    ],
)
def test_base_subject_drops_reply_prefixes(subject: str, base: str) -> None:
    assert base_subject(subject) == base
