"""Deciding from hits: precedence, confidence, outcomes; and classify() end to end."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.classify import RULES, Hit, Signal, classify
from bot.classify.decide import PRECEDENCE, decide_kind, noisy_or
from bot.classify.outcome import decide_outcome
from bot.vocabulary import IncomingKind as K
from bot.vocabulary import Outcome as O
from tests.classify.emails import email_of

BOT = Path(__file__).resolve().parents[2] / "bot"


def hits(*signals: tuple[Signal, float] | tuple[Signal, float, bool]) -> list[tuple[str, Hit]]:
    return [
        (f"r{i}", Hit(s[0], "why", s[1], part=len(s) > 2 and bool(s[2])))
        for i, s in enumerate(signals)
    ]


def test_noisy_or() -> None:
    assert noisy_or([]) == 0.0
    assert noisy_or([0.5, 0.5]) == pytest.approx(0.75)


@pytest.mark.parametrize(
    ("fired", "kind"),
    [
        (hits((Signal.BOUNCE, 0.97), (Signal.AUTOMATIC, 0.9), (Signal.WITHHELD, 0.9)), K.BOUNCE),
        (hits((Signal.RECEIPT, 0.95), (Signal.BOUNCE, 0.85)), K.OTHER),
        (hits((Signal.EXTENSION, 0.85), (Signal.WITHHELD, 0.85)), K.EXTENSION),
        (hits((Signal.RESPONSE, 0.75), (Signal.ACKNOWLEDGEMENT, 0.75)), K.RESPONSE),
        (hits((Signal.ACKNOWLEDGEMENT, 0.7), (Signal.AUTOMATIC, 0.9)), K.ACKNOWLEDGEMENT),
        (hits((Signal.ACKNOWLEDGEMENT, 0.7), (Signal.ABSENCE, 0.85)), K.AUTO_REPLY),
        (
            hits(
                (Signal.ACKNOWLEDGEMENT, 0.7), (Signal.ABSENCE, 0.85), (Signal.REFERENCE_GIVEN, 0.7)
            ),
            K.ACKNOWLEDGEMENT,
        ),
        (hits((Signal.MAILING_LIST, 0.85), (Signal.WITHHELD, 0.9)), K.OTHER),
        (hits((Signal.GENERIC_THANKS, 0.55)), K.AUTO_REPLY),
        (hits((Signal.DISCLOSED, 0.5)), K.OTHER),
        ([], K.OTHER),
    ],
)
def test_precedence(fired: list[tuple[str, Hit]], kind: K) -> None:
    """The first firm group in PRECEDENCE wins; one weak sign is not a kind."""
    assert decide_kind(fired)[0] is kind


def test_confidence_drops_when_kinds_conflict() -> None:
    alone = decide_kind(hits((Signal.CLARIFICATION, 0.8)))[1]
    conflicted = decide_kind(hits((Signal.CLARIFICATION, 0.8), (Signal.WITHHELD, 0.85)))[1]
    assert alone == pytest.approx(0.8)
    assert conflicted == pytest.approx(0.8 * (1 - 0.5 * 0.85))
    # travelling companions do not conflict: a response thanks us for the request
    assert decide_kind(hits((Signal.RESPONSE, 0.75), (Signal.ACKNOWLEDGEMENT, 0.75)))[1] == 0.75


@pytest.mark.parametrize(
    ("kind", "fired", "outcome"),
    [
        (K.RESPONSE, hits((Signal.DISCLOSED, 0.8)), O.SUCCESSFUL),
        (K.RESPONSE, hits((Signal.WITHHELD, 0.85)), O.REFUSED),
        (
            K.RESPONSE,
            hits((Signal.WITHHELD, 0.85), (Signal.DISCLOSED, 0.8)),
            O.PARTIALLY_SUCCESSFUL,
        ),
        (K.RESPONSE, hits((Signal.WITHHELD, 0.85, True)), O.PARTIALLY_SUCCESSFUL),
        (K.RESPONSE, hits((Signal.NOT_HELD, 0.85)), O.NOT_HELD),
        (
            K.RESPONSE,
            hits((Signal.NOT_HELD, 0.85), (Signal.DISCLOSED, 0.7)),
            O.PARTIALLY_SUCCESSFUL,
        ),
        (K.RESPONSE, hits((Signal.NOT_HELD, 0.85), (Signal.WITHHELD, 0.85)), O.REFUSED),
        (K.RESPONSE, hits((Signal.RESPONSE, 0.75)), O.SUCCESSFUL),
        (K.REVIEW_OUTCOME, hits((Signal.UPHELD, 0.8)), O.UPHELD),
        (K.REVIEW_OUTCOME, hits((Signal.OVERTURNED, 0.8)), O.OVERTURNED),
        (K.REVIEW_OUTCOME, hits((Signal.UPHELD, 0.8), (Signal.OVERTURNED, 0.8)), O.PARTLY_UPHELD),
        (
            K.REVIEW_OUTCOME,
            hits((Signal.PARTLY_UPHELD, 0.85), (Signal.UPHELD, 0.8)),
            O.PARTLY_UPHELD,
        ),
        (K.ACKNOWLEDGEMENT, hits((Signal.DISCLOSED, 0.8)), None),
    ],
)
def test_outcomes(kind: K, fired: list[tuple[str, Hit]], outcome: O | None) -> None:
    assert decide_outcome(kind, [h for _, h in fired])[0] == outcome


def test_an_unsure_response_says_so() -> None:
    """A response with no sign of its outcome is assumed successful at 0.5: "not sure"."""
    got = classify(email_of("Please find our response attached.", attachments={"scan.pdf": None}))
    assert got.kind is K.RESPONSE and got.outcome is O.SUCCESSFUL
    assert got.confidence == 0.5 and got.uncertain
    assert any("assumed successful" in note for note in got.notes)


def test_classification_keeps_every_rule_that_fired_with_its_reason() -> None:
    body = (
        "We are withholding the pricing schedule under section 43(2). The other "
        "information is attached."
    )
    got = classify(email_of(body, headers={"Auto-Submitted": "auto-generated"}))
    assert (got.kind, got.outcome, got.exemptions) == (K.RESPONSE, O.PARTIALLY_SUCCESSFUL, ("s43",))
    rules = [e.rule for e in got.evidence]
    assert {
        "exemptions_cited",
        "refusal_wording",
        "information_disclosed",
        "auto_submitted_header",
    } <= set(rules)
    assert all(e.reason for e in got.evidence)
    assert got.as_json()["evidence"][0].keys() >= {"rule", "reason"}


def test_s12_refusal_without_advice_is_flagged() -> None:
    got = classify(
        email_of("We refuse your request as it would exceed the appropriate limit of £450.")
    )
    assert got.outcome is O.REFUSED and got.flags["advice_s16"] is None
    assert any("without s.16 advice" in note for note in got.notes)


def test_registry_is_well_formed() -> None:
    """Unique names, a one-line description each, and the precedence covers every group."""
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))
    assert all(rule.description and "\n" not in rule.description for rule in RULES)
    assert set(PRECEDENCE) >= {str(k) for k in K if k is not K.OTHER}


def test_every_rule_has_a_unit_test() -> None:
    tests = "".join(p.read_text("utf-8") for p in Path(__file__).parent.glob("test_rules_*.py"))
    assert [r.name for r in RULES if f'"{r.name}"' not in tests] == []


@pytest.mark.parametrize(
    "module", [*sorted((BOT / "classify").rglob("*.py")), BOT / "lifecycle.py"]
)
def test_pure_modules_import_no_edges(module: Path) -> None:
    """bot/classify and bot/lifecycle are pure: no database, IMAP, SMTP or CLI imports."""
    tree = ast.parse(module.read_text("utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert not imported & {"sqlalchemy", "imapclient", "click", "smtplib", "alembic", "apscheduler"}


def test_every_rule_is_documented() -> None:
    """docs/classification.md lists every rule of the registry."""
    docs = (BOT.parent / "docs" / "classification.md").read_text("utf-8")
    assert [r.name for r in RULES if f"`{r.name}`" not in docs] == []
