"""Helpers shared by the outbox tests: a config, a database, authorities and drafts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.compose import new_message_id
from bot.config import Config, load_config
from bot.store import Database
from bot.store.models import Authority, Draft, Request
from bot.store.requests import NewRequest, add_request
from bot.vocabulary import DraftStatus, OutgoingKind

REQUESTER = "research@example.ac.uk"
AUTHORITY_EMAIL = "foi@northmoor.gov.uk"
PASSWORD_ENV = "FOIBOT_TEST_IMAP_PASSWORD"


def maildir_toml(root: Path, sent: bool = True) -> str:
    """A ``[mailbox]`` section for a Maildir at ``root/mail`` (with ``.Sent`` if ``sent``)."""
    folders = ["", ".Sent"] if sent else [""]
    for folder in folders:
        for sub in ("cur", "new", "tmp"):
            (root / "mail" / folder / sub).mkdir(parents=True, exist_ok=True)
    return f'[mailbox]\nkind = "maildir"\npath = "{root / "mail"}"\n'


def imap_toml(host: str, port: int, ca_file: Path, user: str) -> str:
    """A ``[mailbox]`` section reading ``user``'s mail over implicit TLS."""
    return (
        f'[mailbox]\nkind = "imap"\nhost = "{host}"\nport = {port}\ntls = "implicit"\n'
        f'ca_file = "{ca_file}"\nusername = "{user}"\npassword_env = "{PASSWORD_ENV}"\n'
        "timeout_seconds = 10\n"
    )


def write_config(root: Path, mailbox: str, smtp: str, smtp_extra: str = "") -> Config:
    root.mkdir(parents=True, exist_ok=True)
    path = root / "config.toml"
    path.write_text(
        f'[requester]\nname = "Research Team"\nemail = "{REQUESTER}"\n\n{mailbox}\n'
        f'[database]\nurl = "sqlite:///{root / "foibot.sqlite3"}"\nraw_dir = "{root / "raw"}"\n\n'
        f"{smtp}{smtp_extra}\n",
        encoding="utf-8",
    )
    return load_config(path)


def open_db(config: Config) -> Database:
    db = Database(config.database_url)
    db.upgrade()
    return db


def add_authority(
    db: Database,
    name: str = "Northmoor County Council",
    email: str = AUTHORITY_EMAIL,
    nation: str = "england",
) -> int:
    with db.session() as session:
        authority = Authority(name=name, nation=nation, kind="council", email=email)
        session.add(authority)
        session.flush()
        return authority.id


def add_request_row(db: Database, config: Config, authority_id: int, subject: str) -> int:
    """A request already sent (by hand), to reply on."""
    with db.session() as session:
        request = add_request(
            session,
            NewRequest(
                authority=str(authority_id),
                subject=subject,
                sent_at=dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC),
            ),
            config,
        )
        return request.id


def add_draft(
    db: Database,
    *,
    authority_id: int | None = None,
    request_id: int | None = None,
    status: DraftStatus = DraftStatus.APPROVED,
    kind: OutgoingKind = OutgoingKind.CHASER,
    to_addr: str = AUTHORITY_EMAIL,
    subject: str = "Re: FOI 10400 - Library opening hours",
    body: str = "Dear FOI team,\n\nPlease reply to my request.\n\nResearch Team\n",
    in_reply_to: str | None = None,
    references: tuple[str, ...] = (),
    context: dict[str, object] | None = None,
    trigger: str = "test",
) -> int:
    approved = status not in (DraftStatus.PENDING, DraftStatus.REJECTED)
    with db.session() as session:
        draft = Draft(
            request_id=request_id,
            authority_id=authority_id,
            kind=kind.value,
            trigger=trigger,
            to_addr=to_addr,
            subject=subject,
            body=body,
            in_reply_to=in_reply_to,
            references_header=list(references),
            message_id=new_message_id("example.ac.uk") if approved else None,
            from_addr=REQUESTER if approved else None,
            status=status.value,
            approved_at=dt.datetime.now(dt.UTC) if approved else None,
            context=dict(context or {}),
        )
        session.add(draft)
        session.flush()
        return draft.id


def draft_row(db: Database, draft_id: int) -> Draft:
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        assert draft is not None
        session.expunge(draft)
        return draft


def request_row(db: Database, request_id: int) -> Request:
    with db.session() as session:
        request = session.get(Request, request_id)
        assert request is not None
        _ = request.events, request.thread_keys, request.messages
        session.expunge(request)
        return request
