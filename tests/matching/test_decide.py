"""Matching decisions on small worlds: what decides, what never decides alone."""

from __future__ import annotations

import pytest

from bot.matching import AuthorityFacts, Match, MessageFacts, RequestFacts, World, match
from bot.parse import parse_email
from bot.vocabulary import Direction

CAMPAIGN = "Freedom of Information request - use of data analytics in children's services"
OTHER = "FOI request: agency social workers 2024-25"
BODY = (
    "Dear Sir or Madam, under the Freedom of Information Act 2000 please tell me whether "
    "your children's services use predictive analytics, which suppliers provide the "
    "software, how much was spent in each of the last three financial years, and whether "
    "any data protection impact assessment was carried out for these systems."
)


def world() -> World:
    """Three authorities (two sharing nhs.net), a campaign to all, a second request to one."""
    w = World(own_addresses=frozenset({"research@example.ac.uk"}))
    w.add_authority(
        AuthorityFacts(
            1,
            "Ashbridge Council",
            frozenset({"foi@ashbridge.gov.uk"}),
            frozenset({"ashbridge.gov.uk"}),
        )
    )
    w.add_authority(
        AuthorityFacts(
            2, "Kelmouth NHS Trust", frozenset({"kelmouth.foi@nhs.net"}), frozenset({"nhs.net"})
        )
    )
    w.add_authority(
        AuthorityFacts(
            3, "Fenwick NHS Trust", frozenset({"fenwick.foi@nhs.net"}), frozenset({"nhs.net"})
        )
    )
    for rid, authority in ((10, 1), (20, 2), (30, 3)):
        w.add_request(
            RequestFacts(
                rid,
                authority,
                CAMPAIGN,
                campaign_id=1,
                body=BODY,
                tracking_token=f"FOI-{rid:04d}AB",
            )
        )
        w.add_thread_key(f"mid:req{rid}@example.ac.uk", rid)
    w.add_request(
        RequestFacts(11, 1, OTHER, body="Please send the number of agency social workers.")
    )
    w.add_thread_key("mid:req11@example.ac.uk", 11)
    w.add_reference("10400", 10)
    w.add_reference("123", 30)
    return w


def incoming(sender: str, subject: str, body: str, extra: str = "") -> MessageFacts:
    raw = f"From: {sender}\nTo: research@example.ac.uk\nSubject: {subject}\n{extra}\n{body}"
    return MessageFacts.from_email(parse_email(raw.encode()), Direction.INCOMING)


def outgoing(to: str, subject: str, body: str, extra: str = "") -> MessageFacts:
    raw = f"From: research@example.ac.uk\nTo: {to}\nSubject: {subject}\n{extra}\n{body}"
    return MessageFacts.from_email(parse_email(raw.encode()), Direction.OUTGOING)


def where(result: Match) -> int | str:
    return result.request_id if result.verdict == "assigned" else result.verdict


def test_in_reply_to_our_request_decides() -> None:
    """A reply whose In-Reply-To is our request goes on that request, whoever sends it."""
    facts = incoming(
        "someone@elsewhere.org", "Re: hello", "Thanks.", "In-Reply-To: <req20@example.ac.uk>"
    )
    result = match(facts, world())
    assert where(result) == 20 and result.rule == "headers" and result.confidence >= 0.95


def test_a_recorded_reference_decides_even_with_a_new_subject() -> None:
    """Nottinghamshire style: a new subject holding only the reference."""
    result = match(
        incoming(
            "crm@ashbridge.gov.uk",
            "Freedom of Information Request FOI 10400",
            "Please find our response attached.",
        ),
        world(),
    )
    assert where(result) == 10 and result.rule == "reference"


def test_a_reference_of_another_authoritys_request_goes_to_the_holding_pen() -> None:
    """A known reference from the wrong authority's domain is a conflict, not a match."""
    result = match(incoming("foi@ashbridge.gov.uk", "FOI 123", "Response attached."), world())
    assert result.verdict == "holding"


def test_domain_with_one_open_request_and_foi_wording_decides() -> None:
    """The only open request at an NHS trust's exact address, and an acknowledgement."""
    facts = incoming(
        "kelmouth.foi@nhs.net",
        "Acknowledgement",
        "We have received your request and will respond within 20 working days.",
    )
    assert where(match(facts, world())) == 20


def test_a_shared_domain_never_decides_alone() -> None:
    """nhs.net belongs to two trusts: a reply from another nhs.net mailbox is held."""
    facts = incoming(
        "someone.else@nhs.net",
        "Your request",
        "We have received your request and will respond within 20 working days.",
    )
    assert match(facts, world()).verdict == "holding"


def test_two_open_requests_at_one_authority_need_the_subject_to_pick() -> None:
    """Same council, two requests: the subject picks one; a bare acknowledgement is held."""
    w = world()
    picked = match(incoming("foi@ashbridge.gov.uk", f"RE: {OTHER}", "Your request is logged."), w)
    assert where(picked) == 11
    bare = match(incoming("foi@ashbridge.gov.uk", "Acknowledgement", "Your request is logged."), w)
    assert bare.verdict == "holding"
    assert {s.request_id for s in bare.suggestions} == {10, 11}


def test_a_campaign_subject_shared_by_many_never_decides_alone() -> None:
    """Our campaign subject from an unknown sender matches three requests: held."""
    facts = incoming("noreply@crm-provider.example", f"Re: {CAMPAIGN}", "Your request is logged.")
    result = match(facts, world())
    assert result.verdict == "holding"
    assert {s.request_id for s in result.suggestions} == {10, 20, 30}


def test_council_newsletters_and_footers_never_land_on_a_request() -> None:
    """A newsletter from the council's domain mentioning FOI is unrelated."""
    newsletter = incoming(
        "news@ashbridge.gov.uk",
        "Ashbridge News",
        "Our Freedom of Information disclosure log is online.",
        "List-Unsubscribe: <https://ashbridge.gov.uk/u>",
    )
    assert match(newsletter, world()).verdict == "unrelated"
    tax = incoming(
        "counciltax@ashbridge.gov.uk",
        "Your council tax bill",
        "Your bill is attached.\n\nThis email may be subject to disclosure under "
        "the Freedom of Information Act 2000.",
    )
    assert match(tax, world()).verdict in {"holding", "unrelated"}


def test_personal_mail_is_unrelated() -> None:
    result = match(
        incoming("sam@mail.example", "Friday?", "How is the council project going?"), world()
    )
    assert result.verdict == "unrelated"


def test_our_tracking_token_decides() -> None:
    facts = incoming("x@y.example", "Re: Data [FOI-0030AB]", "See attached.")
    assert where(match(facts, world())) == 30


def test_a_bounce_quoting_our_message_id_goes_on_the_request() -> None:
    raw = (
        "From: MAILER-DAEMON@mx.example.ac.uk\nSubject: Undelivered Mail\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\n"
        "Content-Type: text/plain\n\nCould not deliver.\n--b\n"
        "Content-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mx.example.ac.uk\n\nFinal-Recipient: rfc822; fenwick.foi@nhs.net\n"
        "Action: failed\nStatus: 5.1.1\n--b\nContent-Type: text/rfc822-headers\n\n"
        "Message-ID: <req30@example.ac.uk>\nSubject: x\n--b--\n"
    )
    facts = MessageFacts.from_email(parse_email(raw.encode()), Direction.INCOMING)
    assert where(match(facts, world())) == 30


def test_header_and_reference_pointing_at_different_requests_are_held() -> None:
    """Two strong identities on two requests of the same council: the operator decides."""
    facts = incoming(
        "foi@ashbridge.gov.uk", "FOI 10400", "Response.", "In-Reply-To: <req11@example.ac.uk>"
    )
    assert match(facts, world()).verdict == "holding"


def test_another_authoritys_reference_number_is_not_ours() -> None:
    """Councils number their own requests: Ashbridge's 10400 says nothing about Kelmouth's mail."""
    facts = incoming(
        "kelmouth.foi@nhs.net", "FOI 10400", "Response.", "In-Reply-To: <req20@example.ac.uk>"
    )
    assert where(match(facts, world())) == 20


@pytest.mark.parametrize(
    ("to", "subject", "extra", "expected"),
    [
        ("foi@newtown.gov.uk", CAMPAIGN, "", "new_request"),
        ("foi@ashbridge.gov.uk", f"Re: {OTHER}", "In-Reply-To: <req11@example.ac.uk>", 11),
        ("foi@ashbridge.gov.uk", f"Internal review - {OTHER}", "", 11),
    ],
)
def test_sent_mail_is_a_new_request_or_a_follow_up(
    to: str, subject: str, extra: str, expected: int | str
) -> None:
    facts = outgoing(to, subject, "Please carry out an internal review.", extra)
    assert where(match(facts, world())) == expected


def test_evidence_names_every_rule_that_fired() -> None:
    facts = incoming(
        "foi@ashbridge.gov.uk",
        f"RE: {OTHER} FOI 10400",
        "Logged.",
        "In-Reply-To: <req11@example.ac.uk>",
    )
    result = match(facts, world())
    rules = {e.rule for e in result.evidence}
    assert {"headers", "reference", "sender_address", "subject"} <= rules
