"""What each regime's letters cite, written as data (checked against uk-time-limits.md).

FOIA: Freedom of Information Act 2000. EIR: Environmental Information Regulations
2004. FOISA: Freedom of Information (Scotland) Act 2002. EISR: Environmental
Information (Scotland) Regulations 2004. The letters take every citation from here,
so a template never hard-codes a section number.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from bot.vocabulary import Regime


@dataclass(frozen=True)
class Law:
    regime: Regime
    act: str  # "the Freedom of Information Act 2000"
    short: str  # "FOIA"
    request_title: str  # how a requester heads a request
    right: str  # the right of access
    time_limit: str  # the section that sets the 20 working days
    time_words: str  # what it says, in the Act's words
    extension: str | None  # what allows more time (FOISA: nothing)
    extension_words: str | None
    clarification: str  # no duty until the requester clarifies
    cost: str  # refusal on grounds of cost
    cost_refusal: str  # "under section 12 of ..., because complying would exceed ..."
    advice: str  # the duty to advise and assist
    refusal_notice: str
    exemption_word: str  # "exemption" (FOIA, FOISA) or "exception" (EIR, EISR)
    presumption: str | None  # the presumption in favour of disclosure (EIR, EISR)
    review: str  # where the right to a review comes from
    review_words: str  # what asking for one is called
    review_reply_days: int
    review_reply_rule: str  # how long the authority has to decide a review
    regulator: str
    regulator_salutation: str
    regulator_section: str  # the right to apply to the regulator
    regulator_email: str
    regulator_form: str  # where the regulator prefers complaints to be made

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["regime"] = self.regime.value
        return data


_ICO = dict(
    regulator="the Information Commissioner",
    regulator_salutation="Information Commissioner",
    regulator_email="icocasework@ico.org.uk",
    regulator_form="https://ico.org.uk/make-a-complaint/foi-and-eir-complaints/",
)
_SIC = dict(
    regulator="the Scottish Information Commissioner",
    regulator_salutation="Scottish Information Commissioner",
    regulator_email="enquiries@foi.scot",
    regulator_form="https://www.foi.scot/appeal",
)
_ENVIRONMENTAL_COST = (
    "as manifestly unreasonable under {reg} of {act}, because of the cost and time "
    "complying with it would take"
)

LAWS: dict[Regime, Law] = {
    Regime.FOIA: Law(
        Regime.FOIA, "the Freedom of Information Act 2000", "FOIA",
        "Freedom of Information request",
        right="section 1(1)", time_limit="section 10(1)",
        time_words="promptly and in any event not later than the twentieth working day "
        "following the date of receipt",
        extension="section 10(3)",
        extension_words="to consider the public interest under section 10(3)",
        clarification="section 1(3)", cost="section 12",
        cost_refusal="under section 12 of the Freedom of Information Act 2000, because "
        "complying with it would exceed the appropriate limit",
        advice="section 16", refusal_notice="section 17",
        exemption_word="exemption", presumption=None,
        review="the Code of Practice issued under section 45",
        review_words="an internal review", review_reply_days=20,
        review_reply_rule="the Code of Practice issued under section 45 says a review should "
        "take no longer than 20 working days, or 40 in exceptional cases",
        regulator_section="section 50 of the Freedom of Information Act 2000", **_ICO,
    ),
    Regime.EIR: Law(
        Regime.EIR, "the Environmental Information Regulations 2004", "EIR",
        "Environmental information request",
        right="regulation 5(1)", time_limit="regulation 5(2)",
        time_words="as soon as possible and no later than 20 working days after the date of "
        "receipt",
        extension="regulation 7(1)",
        extension_words="under regulation 7(1), because of the complexity and volume of the "
        "information",
        clarification="regulation 9(2)", cost="regulation 12(4)(b)",
        cost_refusal=_ENVIRONMENTAL_COST.format(
            reg="regulation 12(4)(b)", act="the Environmental Information Regulations 2004"),
        advice="regulation 9", refusal_notice="regulation 14",
        exemption_word="exception", presumption="regulation 12(2)",
        review="regulation 11", review_words="an internal review (reconsideration under "
        "regulation 11)", review_reply_days=40,
        review_reply_rule="regulation 11(4) requires a decision within 40 working days",
        regulator_section=(
            "section 50 of the Freedom of Information Act 2000, as applied by regulation 18 "
            "of the Environmental Information Regulations 2004"
        ), **_ICO,
    ),
    Regime.FOISA: Law(
        Regime.FOISA, "the Freedom of Information (Scotland) Act 2002", "FOISA",
        "Freedom of Information request",
        right="section 1(1)", time_limit="section 10(1)",
        time_words="promptly and in any event by not later than the twentieth working day "
        "after receipt", extension=None, extension_words=None,
        clarification="section 1(3)", cost="section 12",
        cost_refusal="under section 12 of the Freedom of Information (Scotland) Act 2002, "
        "because the cost of complying with it would exceed the prescribed amount",
        advice="section 15", refusal_notice="section 16",
        exemption_word="exemption", presumption=None,
        review="section 20", review_words="a review (a requirement for review under "
        "section 20)", review_reply_days=20,
        review_reply_rule="section 21(1) requires a response within 20 working days",
        regulator_section="section 47(1) of the Freedom of Information (Scotland) Act 2002",
        **_SIC,
    ),
    Regime.EISR: Law(
        Regime.EISR, "the Environmental Information (Scotland) Regulations 2004", "EISR",
        "Environmental information request",
        right="regulation 5(1)", time_limit="regulation 5(2)(a)",
        time_words="as soon as possible and in any event no later than 20 working days after "
        "the date of receipt",
        extension="regulation 7(1)",
        extension_words="under regulation 7(1), because of the volume and complexity of the "
        "information",
        clarification="regulation 9(2)", cost="regulation 10(4)(b)",
        cost_refusal=_ENVIRONMENTAL_COST.format(
            reg="regulation 10(4)(b)",
            act="the Environmental Information (Scotland) Regulations 2004"),
        advice="regulation 9", refusal_notice="regulation 13",
        exemption_word="exception", presumption="regulation 10(2)",
        review="regulation 16", review_words="a review under regulation 16",
        review_reply_days=20,
        review_reply_rule="regulation 16(4) requires a decision within 20 working days",
        regulator_section=(
            "section 47(1) of the Freedom of Information (Scotland) Act 2002, as applied by "
            "regulation 17 of the Environmental Information (Scotland) Regulations 2004"
        ), **_SIC,
    ),
}  # fmt: skip

# The exemption ids of bot.classify.citations that refuse on grounds of cost.
COST_EXEMPTIONS: dict[Regime, str] = {
    Regime.FOIA: "s12",
    Regime.FOISA: "s12",
    Regime.EIR: "reg12(4)(b)",
    Regime.EISR: "reg10(4)(b)",
}
# reg 12(4)(b) / 10(4)(b) is "manifestly unreasonable": only a refusal that speaks of
# cost, time or burden is a cost refusal (it is also used for vexatious requests).
_ON_COST = re.compile(r"\bcost|\bhours\b|\btime\b|burden|resources|£\s?\d|diver", re.IGNORECASE)

_FOIA_NAMES = {
    "12": "cost of compliance", "14": "vexatious or repeated requests",
    "21": "information accessible by other means", "22": "information intended for future "
    "publication", "22A": "research", "23": "security bodies", "24": "national security",
    "26": "defence", "27": "international relations", "28": "relations within the United "
    "Kingdom", "29": "the economy", "30": "investigations and proceedings",
    "31": "law enforcement", "32": "court records", "33": "audit functions",
    "34": "parliamentary privilege", "35": "formulation of government policy",
    "36": "prejudice to effective conduct of public affairs",
    "37": "communications with Her Majesty, etc. and honours", "38": "health and safety",
    "39": "environmental information", "40": "personal information",
    "41": "information provided in confidence", "42": "legal professional privilege",
    "43": "commercial interests", "44": "prohibitions on disclosure",
}  # fmt: skip
_FOISA_NAMES = {
    "12": "excessive cost of compliance", "14": "vexatious or repeated requests",
    "25": "information otherwise accessible", "26": "prohibitions on disclosure",
    "27": "information intended for future publication", "28": "relations within the "
    "United Kingdom", "29": "formulation of Scottish Administration policy",
    "30": "prejudice to effective conduct of public affairs",
    "31": "national security and defence", "32": "international relations",
    "33": "commercial interests and the economy", "34": "investigations",
    "35": "law enforcement", "36": "confidentiality", "37": "court records",
    "38": "personal information", "39": "health, safety and the environment",
    "40": "audit functions", "41": "communications with Her Majesty etc. and honours",
}  # fmt: skip
_EIR_NAMES = {
    "(4)(b)": "manifestly unreasonable", "(4)(c)": "too general",
    "(4)(d)": "material in the course of completion", "(4)(e)": "internal communications",
    "(5)(a)": "international relations, defence, national security or public safety",
    "(5)(b)": "the course of justice", "(5)(c)": "intellectual property rights",
    "(5)(d)": "confidentiality of proceedings", "(5)(e)": "commercial confidentiality",
    "(5)(f)": "interests of the person who provided the information",
    "(5)(g)": "protection of the environment",
}  # fmt: skip
_PERSONAL = {Regime.EIR: "13", Regime.EISR: "11"}
_EXCEPTIONS = {Regime.EIR: "12", Regime.EISR: "10"}


def is_cost_refusal(regime: Regime, exemptions: tuple[str, ...], text: str) -> bool:
    """The refusal rests (at least in part) on the cost of compliance."""
    if COST_EXEMPTIONS[regime] not in exemptions:
        return False
    return not regime.environmental or bool(_ON_COST.search(text))


def describe_exemption(regime: Regime, exemption: str) -> str:
    """``s43`` -> "section 43 (commercial interests)"; unknown names stay bare."""
    if exemption.startswith("s") and not regime.environmental:
        number = exemption[1:]
        name = (_FOISA_NAMES if regime is Regime.FOISA else _FOIA_NAMES).get(number)
        return f"section {number} ({name})" if name else f"section {number}"
    if exemption.startswith("reg"):
        citation = exemption[3:]
        name = None
        if citation == _PERSONAL.get(regime):
            name = "personal data"
        elif citation.startswith(_EXCEPTIONS.get(regime, "-")):
            name = _EIR_NAMES.get(citation[len(_EXCEPTIONS[regime]) :])
        return f"regulation {citation} ({name})" if name else f"regulation {citation}"
    return exemption


_MENTIONS_LAW = re.compile(
    r"freedom of information|environmental information|\bFOI(?:A|SA)?\b|\bEIRS?\b", re.I
)
_ASKS_ADVICE = re.compile(
    r"advice and assistance|advise and assist|\bs(?:ection)?\.?\s?1[56]\b|regulation 9\b", re.I
)


def mentions_law(text: str) -> bool:
    """The text already says which law it is made under."""
    return bool(_MENTIONS_LAW.search(text))


def asks_advice(text: str) -> bool:
    """The text already asks for advice on narrowing it if it costs too much."""
    return bool(_ASKS_ADVICE.search(text))
