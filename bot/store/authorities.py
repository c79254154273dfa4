"""Authorities in the database: import from the directory, look up by name or id."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.authorities import AuthorityRecord
from bot.errors import NotFoundError
from bot.store.models import Authority, AuthorityAddress


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int


def import_authorities(session: Session, records: list[AuthorityRecord]) -> ImportResult:
    """Insert new authorities and update changed ones, matched by name (case-insensitive)."""
    existing = {a.name.lower(): a for a in session.scalars(select(Authority))}
    added = updated = unchanged = 0
    for record in records:
        authority = existing.get(record.name.lower())
        if authority is None:
            authority = Authority(
                name=record.name, email=record.email, nation=record.nation, kind=record.kind
            )
            session.add(authority)
            existing[record.name.lower()] = authority
            added += 1
        elif (authority.email, authority.nation, authority.kind) != (
            record.email,
            record.nation.value,
            record.kind.value,
        ):
            authority.email, authority.nation, authority.kind = (
                record.email,
                record.nation.value,
                record.kind.value,
            )
            updated += 1
        else:
            unchanged += 1
        _add_addresses(authority, record)
    session.flush()
    return ImportResult(added, updated, unchanged)


def _add_addresses(authority: Authority, record: AuthorityRecord) -> None:
    known = {(a.kind, a.value) for a in authority.addresses}
    wanted = [("email", e) for e in (record.email, *record.emails)]
    wanted += [("domain", d) for d in record.all_domains]
    for kind, value in wanted:
        if (kind, value) not in known:
            authority.addresses.append(AuthorityAddress(kind=kind, value=value, source="directory"))
            known.add((kind, value))


def find_authority(session: Session, key: str) -> Authority:
    """By id, exact name (case-insensitive), or FOI email address."""
    found: Authority | None = None
    if key.isdigit():
        found = session.get(Authority, int(key))
    if found is None:
        found = session.scalars(
            select(Authority).where(func.lower(Authority.name) == key.strip().lower())
        ).first()
    if found is None:
        found = session.scalars(
            select(Authority).where(Authority.email == key.strip().lower())
        ).first()
    if found is None:
        raise NotFoundError(f"no authority {key!r}; see `foibot authorities list` or import a CSV")
    return found


def list_authorities(session: Session) -> list[Authority]:
    return list(session.scalars(select(Authority).order_by(Authority.name)))
