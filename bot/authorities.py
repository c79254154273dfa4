"""Reading the authorities directory CSV (pure: text in, values out).

Header: ``name,email,nation,kind`` and optionally ``domains`` (extra domains the
authority writes from, separated by spaces or semicolons) and ``emails`` (extra
addresses). Values are normalised leniently ("Northern Ireland" -> northern_ireland)
and every bad row is reported with its line number, all at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.csvrows import csv_rows
from bot.errors import InputError
from bot.vocabulary import AuthorityKind, Nation

REQUIRED = ("name", "email", "nation", "kind")
EMAIL = re.compile(r"^[^@\s<>,;]+@([^@\s<>,;]+\.[^@\s<>,;]+)$")
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")


@dataclass(frozen=True)
class AuthorityRecord:
    name: str
    email: str
    nation: Nation
    kind: AuthorityKind
    domains: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()

    @property
    def all_domains(self) -> tuple[str, ...]:
        """The FOI address's domain first, then the extra domains."""
        own = domain_of(self.email)
        return (own, *[d for d in self.domains if d != own])


def domain_of(address: str) -> str:
    """``FOI@Council.gov.uk.`` → ``council.gov.uk``."""
    return address.rpartition("@")[2].lower().strip(".")


def _enum_value(raw: str) -> str:
    return re.sub(r"[\s\-&]+", "_", raw.strip().lower())


def parse_authorities_csv(text: str, source: str = "CSV") -> list[AuthorityRecord]:
    """Parse the whole file; raise InputError listing every bad row."""
    records: list[AuthorityRecord] = []
    problems: list[str] = []
    seen: set[str] = set()
    for line, row in csv_rows(text, REQUIRED, source):
        try:
            record = _record(row)
        except ValueError as err:
            problems.append(f"{source}:{line}: {err}")
            continue
        if record.name.lower() in seen:
            problems.append(f"{source}:{line}: name: {record.name!r} appears twice")
            continue
        seen.add(record.name.lower())
        records.append(record)
    if problems:
        raise InputError("\n".join(problems))
    return records


def _record(row: dict[str, str | None]) -> AuthorityRecord:
    def cell(key: str) -> str:
        return (row.get(key) or "").strip()

    name = cell("name")
    if not name:
        raise ValueError("name: empty")
    email = cell("email").lower()
    if not EMAIL.match(email):
        raise ValueError(f'email: expected an address like foi@council.gov.uk, got "{email}"')
    nation = _enum_value(cell("nation"))
    if nation not in Nation.__members__.values():
        raise ValueError(f'nation: expected one of {", ".join(Nation)}, got "{cell("nation")}"')
    kind = _enum_value(cell("kind")) or AuthorityKind.OTHER.value
    if kind not in AuthorityKind.__members__.values():
        raise ValueError(f'kind: expected one of {", ".join(AuthorityKind)}, got "{cell("kind")}"')
    domains = tuple(d.lower().lstrip("@") for d in re.split(r"[\s;,]+", cell("domains")) if d)
    for domain in domains:
        if not DOMAIN.match(domain):
            raise ValueError(f'domains: "{domain}" is not a domain name')
    emails = tuple(e.lower() for e in re.split(r"[\s;,]+", cell("emails")) if e)
    for extra in emails:
        if not EMAIL.match(extra):
            raise ValueError(f'emails: "{extra}" is not an email address')
    return AuthorityRecord(name, email, Nation(nation), AuthorityKind(kind), domains, emails)
