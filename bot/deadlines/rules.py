"""The time limits of each regime, written as data with their legal source.

[L] legislation, [G] regulator guidance or code of practice, [P] practice
(WhatDoTheyKnow). See docs/deadlines.md and ../shared/design/uk-time-limits.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.vocabulary import AuthorityKind, Regime


class ExtensionRule(StrEnum):
    """What an extension notice from the authority can do under the regime."""

    NONE = "none"  # FOISA: no extension exists
    PUBLIC_INTEREST = "public_interest"  # FOIA s.10(3): "reasonable" time, ICO norm +20
    CAPPED = "capped"  # EIR reg 7 / EISR reg 7: up to 40 working days in total


class FeeRule(StrEnum):
    """How long the requester has to pay a fee before the duty lapses."""

    THREE_MONTHS = "three_months"  # FOIA s.9(2), FOISA s.9(4): 3 months from the notice
    SIXTY_WORKING_DAYS = "sixty_working_days"  # EIR reg 8(6); EISR reg 8


@dataclass(frozen=True, slots=True)
class RegimeRules:
    regime: Regime
    response_days: int  # the N of "the N-th working day following the date of receipt"
    response_source: str
    extension: ExtensionRule
    extension_days: int  # ICO norm total (FOIA) or statutory cap (EIR, EISR)
    extension_source: str
    fee: FeeRule
    fee_source: str
    review_request_days: int  # the requester's window to ask for a review
    review_request_source: str
    review_reply_days: int
    review_reply_exceptional_days: int | None  # FOIA code only: 40 "in exceptional cases"
    review_reply_source: str
    regulator: str


# One row per regime. Every number here is cited in docs/deadlines.md.
RULES: dict[Regime, RegimeRules] = {
    Regime.FOIA: RegimeRules(
        Regime.FOIA, 20, "FOIA s.10(1)",
        ExtensionRule.PUBLIC_INTEREST, 40, "FOIA s.10(3); ICO guidance: a further 20 working days",
        FeeRule.THREE_MONTHS, "FOIA s.9(2), s.10(2)",
        40, "s.45 Code of Practice (guidance, not statute)",
        20, 40, "s.45 Code of Practice: 20 working days, 40 in exceptional cases",
        "ICO",
    ),
    Regime.EIR: RegimeRules(
        Regime.EIR, 20, "EIR reg 5(2)",
        ExtensionRule.CAPPED, 40, "EIR reg 7(1)",
        FeeRule.SIXTY_WORKING_DAYS, "EIR reg 8(6), 8(7)",
        40, "EIR reg 11(2)",
        40, None, "EIR reg 11(4)",
        "ICO",
    ),
    Regime.FOISA: RegimeRules(
        Regime.FOISA, 20, "FOISA s.10(1)",
        ExtensionRule.NONE, 20, "FOISA has no extension",
        FeeRule.THREE_MONTHS, "FOISA s.9(4), s.10(2)",
        40, "FOISA s.20(5)",
        20, None, "FOISA s.21(1)",
        "Scottish Information Commissioner",
    ),
    Regime.EISR: RegimeRules(
        Regime.EISR, 20, "EISR reg 5(2)(a)",
        ExtensionRule.CAPPED, 40, "EISR reg 7(1)",
        FeeRule.SIXTY_WORKING_DAYS, "EISR reg 8 (advance payment)",
        40, "EISR reg 16(2)",
        20, None, "EISR reg 16(4)",
        "Scottish Information Commissioner",
    ),
}  # fmt: skip

# WhatDoTheyKnow practice [P]: "very overdue" after 40 working days (60 for schools).
VERY_OVERDUE_DAYS = 40
SCHOOL_VERY_OVERDUE_DAYS = 60

# SI 2004/3364 reg 3 [L]: for maintained schools, academies and NI grant-aided
# schools the limit is the earlier of the 20th school day and the 60th working day.
# Term dates are unknown to foibot, so 20 working days is the "expected" date and
# 60 working days the outer (legal) limit.
SCHOOL_OUTER_DAYS = 60
SCHOOL_EXPECTED_DAYS = 20
SCHOOL_SOURCE = "SI 2004/3364 reg 3"

# ICO practice [P]: complain "within about six weeks" of the review outcome.
ICO_COMPLAINT_WEEKS = 6
# FOISA s.47(4) [L] (applied to EISR by reg 17): apply to the Commissioner within six
# months of the review outcome, or of the end of the s.21(1) period without one.
SIC_APPEAL_MONTHS = 6
# FOIA s.9(2), FOISA s.9(4): the fee must be paid within three months beginning with
# the day the fees notice is given.
FEE_PAYMENT_MONTHS = 3
# EIR reg 8(6) (EISR reg 8 likewise): advance payment within 60 working days of notification.
ENVIRONMENTAL_FEE_DAYS = 60


def is_school_case(regime: Regime, authority_kind: AuthorityKind | None) -> bool:
    """SI 2004/3364 was made under FOIA s.10(4): it changes FOIA only, not the EIR
    or the Scottish regimes (FOISA has no school provision)."""
    return regime is Regime.FOIA and authority_kind is AuthorityKind.SCHOOL
