"""Run foibot on a generated scenario through its CLI, and score where each message landed.

Only the stable CLI contract is used (architecture.md): ``init``, ``sync --once``,
``export --format json`` and ``holding-pen list --json``. A request's identity is the
Message-ID of its earliest outgoing message; each INBOX message with truth T is

- **correct** when it is on the request whose identity is T (for T = None: on no
  request, whether or not it waits in the holding pen);
- **held** when it is on no request but in the holding pen;
- **lost** when it is on no request and not in the holding pen (T is not None);
- **wrong** when it is on any other request (or on any request while T is None).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.scenarios.generate import Scenario, write_files

if TYPE_CHECKING:
    from tests.servers.dovecot import Dovecot

REPO = Path(__file__).resolve().parents[2]
PASSWORD_ENV = "FOIBOT_SCENARIO_IMAP_PASSWORD"


class FoibotFailed(AssertionError):
    pass


def foibot(config: Path, *args: str, env: dict[str, str] | None = None, timeout: int = 300) -> str:
    """Run ``python -m bot --config CONFIG ARGS``; stdout, or FoibotFailed with the output."""
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(config), *args],
        cwd=REPO,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if proc.returncode != 0:
        raise FoibotFailed(
            f"foibot {' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        )
    return proc.stdout


@dataclass
class Outcome:
    """What foibot reported after syncing a scenario."""

    export: list[dict[str, Any]]
    pen: list[dict[str, Any]]
    sync_output: str = ""


def collect(config: Path, env: dict[str, str] | None = None) -> Outcome:
    foibot(config, "init", env=env)
    out = foibot(config, "sync", "--once", env=env)
    export = json.loads(foibot(config, "export", "--format", "json", env=env))
    pen = json.loads(foibot(config, "holding-pen", "list", "--json", env=env))
    if isinstance(pen, dict):  # tolerate {"messages": [...]} as well as a bare list
        pen = pen.get("messages") or pen.get("items") or []
    return Outcome(export, pen, out)


def run_maildir(scenario: Scenario, workdir: Path) -> Outcome:
    """Write the scenario as a Maildir with config beside it; init, sync, export, list."""
    return collect(write_files(scenario, workdir))


def run_imap(scenario: Scenario, dovecot: Dovecot, user: str, workdir: Path) -> Outcome:
    """APPEND the scenario to a Dovecot user; foibot reads it over IMAPS."""
    scenario.append_to_dovecot(dovecot, user)
    config = dovecot.foibot_config(workdir, user, PASSWORD_ENV)
    csv_path = workdir / "authorities.csv"
    csv_path.write_text(scenario.authorities_csv, encoding="utf-8")
    with config.open("a", encoding="utf-8") as fh:
        fh.write(f'[authorities]\ncsv = "{csv_path}"\n')
    return collect(config, env={PASSWORD_ENV: dovecot.password})


# ------------------------------------------------------------------------------ scoring


def _mid(value: Any) -> str:
    return str(value or "").strip().strip("<>")


@dataclass(frozen=True)
class Row:
    """One message's fate, with what is needed to see why."""

    message_id: str
    label: str
    subject: str
    sender: str
    expected: str  # "<authority> (campaign X)" or "unrelated"
    actual: str  # "<authority> (campaign X)", "holding pen", "nowhere"
    matched_by: str = ""
    confidence: float | None = None
    suggestions: str = ""


@dataclass
class Score:
    seed: int
    correct: list[Row] = field(default_factory=list)
    held: list[Row] = field(default_factory=list)
    lost: list[Row] = field(default_factory=list)
    wrong: list[Row] = field(default_factory=list)
    unrelated_ok: list[Row] = field(default_factory=list)
    unrelated_in_pen: list[Row] = field(default_factory=list)
    unrelated_wrong: list[Row] = field(default_factory=list)
    sent_problems: list[str] = field(default_factory=list)
    campaign_problems: list[str] = field(default_factory=list)
    matched_by: Counter[str] = field(default_factory=Counter)
    threaded_total: int = 0  # FOI replies with In-Reply-To/References to a known message
    threaded_correct: int = 0

    @property
    def foi_total(self) -> int:
        return len(self.correct) + len(self.held) + len(self.lost) + len(self.wrong)

    @property
    def held_pct(self) -> float:
        return 100.0 * len(self.held) / self.foi_total if self.foi_total else 0.0

    def failures(self) -> str:
        """A readable account of everything that must not happen (empty when none)."""
        parts = []
        if self.wrong or self.unrelated_wrong:
            parts.append("ON A WRONG REQUEST:\n" + table(self.wrong + self.unrelated_wrong))
        if self.lost:
            parts.append("LOST (on no request and not in the holding pen):\n" + table(self.lost))
        if self.sent_problems:
            parts.append("SENT FOLDER:\n  " + "\n  ".join(self.sent_problems))
        if self.campaign_problems:
            parts.append("CAMPAIGNS:\n  " + "\n  ".join(self.campaign_problems))
        return "\n\n".join(parts)


def table(rows: Sequence[Row]) -> str:
    head = ("label", "subject", "from", "expected", "actual", "matched_by", "suggestions")
    data = [
        (r.label, r.subject[:60], r.sender, r.expected, r.actual,
         f"{r.matched_by or '-'} {'' if r.confidence is None else f'{r.confidence:.2f}'}".strip(),
         r.suggestions[:160])
        for r in rows
    ]  # fmt: skip
    widths = [min(160, max(len(str(x)) for x in col)) for col in zip(head, *data, strict=True)]
    lines = ["  " + "  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
    lines += [
        "  " + "  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True)) for row in data
    ]
    return "\n".join(lines)


def _headers(raws: Iterable[bytes]) -> dict[str, dict[str, str]]:
    parser = BytesHeaderParser(policy=policy.default)
    out = {}
    for raw in raws:
        h = parser.parsebytes(raw)
        out[_mid(h["Message-ID"])] = {
            "subject": str(h["Subject"] or ""),
            "from": str(h["From"] or ""),
            "in_reply_to": _mid(h["In-Reply-To"]),
            "references": str(h["References"] or ""),
        }
    return out


def score(scenario: Scenario, outcome: Outcome) -> Score:
    result = Score(scenario.seed)
    dates = scenario.dates

    authority: dict[str, str] = {}

    def describe(identity: str | None) -> str:
        if identity is None:
            return "unrelated"
        if identity in scenario.campaigns:
            return f"{scenario.authority_of[identity]} ({scenario.campaigns[identity]})"
        label = scenario.labels.get(identity, identity)
        return f"{authority.get(identity, '?')} (a request started by {label})"

    # Which request each message is on, keyed by the request's identity.
    placed: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    identities: list[str] = []
    for record in outcome.export:
        outgoing = [
            _mid(m["message_id"]) for m in record["messages"] if m.get("direction") == "out"
        ]
        known = [m for m in outgoing if m in dates]
        identity = (
            min(known, key=lambda m: dates[m]) if known else (outgoing[0] if outgoing else "")
        )
        identity = identity or f"request {record['id']} (no outgoing message)"
        identities.append(identity)
        authority.setdefault(identity, str(record.get("authority")))
        for m in record["messages"]:
            placed.setdefault(_mid(m["message_id"]), []).append((identity, m))
    pen = {_mid(p.get("message_id")): p for p in outcome.pen}
    headers = _headers(scenario.inbox)
    known_ids = set(scenario.truth) | set(scenario.sent_truth)

    for mid, truth in scenario.truth.items():
        h = headers.get(mid, {"subject": "?", "from": "?", "in_reply_to": "", "references": ""})
        where = placed.get(mid, [])
        on = {identity for identity, _ in where}
        meta = where[0][1] if where else {}
        held = pen.get(mid)
        suggestions = ""
        if held is not None:
            suggestions = "; ".join(
                suggestion_text(s, outcome, scenario) for s in (held.get("suggestions") or [])[:3]
            )
            if held.get("why"):
                suggestions = f"{held['why']}: {suggestions or 'no suggestion'}"
        if on:
            actual = ", ".join(sorted(describe(i) for i in on))
        else:
            actual = "holding pen" if held is not None else "nowhere"
        row = Row(
            message_id=mid,
            label=scenario.labels.get(mid, "?"),
            subject=h["subject"],
            sender=h["from"],
            expected=describe(truth),
            actual=actual,
            matched_by=str(meta.get("matched_by") or ""),
            confidence=meta.get("confidence"),
            suggestions=suggestions,
        )
        if truth is None:
            if on:
                result.unrelated_wrong.append(row)
            else:
                result.unrelated_ok.append(row)
                if held is not None:
                    result.unrelated_in_pen.append(row)
            continue
        threaded = h["in_reply_to"] in known_ids or any(
            _mid(x) in known_ids for x in h["references"].split()
        )
        result.threaded_total += threaded
        if on == {truth}:
            result.correct.append(row)
            result.threaded_correct += threaded
            result.matched_by[row.matched_by or "?"] += 1
        elif on:
            result.wrong.append(row)
        elif held is not None:
            result.held.append(row)
        else:
            result.lost.append(row)

    # Sent folder: one request per original, follow-ups on theirs, personal mail on none.
    counts = Counter(identities)
    for mid, origin in scenario.sent_truth.items():
        on = {identity for identity, _ in placed.get(mid, [])}
        label = scenario.labels.get(mid, "?")
        if origin == mid:
            if counts[mid] != 1:
                result.sent_problems.append(
                    f"{label} to {describe(mid)}: {counts[mid]} requests (expected exactly 1)"
                )
        elif origin is not None:
            if on != {origin}:
                where = ", ".join(describe(i) for i in on) or (
                    "holding pen" if mid in pen else "nowhere"
                )
                result.sent_problems.append(
                    f"{label} ({describe(origin)}): on {where}, expected on {describe(origin)}"
                )
        elif on or counts[mid]:
            where = ", ".join(sorted(describe(i) for i in on)) or "its own request"
            result.sent_problems.append(f"{label}: personal mail is on a request: {where}")
    for identity in counts:
        if scenario.sent_truth.get(identity) != identity:
            result.sent_problems.append(f"a request nobody sent: {describe(identity)}")

    # Campaigns: A requests share one campaign value, B another.
    by_id = {}
    for record, identity in zip(outcome.export, identities, strict=True):
        by_id[identity] = record.get("campaign")
    values: dict[str, set[Any]] = {}
    for identity, campaign in scenario.campaigns.items():
        if identity in by_id:
            values.setdefault(campaign, set()).add(by_id[identity])
    for campaign, seen in sorted(values.items()):
        if len(seen) != 1 or None in seen:
            result.campaign_problems.append(
                f"campaign {campaign}: requests carry campaign values {sorted(map(str, seen))}"
            )
    if len(values) == 2 and values.get("A") == values.get("B"):
        result.campaign_problems.append("campaigns A and B share one campaign value")
    return result


def describe_request(suggestion: dict[str, Any], outcome: Outcome, scenario: Scenario) -> str:
    """'Kelmouth County Council (A)' for a suggestion's request id."""
    request_id = suggestion.get("request_id")
    for record in outcome.export:
        if record.get("id") == request_id:
            outgoing = [
                _mid(m["message_id"]) for m in record["messages"] if m["direction"] == "out"
            ]
            known = [m for m in outgoing if m in scenario.dates]
            if known:
                first = min(known, key=lambda m: scenario.dates[m])
                return f"{record['authority']} ({scenario.campaigns.get(first, '?')})"
            return f"{record['authority']} (#{request_id})"
    return f"request {request_id}"


def suggestion_text(suggestion: dict[str, Any], outcome: Outcome, scenario: Scenario) -> str:
    rule = suggestion.get("rules") or suggestion.get("rule") or suggestion.get("evidence") or ""
    if isinstance(rule, list):
        rule = ",".join(str(x.get("rule", x)) if isinstance(x, dict) else str(x) for x in rule)
    confidence = suggestion.get("confidence")
    conf = f" {confidence:.2f}" if isinstance(confidence, int | float) else ""
    return f"{describe_request(suggestion, outcome, scenario)} [{rule}]{conf}"
