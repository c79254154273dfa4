"""The helpers rules use: exemption citations, UK dates, sentences, hedges and the past."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.classify.citations import cites_not_held, exemptions_in
from bot.classify.dates import all_dates, first_date
from bot.classify.text import about_the_past, hedged, hedged_decision, normalise, split_sentences


@pytest.mark.parametrize(
    ("sentence", "exemptions"),
    [
        ("The exemption at s.40(2) applies to personal data.", ["s40"]),
        ("We are relying on section 12 as it would take more than 18 hours.", ["s12"]),
        ("withheld under section 12 and 18 hours of work", ["s12"]),
        ("the exemption under Section 43 (2) of FOIA is engaged", ["s43"]),
        ("exempt under s30(1)(a)(i)", ["s30"]),
        ("sections 31 (Law Enforcement) and 40 (Personal Information) are engaged", ["s31", "s40"]),
        ("I am applying sections 21, 22 and 24 to this request", ["s21", "s22", "s24"]),
        (
            "Regulation 12(5)(e) (commercial confidentiality) applies and reg 13",
            ["reg12(5)(e)", "reg13"],
        ),
        ("The exception in regulation 10(4)(b) of the EISRs applies.", ["reg10(4)(b)"]),
        ("This letter is a refusal notice under section 17(1).", []),
        ("in accordance with Section 1.1 of the Act, this information is not held", []),
        ("assessments under section 17 of the Children Act 1989 are exempt", []),
        ("the exception in regulation 12(4)(a) applies as we do not hold it", []),
        ("I completed the reconsideration under regulation 11.", []),
        ("section 40 was mentioned in the minutes", []),  # no refusal context
    ],
)
def test_exemptions_in(sentence: str, exemptions: list[str]) -> None:
    assert exemptions_in(sentence) == exemptions


def test_listed_items_need_no_context() -> None:
    assert exemptions_in("Section 24(2) - National Security", listed=True) == ["s24"]
    assert exemptions_in("Section 24(2) - National Security") == []


@pytest.mark.parametrize(
    ("sentence", "held"),
    [
        ("In accordance with section 1(1)(a) the Trust does not hold it.", True),
        ("We apply regulation 12(4)(a) of the EIR.", True),
        ("We apply regulation 12(4)(b) of the EIR.", False),
    ],
)
def test_cites_not_held(sentence: str, held: bool) -> None:
    assert cites_not_held(sentence) == held


RECEIVED = dt.date(2026, 10, 9)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("we now aim to respond by 9 November 2026", dt.date(2026, 11, 9)),
        ("by Monday 9th of November 2026", dt.date(2026, 11, 9)),
        ("by November 9, 2026", dt.date(2026, 11, 9)),
        ("no later than 09/11/2026", dt.date(2026, 11, 9)),
        ("no later than 9.11.26", dt.date(2026, 11, 9)),
        ("on 2026-11-09", dt.date(2026, 11, 9)),
        ("by Friday 4 December", dt.date(2026, 12, 4)),  # no year: the next 4 December
        ("by 15 January", dt.date(2027, 1, 15)),  # no year: after the message, so next year
        ("by 31 February 2026", None),
        ("within 20 working days", None),
    ],
)
def test_first_date(text: str, date: dt.date | None) -> None:
    assert first_date(text, RECEIVED) == date


def test_dates_without_a_year_need_a_message_date() -> None:
    assert first_date("by 4 December", None) is None
    assert [d for _, d in all_dates("from 1 May 2024 to 30 June 2024", None)] == [
        dt.date(2024, 5, 1),
        dt.date(2024, 6, 30),
    ]


def test_sentences_join_wrapped_lines_and_keep_abbreviations() -> None:
    text = normalise("We refuse under s. 12 of the Act.\nIt would take\nover 18 hours.\n\n1. No")
    sentences = [s.text for s in split_sentences(text, "body")]
    assert sentences == [
        "We refuse under s.12 of the Act.",
        "It would take over 18 hours.",
        "1. No",
    ]


def test_normalise_plain_quotes_and_dashes() -> None:
    assert normalise("Children\u2019s \u2013 \u201cdata\u201d\xa0x") == 'Children\'s - "data" x'


@pytest.mark.parametrize(
    ("sentence", "phrase", "is_hedged"),
    [
        ("If we need clarification, we will contact you.", "clarification", True),
        ("A fee may be charged and a fees notice sent.", "fees notice", True),
        ("Should we need more time, we will tell you.", "more time", True),
        ("Please could you clarify which services you mean?", "clarify", False),
        ("We need further time to consider the public interest.", "further time", False),
    ],
)
def test_hedged(sentence: str, phrase: str, is_hedged: bool) -> None:
    assert hedged(sentence, sentence.index(phrase)) == is_hedged


def test_a_stated_decision_outweighs_a_condition() -> None:
    sentence = "Where fewer than five cases occurred, it is withheld under section 38(1)(b)."
    assert hedged(sentence, sentence.index("section"))
    assert not hedged_decision(sentence, sentence.index("section"))
    ncnd = "We neither confirm nor deny whether it holds this, by virtue of section 30(3)."
    assert not hedged_decision(ncnd, ncnd.index("section"))


@pytest.mark.parametrize(
    ("sentence", "past"),
    [
        ("Your previous request (FOI 11726) was refused on cost grounds.", True),
        ("In our last response we declined it as it would take more than 18 hours.", True),
        ("Your request repeats the earlier request, so section 14(2) applies.", False),
        ("We are refusing your request under section 12.", False),
    ],
)
def test_about_the_past(sentence: str, past: bool) -> None:
    assert about_the_past(sentence) == past
