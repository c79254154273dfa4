"""The worked table: deadlines derived by hand from the rules and a real calendar.

Every expected date below was counted by hand on a printed calendar, using the
gov.uk bank-holiday lists, before the code existed; the reason column shows the
count. Events are written "kind timestamp [stated-date]"; a bare date means 10:00
London time. FOIA and EIR use the UK union calendar; FOISA and EISR Scotland only.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot.deadlines import (
    ClockEvent,
    ClockState,
    EventKind,
    calendar_for,
    compute_deadlines,
    parse_instant,
)
from bot.vocabulary import AuthorityKind, Regime

FOIA, EIR, FOISA, EISR = Regime.FOIA, Regime.EIR, Regime.FOISA, Regime.EISR
SCHOOL = AuthorityKind.SCHOOL


def events(spec: str) -> list[ClockEvent]:
    found = []
    for item in spec.split(";"):
        kind, when, *stated = item.split()
        at = parse_instant(when if "T" in when else when + "T10:00")
        found.append(
            ClockEvent(EventKind(kind), at, dt.date.fromisoformat(stated[0]) if stated else None)
        )
    return found


def deadlines(regime: Regime, spec: str, kind: AuthorityKind | None = None, nwd: bool = False):
    return compute_deadlines(
        events(spec),
        regime,
        calendar_for(regime),
        authority_kind=kind,
        next_working_day_receipt=nwd,
    )


# (regime, received timestamp, due, why). 20 working days unless the id says otherwise.
RESPONSE_DUE = [
    # -- the six worked examples of uk-time-limits.md (the sixth is in MODIFIERS) --
    (FOIA, "2023-03-30T10:00+01:00", "2023-05-02", "GF 7 Apr, EM 10 Apr, 1 May skipped"),
    (FOISA, "2023-03-30T10:00+01:00", "2023-04-28", "EM 10 Apr is a Scottish working day"),
    (FOIA, "2022-05-20T10:00+01:00", "2022-06-21", "2, 3 Jun 2022 skipped; 30 May worked"),
    (FOIA, "2024-06-11T23:30+00:00", "2024-07-10", "London date 12 Jun; 13 Jun is day 1"),
    (FOIA, "2022-12-21T10:00+00:00", "2023-01-24", "26, 27 Dec, 2 Jan, 3 Jan (SCT) skipped"),
    # -- Christmas on a weekend --
    (FOIA, "2021-12-20", "2022-01-21", "Sat Xmas: 27, 28 Dec; 3 Jan; 4 Jan (SCT) skipped"),
    (FOISA, "2021-12-20", "2022-01-21", "Scotland has 27, 28 Dec and 3, 4 Jan too"),
    (FOIA, "2016-12-19", "2017-01-20", "Sun Xmas: 26, 27 Dec; 2 Jan; 3 Jan (SCT) skipped"),
    (EIR, "2010-12-20", "2011-01-21", "Sat Xmas: 27, 28 Dec; 3 Jan; 4 Jan (SCT) skipped"),
    (FOIA, "2020-12-18", "2021-01-21", "Fri Xmas: 25, 28 Dec; 1 Jan; 4 Jan (SCT 2 Jan sub)"),
    (FOISA, "2026-12-21", "2027-01-22", "25 Dec Fri, 28 Dec (Boxing sub), 1 Jan, 4 Jan"),
    (FOIA, "2026-12-21", "2027-01-22", "union has the same days: 25, 28 Dec, 1, 4 Jan"),
    (FOIA, "2023-12-25", "2024-01-25", "received Christmas Day (day 0); 26 Dec, 1, 2 Jan"),
    (FOISA, "2023-12-25", "2024-01-25", "Scotland: 26 Dec, 1 Jan, 2 Jan skipped"),
    # -- Easter --
    (FOIA, "2024-03-28", "2024-04-29", "GF 29 Mar and EM 1 Apr skipped: 2 Apr is day 1"),
    (FOISA, "2024-03-28", "2024-04-26", "GF skipped, EM 1 Apr is day 1 in Scotland"),
    (FOIA, "2019-04-15", "2019-05-16", "GF 19 Apr, EM 22 Apr, 6 May skipped"),
    (FOISA, "2019-04-15", "2019-05-15", "GF 19 Apr and 6 May skipped; EM worked"),
    (FOIA, "2016-03-14", "2016-04-14", "17 Mar (NI), GF 25 Mar, EM 28 Mar skipped"),
    (FOISA, "2016-03-14", "2016-04-12", "only GF 25 Mar skipped in Scotland"),
    (FOIA, "2027-03-15", "2027-04-15", "17 Mar (NI), GF 26 Mar, EM 29 Mar skipped"),
    (FOISA, "2027-03-15", "2027-04-13", "only GF 26 Mar skipped"),
    (FOIA, "2007-03-16", "2007-04-18", "17 Mar 2007 Sat -> Mon 19 Mar (NI); GF 6, EM 9 Apr"),
    (FOIA, "2023-04-07", "2023-05-10", "received on Good Friday = day 0; EM, 1 May, 8 May"),
    (FOIA, "2023-04-10", "2023-05-10", "received on Easter Monday = day 0; 1 May, 8 May"),
    (FOISA, "2023-04-10", "2023-05-10", "EM is a working day but is day 0 anyway"),
    # -- May holidays --
    (FOIA, "2020-05-01", "2020-06-02", "VE Day: early May moved to Fri 8 May; 25 May"),
    (FOIA, "2023-05-05", "2023-06-06", "8 May 2023 (coronation) and 29 May skipped"),
    (FOISA, "2023-05-05", "2023-06-06", "8 May 2023 and 29 May were Scottish holidays too"),
    (FOIA, "2024-05-20", "2024-06-18", "Spring bank holiday 27 May skipped"),
    (FOIA, "2012-05-25", "2012-06-26", "Diamond Jubilee: 4, 5 Jun skipped; 28 May worked"),
    (FOIA, "2011-04-20", "2011-05-24", "GF 22 Apr, EM 25 Apr, royal wedding 29 Apr, 2 May"),
    # -- 2022 Jubilee and funeral --
    (FOISA, "2022-05-20", "2022-06-21", "2, 3 Jun 2022 skipped in Scotland too"),
    (FOIA, "2022-09-12", "2022-10-11", "state funeral 19 Sep 2022 skipped"),
    (FOISA, "2022-09-12", "2022-10-11", "state funeral was a Scottish bank holiday too"),
    # -- August: Scotland first Monday, E&W and NI last Monday --
    (FOIA, "2023-08-01", "2023-08-31", "7 Aug (SCT) and 28 Aug (E&W, NI) both skipped"),
    (FOISA, "2023-08-01", "2023-08-30", "7 Aug skipped; 28 Aug worked in Scotland"),
    (EISR, "2024-08-01", "2024-08-30", "5 Aug skipped; 26 Aug worked in Scotland"),
    (EIR, "2024-08-01", "2024-09-02", "5 Aug (SCT) and 26 Aug both skipped"),
    # -- St Andrew's Day and substitutes --
    (FOIA, "2023-11-27", "2023-12-28", "30 Nov (SCT, Thu), 25, 26 Dec skipped"),
    (FOISA, "2024-11-29", "2025-01-03", "30 Nov Sat -> Mon 2 Dec; 25, 26 Dec; 1, 2 Jan"),
    (FOIA, "2024-11-29", "2025-01-03", "the union has 2 Dec and 2 Jan from Scotland"),
    (FOIA, "2025-11-28", "2025-12-31", "30 Nov Sun -> Mon 1 Dec; 25, 26 Dec"),
    (FOISA, "2008-11-28", "2008-12-31", "30 Nov 2008 Sun -> Mon 1 Dec; 25, 26 Dec"),
    (FOISA, "2006-11-29", "2006-12-29", "30 Nov 2006 was NOT a holiday (Act of 2007)"),
    # -- 17 March and 12 July (NI) and substitutes --
    (FOIA, "2023-03-16", "2023-04-18", "17 Mar (NI), GF 7 Apr, EM 10 Apr skipped"),
    (FOISA, "2023-03-16", "2023-04-14", "17 Mar is a Scottish working day; GF skipped"),
    (FOIA, "2024-03-15", "2024-04-17", "17 Mar Sun -> Mon 18 Mar (NI); GF, EM"),
    (FOISA, "2024-03-15", "2024-04-15", "18 Mar worked in Scotland; GF 29 Mar skipped"),
    (FOIA, "2018-03-16", "2018-04-18", "17 Mar Sat -> Mon 19 Mar (NI); GF 30 Mar, EM 2 Apr"),
    (FOIA, "2023-07-10", "2023-08-09", "12 Jul (NI, Wed) and 7 Aug (SCT) skipped"),
    (FOISA, "2023-07-10", "2023-08-08", "12 Jul worked in Scotland; 7 Aug skipped"),
    (FOIA, "2025-07-11", "2025-08-12", "12 Jul Sat -> Mon 14 Jul (NI); 4 Aug (SCT)"),
    (FOIA, "2026-07-10", "2026-08-11", "12 Jul Sun -> Mon 13 Jul (NI); 3 Aug (SCT)"),
    # -- 2 January in Scotland --
    (FOISA, "2024-12-23", "2025-01-24", "25, 26 Dec, 1 Jan and 2 Jan skipped"),
    (FOIA, "2024-12-23", "2025-01-24", "2 Jan (SCT) is in the union"),
    (FOISA, "2006-12-29", "2007-01-30", "1 Jan and 2 Jan 2007 skipped"),
    # -- one-off Scottish day: World Cup, 15 Jun 2026 (Royal Proclamation 3 Feb 2026) --
    (FOISA, "2026-06-12", "2026-07-13", "15 Jun skipped; 13 Jul worked in Scotland"),
    (FOIA, "2026-06-12", "2026-07-14", "15 Jun (SCT) and 13 Jul (NI Boyne sub) skipped"),
    # -- British Summer Time edges --
    (FOIA, "2023-03-26T23:30Z", "2023-04-26", "BST: London date Mon 27 Mar, not Sun 26"),
    (FOIA, "2023-10-26T23:30Z", "2023-11-24", "BST: London date Fri 27 Oct, not Thu 26"),
    (FOIA, "2023-10-30T23:30Z", "2023-11-27", "GMT again: London date is still Mon 30 Oct"),
    (FOIA, "2023-07-13T23:30Z", "2023-08-14", "BST: London Fri 14 Jul; 7 Aug (SCT) skipped"),
    (FOIA, "2023-01-12T23:30Z", "2023-02-09", "GMT: 23:30 UTC is 23:30 Thu 12 Jan in London"),
    (FOIA, "2024-06-11T23:30", "2024-07-09", "no offset: read as London time, 11 Jun"),
    (FOIA, "2024-06-12T00:30+01:00", "2024-07-10", "00:30 BST on 12 Jun"),
    # -- weekend receipt: day 0 is the Saturday itself --
    (FOIA, "2023-06-10", "2023-07-07", "Sat 10 Jun = day 0; Mon 12 Jun = day 1"),
    (FOIA, "2023-06-09", "2023-07-07", "Fri 9 Jun gives the same due date as Sat"),
]


@pytest.mark.parametrize(
    ("regime", "received", "due", "why"),
    RESPONSE_DUE,
    ids=[f"{r}-{t}" for r, t, _, _ in RESPONSE_DUE],
)
def test_response_due(regime: Regime, received: str, due: str, why: str) -> None:
    """The response is due on the 20th working day after the London date of receipt."""
    result = deadlines(regime, f"sent {received}")
    assert result.response_due == dt.date.fromisoformat(due), why


# (regime, events, authority kind, field, expected, why)
MODIFIERS = [
    # clarification, FOIA s.1(3): a new 20 days from the clarification's receipt
    (FOIA, "sent 2024-01-08; clarification_requested 2024-01-10; clarification_sent 2024-01-22",
     None, "response_due", "2024-02-19", "worked example: 20 days from Mon 22 Jan"),
    (FOISA, "sent 2023-03-01; clarification_requested 2023-03-03; clarification_sent 2023-03-31",
     None, "response_due", "2023-05-02", "from Fri 31 Mar: GF, 1 May skipped; EM worked"),
    (FOIA, "sent 2023-03-01; clarification_requested 2023-03-03; clarification_sent 2023-03-31",
     None, "response_due", "2023-05-03", "from Fri 31 Mar: GF, EM, 1 May skipped"),
    (FOIA, "sent 2024-01-08; clarification_requested 2024-01-10; clarification_sent 2024-01-22",
     None, "very_overdue_after", "2024-03-19", "40 from 22 Jan: Mon 18 Mar (NI sub) skipped"),
    # fees, FOIA s.10(2): notice..payment inclusive disregarded; s.9(2): 3 months to pay
    (FOIA, "sent 2023-09-01; fee_notice 2023-09-11; fee_paid 2023-09-15",
     None, "response_due", "2023-10-06", "5 working days 11-15 Sep disregarded"),
    (FOIA, "sent 2023-09-01; fee_notice 2023-09-06; fee_paid 2023-09-06",
     None, "response_due", "2023-10-02", "notice and payment on Wed 6 Sep: 1 day"),
    (FOIA, "sent 2023-09-01; fee_notice 2023-09-08; fee_paid 2023-09-10",
     None, "response_due", "2023-10-02", "Fri 8 to Sun 10 Sep: only Fri is a working day"),
    (FOISA, "sent 2023-09-01; fee_notice 2023-09-11; fee_paid 2023-09-15",
     None, "response_due", "2023-10-06", "FOISA s.10(2) likewise; no Scottish holidays"),
    (FOIA, "sent 2023-09-01; fee_notice 2023-09-11",
     None, "fee_payment_by", "2023-12-10", "3 months beginning 11 Sep end on 10 Dec"),
    (FOIA, "sent 2024-11-20; fee_notice 2024-11-30",
     None, "fee_payment_by", "2025-02-28", "no 30 Feb: the period ends with February"),
    (FOISA, "sent 2023-02-20; fee_notice 2023-03-01",
     None, "fee_payment_by", "2023-05-31", "3 months beginning 1 Mar: Mar, Apr, May"),
    (EIR, "sent 2023-09-01; fee_notice 2023-09-11",
     None, "fee_payment_by", "2023-12-05", "reg 8(6): 60 working days; 30 Nov (SCT)"),
    # extensions
    (FOIA, "sent 2023-09-01; extension 2023-09-25",
     None, "extended_to", "2023-10-27", "s.10(3), ICO norm: 20 more after 29 Sep"),
    (FOIA, "sent 2023-09-01; extension 2023-09-25 2023-11-15",
     None, "extended_to", "2023-11-15", "s.10(3): the date the authority states"),
    (EIR, "sent 2023-09-01; extension 2023-09-25",
     None, "extended_to", "2023-10-27", "reg 7: 40 working days after 1 Sep"),
    (EIR, "sent 2023-09-01; extension 2023-09-25 2023-10-20",
     None, "extended_to", "2023-10-20", "reg 7: a stated date within 40 days stands"),
    (EIR, "sent 2023-09-01; extension 2023-09-25 2023-12-01",
     None, "extended_to", "2023-10-27", "reg 7 caps a later stated date at 40 days"),
    (EISR, "sent 2023-11-01; extension 2023-11-20",
     None, "extended_to", "2024-01-03", "40 days: 30 Nov, 25, 26 Dec, 1, 2 Jan skipped"),
    (FOISA, "sent 2023-11-01; extension 2023-11-20",
     None, "response_due", "2023-11-29", "FOISA has no extension: 20 days stand"),
    # schools, SI 2004/3364 reg 3
    (FOIA, "sent 2023-03-30", SCHOOL, "response_due", "2023-06-29",
     "60th working day: GF, EM, 1, 8, 29 May skipped"),
    (FOIA, "sent 2023-03-30", SCHOOL, "expected_due", "2023-05-02", "20th working day"),
    (FOIA, "sent 2023-03-30", SCHOOL, "very_overdue_after", "2023-06-29", "60 for schools"),
    (FOIA, "sent 2024-09-02", SCHOOL, "expected_due", "2024-09-30", "20 days, none skipped"),
    (FOIA, "sent 2024-09-02", SCHOOL, "response_due", "2024-11-25", "60 days, none skipped"),
    (EIR, "sent 2023-03-30", SCHOOL, "response_due", "2023-05-02", "the SI changes FOIA only"),
    # very overdue (WhatDoTheyKnow practice): 40 working days
    (FOIA, "sent 2023-03-30", None, "very_overdue_after", "2023-06-01",
     "40th: GF, EM, 1, 8, 29 May skipped"),
    (FOISA, "sent 2023-03-30", None, "very_overdue_after", "2023-05-31",
     "40th in Scotland: GF, 1, 8, 29 May skipped"),
    # internal review and the regulator
    (FOIA, "sent 2023-09-01; response 2023-09-20", None, "review_request_by", "2023-11-15",
     "s.45 Code: 40 working days from Wed 20 Sep"),
    (FOIA, "sent 2023-09-01; response 2023-09-20; review_requested 2023-10-02", None,
     "review_due", "2023-10-30", "s.45 Code: 20 working days from Mon 2 Oct"),
    (FOIA, "sent 2023-09-01; response 2023-09-20; review_requested 2023-10-02", None,
     "review_due_exceptional", "2023-11-27", "s.45 Code: 40 in exceptional cases"),
    (EIR, "sent 2023-09-01; response 2023-09-20; review_requested 2023-10-02", None,
     "review_due", "2023-11-27", "reg 11(4): 40 working days"),
    (FOISA, "sent 2023-09-01; response 2023-09-20; review_requested 2023-10-02", None,
     "review_due", "2023-10-30", "s.21(1): 20 working days"),
    (EISR, "sent 2023-09-01; response 2023-09-20; review_requested 2023-10-02", None,
     "review_due", "2023-10-30", "reg 16(4): 20 working days"),
    (FOISA, "sent 2023-09-01; response 2023-09-20", None, "review_request_by", "2023-11-24",
     "s.20(5)(a): 40 after the end of the s.10 period (29 Sep), not the response"),
    (FOISA, "sent 2023-09-01; response 2023-10-10", None, "review_request_by", "2023-12-06",
     "s.20(5)(b): late response: 40 after Tue 10 Oct; 30 Nov skipped"),
    (FOISA, "sent 2023-09-01", None, "review_request_by", "2023-11-24",
     "s.20(5)(a): no response: 40 after 29 Sep"),
    (EIR, "sent 2023-09-01", None, "review_request_by", "2023-11-24",
     "reg 11(2): failure to respond: 40 after the due date 29 Sep"),
    (FOIA, "sent 2023-09-01; response 2023-09-20; review_requested 2023-10-02; "
     "review_outcome 2023-10-20", None, "regulator_complaint_by", "2023-12-01",
     "ICO: about six weeks (42 days) after the outcome"),
    (FOISA, "sent 2023-09-01; response 2023-09-20; review_requested 2023-10-02; "
     "review_outcome 2023-10-20", None, "sic_appeal_by", "2024-04-20",
     "s.47(4)(a): six months after the outcome"),
    (EISR, "sent 2023-07-01; response 2023-07-20; review_requested 2023-08-01; "
     "review_outcome 2023-08-31", None, "sic_appeal_by", "2024-02-29",
     "six months from 31 Aug: no 31 Feb, so the last day of February (leap year)"),
    (FOISA, "sent 2023-09-01; response 2023-09-20; review_requested 2023-10-02", None,
     "sic_appeal_by", "2024-04-30", "s.47(4)(b): no outcome: six months after 30 Oct"),
    # the non-statutory option
    (FOIA, "sent 2023-06-10", None, "response_due", "2023-07-10:nwd",
     "option: Sat 10 Jun treated as Mon 12 Jun, day 1 = Tue 13 Jun"),
    (FOIA, "sent 2023-04-07", None, "response_due", "2023-05-11:nwd",
     "option: Good Friday receipt treated as Tue 11 Apr"),
    (FOIA, "sent 2023-06-12", None, "response_due", "2023-07-10:nwd",
     "option: a working-day receipt is unchanged"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("regime", "spec", "kind", "field", "expected", "why"),
    MODIFIERS,
    ids=[f"{m[0]}-{m[3]}-{i}" for i, m in enumerate(MODIFIERS)],
)
def test_modifiers(
    regime: Regime, spec: str, kind: AuthorityKind | None, field: str, expected: str, why: str
) -> None:
    """Clarification, fees, extensions, schools, reviews and the regulator's windows."""
    value, _, flag = expected.partition(":")
    result = deadlines(regime, spec, kind, nwd=flag == "nwd")
    assert getattr(result, field) == dt.date.fromisoformat(value), why


def test_table_is_big_enough() -> None:
    """The acceptance criterion: at least 60 dated cases."""
    assert len(RESPONSE_DUE) + len(MODIFIERS) >= 60


def test_clarification_pending_stops_the_clock() -> None:
    """While a clarification is awaited there is no response due date (FOIA s.1(3))."""
    result = deadlines(FOIA, "sent 2024-01-08; clarification_requested 2024-01-10")
    assert result.clock is ClockState.AWAITING_CLARIFICATION
    assert result.response_due is None


def test_unpaid_fee_stops_the_clock() -> None:
    """While a fee is unpaid there is no response due date (FOIA s.9(1))."""
    result = deadlines(FOIA, "sent 2023-09-01; fee_notice 2023-09-11")
    assert result.clock is ClockState.AWAITING_FEE
    assert result.response_due is None


def test_fee_paid_counts_disregarded_days() -> None:
    """11-15 Sep 2023 are five working days disregarded."""
    result = deadlines(FOIA, "sent 2023-09-01; fee_notice 2023-09-11; fee_paid 2023-09-15")
    assert result.disregarded_days == 5
    assert result.fee_payment_by is None


def test_foisa_extension_is_noted_not_applied() -> None:
    """An extension notice under FOISA changes nothing and says why."""
    result = deadlines(FOISA, "sent 2023-11-01; extension 2023-11-20")
    assert result.extended_to is None
    assert any("no extension" in note for note in result.notes)


def test_event_order_does_not_matter() -> None:
    """Deadlines are a function of the events, not of the order they are listed in."""
    spec = "sent 2023-09-01; fee_notice 2023-09-11; fee_paid 2023-09-15; response 2023-10-03"
    forward = deadlines(FOIA, spec)
    backward = compute_deadlines(list(reversed(events(spec))), FOIA, calendar_for(FOIA))
    assert forward == backward


def test_no_sent_event_means_no_clock() -> None:
    result = deadlines(FOIA, "response 2023-10-03")
    assert result.clock is ClockState.NOT_SENT
    assert result.response_due is None
