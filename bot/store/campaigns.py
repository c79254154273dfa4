"""Campaigns: the same request to many authorities, drafted once per authority.

The user's request template (Jinja2, StrictUndefined) says what is asked; it may start
with a ``Subject: ...`` line. Variables: ``authority`` (name, email, nation, kind),
``requester`` (name, email, postal_address), ``regime``, ``law`` (the citations of
the authority's regime, see ``bot.drafting.law``), ``campaign`` (name) and ``today``.
The shipped ``initial_request`` letter frames it: greeting, the Act it is made under
(when the text does not say), the request for advice if it would cost too much (when
the text does not ask), sign-off. The regime comes from the authority's nation.

Each draft's ``trigger_key`` is ``campaign:<campaign id>:<authority id>``, so running
the campaign again drafts only for authorities new to the CSV. The draft carries the
tracking token its request will have (``context["tracking_token"]``, also at the end
of the subject); sending it creates the request (the outbox's part).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.authorities import parse_authorities_csv
from bot.config import Config
from bot.deadlines import london_date
from bot.drafting.addressing import is_noreply
from bot.drafting.campaign import letter_context, template_context
from bot.drafting.values import Requester
from bot.errors import InputError
from bot.letters import render_letter, render_text
from bot.matching.outgoing import campaign_fingerprint
from bot.store.authorities import find_authority, import_authorities
from bot.store.models import Authority, Campaign, Draft, Request
from bot.store.requests import campaign_named, new_tracking_token, regime_for
from bot.vocabulary import DraftStatus, OutgoingKind

TRIGGER = "campaign"


def campaign_key(campaign: Campaign, authority: Authority) -> str:
    return f"{TRIGGER}:{campaign.id}:{authority.id}"


def new_token(session: Session, taken: set[str]) -> str:
    """A tracking token ``FOI-XXXXXX`` that ``bot.references.is_tracking_token`` accepts
    (at least one hex letter) and no request uses."""
    while True:
        token = new_tracking_token()
        if token in taken:
            continue
        used = session.scalars(select(Request.id).where(Request.tracking_token == token)).first()
        if used is None:
            taken.add(token)
            return token


def _read(template: str | Path) -> tuple[str, str]:
    """(source, name) of the request template: a file, or the text itself."""
    if isinstance(template, Path):
        try:
            return template.read_text(encoding="utf-8"), template.name
        except (OSError, UnicodeDecodeError) as err:
            raise InputError(f"--template: cannot read {template}: {err}") from err
    return template, "request template"


def campaign_drafts(
    session: Session,
    config: Config,
    name: str,
    template: str | Path,
    authorities_csv: Path,
) -> list[Draft]:
    """Initial-request drafts, one per authority in the CSV (imported into the directory
    first); authorities already drafted for in this campaign are skipped."""
    source, source_name = _read(template)
    try:
        csv_text = authorities_csv.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"--authorities: cannot read {authorities_csv}: {err}") from err
    records = parse_authorities_csv(csv_text, str(authorities_csv))
    import_authorities(session, records)
    campaign = campaign_named(session, name)
    taken: set[str] = set()
    made: list[Draft] = []
    for record in records:
        authority = find_authority(session, record.name)
        key = campaign_key(campaign, authority)
        if session.scalars(select(Draft.id).where(Draft.trigger_key == key)).first() is not None:
            continue
        draft = _draft(session, config, campaign, authority, source, source_name, taken)
        try:
            with session.begin_nested():
                session.add(draft)
        except IntegrityError:
            continue  # drafted a moment ago by another process
        made.append(draft)
    return made


def _draft(
    session: Session,
    config: Config,
    campaign: Campaign,
    authority: Authority,
    source: str,
    source_name: str,
    taken: set[str],
) -> Draft:
    regime = regime_for(authority.nation, config.deadlines.default_regime)
    who = config.requester
    base = template_context(
        regime,
        campaign.name,
        {"name": authority.name, "email": authority.email, "nation": authority.nation,
         "kind": authority.kind},
        Requester(who.name, who.email, who.postal_address),
        london_date(dt.datetime.now(dt.UTC)),
    )  # fmt: skip
    asked = render_text(source, base, source_name)
    token = new_token(session, taken)
    context = letter_context(base, asked.subject, asked.body, token)
    letter = render_letter("initial_request", context, config.letters.template_dir)
    if campaign.subject is None:
        campaign.subject = asked.subject
        campaign.body_fingerprint = campaign_fingerprint(
            asked.subject, letter.body, [authority.name]
        )
    note = None
    if is_noreply(authority.email):
        note = f"{authority.email} (from the authorities CSV) looks like a no-reply address"
    return Draft(
        request_id=None,
        authority_id=authority.id,
        campaign_id=campaign.id,
        kind=OutgoingKind.REQUEST.value,
        trigger=TRIGGER,
        trigger_key=campaign_key(campaign, authority),
        to_addr=authority.email,
        subject=letter.subject,
        body=letter.body,
        in_reply_to=None,
        references_header=[],
        context={**context, "template": "initial_request"},
        address_note=note,
        status=DraftStatus.PENDING.value,
    )
