"""Extensions: FOIA s.10(3) public interest, EIR/EISR reg 7 "complex and voluminous",
and a new date ("we now aim to respond by 9 November 2026" -> ``extended_to``).

Only the future counts: a final response saying "we extended the deadline to
consider the public interest and have now completed ..." is not an extension, and
an apology for a late reply ("we were unable to respond within 20 working days")
is not one either.
"""

from __future__ import annotations

import datetime as dt
import re

from bot.classify.citations import CONSIDERING, exemptions_in, other_act, under_consideration
from bot.classify.dates import first_date
from bot.classify.text import Found, View, about_the_past, find_all, in_subject
from bot.classify.values import Hit, Signal

_MORE_TIME = (
    r"(?:extend(?:ing|s)?\b|extension|further time|more time|additional time|extra time"
    r"|reasonable (?:extension|period|time)|not yet (?:been able to )?(?:reach|reached|made"
    r"|complete)"
    r"|still (?:considering|assessing|being considered)|(?:have"
    r"|has) not (?:yet )?(?:been able to )?"
    r"(?:reach|complete|conclude|decide)|need(?:s)? to consider|(?:further|additional|another)"
    r" (?:20|twenty) working days)"
)
_PUBLIC_INTEREST = re.compile(
    rf"(?:\bs(?:ection)?\.?\s*10\s*\(\s*3\s*\)|\bpublic interest\b).{{0,200}}{_MORE_TIME}"
    rf"|{_MORE_TIME}.{{0,200}}(?:\bs(?:ection)?\.?\s*10\s*\(\s*3\s*\)|\bpublic interest\b)",
    re.I,
)
_COMPLEX = re.compile(
    r"\bcomplex(?:ity)? and (?:voluminous|volume)|\bvolume and complexity\b"
    r"|\bregulation 7\s*(?:\(\s*1\s*\))?|\breg\.?\s*7\s*\(\s*1\s*\)",
    re.I,
)
_NEW_DATE = re.compile(
    r"\bnow (?:aim|expect|intend|hope|plan|anticipate|propose) to (?:respond|reply|provide|send"
    r"|issue|complete|be (?:in a position|able))"
    r"|\b(?:extend|extending|have extended|has been extended|is being extended|will be extended)"
    r" (?:the )?(?:deadline|time ?limit|time ?frame|timescale|response (?:date|time|deadline)|date"
    r"|period|time for (?:our|a|the) response)\b"
    r"|\b(?:new|revised|extended) (?:response |due |target |deadline )?(?:date|deadline)\b"
    r"|\b(?:deadline|time ?limit|timescale|time for (?:our|a|the) response|date for (?:our|a|the)"
    r" response|response date)\b[^.]{0,60}\b(?:has been|have been|is being|will be|is) extended\b"
    r"|\b(?:need|needs|require|requires) (?:more|further|additional|extra) time\b"
    r"|\b(?:further|additional|extra) (?:20|twenty) working days\b"
    r"|\b(?:will|shall) (?:need to )?extend\b",
    re.I,
)
# "we are not yet in a position to provide our response": the answer is late, still to come
# (an apology in the same sentence does not make it a past extension).
_NOT_YET = re.compile(
    r"\bnot yet (?:in a position|able|ready) to (?:provide|send|issue|give) (?:you (?:with )?)?"
    r"(?:a |our |the |your )?(?:full |final )?(?:response|reply|answer)",
    re.I,
)
_SUBJECT = re.compile(
    r"\b(?:public interest(?: test)?|PIT|deadline|time|response) extension\b"
    r"|\bextension (?:of|to) (?:the )?(?:time|deadline|response|time ?limit|timescale)\b"
    r"|\b(?:notice|notification) of (?:an )?extension\b|\bextension (?:notice|letter)\b",
    re.I,
)
_LATE = re.compile(
    r"\b(?:unable|not (?:be )?able|will not be able|won't be able) to (?:respond|provide (?:a|our"
    r"|the) (?:full )?response|meet the (?:20 working day |statutory )?(?:deadline|time ?limit"
    r"|timescale))\b.{0,80}?\b(?:by|within)\b",
    re.I,
)
_NOT_CURRENT = re.compile(
    r"\b(?:have|has) now (?:completed|concluded|considered|reached|made|finished)"
    r"|\bfollowing (?:the|our) extension|\bfurther to (?:the|our) (?:extension|letter|e-?mail)"
    r"|\bapologi[sz]e|\bapologies\b|\bsorry\b|\b(?:was|were|had been) (?:unable|not able)"
    r"|\bwe extended\b|\bwas extended\b"
    r"|\b(?:allows?|permits?|enables?|entitles?|is entitled|are entitled)\b"
    r"|\b(?:can|could) be extended\b",
    re.I,
)


def _current(view: View, pattern: re.Pattern[str]) -> list[Found]:
    """Firm, current mentions (not hedged, not in a sentence about the past), and not a
    regulation of another instrument ("regulation 7 of the Fees Regulations")."""
    return [
        f for f in find_all(view, pattern)
        if not _NOT_CURRENT.search(f.sentence.text)
        and not other_act(f.sentence.text, f.match.end())
    ]  # fmt: skip


def _next_sentence(view: View, found: Found) -> str | None:
    sentences = view.sentences
    for index, sentence in enumerate(sentences[:-1]):
        if sentence is found.sentence:
            return sentences[index + 1].text
    return None


def _date_of(view: View, found: Found) -> dt.date | None:
    """The date after the phrase, or alone in the next short sentence ("... is:" / "9 May")."""
    when = first_date(found.sentence.text, view.received, found.match.start())
    following = _next_sentence(view, found)
    if when is None and following is not None and len(following) < 60:
        when = first_date(following, view.received)
    return when


def _hit(view: View, pattern: re.Pattern[str], weight: float) -> Hit | None:
    """The first mention that gives a date, else the first mention."""
    mentions = _current(view, pattern)
    for found in mentions:
        when = _date_of(view, found)
        if when is not None:
            return Hit(Signal.EXTENSION, found.quote, weight,
                       dates=(("extended_to", when.isoformat()),))  # fmt: skip
    return Hit(Signal.EXTENSION, mentions[0].quote, weight) if mentions else None


def public_interest_extension(view: View) -> Hit | None:
    return _hit(view, _PUBLIC_INTEREST, 0.85)


def complex_and_voluminous(view: View) -> Hit | None:
    return _hit(view, _COMPLEX, 0.85)


def new_response_date(view: View) -> Hit | None:
    hit = _hit(view, _NEW_DATE, 0.85) or _hit(view, _LATE, 0.65)
    if hit is None:
        found = next(find_all(view, _NOT_YET), None)
        hit = Hit(Signal.EXTENSION, found.quote, 0.75) if found else None
    return hit


def extension_subject(view: View) -> Hit | None:
    """A subject such as "Public Interest Test extension": a sign, not firm alone (a final
    response may keep the subject of the extension letter)."""
    found = in_subject(view, _SUBJECT)
    return Hit(Signal.EXTENSION, found.quote, 0.5) if found else None


def exemptions_considered(view: View) -> Hit | None:
    """Exemptions an extension says it is considering ("may be exempt under section 43(2)",
    "we are considering whether sections 31 and 38 apply"): listed for an extension only."""
    considered: list[str] = []
    first = None
    for sentence in view.sentences_for(CONSIDERING):  # under consideration
        text = sentence.text
        if about_the_past(text) or not under_consideration(text):
            continue
        for exemption in exemptions_in(text):
            if exemption not in considered:
                considered.append(exemption)
                first = first or sentence
    if first is None:
        return None
    quote = f'{", ".join(considered)}: "{first.text[:180]}" ({first.where})'
    return Hit(Signal.EXTENSION, quote, 0.3, exemptions=tuple(considered))
