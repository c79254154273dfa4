"""``build_digest``: a ``DigestInput`` in, a ``Digest`` out (pure).

Where a request stands is decided once, here, from the deadline engine's values
(``bot.deadlines``), in the working-day calendar of the request's regime:

- **overdue** / **very overdue**: the engine's ``is_overdue`` / ``is_very_overdue``
  (the day after the date owed, extensions counted; very overdue after 40 working
  days, 60 for schools), for a request still awaiting its answer;
- **probably overdue**: a school (FOIA) past its 20th working day but not yet its 60th.
  The law gives the earlier of the 20th *school* day and the 60th working day, and
  foibot cannot know term dates (uk-time-limits.md), so it says "probably";
- **due soon**: owed within the next ``SOON_DAYS`` days (a school: its 20th working day).

Each request is in at most one of these lists, so no request is counted twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable

from bot.deadlines import (
    LONDON,
    ClockState,
    is_overdue,
    is_probably_overdue,
    is_very_overdue,
    working_days_late,
)
from bot.digest.model import (
    NO_CAMPAIGN,
    Answer,
    Bar,
    Digest,
    DraftLine,
    DueSoon,
    FolderHealth,
    Group,
    Lateness,
    LateRequest,
)
from bot.digest.values import DigestInput, DraftInput, FolderInput, MessageInput, RequestInput
from bot.vocabulary import DIGEST_DRAFT_KIND, DraftStatus, IncomingKind, RequestState

BAR_WIDTH = 30  # characters of a text bar standing for all of a group's requests
SOON_DAYS = 7
WEEK = dt.timedelta(days=7)
STALE_AFTER = dt.timedelta(days=1)  # a folder not synced successfully for longer is flagged
# States in which the authority owes an answer (as the chaser trigger reads them).
AWAITING = frozenset({RequestState.AWAITING_RESPONSE, RequestState.EXTENDED})
ANSWERS = frozenset({IncomingKind.RESPONSE.value, IncomingKind.REVIEW_OUTCOME.value})
DIGEST_KIND = DIGEST_DRAFT_KIND  # the digest's own drafts are not listed as letters
InWeek = Callable[[dt.datetime | None], bool]


def iso_week(day: dt.date) -> str:
    """The ISO year-week of ``day``: ``iso_week(date(2026, 11, 21)) == "2026-W47"``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def build_digest(data: DigestInput) -> Digest:
    until = data.now.astimezone(LONDON)
    since = until - WEEK
    in_week = _window(since, until)
    drafts = sorted(data.drafts, key=lambda d: d.id)
    letters = [d for d in drafts if d.kind != DIGEST_KIND]
    return Digest(
        today=data.today,
        week=iso_week(data.today),
        since=since,
        until=until,
        groups=groups(data.requests, data.today),
        answers=answers(data.messages, since, until),
        awaiting_approval=tuple(
            _line(d, data.web_base_url) for d in letters if d.status is DraftStatus.PENDING
        ),
        sent=tuple(
            _line(d, data.web_base_url)
            for d in letters
            if d.status is DraftStatus.SENT and in_week(d.sent_at)
        ),
        failed=tuple(_line(d, data.web_base_url) for d in drafts if _failed(d, in_week)),
        holding=data.holding,
        quarantine=data.quarantine,
        folders=tuple(health(f, data.now) for f in sorted(data.folders, key=_folder_key)),
    )


def standing(request: RequestInput, today: dt.date) -> LateRequest | DueSoon | None:
    """Where ``request`` stands on ``today``: late, due soon, or neither (None)."""
    deadlines, calendar = request.deadlines, request.calendar
    if request.state not in AWAITING or deadlines.clock is not ClockState.RUNNING:
        return None
    if is_overdue(deadlines, today):
        assert deadlines.effective_due is not None
        very = is_very_overdue(deadlines, today)
        lateness = Lateness.VERY_OVERDUE if very else Lateness.OVERDUE
        days = working_days_late(deadlines, today, calendar)
        return _late(request, lateness, deadlines.effective_due, days)
    if is_probably_overdue(deadlines, today):
        assert deadlines.expected_due is not None
        days = calendar.working_days_between(deadlines.expected_due, today)
        return _late(request, Lateness.PROBABLY_OVERDUE, deadlines.expected_due, days)
    expected = deadlines.school and deadlines.extended_to is None
    owed = deadlines.expected_due if expected else deadlines.effective_due
    if owed is None:
        return None
    if today <= owed <= today + dt.timedelta(days=SOON_DAYS):
        return DueSoon(
            request_id=request.id,
            authority=request.authority,
            subject=request.subject,
            campaign=request.campaign,
            due=owed,
            working_days_left=calendar.working_days_between(today, owed),
            school=owed != deadlines.effective_due,
        )
    return None


def _late(request: RequestInput, lateness: Lateness, owed: dt.date, days: int) -> LateRequest:
    deadlines = request.deadlines
    return LateRequest(
        request_id=request.id,
        authority=request.authority,
        subject=request.subject,
        campaign=request.campaign,
        state=request.state.value,
        lateness=lateness,
        owed_by=owed,
        days_late=days,
        legal_limit=deadlines.response_due if deadlines.school else None,
    )


def groups(requests: Iterable[RequestInput], today: dt.date) -> tuple[Group, ...]:
    """One group per campaign (by name), then the requests without one."""
    by_campaign: dict[str | None, list[RequestInput]] = defaultdict(list)
    for request in requests:
        by_campaign[request.campaign].append(request)
    names = sorted((n for n in by_campaign if n is not None), key=lambda n: (n.casefold(), n))
    order: list[str | None] = [*names, *([None] if None in by_campaign else [])]
    return tuple(_group(name, by_campaign[name], today) for name in order)


def _group(campaign: str | None, requests: list[RequestInput], today: dt.date) -> Group:
    counts = {state: 0 for state in RequestState}
    for request in requests:
        counts[request.state] += 1
    positions = [standing(r, today) for r in sorted(requests, key=lambda r: r.id)]
    return Group(
        name=campaign if campaign is not None else NO_CAMPAIGN,
        campaign=campaign,
        bars=tuple(bar(s.value, n, len(requests)) for s, n in counts.items() if n),
        late=tuple(p for p in positions if isinstance(p, LateRequest)),
        due_soon=tuple(p for p in positions if isinstance(p, DueSoon)),
    )


def bar(state: str, count: int, total: int) -> Bar:
    """``count`` of ``total`` as a percentage and a text bar, each at least 1 when count > 0."""
    if count <= 0 or total <= 0:
        return Bar(state, max(count, 0), 0, "")
    percent = max(1, round(100 * count / total))
    return Bar(state, count, percent, "#" * max(1, round(BAR_WIDTH * count / total)))


def answers(
    messages: Iterable[MessageInput], since: dt.datetime, until: dt.datetime
) -> tuple[Answer, ...]:
    """Responses and review outcomes dated in the week (since, until], oldest first."""
    in_week = _window(since, until)
    chosen = sorted(
        (m for m in messages if m.kind in ANSWERS and in_week(m.date)), key=lambda m: (m.date, m.id)
    )
    return tuple(
        Answer(
            message_id=m.id,
            request_id=m.request_id,
            authority=m.authority,
            kind=m.kind,
            outcome=m.outcome,
            exemptions=m.exemptions,
            subject=m.subject,
            received=m.date.astimezone(LONDON),
            campaign=m.campaign,
        )
        for m in chosen
    )


def health(folder: FolderInput, now: dt.datetime) -> FolderHealth:
    last = folder.last_sync_at
    return FolderHealth(
        mailbox=folder.mailbox,
        folder=folder.folder,
        last_sync_at=last.astimezone(LONDON) if last else None,
        last_error=folder.last_error or None,
        stale=last is None or now - last > STALE_AFTER,
    )


def draft_link(base_url: str | None, draft_id: int) -> str | None:
    """``{base_url}/drafts/{id}`` for an http(s) base URL; None otherwise."""
    if not base_url or not base_url.lower().startswith(("http://", "https://")):
        return None
    return f"{base_url.rstrip('/')}/drafts/{draft_id}"


def _line(draft: DraftInput, base_url: str | None) -> DraftLine:
    return DraftLine(
        id=draft.id,
        kind=draft.kind,
        status=draft.status,
        to_addr=draft.to_addr,
        subject=draft.subject,
        trigger=draft.trigger,
        request_id=draft.request_id,
        authority=draft.authority,
        note=draft.error or None,
        link=draft_link(base_url, draft.id),
    )


def _failed(draft: DraftInput, in_week: InWeek) -> bool:
    """Failed for good, or sent this week with a note: delivery uncertain (docs/outbox.md)."""
    if draft.status is DraftStatus.FAILED:
        return True
    return draft.status is DraftStatus.SENT and bool(draft.error) and in_week(draft.sent_at)


def _window(since: dt.datetime, until: dt.datetime) -> InWeek:
    """A test for "in the week (since, until]"; a missing time is never in it."""

    def in_week(at: dt.datetime | None) -> bool:
        return at is not None and since < at <= until

    return in_week


def _folder_key(folder: FolderInput) -> tuple[str, str]:
    return folder.mailbox, folder.folder
