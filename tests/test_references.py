"""Finding authority reference numbers in subjects, bodies and attachment text."""

from __future__ import annotations

import pytest

from bot.references import find_references, is_tracking_token, normalize_reference


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Freedom of Information Request NCC-049446-20", ["NCC-049446-20"]),
        ("Request for Information RhG/FOI 2024-0117", ["RhG/FOI 2024-0117"]),
        ("has been given reference number 10400 and will be", ["10400"]),
        ("RE: FOI 10400 - your request", ["FOI 10400"]),
        ("Our ref: FOI/2021/0123", ["FOI/2021/0123"]),
        ("EIR 21/123 - response", ["EIR 21/123"]),
        ("Case CAS-12345-ABCDE has been updated", ["CAS-12345-ABCDE"]),
        ("[CASE:12345] Your enquiry", ["12345"]),
        ("Our ref: 2025/1234", ["2025/1234"]),
        ("Information request received - LHSCT-FOI-1187", ["LHSCT-FOI-1187"]),
        ("our ref IG/FOI/3391", ["IG/FOI/3391"]),
        ("Please quote FOI request 12345 in any reply", ["FOI request 12345"]),
        ("FOISA 26/117 clarification", ["FOISA 26/117"]),
        ("Ticket REQ0012345 logged", ["REQ0012345"]),
        ("case number: 00123456", ["00123456"]),
        ("Our ref 2024/FOI/555", ["2024/FOI/555"]),
        ("HU-FOI-23-118 response", ["HU-FOI-23-118"]),
        ("Ref EDC/FOI/24/0377", ["EDC/FOI/24/0377"]),
        ("Freedom of Information Request 0611/2024", ["0611/2024"]),
        ("Internal Review - 0502/2024", ["0502/2024"]),
        ("Your request (RFI-2024-0456) was received", ["RFI-2024-0456"]),
    ],
)
def test_reference_shapes_authorities_use_are_found(text: str, expected: list[str]) -> None:
    """Every reference shape seen in council mail is found, written as the authority wrote it."""
    assert [r.text for r in find_references(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "under the Freedom of Information Act 2000 (FOIA 2000)",
        "the Environmental Information Regulations 2004 (EIR 2004)",
        "we received your request on 12/03/2024 and 2024-03-12",
        "call 0161 234 5678 or 01942 828000",
        "the cost limit of £450 or £600.00",
        "exempt under section 12(1), s.40(2) and regulation 12(4)(b)",
        "postcode WN1 1YN or SW1A 1AA",
        "ISO 27001, COVID-19, NHS 111",
        "Re: Data analytics [FOI-A1B2C3]",
        "Reference: 2024",
    ],
)
def test_things_that_only_look_like_references_are_not_found(text: str) -> None:
    """Dates, phone numbers, money, sections, Acts' years and our tokens are not references."""
    assert find_references(text) == []


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("FOI 10400", "reference number 10400"),
        ("FOI-10400", "foi 10400"),
        ("NCC-049446-20", "ncc 049446 20"),
        ("FOI/2021/0123", "2021/0123"),
    ],
)
def test_the_same_reference_written_differently_compares_equal(a: str, b: str) -> None:
    """Case, spaces, punctuation and a generic FOI prefix do not matter when comparing."""
    found_b = find_references(b)
    core_b = found_b[0].normalized if found_b else normalize_reference(b)
    assert normalize_reference(a) == core_b


def test_different_references_stay_different() -> None:
    """Leading zeros and authority prefixes are kept: NCC-1234 is not 1234 of another council."""
    assert normalize_reference("NCC-1234") != normalize_reference("FOI 1234")
    assert normalize_reference("FOI 0123") != normalize_reference("FOI 123")


def test_short_references_are_weak_long_ones_strong() -> None:
    """A 3-digit number could be anyone's; five digits or a letter code identifies."""
    (short,) = find_references("FOI 123")
    (long,) = find_references("FOI 10400")
    (coded,) = find_references("NCC-049-20")
    assert not short.strong
    assert long.strong and coded.strong


def test_tracking_tokens_are_recognised() -> None:
    assert is_tracking_token("[FOI-A1B2C3]")
    assert not is_tracking_token("FOI-123456")  # all digits: could be a council's own number
