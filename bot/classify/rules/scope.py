"""Phrases shared by the response rules: what a refusal or not-held statement covers.

``partial`` tells a decision about part of the request ("Q4-6", "some of the
information", "redacted") from one about all of it. ``NOT_HELD`` and ``REFUSED``
are the wordings that make a sentence a decision rather than information given.
"""

from __future__ import annotations

import re

_PART = re.compile(
    r"\bQs?\.?\s?\d|\b(?:questions?|parts?|points?|items?|elements?) \(?\d{1,2}\)?"
    r"(?:\s*(?:-|to|and|&|,)\s*\(?\d{1,2}\)?)*\b(?! of the)(?!\s*\()"
    r"|\b(?:some|part|parts|certain|elements|the remainder|the rest|remaining|one|other|each) of"
    r" (?:the|your|this|these)\b|\bin part\b|\bpartial(?:ly)?\b|\bredact|\bthe remainder\b"
    r"|\b(?:the )?remaining (?:questions|parts|information|elements)\b|\bcertain (?:information"
    r"|details|documents|names)\b|\bsome (?:information|details|documents|names|of it)\b",
    re.I,
)
NOT_HELD = re.compile(
    r"\b(?:is|are|was|were|being) not held\b|\bnot held (?:by|in|on|within)\b|^not held\b"
    r"|\bnot held\W*$|\bnone held\b"
    r"|\b(?:do|does|did) not (?:hold|have|retain|record|collect|keep|possess)(?: any)?"
    r"(?: recorded| such| the| this| that| these| of the| relevant)?"
    r" (?:information|data|records?|details|figures|statistics|documents?|documentation"
    r"|requested|it|this|that)\b"
    r"|\bhold(?:s)? no (?:recorded |relevant |such )?(?:information|data|records?|documents?)\b"
    r"|\bno (?:recorded |relevant |such )?(?:information|data|records?) (?:is|are|was|were|has been"
    r"|have been|could be|can be) (?:held|recorded|kept|found|located|identified)\b"
    r"|\b(?:information|data|records?|figures) (?:is|are|was|were) not (?:held|recorded|collected"
    r"|kept|retained|captured)\b"
    r"|\b(?:have not been|were not|was not|are unable to|have been unable to) (?:able to )?"
    r"(?:locate|find|identify) any (?:recorded |relevant )?(?:information|records|documents)\b",
    re.I,
)
REFUSED = re.compile(
    r"\bexempt\b|\bexemptions? (?:at|under|in|applies|apply|is engaged|are engaged"
    r"|has been applied)"
    r"|\bexceptions? (?:at|under|in|applies|apply)|\bwithh[eo]ld|\brefus|\bdecline to"
    r"|\bneither confirm nor deny|\bnot (?:obliged|required) to (?:provide|disclose|comply|release)"
    r"|\b(?:unable|not able) to (?:provide|disclose|release|supply|share|comply)"
    r"|\b(?:will|shall|can|could) not (?:be )?(?:provid|disclos|releas|supply|supplied)"
    r"|\bredact|\bvexatious|\bexceed(?:s|ed|ing)? the (?:appropriate|cost) limit",
    re.I,
)


def partial(sentence: str) -> bool:
    """The sentence says its decision covers only part of the request."""
    return bool(_PART.search(sentence))
