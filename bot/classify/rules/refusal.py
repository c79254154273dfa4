"""Refusals and "not held": exemptions applied, the s.12 cost limit, s.14, s.16 advice.

"Not held" here is a determination about the requested *information* ("the Council
does not hold this information", s.1(1)(a), "not held"): "None", "No" or "there
are no contracts" are answers (information given). An exemption counts where a
sentence that is neither hedged nor about an earlier request cites it with
refusal context; s.21 (FOISA s.25), "reasonably accessible", points to where the
information is, so it is information given, not a refusal.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.classify.citations import (
    CONSIDERING,
    NOT_HELD_CITED,
    cites_not_held,
    exemptions_in,
    under_consideration,
)
from bot.classify.rules.scope import NOT_HELD, partial
from bot.classify.text import Found, View, about_the_past, find, find_all, hedged_decision
from bot.classify.values import Hit, Signal

_ACCESSIBLE = frozenset({"s21", "s25"})
_LIST_INTRO = re.compile(r"\b(?:exemptions?|exceptions?|sections?|regulations?)\W*$", re.I)
_LIST_LENGTH = 8
_CITATION = re.compile(r"(?:\bsections?|\bss?\.|\bs(?=\d)|\bregulations?|\bregs?\.?)\s*\d", re.I)
_COST = re.compile(
    r"\b(?:appropriate|cost) limit\b|\bcost of compliance\b|\b(?:18|24|eighteen|twenty[- ]four)"
    r" hours\b|£\s?(?:450|600)\b|\b(?:section|s\.?) ?12\b(?!\s*\(?\d)"
    r"|\bs(?:ection)?\.? ?12\s*\(\s*1",
    re.I,
)
_COST_DECISION = re.compile(
    r"exceed|in excess of|more than|over the|above the|beyond|refus|relying|rely|applies|apply"
    r"|engaged|would (?:take|cost|require|involve)|unable|not (?:obliged|required)",
    re.I,
)
_VEXATIOUS = re.compile(
    r"\bvexatious\b|\brepeated request\b|\b(?:section|s\.?) ?14\s*\(\s*[12]", re.I
)
_REFUSAL = re.compile(
    r"\brefusal notice\b|\b(?:acts|serves|constitutes|is) as (?:a|our|the) (?:formal )?refusal"
    r"|\b(?:refuse|refusing|decline|declining) (?:your request|this request|to (?:provide|disclose"
    r"|release|supply|confirm))|\b(?:is|are|has been|have been|will be|being) withheld\b"
    r"|\b(?:we are|I am|we're|I'm) (?:therefore )?(?:unable|not able) to (?:provide|disclose"
    r"|release"
    r"|supply|share|comply)|\bneither confirm nor deny\b|\bwithholding\b",
    re.I,
)
_REDACTED = re.compile(
    r"\bredact(?:ed|ions?|ing)\b|\bblacked out\b|\bremoved (?:the )?names\b", re.I
)
_ADVICE = re.compile(
    r"\b(?:if|should) you (?:were to |wish to |want to |could |would like to |are able to "
    r"|decide to )?"
    r"(?:narrow|refine|reduce|limit|restrict|focus|re-?submit|resubmit|re-?phrase)"
    r"|\byou (?:may|might|could) (?:wish|want|like|consider|be able) to (?:consider )?(?:narrow"
    r"|refin|reduc|limit|restrict|focus|submit|re-?phrase|re-?submit|resubmit|ask(?:ing)? for"
    r"|request(?:ing)? (?:only|just|the|data|information|figures))"
    r"|\b(?:narrow|refine|reduce|limit|restrict)(?:ing)? (?:the scope of )?(?:your request"
    r"|the request"
    r"|the scope|the time ?(?:frame|period|scale)|the date range|the period|it|questions?)\b.{0,40}"
    r"\bto\b"
    r"|\b(?:we|I) (?:may|might|would|should|could) (?:then )?be able to (?:provide|answer|comply"
    r"|respond|process|deal|locate|retrieve|supply)"
    r"|\bwithin the (?:appropriate |cost )?limit\b.{0,80}\b(?:could|can|would|able)\b"
    r"|\b(?:could|can|would|able)\b.{0,80}\bwithin the (?:appropriate |cost )?limit\b"
    r"|\b(?:for example|e\.g\.)[, ]+(?:by )?(?:limiting|restricting|narrowing|reducing|focusing)",
    re.I,
)
_NO_ADVICE = re.compile(
    r"\b(?:unable|not able|cannot|can't|can not) (?:to )?(?:offer|provide|suggest|give|identify"
    r"|see) (?:any )?(?:advice|way|suggestion|means|meaningful)",
    re.I,
)


def not_held_statement(view: View) -> Hit | None:
    for found in find_all(view, NOT_HELD):
        return Hit(Signal.NOT_HELD, found.quote, 0.85, part=partial(found.sentence.text))
    for sentence in view.sentences_for(NOT_HELD_CITED):
        if cites_not_held(sentence.text):
            return Hit(Signal.NOT_HELD, f'"{sentence.text[:180]}" ({sentence.where})', 0.85,
                       part=partial(sentence.text))  # fmt: skip
    return None


def _citing_sentences(view: View) -> Iterator[tuple[Found, bool]]:
    """(citation found, whether its sentence is an item of a list of exemptions)."""
    carry = 0
    intro = set(view.gate.candidates(_LIST_INTRO))  # the others cannot match: no search
    considering = set(view.gate.candidates(CONSIDERING))
    for index, sentence in enumerate(view.sentences):
        text = sentence.text
        listed = carry > 0 and bool(_CITATION.match(text))
        introduces = index in intro and _LIST_INTRO.search(text)
        carry = _LIST_LENGTH if introduces else (carry - 1 if listed else 0)
        match = _CITATION.search(text)
        if match is None or about_the_past(text) or hedged_decision(text, match.start()):
            continue
        if index in considering and under_consideration(text, match.start()):
            continue  # "we are considering whether sections 31 and 38 apply": not yet applied
        yield Found(sentence, match), listed


def exemptions_cited(view: View) -> Hit | None:
    """Every exemption cited; a refusal unless it is only s.21/s.25 (published elsewhere)."""
    found_in, cited, part = None, [], False
    for found, listed in _citing_sentences(view):
        for exemption in exemptions_in(found.sentence.text, listed=listed):
            if exemption not in cited:
                cited.append(exemption)
                found_in = found_in or found
                part = part or partial(found.sentence.text)
    if found_in is None:
        return None
    if set(cited) <= _ACCESSIBLE:
        return Hit(Signal.DISCLOSED, f"{', '.join(cited)}: {found_in.quote}", 0.75,
                   exemptions=tuple(cited))  # fmt: skip
    return Hit(Signal.WITHHELD, f"{', '.join(cited)}: {found_in.quote}", 0.85, part=part,
               exemptions=tuple(cited))  # fmt: skip


def _decisions(view: View, pattern: re.Pattern[str]) -> Iterator[Found]:
    """Matches in sentences that state a decision: not hedged unless a decision is stated."""
    for found in find_all(view, pattern, hedge=False):
        if not hedged_decision(found.sentence.text, found.match.start()):
            yield found


def cost_limit(view: View) -> Hit | None:
    for found in _decisions(view, _COST):
        if _COST_DECISION.search(found.sentence.text):
            part = partial(found.sentence.text)
            return Hit(Signal.WITHHELD, found.quote, 0.9, part=part, exemptions=("s12",))
    return None


def vexatious(view: View) -> Hit | None:
    found = find(view, _VEXATIOUS)
    return Hit(Signal.WITHHELD, found.quote, 0.85, exemptions=("s14",)) if found else None


def refusal_wording(view: View) -> Hit | None:
    for found in _decisions(view, _REFUSAL):
        text = found.sentence.text
        if NOT_HELD.search(text) or cites_not_held(text):
            continue  # "this letter acts as a refusal notice ... the information is not held"
        return Hit(Signal.WITHHELD, found.quote, 0.75, part=partial(text))
    return None


def redaction(view: View) -> Hit | None:
    found = find(view, _REDACTED)
    return Hit(Signal.WITHHELD, found.quote, 0.75, part=True) if found else None


def s16_advice(view: View) -> Hit | None:
    """The advice a s.12 refusal gives (quoted for the refinement letter), or its absence."""
    refusing = find(view, _NO_ADVICE, hedge=False)
    for found in find_all(view, _ADVICE, hedge=False):
        if refusing is None:
            quote = found.sentence.text[:400]
            return Hit(Signal.ADVICE, found.quote, 0.8, flags=(("advice_s16", quote),))
    if refusing is not None:
        return Hit(Signal.ADVICE, f"no advice given: {refusing.quote}", 0.8,
                   flags=(("advice_s16", ""),))  # fmt: skip
    return None
