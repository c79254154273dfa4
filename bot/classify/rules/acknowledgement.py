"""Acknowledgements: the request was received, given a reference, and the clock stated.

These are not hedge-filtered: "If you are requesting information under the Freedom
of Information Act ... there is a 20 working day statutory timescale" (Trafford's
auto-acknowledgement) is still a statement of the clock.
"""

from __future__ import annotations

import re

from bot.classify.dates import first_date
from bot.classify.text import View, find, find_all
from bot.classify.values import Hit, Signal

_FOI = (
    r"(?:freedom of information|FOI|FOIA|FOISA|EIRs?|EISRs?|environmental information"
    r"|information|access to information)"
)
_RECEIPT = re.compile(
    rf"\b(?:have|has) (?:now )?received your (?:{_FOI} )?(?:request|application)\b"
    rf"|\b(?:acknowledge|confirm) (?:the )?receipt of your (?:e-?mail|letter|{_FOI} )?"
    rf"(?:request|application|e-?mail|letter)"
    rf"|\bthis (?:e-?mail |message )?is (?:an|to) acknowledge"
    rf"|\byour (?:{_FOI} )?(?:request|enquiry|application)(?: for information)?"
    rf"(?: (?:dated|of|received on) [^,.]{{1,30}})?,? (?:has been|was|is being|will be)"
    rf" (?:received|logged|registered|recorded|allocated|passed|forwarded|assigned)"
    rf"|\b(?:received|receipt of) your (?:e-?mail|letter|enquiry)\b.{{0,60}}\b(?:request"
    rf"|freedom of information|FOI|EIR)\b"
    rf"|\bthank you for your (?:{_FOI} )?request(?: for information)?[,.;]? which (?:we|was)"
    rf" received\b",
    re.I,
)
_REFERENCE = re.compile(
    r"\b(?:given|assigned|allocated|logged (?:under|with)|registered (?:under|with)|recorded"
    r" under) (?:the |a )?(?:unique )?(?:reference|case|ref)\b"
    r"|\byour (?:request|enquiry|case)(?:'s)? (?:reference|ref)(?: number)?\b"
    r"|\bquote (?:this|the|your|our)(?: above)? (?:reference|case|ref)"
    r"|\byour reference (?:number )?is\b",
    re.I,
)
_CLOCK = re.compile(
    r"\b(?:20|twenty) working days?\b"
    r"|\bwithin the statutory (?:time ?(?:limit|scale|frame)|deadline|period)"
    r"|\b(?:will|shall|aims? to|intends? to|endeavours? to|expects? to|hopes? to)(?: (?:aim"
    r"|endeavour|try)"
    r" to)? (?:respond|reply|provide (?:you with )?(?:a|our|the|your) (?:full )?(?:response|reply)"
    r"|send (?:you )?(?:a|our|the) (?:full )?(?:response|reply))\b.{0,40}?\b(?:by|no later than"
    r"|on or before)\b"
    r"|\b(?:response|reply) (?:is |will be )?due (?:by|on)\b"
    r"|\byou (?:should|will|can expect to) (?:therefore |then |now )?receive (?:a|our|the|your)"
    r" (?:full )?(?:response|reply)"
    r"|\b(?:a|our|the|your) (?:full |final )?(?:response|reply) will be (?:sent|provided|issued)"
    r"(?: to you)? (?:by|no later than|on or before)\b",
    re.I,
)


def receipt_acknowledged(view: View) -> Hit | None:
    found = find(view, _RECEIPT, hedge=False)
    return Hit(Signal.ACKNOWLEDGEMENT, found.quote, 0.75) if found else None


def reference_assigned(view: View) -> Hit | None:
    found = find(view, _REFERENCE, hedge=False)
    return Hit(Signal.REFERENCE_GIVEN, found.quote, 0.7) if found else None


def statutory_clock(view: View) -> Hit | None:
    """The first statement of the clock that gives a date, else the first statement."""
    first = None
    for found in find_all(view, _CLOCK, hedge=False):
        when = first_date(found.sentence.text, view.received, found.match.start())
        if when is not None:
            return Hit(Signal.ACKNOWLEDGEMENT, found.quote, 0.7,
                       dates=(("respond_by", when.isoformat()),))  # fmt: skip
        first = first or found
    return Hit(Signal.ACKNOWLEDGEMENT, first.quote, 0.7) if first else None
