"""The weekly digest's content, built from plain values (pure): tables of cases, no database."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
from email.message import EmailMessage

import pytest

from bot.compose import build_message
from bot.deadlines import ClockEvent, EventKind, calendar_for, compute_deadlines, long_date
from bot.digest import (
    NO_CAMPAIGN,
    Digest,
    DigestInput,
    DraftInput,
    DueSoon,
    FolderInput,
    Lateness,
    LateRequest,
    MessageInput,
    RequestInput,
    build_digest,
    iso_week,
    render_html,
    render_text,
    standing,
    subject,
)
from bot.digest.build import bar, draft_link
from bot.errors import LetterError
from bot.vocabulary import AuthorityKind, DraftStatus, Regime, RequestState

UTC = dt.UTC
TODAY = dt.date(2026, 11, 21)  # Saturday
NOW = dt.datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
COUNCIL, SCHOOL = AuthorityKind.COUNCIL, AuthorityKind.SCHOOL
AWAITING, EXTENDED = RequestState.AWAITING_RESPONSE, RequestState.EXTENDED


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def request(
    rid: int,
    sent: str,
    *,
    state: RequestState = AWAITING,
    kind: AuthorityKind = COUNCIL,
    regime: Regime = Regime.FOIA,
    extended_to: str | None = None,
    answered: str | None = None,
    campaign: str | None = "Potholes",
    authority: str | None = None,
) -> RequestInput:
    """A request sent on ``sent`` (10:00 UTC), optionally extended or answered."""
    events = [ClockEvent(EventKind.SENT, at(sent))]
    if extended_to:
        events.append(
            ClockEvent(EventKind.EXTENSION, at(sent) + dt.timedelta(days=20),
                       dt.date.fromisoformat(extended_to))
        )  # fmt: skip
    if answered:
        events.append(ClockEvent(EventKind.RESPONSE, at(answered)))
    calendar = calendar_for(regime, ())
    deadlines = compute_deadlines(events, regime, calendar, authority_kind=kind)
    return RequestInput(rid, authority or f"Authority {rid}", f"Request {rid}", state,
                        deadlines, calendar, campaign)  # fmt: skip


# -- where a request stands ---------------------------------------------------------------

# (why, request, today, expected: (lateness | "due_soon", working days, owed by) or None)
STANDING = [
    ("due on Monday is due soon, 1 working day left",
     request(1, "2026-10-26"), TODAY, ("due_soon", 1, "2026-11-23")),
    ("due today is due soon, not overdue",
     request(1, "2026-10-26"), dt.date(2026, 11, 23), ("due_soon", 0, "2026-11-23")),
    ("the day after the due date is overdue by 1 working day",
     request(1, "2026-10-26"), dt.date(2026, 11, 24), ("overdue", 1, "2026-11-23")),
    ("due in 8 days is not listed yet",
     request(1, "2026-10-26"), dt.date(2026, 11, 15), None),
    ("past the 40th working day is very overdue",
     request(1, "2026-09-14"), TODAY, ("very_overdue", 29, "2026-10-12")),
    ("overdue but before the 40th working day",
     request(1, "2026-09-14"), dt.date(2026, 10, 20), ("overdue", 6, "2026-10-12")),
    ("an extension moves the date owed (Hartwell in the demo)",
     request(1, "2026-09-14", state=EXTENDED, extended_to="2026-11-09"), TODAY,
     ("very_overdue", 9, "2026-11-09")),
    ("a school past its 20th working day is probably overdue (St Aidan's)",
     request(1, "2026-10-05", kind=SCHOOL), TODAY, ("probably_overdue", 14, "2026-11-02")),
    ("a school's 20th working day within 7 days is due soon",
     request(1, "2026-10-05", kind=SCHOOL), dt.date(2026, 10, 30), ("due_soon", 1, "2026-11-02")),
    ("a school past its 60th working day is very overdue in law (4 Jan 2027: a Scottish holiday)",
     request(1, "2026-10-05", kind=SCHOOL), dt.date(2027, 1, 5),
     ("very_overdue", 1, "2026-12-31")),
    ("the school rule is FOIA only: an EIR request to a school is overdue",
     request(1, "2026-10-05", kind=SCHOOL, regime=Regime.EIR), TODAY,
     ("overdue", 14, "2026-11-02")),
    ("FOIA counts in the UK calendar: Good Friday and Easter Monday are not working days",
     request(1, "2027-02-24"), dt.date(2027, 3, 30), ("overdue", 1, "2027-03-25")),
    ("FOISA counts in Scotland's: Easter Monday is a working day there",
     request(1, "2027-02-25", regime=Regime.FOISA), dt.date(2027, 3, 30),
     ("overdue", 2, "2027-03-25")),
    ("an answered request is neither late nor due",
     request(1, "2026-09-14", state=RequestState.SUCCESSFUL, answered="2026-10-08"), TODAY, None),
    ("a withdrawn request is not overdue, whatever its clock says",
     request(1, "2026-09-14", state=RequestState.WITHDRAWN), TODAY, None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("why", "req", "today", "expected"), STANDING, ids=[s[0] for s in STANDING]
)
def test_where_a_request_stands(
    why: str, req: RequestInput, today: dt.date, expected: tuple[str, int, str] | None
) -> None:
    found = standing(req, today)
    if expected is None:
        assert found is None
        return
    what, days, owed = expected
    if what == "due_soon":
        assert isinstance(found, DueSoon)
        assert (found.working_days_left, found.due.isoformat()) == (days, owed)
    else:
        assert isinstance(found, LateRequest)
        assert (found.lateness.value, found.days_late, found.owed_by.isoformat()) == (
            what, days, owed,
        )  # fmt: skip


def test_a_school_past_its_20th_working_day_names_the_legal_outer_limit() -> None:
    late = standing(request(7, "2026-10-05", kind=SCHOOL), TODAY)
    assert isinstance(late, LateRequest) and not late.overdue
    assert late.label == (
        "probably overdue (school: 20 school days; legal outer limit Thursday 31 December 2026)"
    )
    assert late.detail == "14 working days after its 20th working day (Monday 2 November 2026)"


def test_a_school_due_soon_is_flagged_as_its_20th_working_day() -> None:
    soon = standing(request(7, "2026-10-05", kind=SCHOOL), dt.date(2026, 10, 30))
    assert isinstance(soon, DueSoon) and soon.school


# -- bars, weeks, links -------------------------------------------------------------------

BARS = [  # (count, total, percent, text bar length)
    (3, 8, 38, 11),
    (1, 8, 12, 4),
    (8, 8, 100, 30),
    (1, 1000, 1, 1),  # never invisible
    (0, 5, 0, 0),
]


@pytest.mark.parametrize(("count", "total", "percent", "hashes"), BARS)
def test_a_bar_is_the_share_of_the_group_in_percent_and_hashes(
    count: int, total: int, percent: int, hashes: int
) -> None:
    made = bar("refused", count, total)
    assert (made.count, made.percent, made.hashes) == (count, percent, "#" * hashes)


@pytest.mark.parametrize(("day", "week"), [
    (dt.date(2026, 11, 21), "2026-W47"),
    (dt.date(2026, 11, 23), "2026-W48"),
    (dt.date(2027, 1, 1), "2026-W53"),
    (dt.date(2024, 12, 30), "2025-W01"),
])  # fmt: skip
def test_the_week_is_the_iso_year_week(day: dt.date, week: str) -> None:
    assert iso_week(day) == week


@pytest.mark.parametrize(("base", "link"), [
    ("https://foi.example.org", "https://foi.example.org/drafts/3"),
    ("https://foi.example.org/bot/", "https://foi.example.org/bot/drafts/3"),
    ("http://127.0.0.1:8080", "http://127.0.0.1:8080/drafts/3"),
    (None, None),
    ("", None),
    ("javascript:alert(1)", None),
])  # fmt: skip
def test_a_draft_links_to_its_web_page_only_with_an_http_base_url(
    base: str | None, link: str | None
) -> None:
    assert draft_link(base, 3) == link


# -- the week: answers, letters, sync -----------------------------------------------------


def answer(
    mid: int, when: dt.datetime, kind: str = "response", outcome: str = "refused"
) -> MessageInput:
    return MessageInput(mid, 1, "Authority 1", kind, when, outcome, ("s12",), "Re: Request 1")


ANSWERS = [  # (message, in this week's list)
    (answer(1, NOW - dt.timedelta(days=7)), False),  # exactly a week ago: last week's
    (answer(2, NOW - dt.timedelta(days=7) + dt.timedelta(seconds=1)), True),
    (answer(3, NOW), True),
    (answer(4, NOW + dt.timedelta(seconds=1)), False),  # after the digest was made
    (answer(5, NOW - dt.timedelta(days=1), "review_outcome", "upheld"), True),
    (answer(6, NOW - dt.timedelta(days=1), "acknowledgement", ""), False),
]


def test_answers_are_the_responses_and_review_outcomes_of_the_last_seven_days() -> None:
    digest = build_digest(DigestInput(TODAY, NOW, messages=tuple(m for m, _ in ANSWERS)))
    listed = sorted((m for m, shown in ANSWERS if shown), key=lambda m: m.date)
    assert [a.message_id for a in digest.answers] == [m.id for m in listed]  # oldest first
    labels = {a.message_id: a.label for a in digest.answers}
    assert (labels[2], labels[5]) == ("response: refused (s12)", "review outcome: upheld (s12)")


def letter(
    did: int,
    status: DraftStatus,
    kind: str = "chaser",
    error: str | None = None,
    sent: dt.datetime | None = None,
) -> DraftInput:
    return DraftInput(
        did, kind, status, f"foi@a{did}.example", f"Letter {did}", "response_overdue",
        request_id=did, authority=f"Authority {did}", error=error, sent_at=sent,
    )  # fmt: skip


YESTERDAY, LAST_MONTH = NOW - dt.timedelta(days=1), NOW - dt.timedelta(days=30)
NO_REPLY = "the server did not answer after the final dot"
LETTERS = [  # (draft, the sections it is listed in)
    (letter(1, DraftStatus.PENDING), {"awaiting_approval"}),
    (letter(2, DraftStatus.APPROVED), set()),
    (letter(3, DraftStatus.SENT, sent=YESTERDAY), {"sent"}),
    (letter(4, DraftStatus.SENT, sent=LAST_MONTH), set()),
    (letter(5, DraftStatus.FAILED, error="refused by the server: 550 no such user"), {"failed"}),
    (letter(6, DraftStatus.SENT, error=NO_REPLY, sent=YESTERDAY), {"sent", "failed"}),
    (letter(7, DraftStatus.SENT, error="recovered after a crash", sent=LAST_MONTH), set()),
    (letter(8, DraftStatus.REJECTED), set()),
    (letter(9, DraftStatus.SENT, kind="digest", sent=YESTERDAY), set()),  # not a letter
    (letter(10, DraftStatus.FAILED, kind="digest", error="550 unknown"), {"failed"}),
]


@pytest.mark.parametrize(("draft", "sections"), LETTERS, ids=[f"draft{d.id}" for d, _ in LETTERS])
def test_each_draft_is_listed_where_it_needs_the_operator(
    draft: DraftInput, sections: set[str]
) -> None:
    digest = build_digest(DigestInput(TODAY, NOW, drafts=tuple(d for d, _ in LETTERS)))
    listed = {name for name in ("awaiting_approval", "sent", "failed")
              if draft.id in [line.id for line in getattr(digest, name)]}  # fmt: skip
    assert listed == sections


FOLDERS = [  # (last successful sync, last error, stale, ok)
    (None, None, True, False),
    (NOW - dt.timedelta(hours=23), None, False, True),
    (NOW - dt.timedelta(hours=25), None, True, False),
    (NOW - dt.timedelta(minutes=5), "IMAP login refused", False, False),
]


@pytest.mark.parametrize(("last", "error", "stale", "ok"), FOLDERS)
def test_sync_health_flags_a_folder_not_synced_for_a_day_or_failing(
    last: dt.datetime | None, error: str | None, stale: bool, ok: bool
) -> None:
    digest = build_digest(
        DigestInput(TODAY, NOW, folders=(FolderInput("imap", "INBOX", last, error),))
    )
    (folder,) = digest.folders
    assert (folder.stale, folder.ok, digest.sync_ok) == (stale, ok, ok)


def test_no_folder_synced_at_all_is_not_healthy() -> None:
    assert not build_digest(DigestInput(TODAY, NOW)).sync_ok


# -- one digest, every number from the same values ----------------------------------------


def story() -> Digest:
    """Eight requests in two campaigns and one without; answers, letters, sync."""
    return build_digest(DigestInput(
        today=TODAY, now=NOW,
        requests=(
            request(1, "2026-09-14", state=RequestState.SUCCESSFUL, answered="2026-10-08"),
            request(2, "2026-09-14", state=RequestState.REFUSED, answered="2026-10-09"),
            request(3, "2026-09-14", state=EXTENDED, extended_to="2026-11-09"),  # very overdue
            request(4, "2026-10-05", kind=SCHOOL, authority="St Aidan's Academy"),  # probably
            request(5, "2026-10-26"),  # due Monday
            request(6, "2026-10-12"),  # overdue: due 2026-11-09, not yet 40 working days
            request(7, "2026-11-02", campaign="Bins"),
            request(8, "2026-09-01", campaign=None, state=RequestState.DELIVERY_FAILED),
        ),
        messages=(answer(1, NOW - dt.timedelta(days=2)),),
        drafts=tuple(d for d, _ in LETTERS),
        folders=(FolderInput("imap", "INBOX", NOW - dt.timedelta(hours=1)),
                 FolderInput("imap", "Sent", NOW - dt.timedelta(days=3))),
        holding=2, quarantine=1,
        web_base_url="https://foi.example.org",
    ))  # fmt: skip


def test_the_story_digest_has_each_section_with_its_numbers() -> None:
    digest = story()
    assert [g.name for g in digest.groups] == ["Bins", "Potholes", NO_CAMPAIGN]
    potholes = digest.groups[1]
    assert {b.state: b.count for b in potholes.bars} == {
        "awaiting_response": 3, "extended": 1, "successful": 1, "refused": 1,
    }  # fmt: skip
    assert (potholes.total, potholes.overdue, potholes.very_overdue, potholes.probably_overdue) == (
        6, 2, 1, 1,
    )  # fmt: skip
    assert [(r.request_id, r.lateness) for r in digest.late] == [
        (3, Lateness.VERY_OVERDUE), (6, Lateness.OVERDUE), (4, Lateness.PROBABLY_OVERDUE),
    ]  # fmt: skip
    assert [r.request_id for r in digest.due_soon] == [5]
    totals = (digest.total, digest.overdue, digest.very_overdue, digest.probably_overdue)
    assert totals == (8, 2, 1, 1)
    assert [d.id for d in digest.awaiting_approval] == [1]
    assert digest.awaiting_approval[0].link == "https://foi.example.org/drafts/1"
    assert [d.id for d in digest.sent] == [3, 6]
    assert [d.id for d in digest.failed] == [5, 6, 10]
    assert (digest.holding, digest.quarantine, len(digest.answers)) == (2, 1, 1)
    assert [f.folder for f in digest.folders if not f.ok] == ["Sent"]


def test_every_count_is_the_length_of_the_list_it_counts() -> None:
    digest = story()
    assert digest.total == sum(b.count for g in digest.groups for b in g.bars)
    for group in digest.groups:
        assert group.overdue + group.probably_overdue == len(group.late)
        assert {r.campaign for r in group.late + group.due_soon} <= {group.campaign}
    assert len(digest.late) == digest.overdue + digest.probably_overdue
    assert len(digest.due_soon) == sum(len(g.due_soon) for g in digest.groups)


def glance(text: str) -> dict[str, int]:
    """The numbers of the text version's AT A GLANCE block, by label."""
    block = text.split("AT A GLANCE", 1)[1].split("\n\n", 1)[0]
    return {k.lower(): int(v) for k, v in re.findall(r"^  (\S.*?) +(\d+)$", block, re.M)}


def test_the_text_and_the_html_give_the_same_numbers_as_the_digest() -> None:
    digest = story()
    text, html = render_text(digest), render_html(digest)
    numbers = glance(text)
    expected = {
        "requests": digest.total, "overdue": digest.overdue, "very overdue": digest.very_overdue,
        "probably overdue (schools)": digest.probably_overdue,
        "due in the next 7 days": len(digest.due_soon),
        "responses received this week": len(digest.answers),
        "drafts awaiting your approval": len(digest.awaiting_approval),
        "letters sent this week": len(digest.sent),
        "failed or delivery uncertain": len(digest.failed),
        "holding pen": digest.holding, "quarantine (unresolved)": digest.quarantine,
    }  # fmt: skip
    assert numbers == expected
    for label, value in expected.items():
        cells = re.search(rf">{re.escape(label)}</td><td[^>]*>(\d+)</td>", html, re.IGNORECASE)
        assert cells is not None and int(cells.group(1)) == value, label
    for section, count in [
        ("Overdue or probably overdue", len(digest.late)), ("Due in the next 7 days", 1),
        ("Responses received this week", 1), ("Drafts awaiting your approval", 1),
        ("Letters sent this week", 2), ("Failed or delivery uncertain", 3),
    ]:  # fmt: skip
        assert f"{section.upper()} ({count})" in text
        assert f">{section} ({count})</h2>" in html


def test_the_text_shows_bars_dates_and_working_days_late() -> None:
    text = render_text(story())
    assert "  awaiting response        3  ###############" in text  # 3 of 6 = 15 of 30
    assert (
        "#3 Authority 3: very overdue\n  9 working days late (due Monday 9 November 2026)" in text
    )
    assert f"due {long_date(dt.date(2026, 11, 23))} (in 1 working day)" in text
    assert "https://foi.example.org/drafts/1" in text
    assert "Sent (imap): last successful sync Wednesday 18 November 2026 08:00; NOT SYNCED" in text


def test_the_html_draws_bars_as_table_cells_with_percentage_widths() -> None:
    html = render_html(story())
    assert 'width="50%" style="width:50%;height:14px;background-color:#3b73b9' in html
    assert '<a href="https://foi.example.org/drafts/1"' in html
    for forbidden in ("class=", "<img", "<script", "<style", "javascript:"):
        assert forbidden not in html.lower()


HOSTILE = '<script>alert(1)</script> & "Council"\r\nBcc: evil@example.org'


def test_untrusted_names_are_escaped_in_html_and_one_line_in_text() -> None:
    digest = build_digest(DigestInput(TODAY, NOW, requests=(
        request(1, "2026-09-14", authority=HOSTILE, campaign=HOSTILE),
    )))  # fmt: skip
    html, text = render_html(digest), render_text(digest)
    assert (
        "<script>" not in html
        and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;Council&#34;" in html
    )
    assert '<script>alert(1)</script> & "Council" Bcc: evil@example.org' in text
    assert "\nBcc:" not in text


def test_the_subject_gives_the_numbers_that_need_the_operator() -> None:
    assert subject(story()) == (
        "foibot digest 2026-W47: 2 overdue, 1 probably overdue, 1 due soon, 1 answers, "
        "1 to approve, 3 failed, sync needs attention"
    )


def test_an_empty_database_gives_a_digest_that_says_so() -> None:
    text = render_text(build_digest(DigestInput(TODAY, NOW)))
    assert "No requests yet." in text and "No folder has been synced yet" in text
    assert "OVERDUE OR PROBABLY OVERDUE (0)\n  None." in text


# -- the mail: text and HTML alternatives --------------------------------------------------

LETTER = {
    "from_addr": "research@example.ac.uk", "to_addr": "boss@uni.example",
    "subject": "foibot digest 2026-W47", "body": "Café: 2 overdue\n",
    "message_id": "1.a.foibot@example.ac.uk", "date": NOW,
}  # fmt: skip


def test_a_letter_with_html_is_multipart_alternative_text_first_both_utf8() -> None:
    raw = build_message(**LETTER, html="<p>Café &amp; <b>2</b> overdue</p>").as_bytes()  # type: ignore[arg-type]
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    assert parsed.get_content_type() == "multipart/alternative"
    assert list(parsed.keys()) == [
        "From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type",
    ]  # fmt: skip
    plain, html = parsed.iter_parts()
    assert (plain.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    assert plain.get_content_charset() == html.get_content_charset() == "utf-8"
    assert plain.get_content() == "Café: 2 overdue\r\n"  # CRLF: as SMTP sends it
    assert html.get_content() == "<p>Café &amp; <b>2</b> overdue</p>\r\n"


@pytest.mark.parametrize(("change", "problem"), [
    ({"to_addr": "boss@uni.example, evil@example.org"}, "to:"),
    ({"html": "x" * 2_000_001}, "html: 2000001 characters"),
])  # fmt: skip
def test_an_html_version_keeps_every_header_check(change: dict[str, str], problem: str) -> None:
    with pytest.raises(LetterError, match=re.escape(problem)):
        build_message(**(LETTER | {"html": "<p>hi</p>"} | change))  # type: ignore[arg-type]


def test_a_subject_with_a_line_break_cannot_add_a_header_to_the_digest_mail() -> None:
    raw = build_message(**(LETTER | {"subject": "digest\r\nBcc: evil@example.org"}),  # type: ignore[arg-type]
                        html="<p>hi</p>").as_bytes()  # fmt: skip
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert b"\r\nBcc:" not in head and b"Subject: digest Bcc: evil@example.org" in head
