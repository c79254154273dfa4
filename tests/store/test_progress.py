"""Classification and the lifecycle in the store: the demo mailbox reaches the states of
its answer key (demo/README.md), operator decisions stick, and nothing is applied twice."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from bot.classify import classify
from bot.cli import main
from bot.config import load_config
from bot.lifecycle import Happening, outgoing_happening, replay, transition
from bot.parse import parse_email
from bot.rawstore import RawStore
from bot.store import Database
from bot.store.models import Message, RawMessage, Request
from bot.store.progress import apply_to_request, classify_message
from bot.store.requests import export_record, list_requests
from bot.vocabulary import IncomingKind, OutgoingKind, RequestState
from tests.conftest import MINIMAL_CONFIG

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "demo" / "mailbox"
CONFIG = MINIMAL_CONFIG + f'\n[authorities]\ncsv = "{REPO / "demo" / "authorities.csv"}"\n'
STORY_DAY = dt.date(2026, 11, 21)  # "today" in demo/README.md
# demo/README.md: request -> (state, response_due, overdue on 2026-11-21)
EXPECTED: dict[str, tuple[str, str | None, bool | None]] = {
    "Northmoor": ("successful", "2026-10-12", False),
    "Caerwen": ("refused", "2026-10-12", False),
    "Glenmuir": ("awaiting_response", "2026-12-08", False),  # our clarification restarted it
    "Netherfield": ("partially_successful", "2026-10-12", False),
    "London": ("extended", "2026-11-09", True),  # Hartwell: extended, and overdue
    "Brackenvale": ("delivery_failed", None, False),  # never delivered: no clock
    "St": ("awaiting_response", None, True),  # St Aidan's: the school rule's date, see below
    "Loughside": ("awaiting_response", "2026-11-23", False),
}


class Foibot:
    """The CLI on one config, plus the database behind it."""

    def __init__(self, config: Path) -> None:
        self.config = config

    def __call__(self, *args: str, code: int = 0) -> Result:
        result = CliRunner().invoke(main, ["--config", str(self.config), *args])
        assert result.exit_code == code, result.output
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self(*args).output)

    def export(self) -> dict[str, dict[str, Any]]:
        return {r["authority"].split()[0]: r for r in self.json("export", "--format", "json")}

    def events(self, request_id: int) -> list[dict[str, Any]]:
        shown = self.json("requests", "show", str(request_id), "--json")
        return list(shown["events"])

    def all_events(self) -> dict[str, list[tuple[Any, ...]]]:
        """Per request: (kind, at, actor, stated date, data) of each event."""
        return {
            name: [
                (e["kind"], e["at"], e["actor"], e["stated_date"], json.dumps(e["data"]))
                for e in self.events(r["id"])
            ]
            for name, r in self.export().items()
        }

    def db(self) -> Database:
        return Database(load_config(self.config).database_url)


@pytest.fixture
def foibot(write_config: Callable[..., Path]) -> Foibot:
    app = Foibot(write_config(CONFIG))
    app("init")
    return app


def copy_demo(tmp_path: Path, folders: tuple[str, ...] = ("cur", "new", ".Sent")) -> None:
    mail = tmp_path / "mail"
    shutil.rmtree(mail)
    for sub in ("cur", "new", "tmp"):
        (mail / sub).mkdir(parents=True)
    for folder in folders:
        shutil.copytree(DEMO / folder, mail / folder, dirs_exist_ok=True)


def write_reply(tmp_path: Path, name: str, headers: str, body: str) -> None:
    (tmp_path / "mail" / "new" / name).write_text(
        f"{headers}\nTo: research@example.ac.uk\nMessage-ID: <{name}@example>\n"
        f"Date: Mon, 16 Nov 2026 10:00:00 +0000\n\n{body}\n"
    )


HARTWELL_REFUSAL = (
    "From: foi@hartwell.gov.example\nSubject: RE: our ref IG/FOI/3391\n"
    "In-Reply-To: <foi-req-hartwell.20260914091000@example.ac.uk>",
    "We have now completed the public interest test. The information you requested is "
    "withheld under section 43(2) of the Freedom of Information Act. This letter acts "
    "as a refusal notice.",
)


# -- the demo mailbox ----------------------------------------------------------------------


def test_the_demo_mailbox_reaches_the_states_of_its_answer_key(
    db_url: str, write_config: Callable[..., Path], tmp_path: Path
) -> None:
    """demo/README.md: each request's state, response_due and overdue on 2026-11-21
    (SQLite and PostgreSQL)."""
    foibot = Foibot(write_config(CONFIG.replace("sqlite:///state/foibot.sqlite3", db_url)))
    foibot("init")
    copy_demo(tmp_path)
    foibot("sync", "--once")
    records = foibot.export()
    assert sorted(records) == sorted(EXPECTED)
    for name, (state, due, _) in EXPECTED.items():
        assert records[name]["state"] == state, name
        if name != "St":
            assert records[name]["response_due"] == due, name
    db = foibot.db()
    with db.session() as session:
        on_the_day = {
            r.authority.name.split()[0]: export_record(r, STORY_DAY, None)
            for r in list_requests(session)
        }
    db.dispose()
    for name, (_, _, overdue) in EXPECTED.items():
        if name != "St":  # the deadline engine counts a school's 60th working day as "due"
            assert on_the_day[name]["overdue"] is overdue, name


def test_each_change_of_state_is_an_event_saying_why(foibot: Foibot, tmp_path: Path) -> None:
    copy_demo(tmp_path)
    foibot("sync", "--once")
    records = foibot.export()
    glenmuir = foibot.events(records["Glenmuir"]["id"])
    assert [e["kind"] for e in glenmuir] == [
        "sent",
        "clarification_requested",
        "clarification_sent",
    ]
    assert all(e["actor"] == "bot" and e["message_id"] for e in glenmuir)
    assert glenmuir[2]["data"]["from"] == "awaiting_clarification"
    out = [m for m in records["Glenmuir"]["messages"] if m["direction"] == "out"]
    assert [m["kind"] for m in out] == ["request", "clarification"]  # README: Sent #9
    (extension,) = [e for e in foibot.events(records["London"]["id"]) if e["kind"] == "extension"]
    assert extension["stated_date"] == "2026-11-09" and extension["data"]["to"] == "extended"
    bounce = foibot.events(records["Brackenvale"]["id"])[-1]
    assert bounce["kind"] == "hard_bounce" and bounce["data"]["to"] == "delivery_failed"
    assert bounce["data"]["restart_clock"] is True  # the clock never started
    response = foibot.events(records["Caerwen"]["id"])[-1]
    assert (response["kind"], response["data"]["to"]) == ("response", "refused")
    answers = {(m["kind"], m["outcome"], tuple(m["exemptions"]))
               for m in records["Netherfield"]["messages"]}  # fmt: skip
    assert ("response", "partially_successful", ("s43",)) in answers


def test_syncing_again_or_rematching_adds_no_events(foibot: Foibot, tmp_path: Path) -> None:
    """Events are idempotent per message: sync twice, rematch, apply again: the same."""
    copy_demo(tmp_path)
    foibot("sync", "--once")
    before = foibot.all_events()
    foibot("sync", "--once")
    foibot("holding-pen", "rematch")
    db = foibot.db()
    with db.session() as session:
        for request in session.scalars(select(Request)):
            ids = [e.id for e in request.events]
            for message in list(request.messages):
                assert apply_to_request(session, request, message, None) == []
            session.flush()
            assert [e.id for e in request.events] == ids  # not even rewritten
    db.dispose()
    assert foibot.all_events() == before


def test_the_order_mail_is_read_in_does_not_matter(
    foibot: Foibot, tmp_path: Path, write_config: Callable[..., Path]
) -> None:
    """Sent mail read before the replies it answers (our clarification before their
    request for it) gives the same states and events as reading everything at once."""
    copy_demo(tmp_path, (".Sent",))
    foibot("sync", "--once")
    copy_demo(tmp_path)
    foibot("sync", "--once")
    late = foibot.export()
    late_events = {name: [e[:4] for e in events] for name, events in foibot.all_events().items()}
    (tmp_path / "state").rename(tmp_path / "late-state")
    foibot("init")
    foibot("sync", "--once")
    at_once = foibot.export()
    assert {n: (r["state"], r["response_due"]) for n, r in late.items()} == {
        n: (r["state"], r["response_due"]) for n, r in at_once.items()
    }
    assert late_events == {n: [e[:4] for e in ev] for n, ev in foibot.all_events().items()}


# -- mail that cannot or should not move the state by itself ---------------------------------


def test_an_impossible_step_is_recorded_for_the_operator(foibot: Foibot, tmp_path: Path) -> None:
    """A review outcome for a request nobody asked to review: state kept, error recorded."""
    copy_demo(tmp_path)
    write_reply(
        tmp_path,
        "review",
        "From: foi@loughside.hscni.example\nSubject: Internal review LHSCT-FOI-1187\n"
        "In-Reply-To: <foi-req-loughside.20261026093000@example.ac.uk>",
        "I have now completed the internal review. I uphold the original decision.",
    )
    foibot("sync", "--once")
    loughside = foibot.export()["Loughside"]
    assert loughside["state"] == "awaiting_response"
    (event,) = [e for e in foibot.events(loughside["id"]) if e["kind"] == "unexpected"]
    assert "review_upheld cannot apply to a request that is awaiting_response" in event["reason"]


def test_a_message_foibot_is_not_sure_about_waits_for_review(
    foibot: Foibot, tmp_path: Path
) -> None:
    """'Please find our response attached' alone is a response at 0.5: not sure, so the
    state stays and a needs_review event proposes the change."""
    copy_demo(tmp_path)
    write_reply(
        tmp_path,
        "unsure",
        "From: foi@loughside.hscni.example\nSubject: LHSCT-FOI-1187\n"
        "In-Reply-To: <foi-req-loughside.20261026093000@example.ac.uk>",
        "Please find our response attached.",
    )
    foibot("sync", "--once")
    loughside = foibot.export()["Loughside"]
    assert loughside["state"] == "awaiting_response"
    (event,) = [e for e in foibot.events(loughside["id"]) if e["kind"] == "needs_review"]
    assert event["data"]["proposed"] == "successful" and "not sure" in event["reason"]


# -- the operator's decisions ----------------------------------------------------------------


def test_later_mail_changes_a_request_the_operator_has_not_set(
    foibot: Foibot, tmp_path: Path
) -> None:
    copy_demo(tmp_path)
    write_reply(tmp_path, "refusal", *HARTWELL_REFUSAL)
    foibot("sync", "--once")
    assert foibot.export()["London"]["state"] == "refused"


def test_the_operator_s_state_survives_later_mail(foibot: Foibot, tmp_path: Path) -> None:
    """set-state: the refusal that would have made Hartwell `refused` is only proposed."""
    copy_demo(tmp_path)
    foibot("sync", "--once")
    hartwell = foibot.export()["London"]
    shown = foibot("requests", "set-state", str(hartwell["id"]), "successful",
                   "--reason", "answered by post")  # fmt: skip
    assert "successful" in shown.output
    write_reply(tmp_path, "refusal", *HARTWELL_REFUSAL)
    foibot("sync", "--once")
    foibot("holding-pen", "rematch")
    hartwell = foibot.export()["London"]
    assert hartwell["state"] == "successful"
    events = foibot.events(hartwell["id"])
    (state_set,) = [e for e in events if e["kind"] == "state_set"]
    assert state_set["actor"] == "operator" and state_set["reason"] == "answered by post"
    (proposed,) = [e for e in events if e["kind"] == "proposed"]
    assert proposed["data"]["proposed"] == "refused" and proposed["actor"] == "bot"
    db = foibot.db()
    with db.session() as session:
        (request,) = [r for r in list_requests(session) if r.id == hartwell["id"]]
        assert export_record(request, STORY_DAY, None)["overdue"] is False  # answered


def test_a_reclassified_message_moves_the_state_and_stays_so(
    foibot: Foibot, tmp_path: Path
) -> None:
    copy_demo(tmp_path)
    foibot("sync", "--once")
    netherfield = foibot.export()["Netherfield"]
    (response,) = [m for m in netherfield["messages"] if m["kind"] == "response"]
    foibot("messages", "reclassify", str(response["id"]), "--kind", "response",
           "--outcome", "refused", "--reason", "the PDF refuses everything")  # fmt: skip
    assert foibot.export()["Netherfield"]["state"] == "refused"
    foibot("sync", "--once")
    foibot("holding-pen", "rematch")
    netherfield = foibot.export()["Netherfield"]
    assert netherfield["state"] == "refused"
    shown = foibot.json("messages", "show", str(response["id"]), "--json")
    assert shown["operator_override"] and shown["outcome"] == "refused"
    assert shown["classification"]["operator"]["reason"] == "the PDF refuses everything"
    assert shown["classification"]["outcome"] == "partially_successful"  # what it had said
    kinds = [(e["kind"], e["actor"]) for e in foibot.events(netherfield["id"])]
    assert ("reclassified", "operator") in kinds and kinds.count(("response", "bot")) == 1
    db = foibot.db()
    with db.session() as session:  # classifying it again changes nothing
        message = session.get(Message, response["id"])
        assert message is not None and message.raw_id is not None
        raw = session.get(RawMessage, message.raw_id)
        assert raw is not None
        raws = RawStore(load_config(foibot.config).database.raw_dir)
        email = parse_email(raws.get(raw.sha256))
        classify_message(message, email)
        assert (message.kind, message.outcome) == ("response", "refused")
    db.dispose()


def test_a_held_message_reclassified_then_assigned_moves_its_request(
    foibot: Foibot, tmp_path: Path
) -> None:
    copy_demo(tmp_path)
    write_reply(
        tmp_path,
        "portal",
        "From: noreply@casework-portal.example\nSubject: Case update",
        "Your request has been logged as case CW-1. We will respond in 20 working days.",
    )
    foibot("sync", "--once")
    (held,) = foibot.json("holding-pen", "list", "--json")
    assert foibot.json("messages", "show", str(held["id"]), "--json")["kind"] == "acknowledgement"
    foibot("messages", "reclassify", str(held["id"]), "--kind", "extension")
    loughside = foibot.export()["Loughside"]
    foibot("holding-pen", "assign", str(held["id"]), str(loughside["id"]))
    loughside = foibot.export()["Loughside"]
    assert loughside["state"] == "extended"
    assert [m["kind"] for m in loughside["messages"] if m["id"] == held["id"]] == ["extension"]


# -- the pure parts this relies on ---------------------------------------------------------


def test_a_cost_limit_warning_does_not_make_a_clarification_request_unsure() -> None:
    """Glenmuir asks what period to cover, as an open-ended search is 'likely to take us over
    the cost limit': the reason for asking, not a refusal."""
    raw = (DEMO / "cur" / "1789999500.M7P1.demo:2,RS").read_bytes()
    found = classify(parse_email(raw))
    assert found.kind is IncomingKind.CLARIFICATION_REQUEST and not found.uncertain


def test_whatever_we_send_while_a_clarification_is_owed_is_the_clarification() -> None:
    state = RequestState.AWAITING_CLARIFICATION
    assert outgoing_happening(OutgoingKind.OTHER, state) is Happening.CLARIFICATION_SENT
    assert outgoing_happening(OutgoingKind.OTHER, RequestState.AWAITING_RESPONSE) is Happening.OTHER
    assert transition(state, outgoing_happening(OutgoingKind.OTHER, state)).changed


def test_a_request_that_bounced_has_no_clock_until_delivered() -> None:
    at = dt.datetime(2026, 9, 14, 9, tzinfo=dt.UTC)
    state, events = replay([(Happening.REQUEST_SENT, at, None), (Happening.HARD_BOUNCE, at, None)])
    assert state is RequestState.DELIVERY_FAILED and events == ()
    later = at + dt.timedelta(days=2)
    state, events = replay([(Happening.ACKNOWLEDGEMENT, later, None)], state)
    assert state is RequestState.AWAITING_RESPONSE and [e.at for e in events] == [later]
