"""Internal reviews: our review request acknowledged, and the review's outcome.

Every response ends with "If you are dissatisfied ... you may request an internal
review" and "If you are not content with the outcome of the internal review ...":
hedged, so they never fire.

The outcome is about the *original decision*: "I uphold the original decision" is
``upheld``; "your complaint is upheld" (the requester was right) is ``overturned``;
"partly upheld" either way is ``partly_upheld``.
"""

from __future__ import annotations

import re

from bot.classify.dates import all_dates
from bot.classify.text import Found, View, about_the_past, find_all, in_subject
from bot.classify.values import Hit, Signal

_AUTHORITY = r"(?:council|trust|force|department|university|board|authority|college|school)'s"
_REVIEW = (
    r"(?:internal review|review|reconsideration|requirement for review|appeal"
    r"|representations)"  # EIR reg 11: "representations", "the Council will reconsider"
)
_REVIEWER = (
    r"(?:review(?:ing)? officer|reviewer|review panel|review team|internal review team"
    r"|information review panel)"
)
_ACK = re.compile(
    rf"\b(?:received|receipt of|acknowledge|logged|registered) your (?:e-?mail |letter )?"
    rf"(?:request(?:ing)?|requirement|application|asking) (?:for )?(?:an? )?{_REVIEW}"
    rf"|\byour (?:{_REVIEW}|request for (?:an? )?{_REVIEW}|review request)\b.{{0,80}}?\b"
    rf"(?:has been|have been|was|were|is being|are being|will be) (?:received|logged|passed"
    rf"|allocated|assigned|registered|forwarded|given)"
    rf"|\b(?:passed|referred|allocated|assigned|forwarded) (?:it |this )?to (?:the |a |an |our )?"
    rf"(?:{_AUTHORITY} )?(?:independent |senior )?{_REVIEWER}"
    rf"|\bwho will (?:re-?consider|review|re-?examine|consider (?:the|its|our) (?:original"
    rf" |initial )?(?:decision|response))\b"
    rf"|\b(?:aims?|will aim|endeavours?|tries|try) to (?:complete|conclude) (?:all |its |our )?"
    rf"(?:internal )?reviews within\b"
    rf"|\bask(?:s|ed|ing)? (?:the \w+|us|me) to (?:review|reconsider) (?:its|our|the|their)"
    rf" (?:response|decision|handling|refusal)"
    rf"|\b(?:the|an|your) (?:internal )?review (?:will be|is being|has been) (?:carried out"
    rf"|conducted|undertaken|allocated|assigned|passed)"
    rf"|\b(?:we will|we aim to|we'll|will aim to|we shall|I will|I shall|I aim to) (?:aim to )?"
    rf"(?:complete|respond to|conclude|carry out|conduct|undertake) (?:the|your|this|an)"
    rf" (?:internal )?review"
    rf"|\bthank you for (?:your (?:e-?mail "
    rf"|letter )?)?(?:request(?:ing)? (?:for )?(?:an? )?{_REVIEW}"
    rf"|asking (?:for|us to carry out) (?:an? )?{_REVIEW}|internal review request"
    rf"|requirement for review|your {_REVIEW} request)",
    re.I,
)
_BY = re.compile(r"\b(?:by|no later than|on or before)\s+", re.I)
_DECIDED = re.compile(
    r"\b(?:I|we) have (?:now )?(?:completed|carried out|conducted|undertaken|concluded|finished)"
    r" (?:the|an?|your|my|our|this) (?:internal review|review|reconsideration)"
    r"|\b(?:the|this|my|your) (?:internal )?(?:review|reconsideration)\b(?: of [^.]{0,60}?)?"
    r" (?:has been|is now|was|is) (?:completed|concluded|carried out|complete)"
    r"|\b(?:I|we|the (?:review )?panel|the reviewer) (?:have|has) (?:now )?(?:considered|reviewed"
    r"|examined) (?:your|the) (?:requirement for review|request for (?:an )?(?:internal )?review"
    r"|complaint|appeal|representations)"
    rf"|\b(?:I|we) have (?:now )?reviewed the (?:{_AUTHORITY} |original |initial )?(?:decision"
    r"|response|handling|application|refusal|use|reliance)"
    r"|\bthe (?:reviewer|reviewing officer|review panel|panel|(?:review )?committee)"
    r" (?:found|concluded|considered|decided"
    r"|agreed|has decided|re-?examined)\b"
    r"|\b(?:the )?(?:outcome|result|findings|conclusion) of (?:the|my|our|your|this) (?:internal )?"
    r"review\b(?! will| is expected| should)"
    r"|\binternal review (?:decision|outcome|response|findings|result)\b"
    r"|\b(?:having|I have|we have) (?:now |carefully )?(?:reviewed|re-?considered|looked again at"
    r"|re-?examined) (?:the|your|our) (?:original |initial )?(?:request|response|decision|handling"
    r"|refusal)"
    r"|\b(?:the|my|this) (?:internal )?review (?:has )?(?:found|concluded|determined|considered"
    r"|upheld|is complete)"
    r"|\b(?:I|we|the (?:review )?panel|the reviewer) (?:have|has) (?:now |therefore )?decided that"
    r" the (?:original|initial) (?:decision|response|refusal)",
    re.I,
)
_OUTCOME_SUBJECT = re.compile(
    r"\b(?:internal )?review (?:outcome|decision|response|result|findings)\b"
    r"|\boutcome of (?:the |your )?(?:internal )?review\b|\breconsideration (?:outcome|decision)\b",
    re.I,
)
_NEGATED = re.compile(r"\b(?:not|n't|never|cannot)\s+(?:\w+\s+)?$", re.I)
_DECISION = r"(?:decision|response|refusal|position|handling|application of|use of|reliance)"
_WHOSE = rf"(?:(?:original|initial|{_AUTHORITY}) ){{0,2}}"  # "the council's original decision"
_UPHELD = re.compile(
    rf"\buphold(?:s|ing)? (?:the|our|my|its) {_WHOSE}{_DECISION}"
    rf"|\b(?:original|initial) {_DECISION}\b.{{0,40}}(?:is|was|has been|should be|be) (?:upheld"
    rf"|maintained|confirmed|correct|appropriate|right)"
    rf"|\b(?:was|were|had been|has been|have been) (?:correctly|appropriately|properly|rightly)"
    rf" (?:applied|engaged|handled|relied|cited|withheld|refused)"
    rf"|\b(?:was|were|had been) (?:applied|engaged|used) (?:correctly|appropriately|properly)"
    rf"|\bconfirm(?:ed|s|ing)? (?:the|our|its) {_WHOSE}(?:decision|response)"
    rf"|\byour (?:complaint|appeal|request for (?:an )?(?:internal )?review) (?:is"
    rf"|has) not (?:been )?"
    rf"upheld|\b(?:do|does|did|can)(?: not|n't) uphold your (?:complaint|appeal)"
    rf"|\b(?:I|we) (?:am|are) satisfied that (?![^.]{{0,90}}\b(?:not|incorrectly|wrongly)\b)"
    rf"(?:the )?(?:original |initial )?(?:response|decision|exemption|exception|council|trust"
    rf"|force|authority|section|regulation)"
    rf"|\b(?:agree|concur) with the (?:original|initial) (?:decision|response)",
    re.I,
)
_PARTLY = re.compile(
    r"\b(?:partly|partially|in part) (?:upheld|uphold|overturned|overturn)"
    r"|\b(?:uphold|upheld|overturn(?:ed)?)\b.{0,40}\bin part\b"
    r"|\bsome of the (?:withheld |requested )?information (?:should|can|will|may) (?:now )?be"
    r" (?:released|disclosed|provided)",
    re.I,
)
_OVERTURNED = re.compile(
    rf"\b(?:overturn|reverse)(?:ed|s|ing)? (?:the )?(?:original |initial )?{_DECISION}"
    r"|\byour (?:complaint|appeal|request for (?:an )?(?:internal )?review) (?:is|has been"
    r"|was) upheld"
    r"|\b(?:uphold(?:ing)?|upheld) your (?:complaint|appeal|requirement|representations"
    r"|request for (?:an )?(?:internal )?review)"
    r"|\b(?:original|initial) (?:decision|response)\b.{0,80}\b(?:was|were) (?:wrong|incorrect"
    r"|not correct)"
    r"|\b(?:was|were) wrong to (?:withhold|refuse|apply|rely|say)"
    rf"|\b{_DECISION} (?:has been|is|was|is being) (?:reversed|overturned)"
    r"|\bsubstitut(?:e|ed|es|ing) (?:a |its )?(?:new|different|fresh) decision"
    r"|\b(?:should|ought to) have been (?:disclosed|provided|released)"
    r"|\b(?:was|were|had been) (?:incorrectly|wrongly|not correctly|inappropriately) (?:applied"
    r"|engaged|withheld|refused|relied)"
    r"|\b(?:I|we) (?:have decided|will now|are now able|am now able) to (?:release|disclose"
    r"|provide)"
    r"|\b(?:do|does|did|can)(?: not|n't) uphold the (?:original|initial) (?:decision|response)"
    r"|\b(?:original|initial) (?:decision|response|refusal)\b.{0,40}"
    r"\b(?:should|does|will|can|could) not (?:stand|be upheld|be maintained)",
    re.I,
)


def _firm(view: View, pattern: re.Pattern[str], negatable: bool) -> Found | None:
    for found in find_all(view, pattern):
        before = found.sentence.text[: found.match.start()]
        if not (negatable and _NEGATED.search(before)):
            return found
    return None


def _due(view: View) -> tuple[tuple[str, str], ...]:
    """When the review is due: the first date right after "by", "no later than" ..."""
    for sentence in view.sentences:
        if about_the_past(sentence.text):
            continue
        for match in _BY.finditer(sentence.text):
            dates = all_dates(sentence.text[match.end() :], view.received)
            if dates and dates[0][0] == 0:
                return (("respond_by", dates[0][1].isoformat()),)
    return ()


def review_acknowledged(view: View) -> Hit | None:
    found = _firm(view, _ACK, False)
    return Hit(Signal.REVIEW_ACK, found.quote, 0.85, dates=_due(view)) if found else None


def review_decided(view: View) -> Hit | None:
    found = _firm(view, _DECIDED, False)
    return Hit(Signal.REVIEW_OUTCOME, found.quote, 0.85) if found else None


def review_outcome_subject(view: View) -> Hit | None:
    found = in_subject(view, _OUTCOME_SUBJECT)
    return Hit(Signal.REVIEW_OUTCOME, found.quote, 0.7) if found else None


def review_partly_upheld(view: View) -> Hit | None:
    found = _firm(view, _PARTLY, False)
    return Hit(Signal.PARTLY_UPHELD, found.quote, 0.85) if found else None


def review_overturned(view: View) -> Hit | None:
    found = _firm(view, _OVERTURNED, True)
    return Hit(Signal.OVERTURNED, found.quote, 0.8) if found else None


def review_upheld(view: View) -> Hit | None:
    found = _firm(view, _UPHELD, True)
    return Hit(Signal.UPHELD, found.quote, 0.8) if found else None
