"""Benchmark: classification accuracy on the labelled fixtures and the demo mailbox.

Prints, for each set (all fixtures; the "dev" fixtures written alongside the rules;
the "heldout" fixtures written after the rules were finished; the demo mailbox,
labelled by demo/README.md and written by someone else): kind accuracy, per-kind
precision and recall, the kind confusion matrix, the same for outcomes, and
exemption F1 (micro, over the sets of exemptions per message).

Goals: kind accuracy >= 95%, outcome accuracy >= 90%, exemption F1 >= 0.95.
Run: .venv/bin python bench/accuracy.py [--errors]
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.classify import Classification, classify
from bot.parse import parse_email

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "classify"
DEMO = ROOT / "demo" / "mailbox"
# demo/README.md, INBOX table: file -> (kind, outcome, exemptions); None = not stated there.
DEMO_LABELS: dict[str, tuple[str, str | None, list[str] | None]] = {
    "cur/1789372961.M1P1.demo:2,S": ("auto_reply", None, []),
    "cur/1789372995.M2P1.demo:2,S": ("acknowledgement", None, []),
    "cur/1789373092.M3P1.demo:2,S": ("acknowledgement", None, []),
    "cur/1789373431.M4P1.demo:2,S": ("auto_reply", None, []),
    "cur/1789373527.M5P1.demo:2,S": ("bounce", None, []),
    "cur/1789455672.M6P1.demo:2,S": ("acknowledgement", None, []),
    "cur/1789999500.M7P1.demo:2,RS": ("clarification_request", None, []),
    "cur/1791466023.M8P1.demo:2,S": ("response", "successful", []),
    "cur/1791542538.M9P1.demo:2,S": ("response", "refused", ["s12"]),
    "cur/1791544544.M10P1.demo:2,S": ("extension", None, None),
    "cur/1791820113.M11P1.demo:2,S": ("response", "partially_successful", ["s43"]),
    "cur/1793007100.M12P1.demo:2,S": ("acknowledgement", None, []),
    "new/1793862000.M13P1.demo": ("other", None, []),
    "new/1795030929.M14P1.demo": ("other", None, []),
}


@dataclass(frozen=True)
class Case:
    name: str
    kind: str
    outcome: str | None
    exemptions: list[str] | None  # None: not labelled
    got: Classification


def fixture_cases(split: str | None) -> list[Case]:
    labels = json.loads((FIXTURES / "labels.json").read_text(encoding="utf-8"))
    cases = []
    for name, label in sorted(labels.items()):
        if split and label["split"] != split:
            continue
        got = classify(parse_email((FIXTURES / "eml" / f"{name}.eml").read_bytes()))
        cases.append(Case(name, label["kind"], label["outcome"], label["exemptions"], got))
    return cases


def demo_cases() -> list[Case]:
    out = []
    for name, (kind, outcome, exemptions) in DEMO_LABELS.items():
        path = DEMO / name
        if path.exists():
            got = classify(parse_email(path.read_bytes()))
            out.append(Case(f"demo {name}", kind, outcome, exemptions, got))
    return out


def _table(title: str, pairs: list[tuple[str, str]]) -> float:
    """Per-class precision/recall and the confusion matrix; returns accuracy."""
    classes = sorted({t for t, _ in pairs} | {p for _, p in pairs})
    confusion = Counter(pairs)
    correct = sum(n for (t, p), n in confusion.items() if t == p)
    accuracy = correct / len(pairs) if pairs else 1.0
    print(f"\n{title}: accuracy {correct}/{len(pairs)} = {accuracy:.1%}")
    print(f"  {'class':<24}{'precision':>10}{'recall':>8}{'n':>5}")
    for c in classes:
        tp = confusion[(c, c)]
        predicted = sum(n for (_, p), n in confusion.items() if p == c)
        actual = sum(n for (t, _), n in confusion.items() if t == c)
        precision = f"{tp / predicted:.2f}" if predicted else "-"
        recall = f"{tp / actual:.2f}" if actual else "-"
        print(f"  {c:<24}{precision:>10}{recall:>8}{actual:>5}")
    short = [c[:6] for c in classes]
    print("  confusion (rows: label, columns: predicted)")
    print("  " + " " * 24 + "".join(f"{s:>7}" for s in short))
    for t in classes:
        row = "".join(f"{confusion[(t, p)] or '.':>7}" for p in classes)
        print(f"  {t:<24}{row}")
    return accuracy


def _exemption_f1(cases: list[Case]) -> float:
    tp = fp = fn = 0
    for case in cases:
        if case.exemptions is None:
            continue
        want, got = set(case.exemptions), set(case.got.exemptions)
        tp, fp, fn = tp + len(want & got), fp + len(got - want), fn + len(want - got)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(
        f"\nexemptions: precision {precision:.2f}, recall {recall:.2f}, F1 {f1:.3f} "
        f"(tp {tp}, fp {fp}, fn {fn})"
    )
    return f1


def _wrong(case: Case) -> bool:
    return case.kind != case.got.kind or bool(case.outcome and case.outcome != case.got.outcome)


def report(title: str, cases: list[Case], errors: bool) -> dict[str, float]:
    print(f"\n=== {title}: {len(cases)} messages")
    kind = _table("kind", [(c.kind, str(c.got.kind)) for c in cases])
    judged = [c for c in cases if c.outcome]
    outcome = _table("outcome", [(c.outcome or "", str(c.got.outcome)) for c in judged])
    f1 = _exemption_f1(cases)
    unsure = sum(c.got.uncertain for c in cases)
    wrong_sure = sum(_wrong(c) and not c.got.uncertain for c in cases)
    print(f"\nmarked 'not sure' (confidence < 0.6): {unsure}; wrong but sure: {wrong_sure}")
    if errors:
        for c in cases:
            bad = _wrong(c)
            bad_ex = c.exemptions is not None and set(c.exemptions) != set(c.got.exemptions)
            if bad or bad_ex:
                print(
                    f"  ! {c.name}: want {c.kind}/{c.outcome} {c.exemptions}, got "
                    f"{c.got.kind}/{c.got.outcome} {list(c.got.exemptions)} "
                    f"({c.got.confidence})"
                )
    return {"kind": kind, "outcome": outcome, "exemption_f1": f1}


def main() -> None:
    errors = "--errors" in sys.argv
    results = {
        "all fixtures": report("all fixtures", fixture_cases(None), errors),
        "dev": report("dev fixtures (written with the rules)", fixture_cases("dev"), errors),
        "held-out 1": report(
            "held-out round 1 (written after the rules)", fixture_cases("heldout1"), errors
        ),
        "held-out 2": report(
            "held-out round 2 (written after round 1's fixes)", fixture_cases("heldout2"), errors
        ),
        "held-out 3": report(
            "held-out round 3 (written by someone who had not seen the rules; first-run"
            " figures recorded before any fix)",
            fixture_cases("heldout3"),
            errors,
        ),
        "demo": report("demo mailbox (demo/README.md labels)", demo_cases(), errors),
    }
    print("\n=== summary (goal: kind >= 95%, outcome >= 90%, exemption F1 >= 0.95)")
    for name, r in results.items():
        print(
            f"  {name:<14} kind {r['kind']:.1%}  outcome {r['outcome']:.1%}  "
            f"exemption F1 {r['exemption_f1']:.3f}"
        )


if __name__ == "__main__":
    main()
