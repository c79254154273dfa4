"""Classification never fails: every mail fixture, arbitrary text, very long text."""

from __future__ import annotations

import time
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.classify import classify
from bot.parse import Email, parse_email
from bot.vocabulary import IncomingKind

MAIL = Path(__file__).resolve().parents[1] / "fixtures" / "mail"
WORDS = [
    *("section 12", "s.40(2)", "withheld", "if", "may", "not held", "1.", "No", "£450"),
    *("internal review", "upheld", "Undeliverable", "20 working days", "\n", "\n\n", "?"),
]


def test_every_mail_fixture_classifies() -> None:
    for path in sorted(MAIL.glob("*.eml")):
        got = classify(parse_email(path.read_bytes()))
        assert got.kind in IncomingKind and 0.0 <= got.confidence <= 1.0, path.name


def test_the_bounce_fixture_is_a_hard_bounce() -> None:
    got = classify(parse_email((MAIL / "dsn_bounce.eml").read_bytes()))
    assert got.kind is IncomingKind.BOUNCE and got.flags["bounce"] == "hard"


@settings(max_examples=150, deadline=None)
@given(
    body=st.lists(st.sampled_from(WORDS) | st.text(max_size=12), max_size=60).map(" ".join),
    subject=st.text(max_size=40),
    headers=st.dictionaries(
        st.sampled_from(["Auto-Submitted", "Precedence", "X-Autoreply", "List-Id"]),
        st.text(max_size=20),
    ),
)
def test_any_text_classifies(body: str, subject: str, headers: dict[str, str]) -> None:
    got = classify(Email(subject=subject, text=body, reply_text=body, headers=headers))
    assert 0.0 <= got.confidence <= 1.0 and all(e.reason for e in got.evidence)


def test_very_long_text_is_bounded() -> None:
    body = "The council holds information. " * 100_000  # 3 MB
    start = time.perf_counter()
    classify(Email(text=body, reply_text=body))
    assert time.perf_counter() - start < 10
