"""Threading on realistic generated mailboxes (issue 5), through the CLI only.

tests/scenarios/generate.py writes a campaign to 40+ authorities, a second campaign to
ten of them, every reply shape the seeds show and unrelated mail, with an answer key.
foibot syncs it (Maildir for several seeds, Dovecot for one) and the checks are: no
message on a wrong request, unrelated mail on no request, no FOI reply lost (it is on
its request or in the holding pen), one request per request sent, follow-ups on their
request, campaigns grouped, and threading by headers working. The holding-pen rate
goal (<= 2%) is measured by bench/matching.py, not asserted here.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from email import policy
from email.parser import BytesHeaderParser
from pathlib import Path

import pytest

from bot.parse import parse_email
from tests.scenarios.generate import MANDATORY_A, MANDATORY_B, Scenario, build_scenario
from tests.scenarios.score import (
    REPO,
    Outcome,
    Score,
    run_imap,
    run_maildir,
    score,
    table,
)
from tests.servers.dovecot import Dovecot

SEEDS = (0, 1, 2)
IMAP_SEED = 3
UNRELATED_KINDS = (
    "newsletter", "authority_newsletter", "consultation", "council_tax", "planning_notice",
    "foi_mailbox_notice", "personal_reply", "colleague_note",
)  # fmt: skip


@pytest.fixture(scope="module")
def scenarios() -> dict[int, Scenario]:
    return {seed: build_scenario(seed) for seed in (*SEEDS, IMAP_SEED)}


# ------------------------------------------------------------------------------ generator


def _headers(raw: bytes) -> dict[str, str]:
    parsed = BytesHeaderParser(policy=policy.default).parsebytes(raw)
    return {k.lower(): str(v) for k, v in parsed.items()}


def test_generator_is_deterministic_and_seed_dependent() -> None:
    first, again, other = build_scenario(5), build_scenario(5), build_scenario(6)
    assert first.inbox == again.inbox and first.sent == again.sent
    assert first.authorities_csv == again.authorities_csv and first.truth == again.truth
    assert first.inbox != other.inbox
    assert sorted(first.labels.values()) != sorted(other.labels.values())  # another mix


@pytest.mark.parametrize("seed", [*SEEDS, IMAP_SEED])
def test_generator_counts_and_answer_key(scenarios: dict[int, Scenario], seed: int) -> None:
    s = scenarios[seed]
    a = [m for m in s.requests if s.campaigns[m] == "A"]
    b = [m for m in s.requests if s.campaigns[m] == "B"]
    assert len(a) >= 40 and 8 <= len(b) <= 10
    assert {s.authority_of[m] for m in b} <= {s.authority_of[m] for m in a}
    assert len(s.truth) == len(s.inbox) and len(s.sent_truth) == len(s.sent)
    assert all(t is None or s.sent_truth.get(t) == t for t in s.truth.values())
    assert sum(t is None for t in s.truth.values()) >= 8  # unrelated mail
    assert sum(t is None for t in s.sent_truth.values()) == 2  # personal sent mail
    followups = [m for m, t in s.sent_truth.items() if t not in (None, m)]
    assert len(followups) == 3  # clarification answer, internal review request, chaser
    dates = [s.dates[_headers(raw)["message-id"].strip("<>")] for raw in s.inbox]
    assert dates == sorted(dates)  # chronological
    rows = s.authorities_csv.splitlines()
    assert rows[0] == "name,email,nation,kind,domains,emails" and len(rows) == 46
    assert sum(",nhs.net" in row or "@nhs.net" in row for row in rows) == 2  # shared domain


@pytest.mark.parametrize("seed", SEEDS)
def test_generator_covers_every_shape(scenarios: dict[int, Scenario], seed: int) -> None:
    s = scenarios[seed]
    labels = set(s.labels.values())
    shapes = {label.split("/")[1] for label in labels}
    assert set(MANDATORY_A) | set(MANDATORY_B) <= shapes
    assert {
        "custhelp",
        "icasework",
        "nhs_listed_ig",
        "nhs_unlisted_team",
        "shared_service",
    } <= shapes
    for kind in UNRELATED_KINDS:
        assert f"unrelated/{kind}" in labels
    heads = [_headers(raw) for raw in s.inbox]
    foi = [h for h in heads if s.truth[h["message-id"].strip("<>")] is not None]
    assert any("thread-index" in h for h in foi)
    assert any("list-unsubscribe" in h for h in heads)
    bare = [h for h in foi if not ({"in-reply-to", "references", "thread-index"} & h.keys())]
    assert len(bare) >= 10  # replies with no threading headers at all
    assert any(h["from"].startswith("noreply@") or "<noreply@" in h["from"] for h in foi)
    assert any("reference number" in raw.decode("latin-1") for raw in s.inbox)
    disclaimer = "may be subject to disclosure under the Freedom of Information Act 2000"
    unrelated = [
        parse_email(raw) for raw in s.inbox if s.truth[_headers(raw)["message-id"][1:-1]] is None
    ]
    assert any(disclaimer in email.text for email in unrelated)


REFERENCE_SHAPES = (
    r"\bFOI \d{5}\b",  # Trafford's final reply: "FOI 10400"
    r"reference number \d{5}\b",  # ... after "reference number 10400"
    r"\b[A-Z]{2,4}-\d{6}-\d{2}\b",  # Nottinghamshire: NCC-049446-20
    r"\bFOI/\d{4}/\d{4}\b",
    r"\bEIR \d{2}/\d{3}\b",
    r"\bCAS-\d{5}-[A-Z]{5}\b",
    r"\[CASE:\d{5}\]",
    r"Our ref: \d{4}/\d{4}\b",
)


@pytest.mark.parametrize("seed", SEEDS)
def test_generator_writes_every_reference_shape_and_two_open_requests(
    scenarios: dict[int, Scenario], seed: int
) -> None:
    s = scenarios[seed]
    foi = [parse_email(raw) for raw in s.inbox]
    text = "\n".join(f"{e.subject}\n{e.text}" for e in foi if s.truth[str(e.message_id)])
    for shape in REFERENCE_SHAPES:
        assert re.search(shape, text), shape
    # Some authority answers campaign A after campaign B reached it (two open requests).
    b_sent = {s.authority_of[m]: s.dates[m] for m in s.requests if s.campaigns[m] == "B"}
    late = [
        mid
        for mid, origin in s.truth.items()
        if origin is not None
        and s.campaigns[origin] == "A"
        and s.authority_of[origin] in b_sent
        and s.dates[mid] > b_sent[s.authority_of[origin]]
    ]
    assert len(late) >= 3


def test_every_generated_message_parses(scenarios: dict[int, Scenario], tmp_path: Path) -> None:
    """Every message parses with its Message-ID; a few go through `foibot explain --json`."""
    s = scenarios[SEEDS[0]]
    for raw in s.inbox + s.sent:
        email = parse_email(raw)
        assert email.message_id in s.dates, raw[:300]
        assert email.subject and email.from_addr and email.date is not None
        assert not email.notes or "fallback" not in " ".join(email.notes)
    picks = {"A/bounce/dsn", "A/trafford/response", "A/forward_colleague/forward"}
    for raw in s.inbox:
        mid = _headers(raw)["message-id"].strip("<>")
        if s.labels[mid] not in picks:
            continue
        picks.discard(s.labels[mid])
        path = tmp_path / "m.eml"
        path.write_bytes(raw)
        out = subprocess.run(
            [sys.executable, "-m", "bot", "explain", str(path), "--json"],
            cwd=REPO, capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        assert json.loads(out.stdout)["message_id"] == mid
    assert not picks


# ------------------------------------------------------------------------------ scoring


def _perfect_outcome(s: Scenario) -> Outcome:
    """What a perfect foibot would export: each request with exactly its own messages."""
    export = []
    for n, origin in enumerate(s.requests, 1):
        messages = [
            {"message_id": mid, "direction": "out", "matched_by": "new_request"}
            for mid, o in s.sent_truth.items()
            if o == origin
        ] + [{"message_id": mid, "direction": "in"} for mid, o in s.truth.items() if o == origin]
        export.append(
            {"id": n, "campaign": f"campaign {s.campaigns[origin]}", "authority": "x",
             "messages": messages}
        )  # fmt: skip
    return Outcome(export, [])


def test_scorer_counts_right_and_catches_every_kind_of_mistake(
    scenarios: dict[int, Scenario],
) -> None:
    s = scenarios[SEEDS[0]]
    perfect = score(s, _perfect_outcome(s))
    assert not perfect.failures() and not perfect.held
    assert len(perfect.correct) == sum(t is not None for t in s.truth.values())

    outcome = _perfect_outcome(s)
    answered = [
        r["messages"] for r in outcome.export if any(m["direction"] == "in" for m in r["messages"])
    ]
    first, second, third = answered[:3]
    moved = next(m for m in first if m["direction"] == "in")
    first.remove(moved)
    second.append(moved)  # a reply on the wrong request
    dropped = next(m for m in third if m["direction"] == "in")
    third.remove(dropped)  # a reply nowhere
    held = next(m for m in answered[3] if m["direction"] == "in")
    answered[3].remove(held)
    outcome.pen.append({"message_id": f"<{held['message_id']}>", "suggestions": []})
    unrelated = next(mid for mid, t in s.truth.items() if t is None)
    outcome.export[3]["messages"].append({"message_id": unrelated, "direction": "in"})
    personal = next(mid for mid, t in s.sent_truth.items() if t is None)
    outcome.export.append(
        {"id": 999, "campaign": None, "authority": "y",
         "messages": [{"message_id": personal, "direction": "out"}]}
    )  # fmt: skip
    outcome.export[4]["campaign"] = "something else"
    result = score(s, outcome)
    assert [r.message_id for r in result.wrong] == [moved["message_id"]]
    assert [r.message_id for r in result.lost] == [dropped["message_id"]]
    assert [r.message_id for r in result.held] == [held["message_id"]]
    assert [r.message_id for r in result.unrelated_wrong] == [unrelated]
    assert len(result.sent_problems) == 2  # personal mail on a request; a request nobody sent
    assert len(result.campaign_problems) == 1


# ------------------------------------------------------------------------------ matching


@pytest.fixture(scope="module", params=SEEDS, ids=lambda seed: f"seed{seed}")
def maildir_score(
    request: pytest.FixtureRequest,
    scenarios: dict[int, Scenario],
    tmp_path_factory: pytest.TempPathFactory,
) -> Score:
    seed = request.param
    scenario = scenarios[seed]
    outcome = run_maildir(scenario, tmp_path_factory.mktemp(f"scenario{seed}"))
    return score(scenario, outcome)


def assert_no_wrong(result: Score) -> None:
    assert not result.wrong, (
        f"seed {result.seed}: {len(result.wrong)} FOI replies on a wrong request:\n"
        + table(result.wrong)
    )


def assert_unrelated_off_requests(result: Score) -> None:
    assert not result.unrelated_wrong, (
        f"seed {result.seed}: unrelated mail on a request:\n" + table(result.unrelated_wrong)
    )


def assert_nothing_lost(result: Score) -> None:
    assert not result.lost, (
        f"seed {result.seed}: FOI replies on no request and not in the holding pen:\n"
        + table(result.lost)
    )


def assert_sent_folder(result: Score) -> None:
    assert not result.sent_problems, f"seed {result.seed}:\n  " + "\n  ".join(result.sent_problems)


def assert_campaigns(result: Score) -> None:
    assert not result.campaign_problems, "\n".join(result.campaign_problems)


def assert_matching_works(result: Score) -> None:
    """Not the <= 2% goal (bench/matching.py measures that), but clearly not 'hold everything'."""
    assert result.correct, f"seed {result.seed}: no FOI reply matched"
    assert result.threaded_total >= 20
    assert result.threaded_correct >= 0.9 * result.threaded_total, (
        f"seed {result.seed}: only {result.threaded_correct}/{result.threaded_total} replies "
        "with In-Reply-To/References to a known message were matched; held:\n" + table(result.held)
    )
    assert result.held_pct < 25.0, (
        f"seed {result.seed}: {result.held_pct:.1f}% of FOI replies held:\n" + table(result.held)
    )


def test_no_reply_on_a_wrong_request(maildir_score: Score) -> None:
    assert_no_wrong(maildir_score)


def test_unrelated_mail_never_on_a_request(maildir_score: Score) -> None:
    assert_unrelated_off_requests(maildir_score)


def test_every_foi_reply_on_its_request_or_held(maildir_score: Score) -> None:
    assert_nothing_lost(maildir_score)


def test_each_sent_request_makes_one_request_and_followups_join_it(maildir_score: Score) -> None:
    assert_sent_folder(maildir_score)


def test_campaigns_are_grouped(maildir_score: Score) -> None:
    assert_campaigns(maildir_score)


def test_matching_places_most_replies(maildir_score: Score) -> None:
    assert_matching_works(maildir_score)


def test_scenario_end_to_end_through_dovecot(
    dovecot: Dovecot, imap_user: str, tmp_path: Path, scenarios: dict[int, Scenario]
) -> None:
    """The same checks with the mailbox served by a real IMAP server (INBOX + \\Sent)."""
    scenario = scenarios[IMAP_SEED]
    result = score(scenario, run_imap(scenario, dovecot, imap_user, tmp_path))
    assert result.foi_total == sum(t is not None for t in scenario.truth.values())
    failures = result.failures()
    assert not failures, f"seed {IMAP_SEED} over IMAP:\n{failures}"
    assert_matching_works(result)
