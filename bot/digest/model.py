"""The digest as a value: sections of items, and every count derived from those items.

Nothing here is stored separately from what it counts: a group's "2 overdue" is the
length of its list of overdue requests, the digest's total is the sum of its groups,
and both renderings (text and HTML) read these same values. So the numbers on the
page always agree with the lines under them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from bot.deadlines import long_date
from bot.vocabulary import DraftStatus

NO_CAMPAIGN = "Requests without a campaign"


def working_days(count: int) -> str:
    """'1 working day', '9 working days'."""
    return f"{count} working day" if count == 1 else f"{count} working days"


class Lateness(StrEnum):
    VERY_OVERDUE = "very_overdue"
    OVERDUE = "overdue"
    PROBABLY_OVERDUE = "probably_overdue"  # a school past its 20th working day


@dataclass(frozen=True)
class LateRequest:
    request_id: int
    authority: str
    subject: str
    state: str
    lateness: Lateness
    owed_by: dt.date  # the date it was owed (a school: the 20th working day)
    days_late: int  # working days after ``owed_by``, up to and including today
    legal_limit: dt.date | None = None  # a school: the 60th working day
    campaign: str | None = None

    @property
    def overdue(self) -> bool:
        """Overdue in law (very overdue included); a school's "probably" is not."""
        return self.lateness is not Lateness.PROBABLY_OVERDUE

    @property
    def label(self) -> str:
        if self.lateness is Lateness.PROBABLY_OVERDUE:
            limit = long_date(self.legal_limit) if self.legal_limit else "unknown"
            return f"probably overdue (school: 20 school days; legal outer limit {limit})"
        return "very overdue" if self.lateness is Lateness.VERY_OVERDUE else "overdue"

    @property
    def detail(self) -> str:
        """How late, in the request's working days: '9 working days late (due ...)'."""
        days = working_days(self.days_late)
        if self.lateness is Lateness.PROBABLY_OVERDUE:
            return f"{days} after its 20th working day ({long_date(self.owed_by)})"
        return f"{days} late (due {long_date(self.owed_by)})"


@dataclass(frozen=True)
class DueSoon:
    request_id: int
    authority: str
    subject: str
    due: dt.date
    working_days_left: int  # working days after today up to and including ``due``
    school: bool = False  # ``due`` is a school's 20th working day, not the legal limit
    campaign: str | None = None


@dataclass(frozen=True)
class Bar:
    """One state's share of a group: the count, the HTML width and the text bar."""

    state: str
    count: int
    percent: int  # of the group's requests, at least 1 for a count above 0
    hashes: str  # "#####": the same share of ``BAR_WIDTH`` characters

    @property
    def label(self) -> str:
        return self.state.replace("_", " ")


@dataclass(frozen=True)
class Group:
    """One campaign's requests (or those without a campaign)."""

    name: str
    campaign: str | None
    bars: tuple[Bar, ...]  # the states held by at least one request, in vocabulary order
    late: tuple[LateRequest, ...]
    due_soon: tuple[DueSoon, ...]

    @property
    def total(self) -> int:
        return sum(bar.count for bar in self.bars)

    @property
    def overdue(self) -> int:
        return sum(item.overdue for item in self.late)

    @property
    def very_overdue(self) -> int:
        return sum(item.lateness is Lateness.VERY_OVERDUE for item in self.late)

    @property
    def probably_overdue(self) -> int:
        return sum(item.lateness is Lateness.PROBABLY_OVERDUE for item in self.late)


@dataclass(frozen=True)
class Answer:
    """A response or review outcome received this week."""

    message_id: int
    request_id: int
    authority: str
    kind: str
    outcome: str | None
    exemptions: tuple[str, ...]
    subject: str
    received: dt.datetime  # Europe/London
    campaign: str | None = None

    @property
    def label(self) -> str:
        what = "review outcome" if self.kind == "review_outcome" else "response"
        outcome = (self.outcome or "outcome not recognised").replace("_", " ")
        cited = f" ({', '.join(self.exemptions)})" if self.exemptions else ""
        return f"{what}: {outcome}{cited}"


@dataclass(frozen=True)
class DraftLine:
    id: int
    kind: str
    status: DraftStatus
    to_addr: str
    subject: str
    trigger: str
    request_id: int | None = None
    authority: str | None = None
    note: str | None = None  # the outbox's error: why it failed, or why delivery is uncertain
    link: str | None = None  # its page on the web interface, when configured


@dataclass(frozen=True)
class FolderHealth:
    mailbox: str
    folder: str
    last_sync_at: dt.datetime | None  # Europe/London
    last_error: str | None
    stale: bool  # never synced, or the last successful sync is more than a day old

    @property
    def ok(self) -> bool:
        return not self.stale and not self.last_error


@dataclass(frozen=True)
class Digest:
    today: dt.date
    week: str  # ISO year-week of ``today``, e.g. "2026-W47"
    since: dt.datetime  # the week is (since, until], Europe/London
    until: dt.datetime
    groups: tuple[Group, ...]
    answers: tuple[Answer, ...]  # responses and review outcomes received this week
    awaiting_approval: tuple[DraftLine, ...]
    sent: tuple[DraftLine, ...]  # letters sent this week
    failed: tuple[DraftLine, ...]  # failed, or sent with delivery uncertain
    holding: int
    quarantine: int
    folders: tuple[FolderHealth, ...]

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)

    @property
    def late(self) -> tuple[LateRequest, ...]:
        """Every late request: very overdue, overdue, then probably overdue; latest first."""
        items = [item for group in self.groups for item in group.late]
        rank = list(Lateness)
        return tuple(
            sorted(items, key=lambda i: (rank.index(i.lateness), -i.days_late, i.request_id))
        )

    @property
    def due_soon(self) -> tuple[DueSoon, ...]:
        items = [item for group in self.groups for item in group.due_soon]
        return tuple(sorted(items, key=lambda i: (i.due, i.request_id)))

    @property
    def overdue(self) -> int:
        return sum(group.overdue for group in self.groups)

    @property
    def very_overdue(self) -> int:
        return sum(group.very_overdue for group in self.groups)

    @property
    def probably_overdue(self) -> int:
        return sum(group.probably_overdue for group in self.groups)

    @property
    def glance(self) -> tuple[tuple[str, int], ...]:
        """The summary at the top: (label, number), the same rows in text and HTML."""
        return (
            ("Requests", self.total),
            ("Overdue", self.overdue),
            ("Very overdue", self.very_overdue),
            ("Probably overdue (schools)", self.probably_overdue),
            ("Due in the next 7 days", len(self.due_soon)),
            ("Responses received this week", len(self.answers)),
            ("Drafts awaiting your approval", len(self.awaiting_approval)),
            ("Letters sent this week", len(self.sent)),
            ("Failed or delivery uncertain", len(self.failed)),
            ("Holding pen", self.holding),
            ("Quarantine (unresolved)", self.quarantine),
        )

    @property
    def sync_ok(self) -> bool:
        return bool(self.folders) and all(folder.ok for folder in self.folders)

    @property
    def last_sync(self) -> dt.datetime | None:
        times = [f.last_sync_at for f in self.folders if f.last_sync_at is not None]
        return max(times, default=None)
