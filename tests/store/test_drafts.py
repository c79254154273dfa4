"""Drafts in the store: each trigger's draft once, never again after a rejection, a new
occurrence drafted anew, disputes, campaigns; on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cli import main
from bot.config import Config, load_config
from bot.errors import InputError
from bot.references import is_tracking_token
from bot.store import Database
from bot.store.drafts import add_once, campaign_drafts, dispute, sweep
from bot.store.models import Authority, Draft, Message, Request
from bot.store.progress import apply_to_request
from bot.store.requests import NewRequest, add_request
from bot.vocabulary import Direction, DraftStatus, MessageStatus, RequestState
from tests.conftest import MINIMAL_CONFIG

REPO = Path(__file__).resolve().parents[2]
UTC = dt.UTC
TODAY = dt.date(2025, 11, 25)
BODY = """Dear FOI team,

1) Has the council used predictive analytics in children's services?
2) Copies of any reports about predictive analytics in children's services.

Yours faithfully,
Research Team
"""
COST = "Complying would take more than 18 hours and exceed the appropriate limit of £450."
ADVICE = "If you limited question 2 to the last 12 months we could answer it."


@pytest.fixture
def store(db_url: str, write_config: Callable[..., Path]) -> Iterator[tuple[Database, Config]]:
    config = load_config(write_config(MINIMAL_CONFIG.replace("sqlite:///state/foibot.sqlite3",
                                                             db_url)))  # fmt: skip
    db = Database(db_url)
    db.upgrade()
    yield db, config
    db.dispose()


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=UTC)


def new_request(session: Session, config: Config, name: str, nation: str = "england") -> Request:
    slug = name.lower().replace(" ", "")
    session.add(Authority(name=name, email=f"foi@{slug}.example", nation=nation, kind="council"))
    session.flush()
    new = NewRequest(name, "Predictive analytics", at("2025-09-01"), body=BODY,
                     references=(f"FOI/{slug}/1",))  # fmt: skip
    return add_request(session, new, config)


def receive(
    session: Session,
    config: Config,
    request: Request,
    kind: str,
    day: str,
    outcome: str | None = None,
    exemptions: tuple[str, ...] = (),
    text: str = "",
    flags: dict[str, Any] | None = None,
    direction: Direction = Direction.INCOMING,
) -> Message:
    """A classified message placed on ``request`` and applied to its lifecycle."""
    domain = request.authority.email.partition("@")[2]
    incoming = direction is Direction.INCOMING
    message = Message(
        request=request, direction=direction.value, status=MessageStatus.MATCHED.value,
        subject=f"Re: {request.subject}", date=at(day),
        from_addr=request.authority.email if incoming else config.requester.email,
        message_id=f"{kind}.{request.id}.{day}@{domain if incoming else 'example.ac.uk'}",
        text=text or f"{kind} {outcome or ''}", kind=kind, outcome=outcome,
        exemptions=list(exemptions),
        classification={"confidence": 0.9, "flags": flags or {}} if incoming else {},
    )  # fmt: skip
    session.add(message)
    apply_to_request(session, request, message, config)
    session.flush()
    return message


def story(session: Session, config: Config) -> dict[str, Request]:
    """One request per trigger, each at the point where its letter is due on TODAY."""
    silent = new_request(session, config, "Silent Council")
    refused = new_request(session, config, "Refusing Council")
    receive(session, config, refused, "response", "2025-10-01", "refused", ("s40",),
            text="The names are personal data.")  # fmt: skip
    costly = new_request(session, config, "Costly Council")
    receive(session, config, costly, "response", "2025-09-26", "refused", ("s12",),
            text=f"{COST}\n\n{ADVICE}", flags={"advice_s16": ADVICE})  # fmt: skip
    unclear = new_request(session, config, "Unclear Council", "scotland")
    receive(session, config, unclear, "clarification_request", "2025-09-03",
            text="Could you clarify which services you mean?")  # fmt: skip
    slow = new_request(session, config, "Slow Council")
    receive(session, config, slow, "response", "2025-09-19", "refused", ("s43",))
    receive(session, config, slow, "review_request", "2025-09-29",
            direction=Direction.OUTGOING)  # fmt: skip
    return {"silent": silent, "refused": refused, "costly": costly, "unclear": unclear,
            "slow": slow}  # fmt: skip


EXPECTED = {
    "silent": ("review_request", "very_overdue"),  # 40 working days without an answer
    "refused": ("review_request", "refused"),
    "costly": ("refinement", "cost_refusal"),
    "unclear": ("clarification", "clarification_requested"),
    "slow": ("complaint", "review_overdue"),
}


def drafts_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Draft)) or 0


def test_the_sweep_drafts_each_triggers_letter_once(store: tuple[Database, Config]) -> None:
    db, config = store
    with db.session() as session:
        requests = story(session, config)
        made = sweep(session, config, TODAY)
        by_request = {d.request_id: d for d in made}
        assert len(made) == len(by_request) == 5
        for name, (kind, trigger) in EXPECTED.items():
            draft = by_request[requests[name].id]
            assert (draft.kind, draft.trigger, draft.status) == (kind, trigger, "pending"), name
            assert draft.body.startswith(("Your reference:", "Dear")) and draft.subject
            assert draft.context["template"] and draft.authority_id == requests[name].authority_id
        costly = by_request[requests["costly"].id]
        assert (
            costly.in_reply_to
            == f"response.{requests['costly'].id}.2025-09-26@costlycouncil.example"
        )
        assert "dated within the last 12 months" in costly.body
        assert by_request[requests["slow"].id].to_addr == "icocasework@ico.org.uk"
        assert "[[FILL IN:" in by_request[requests["unclear"].id].body
    with db.session() as session:
        assert sweep(session, config, TODAY) == []
        assert sweep(session, config, TODAY + dt.timedelta(days=1)) == []
        assert drafts_count(session) == 5


def test_a_rejected_draft_is_never_drafted_again(store: tuple[Database, Config]) -> None:
    db, config = store
    with db.session() as session:
        request = new_request(session, config, "Silent Council")
        (draft,) = sweep(session, config, TODAY)
        draft.status, draft.reason = DraftStatus.REJECTED.value, "phoned them instead"
    with db.session() as session:
        assert sweep(session, config, TODAY) == []
        assert sweep(session, config, TODAY, request_ids=[request.id]) == []


def test_a_pending_chaser_is_retired_when_the_answer_arrives(
    store: tuple[Database, Config],
) -> None:
    db, config = store
    with db.session() as session:
        request = new_request(session, config, "Silent Council")
        (chaser,) = sweep(session, config, dt.date(2025, 10, 1))
        receive(session, config, request, "response", "2025-10-02", "successful")
        assert sweep(session, config, dt.date(2025, 10, 3)) == []
        assert chaser.status == DraftStatus.REJECTED.value
        assert chaser.reason == "no longer needed: the request is now successful (foibot)"


def test_a_second_refusal_after_the_refined_request_is_drafted_anew(
    store: tuple[Database, Config],
) -> None:
    db, config = store
    with db.session() as session:
        request = new_request(session, config, "Costly Council")
        receive(session, config, request, "response", "2025-09-26", "refused", ("s12",), COST)
        (first,) = sweep(session, config, dt.date(2025, 9, 29))
        first.status = DraftStatus.SENT.value
        receive(session, config, request, "refinement", "2025-09-30",
                direction=Direction.OUTGOING)  # fmt: skip
        assert request.state == RequestState.AWAITING_RESPONSE.value  # a new request, new clock
        receive(session, config, request, "response", "2025-10-20", "refused", ("s12",), COST)
        (second,) = sweep(session, config, dt.date(2025, 10, 21))
        assert second.trigger == "cost_refusal" and second.trigger_key != first.trigger_key


def test_a_disputed_not_held_answer_drafts_an_internal_review(
    store: tuple[Database, Config],
) -> None:
    db, config = store
    with db.session() as session:
        request = new_request(session, config, "Forgetful Council")
        receive(session, config, request, "response", "2025-09-26", "not_held")
        assert sweep(session, config, dt.date(2025, 10, 1)) == []
        with pytest.raises(InputError, match="--reason"):
            dispute(session, request, "  ")
        event = dispute(session, request, "your 2024 annual report quotes these figures")
        assert (event.kind, event.actor) == ("disputed", "operator")
        (draft,) = sweep(session, config, dt.date(2025, 10, 1), request_ids=[request.id])
        assert draft.trigger == "not_held_disputed" and draft.kind == "review_request"
        assert "Your 2024 annual report quotes these figures." in draft.body


def test_only_a_not_held_answer_can_be_disputed(store: tuple[Database, Config]) -> None:
    db, config = store
    with db.session() as session:
        request = new_request(session, config, "Refusing Council")
        receive(session, config, request, "response", "2025-09-26", "refused", ("s40",))
        with pytest.raises(InputError, match='only a "not held" answer'):
            dispute(session, request, "it is held")


def test_a_key_drafted_meanwhile_by_another_process_is_skipped(
    store: tuple[Database, Config],
) -> None:
    """The unique trigger_key is the backstop: the losing insert rolls back its savepoint."""
    db, _ = store

    def chaser(key: str) -> Draft:
        return Draft(kind="chaser", trigger="response_overdue", trigger_key=key,
                     to_addr="foi@x.example", subject="s", body="b", status="pending")  # fmt: skip

    with db.session() as other:
        other.add(chaser("response_overdue:1:2025-09-29"))
    with db.session() as session:
        assert add_once(session, chaser("response_overdue:1:2025-09-29")) is False
        assert add_once(session, chaser("response_overdue:2:2025-09-29")) is True
        assert drafts_count(session) == 2  # the session is still usable
    with db.session() as session:
        assert drafts_count(session) == 2


# -- campaigns ----------------------------------------------------------------------------


TEMPLATE = """Subject: Pothole claims

Please tell me how many pothole claims {{ authority.name }} received in 2024.
"""


def write_csv(path: Path, *rows: str) -> Path:
    path.write_text("name,email,nation,kind\n" + "".join(r + "\n" for r in rows))
    return path


def test_campaign_drafts_one_request_per_authority_once(
    store: tuple[Database, Config], tmp_path: Path
) -> None:
    db, config = store
    template = tmp_path / "potholes.txt.j2"
    template.write_text(TEMPLATE)
    rows = ["Northmoor Council,foi@northmoor.example,england,council",
            "Glenmuir Council,foi@glenmuir.example,scotland,council"]  # fmt: skip
    csv = write_csv(tmp_path / "a.csv", *rows)
    with db.session() as session:
        made = campaign_drafts(session, config, "Potholes", template, csv)
        assert [d.to_addr for d in made] == ["foi@northmoor.example", "foi@glenmuir.example"]
        tokens = [d.context["tracking_token"] for d in made]
        assert len(set(tokens)) == 2 and all(is_tracking_token(t) for t in tokens)
        for draft, token in zip(made, tokens, strict=True):
            assert draft.subject == f"Pothole claims [{token}]"
            assert (draft.kind, draft.trigger, draft.request_id) == ("request", "campaign", None)
            assert draft.trigger_key == f"campaign:{draft.campaign_id}:{draft.authority_id}"
        assert "Freedom of Information Act 2000" in made[0].body
        assert "Freedom of Information (Scotland) Act 2002" in made[1].body
        assert "Glenmuir Council received in 2024" in made[1].body
    with db.session() as session:
        assert campaign_drafts(session, config, "Potholes", template, csv) == []
        more = write_csv(tmp_path / "b.csv", *rows, "Caerwen Council,foi@caerwen.example,wales,"
                         "council")  # fmt: skip
        (added,) = campaign_drafts(session, config, "Potholes", template, more)
        assert added.to_addr == "foi@caerwen.example"
        assert drafts_count(session) == 3


def test_a_campaign_template_error_names_the_template(
    store: tuple[Database, Config], tmp_path: Path
) -> None:
    from bot.errors import LetterTemplateError

    db, config = store
    template = tmp_path / "potholes.txt.j2"
    template.write_text("Subject: x\n\nDear {{ authority.nmae }}\n")
    csv = write_csv(tmp_path / "a.csv", "Northmoor Council,foi@northmoor.example,england,council")
    with db.session() as session, pytest.raises(LetterTemplateError, match=r"potholes\.txt\.j2"):
        campaign_drafts(session, config, "Potholes", template, csv)


# -- the demo mailbox ---------------------------------------------------------------------


def test_the_demo_mailbox_gets_the_follow_ups_of_its_answer_key(
    db_url: str, write_config: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """demo/README.md on 2026-11-21: a refinement for Caerwen (s.12, advice: Q4-6, the last
    12 months), chasers for Hartwell (past its extension) and St Aidan's (a school, past the
    20th working day); an internal review for Netherfield's partial answer (s.43), which
    the answer key leaves to the operator (here: a draft the operator may reject)."""
    import bot.cli.mail_cmd

    monkeypatch.setattr(bot.cli.mail_cmd, "today_london", lambda: dt.date(2026, 11, 21))
    text = MINIMAL_CONFIG.replace("sqlite:///state/foibot.sqlite3", db_url)
    path = write_config(text + f'\n[authorities]\ncsv = "{REPO / "demo" / "authorities.csv"}"\n')
    shutil.rmtree(tmp_path / "mail")
    shutil.copytree(REPO / "demo" / "mailbox", tmp_path / "mail")
    for args in (["init"], ["sync", "--once"]):
        result = CliRunner().invoke(main, ["--config", str(path), *args])
        assert result.exit_code == 0, result.output
    db = Database(load_config(path).database_url)
    with db.session() as session:
        drafts = {
            (session.get(Authority, d.authority_id) or Authority()).name.split()[0]: d
            for d in session.scalars(select(Draft))
        }
        assert {name: d.trigger for name, d in drafts.items()} == {
            "Caerwen": "cost_refusal",
            "Netherfield": "partially_successful",
            "London": "response_overdue",
            "St": "response_overdue",
        }
        assert "limited questions 4, 5 and 6 to information dated within the last 12 months" in (
            drafts["Caerwen"].body
        )
        assert drafts["London"].subject.startswith("Re: IG/FOI/3391 - ")
        assert "Monday 9 November 2026" in drafts["London"].body
        assert "sixtieth working day" in drafts["St"].body
        config = load_config(path)
        assert sweep(session, config, dt.date(2026, 11, 21)) == []
    db.dispose()
