"""Authorities: importing the directory into the database, on both backends."""

from __future__ import annotations

from sqlalchemy import select

from bot.authorities import parse_authorities_csv
from bot.store import Database
from bot.store.authorities import find_authority, import_authorities, list_authorities
from bot.store.models import AuthorityAddress

CSV = """name,email,nation,kind,domains
Northmoor Council,FOI@northmoor.gov.example,England,council,crm.northmoor.example
Glenard Council,foi@glenard.gov.example,scotland,council,
"""


def test_import_is_idempotent_and_updates(db_url: str) -> None:
    """Importing twice adds nothing; a changed row is updated in place."""
    db = Database(db_url)
    db.upgrade()
    records = parse_authorities_csv(CSV)
    with db.session() as session:
        first = import_authorities(session, records)
    with db.session() as session:
        second = import_authorities(session, records)
    assert (first.added, first.updated, first.unchanged) == (2, 0, 0)
    assert (second.added, second.updated, second.unchanged) == (0, 0, 2)
    changed = parse_authorities_csv(CSV.replace("England,council", "Wales,council"))
    with db.session() as session:
        third = import_authorities(session, changed)
        assert third.updated == 1
        assert find_authority(session, "northmoor council").nation == "wales"
    db.dispose()


def test_addresses_and_domains_are_recorded(db_url: str) -> None:
    """The FOI address, its domain and the extra domains are known addresses."""
    db = Database(db_url)
    db.upgrade()
    with db.session() as session:
        import_authorities(session, parse_authorities_csv(CSV))
    with db.session() as session:
        values = {
            (a.kind, a.value)
            for a in session.scalars(select(AuthorityAddress))
            if a.authority.name == "Northmoor Council"
        }
        assert values == {
            ("email", "foi@northmoor.gov.example"),
            ("domain", "northmoor.gov.example"),
            ("domain", "crm.northmoor.example"),
        }
        assert [a.name for a in list_authorities(session)] == [
            "Glenard Council",
            "Northmoor Council",
        ]
        assert find_authority(session, "foi@glenard.gov.example").name == "Glenard Council"
    db.dispose()
