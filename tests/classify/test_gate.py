"""Literal gates (bot.classify.gate): they skip only searches that could find nothing."""

from __future__ import annotations

import importlib
import re
import string
import sys
from functools import cache
from pathlib import Path

import pytest

from bot.classify import classify, view_of
from bot.classify import text as text_module
from bot.classify.gate import Gate, fold, required, tokens
from bot.parse import Email, parse_email

ROOT = Path(__file__).resolve().parents[2]
_RULE_MODULES = [
    "bot.classify.citations",
    "bot.classify.text",
    *(f"bot.classify.rules.{name}" for name in (
        "acknowledgement", "autoreply", "bounce", "clarification", "extension", "fees",
        "refusal", "response", "review", "scope",
    )),
]  # fmt: skip
# Patterns with nothing every match must contain (searched everywhere, as before).
_UNGATED = {"_ANSWER", "_BREAK", "_ITEM"}


def _patterns() -> dict[str, re.Pattern[str]]:
    found: dict[str, re.Pattern[str]] = {}
    for module in _RULE_MODULES:
        for name, value in vars(importlib.import_module(module)).items():
            if isinstance(value, re.Pattern) and value not in found.values():
                found[f"{module.rsplit('.', 1)[-1]}.{name}"] = value
    return found


PATTERNS = _patterns()


@cache
def corpus() -> tuple[Email, ...]:
    """The labelled fixtures, the demo mailbox and the parser's own fixtures."""
    paths = sorted(ROOT.glob("tests/fixtures/**/*.eml"))
    paths += sorted(p for p in (ROOT / "demo" / "mailbox").rglob("*") if p.is_file())
    return tuple(parse_email(p.read_bytes()) for p in paths)


def _odd_cases(text: str) -> list[str]:
    """The same words as case-insensitive matching sees them: upper case, and the
    letters IGNORECASE matches to ASCII ones (Kelvin sign, long s, dotted and dotless i)."""
    return [
        text.upper(),
        text.title(),
        text.replace("k", "\u212a").replace("s", "\u017f"),
        text.replace("i", "\u0131").replace("I", "\u0130"),
    ]


@cache
def sentences() -> tuple[str, ...]:
    texts = {s.text for email in corpus() for s in view_of(email).sentences}
    texts |= {v for t in list(texts)[:400] for v in _odd_cases(t)}
    return tuple(sorted(texts))


def test_every_rule_pattern_but_a_few_has_a_requirement() -> None:
    """Nearly every pattern is gated (a parser change that broke reading them would
    otherwise only make classifying slow again)."""
    ungated = {name.split(".")[1] for name, p in PATTERNS.items() if required(p) is None}
    assert ungated == _UNGATED


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_a_sentence_a_pattern_matches_is_always_a_candidate(name: str) -> None:
    """Over every sentence of the fixtures (and odd-case copies), a pattern matches only
    sentences the gate offers."""
    pattern, texts = PATTERNS[name], sentences()
    gate = Gate(texts)
    offered = set(gate.candidates(pattern))
    missed = [t for i, t in enumerate(texts) if i not in offered and pattern.search(t)]
    assert missed == []


@pytest.mark.parametrize(
    ("pattern", "text", "candidate"),
    [
        (r"\b(?:is|are|was|were) not held\b", "The information is NOT HELD.", True),
        (r"\b(?:is|are|was|were) not held\b", "We hold it; it is not withheld.", False),
        (r"\bredact(?:ed|ions?|ing)\b", "Names were REDACTED.", True),
        (r"\bredact(?:ed|ions?|ing)\b", "Nothing was taken out.", False),
        (r"(?<=\d) hours\b", "It would take 19 hours.", True),
        (r"\bfees? notice\b", "A FEE\u017f NOTICE follows.", True),  # long s: an "s"
        (r"\bwork\b", "WOR\u212a", True),  # the Kelvin sign: a "k"
        (r"\bwe are \w+ing\b", "We are considering it.", True),
        (r"£\s?450\b", "the limit is £ 450", True),
        (r"£\s?450\b", "the limit is $450", False),
    ],
)
def test_gate_examples(pattern: str, text: str, candidate: bool) -> None:
    compiled = re.compile(pattern, re.IGNORECASE)
    assert (0 in Gate([text]).candidates(compiled)) is candidate
    if compiled.search(text):
        assert candidate


def test_gate_keeps_the_order_of_the_texts() -> None:
    texts = ["not held here", "nothing", "it is not held", "not held"]
    assert list(Gate(texts).candidates(re.compile(r"\bnot held\b"))) == [0, 2, 3]


def test_folding_keeps_lengths_and_word_characters() -> None:
    """fold(): one character for one, a word character for a word character, and every
    character IGNORECASE matches to an ASCII letter folded to that letter."""
    word = re.compile(r"\w")
    letters = re.compile("[a-z]", re.IGNORECASE)
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code < 0xE000:
            continue
        char = chr(code)
        folded = fold(char)
        assert len(folded) == 1, hex(code)
        assert bool(word.match(char)) == bool(word.match(folded)), hex(code)
        if letters.fullmatch(char):
            assert folded in string.ascii_lowercase, hex(code)
            assert re.fullmatch(folded, char, re.IGNORECASE), hex(code)


def test_str_split_whitespace_is_regex_whitespace() -> None:
    """split_sentences collapses whitespace with str.split, which must be re's \\s."""
    space = re.compile(r"\s")
    for code in range(sys.maxunicode + 1):
        if not 0xD800 <= code < 0xE000:
            assert bool(space.match(chr(code))) == chr(code).isspace(), hex(code)


@pytest.mark.parametrize(
    "text",
    ["snake_case and__double", "naïve café – déjà vu…", "s.40(2) 2026-11-09", "İstanbul ſ K"],
)
def test_the_index_has_every_word(text: str) -> None:
    folded = fold(text)
    assert set(re.findall(r"\w+", folded)) <= tokens(folded)


def test_classifying_with_and_without_gates_gives_the_same_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The whole classification (evidence quotes included) is the same when every
    sentence is searched."""
    gated = [classify(email).as_json() for email in corpus()]
    monkeypatch.setattr(text_module, "required", lambda pattern: None)
    assert [classify(email).as_json() for email in corpus()] == gated
