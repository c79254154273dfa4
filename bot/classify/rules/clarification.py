"""Clarification requests: the authority asks us what we mean (FOIA/FOISA s.1(3), EIR reg 9).

Hedged mentions do not count: an acknowledgement's "If we need to clarify your
request, we will contact you" is not a request for clarification.
"""

from __future__ import annotations

import re

from bot.classify.text import View, find
from bot.classify.values import Hit, Signal

_WHAT = (
    r"(?:which|what|whether|exactly|if|the (?:scope|time ?frame|period|date range)"
    r"|the following\b)"
)
_ASK = re.compile(
    r"\b(?:please|could you|can you|would you)(?: please| kindly)? confirm\s*:"  # a list follows
    r"|"
    rf"\bplease (?:could you |can you |would you )?(?:clarify|confirm {_WHAT}|specify"
    rf"|explain (?:what|which)|provide (?:more|further|additional) (?:details?|information)"
    rf"|let (?:me|us) know {_WHAT})"
    rf"|\b(?:could|can|would) you (?:please |kindly )?(?:clarify|confirm {_WHAT}|specify"
    rf"|be more specific|explain (?:what|which)|provide (?:more|further|additional)"
    rf" (?:details?|information)|let (?:me|us) know {_WHAT}|tell (?:me|us) {_WHAT}|narrow down)"
    rf"|\b(?:we|I) (?:need|require|would need|would require) (?:(?:some|further|more|additional)"
    rf" ){{0,2}}(?:clarification|details|information from you|particulars)\b"
    rf"|\b(?:seek|seeking|request|requesting|ask(?:ing)? (?:you )?for) (?:some |further )?"
    rf"clarification\b"
    rf"|\bclarif(?:y|ication of) (?:your request|what you mean|which|the scope|the time ?frame"
    rf"|the period|the following)"
    rf"|\bin order (?:for us )?to (?:locate|identify|find|process|respond to|deal with|answer)"
    rf" (?:the information|your request|this request)\b.{{0,80}}\b(?:please|could you|can you)",
    re.I,
)
_PAUSED = re.compile(
    r"\bs(?:ection)?\.?\s*1\s*\(\s*3\s*\)|\bregulation 9\s*\(\s*[23]\s*\)"
    r"|\breg\.?\s*9\s*\(\s*2\s*\)"
    r"|\b(?:not|unable to|cannot|can't) (?:be able to )?(?:proceed|progress|process|continue|deal"
    r"|respond)(?: further)?(?: with| to)?(?: (?:your|the|this) (?:request|enquiry))?(?: further)?"
    r" until\b"
    r"|\b(?:will not|won't|cannot|can't|are unable to) (?:be able to )?(?:proceed|progress"
    r"|process|continue|respond) (?:further )?until (?:we|you|the|your|such)"
    r"|\bon hold (?:until|pending)\b"
    r"|\b(?:clock|timescale|time ?limit|deadline|20 working day period)(?: for (?:our|a) response)?"
    r" (?:has been |will be |is |will )?(?:paused|stopped|suspended|stop)\b"
    r"|\b(?:20 working day|statutory|response) (?:clock|period|timescale|time ?limit)(?: for \w+)?"
    r" (?:will )?(?:re)?(?:start|begin|run)s?\b.{0,60}\b(?:clarification|your reply|your response"
    r"|hear from you|receive (?:this|it|the information|your))"
    r"|\b(?:once|when|after|on receipt of) (?:we (?:receive|have received|hear) )?(?:your|the)"
    r" (?:reply|response|clarification)\b.{0,40}\b(?:20 working day|statutory|response)"
    r" (?:clock|period|timescale|time ?limit) (?:will )?(?:re)?(?:start|begin|run)"
    r"|\b(?:will|shall) (?:be )?treat(?:ed)? (?:your request |it )?as withdrawn\b",
    re.I,
)


def clarification_asked(view: View) -> Hit | None:
    found = find(view, _ASK)
    return Hit(Signal.CLARIFICATION, found.quote, 0.8) if found else None


def clock_paused_for_clarification(view: View) -> Hit | None:
    found = find(view, _PAUSED)
    return Hit(Signal.CLARIFICATION, found.quote, 0.75) if found else None
