"""Responses: a reply that delivers the authority's answer, and signs that information was given.

Information given is any of: a sentence saying so ("Please find attached the
information you requested"), per-question answers ("No", "None in existence",
"N/A", "3", "£12,400"), figures in sentences ("There were 42 referrals"), data
attachments (spreadsheets). A sentence that also refuses or says "not held" is
not information given.
"""

from __future__ import annotations

import re

from bot.classify.rules.scope import NOT_HELD, REFUSED
from bot.classify.text import View, find_all
from bot.classify.values import Hit, Signal

_WHO = r"(?:our|my|the (?:council|trust|force|department|authority|university|board|college)'?s?)"
_DELIVERED = re.compile(
    r"\bin response to your (?:recent )?(?:freedom of information |FOI |FOISA |EIR |information"
    r" |environmental information )?(?:request|questions|e-?mail|enquiry|application)"
    r"|\bplease find (?:attached|enclosed|below|herewith)? ?(?:the |a |our |my )?(?:full )?"
    r"(?:response|reply|answers?|decision)\b"
    rf"|\b{_WHO} (?:full |formal )?response\b(?: to your (?:request|questions))?,? (?:is |are )?"
    r"(?:can be found|follows|set out|shown|below|as follows|attached|provided|enclosed)"
    r"|\b(?:your|this) request has (?:now )?been (?:considered|processed|dealt with|completed)"
    r"|\b(?:I am|I'm|we are) (?:now )?(?:writing|pleased|in a position) (?:in response|to respond"
    r"|to provide|to (?:send|give) you)|\bresponse to your (?:request|questions)\b"
    r"|^(?:answer|response|reply|our response|council response|trust response)s?\s*(?:[:\-]|$)",
    re.I,
)
_DISCLOSED = re.compile(
    r"\bplease (?:find|see) (?:attached|enclosed|below|herewith)?,? ?(?:the |a |our |copies of "
    r"|a copy"
    r" of )?(?:requested |relevant )?(?:information|data|details|figures|documents?|copies|copy"
    r"|spreadsheet|list|breakdown|table|reports?|minutes|policy|policies|contracts?|answers?"
    r"|papers|records|correspondence|e-?mails|plans|drawings|files|agendas?|statistics"
    r"|[\w\- ]{0,40}(?:papers|report|minutes|data|figures|policy|plans|records|statistics))"
    r"|\b(?:the )?information (?:you (?:have )?requested|requested|you asked for|you seek)"
    r" (?:is|has been|can be found|are) (?:attached|enclosed|provided|set out|below|as follows"
    r"|available|published)"
    r"|\b(?:we are|I am|we're|I'm) (?:now |pleased to be |pleased |happy to be |happy )?(?:able )?"
    r"(?:to )?(?:provide|disclose|release|supply|share|confirm the following)\b"
    r"|\b(?:we|I) (?:have )?(?:now )?(?:provided|disclosed|released|supplied|attached)"
    r" (?:the|this|a|all|below|copies)\b"
    r"|\b(?:I|we) (?:attach|enclose|have attached|have enclosed|am attaching|are attaching)\b"
    r"(?! (?:our|the|a|my) (?:response|refusal|decision|letter|reply|fees? notice))"
    r"|\b(?:is|are) (?:attached|enclosed)(?: to this (?:e-?mail|letter))?\b"
    r"|\bsee (?:the )?attached (?!letter|response|reply|refusal|notice|decision)"
    r"|\b(?:is|are|has been|have been|can be|will be|can now be) (?:provided|released|disclosed)"
    r"(?: in full| below| above)?\b"
    r"|\b(?:is|are) (?:set out|shown|given|listed|provided|included) (?:below|above|in the table)\b"
    r"|\b(?:details|information|data|figures|answers?|responses?"
    r"|the answers?) (?:to your questions )?"
    r"(?:is|are) (?:as follows|provided below|set out below|shown below|below|attached"
    r"|in the table)"
    r"|\b(?:can be found|is available|is published|are published|are available) (?:at|on|via|in)"
    r" (?:our website|the (?:following|link)|https?://|the attached)"
    r"|\b(?:can be found|is|are)(?: available| published)? (?:at|on|via) (?:our|the(?: \w+'s)?)"
    r" website",
    re.I,
)
_ANSWER = re.compile(
    r"^(?:(?:\(?\d{1,2}[.):]|Q\d{1,2}[.):]?|\(?[a-h][.)]|A\d*[.:]|answer\s*\d*\s*[:.\-]"
    r"|response\s*[:.\-])\s*){0,2}(?:yes|no|none|nil|n/?a|zero|not applicable"
    r"|\d[\d,.]*%?(?![.)]\s|[.)]$)"
    r"|£\s?\d[\d,.]*[km]?)(?:\b|$)(?!\.? ?of\b).{0,90}$",
    re.I,
)
# "2. How many drones does the force own? 11." - question and answer on one line
_AFTER_QUESTION = re.compile(r"\?\s+(?:yes|no|none|nil|n/?a|zero|\d[\d,.]*|£\s?\d)\b", re.I)
_LABELLED = re.compile(r"^(?:answer|response|A\d*)\s*[:.\-]\s*\S+(?:\s+\S+){2,}", re.I)
_FIGURES = re.compile(
    r"\bthere (?:were|was|are|is|have been|has been) (?:a total of |approximately |around |about"
    r" |only )?\d[\d,]*\b"
    r"|\b(?:a )?total of \d[\d,]*\b|\btotal(?:led)? £\s?\d|\b(?:is|are|was|were|of) £\s?\d"
    r"|\w: £\s?\d"
    r"|\b(?:cost|spend|spent|expenditure|amount|figure|number|budget)\b.{0,40}\b(?:was|is|were"
    r"|came to|amounted to|totalled|of)\s+(?:£\s?)?\d[\d,]*"
    r"|\b\d[\d,]* (?:cases|incidents|referrals|complaints|children|pupils|patients|members of staff"
    r"|staff|officers|employees|vehicles|contracts|requests|assessments|applications|offences"
    r"|arrests|claims|beds|posts|licences|schools|properties|households|families)\b",
    re.I,
)
_COST_TALK = re.compile(r"appropriate limit|cost limit|per hour|\bhours\b|£\s?(?:450|600)\b", re.I)
_DATA_FILE = re.compile(r"\.(?:xlsx?|csv|ods)$", re.I)
_DATA_NAME = re.compile(
    r"disclos|\bdata\b|information|appendix|annex|dataset|spreadsheet|figures|breakdown|minutes"
    r"|policy|contract|schedule|report",
    re.I,
)
# "we are not yet in a position to provide our response to your request": not a response
_NOT_YET = re.compile(
    r"\bnot (?:yet )?(?:in a position|able|ready) to (?:provide|send|issue|give|respond)"
    r"|\b(?:unable|not able) to (?:provide|send) (?:you (?:with )?)?(?:a|our|the|your) (?:full )?"
    r"(?:response|reply)",
    re.I,
)
_RESPONSE_NAME = re.compile(r"respon|reply|decision|outcome|answer|letter", re.I)


def _given(sentence: str) -> bool:
    return not (NOT_HELD.search(sentence) or REFUSED.search(sentence))


def _answer(line: str) -> bool:
    """A line that answers: a short answer or a labelled one, or "question? answer"."""
    shaped = bool(_ANSWER.match(line) or _LABELLED.match(line)) and not line.endswith("?")
    return (shaped or bool(_AFTER_QUESTION.search(line))) and _given(line)


def response_delivered(view: View) -> Hit | None:
    for found in find_all(view, _DELIVERED):
        if not _NOT_YET.search(found.sentence.text):
            return Hit(Signal.RESPONSE, found.quote, 0.75)
    return None


def information_disclosed(view: View) -> Hit | None:
    for found in find_all(view, _DISCLOSED):
        if _given(found.sentence.text):
            return Hit(Signal.DISCLOSED, found.quote, 0.8)
    return None


def answers_given(view: View) -> Hit | None:
    answers = [(where, line) for where, line in view.lines() if _answer(line)]
    if len(answers) < 2:
        return None
    shown = "; ".join(f'"{line[:40]}"' for _, line in answers[:4])
    return Hit(Signal.DISCLOSED, f"{len(answers)} answers: {shown} ({answers[0][0]})",
               0.8 if len(answers) >= 4 else 0.7)  # fmt: skip


def figures_given(view: View) -> Hit | None:
    for found in find_all(view, _FIGURES):
        text = found.sentence.text
        if _given(text) and not _COST_TALK.search(text) and not text.endswith("?"):
            return Hit(Signal.DISCLOSED, found.quote, 0.5)
    return None


def attachment_names(view: View) -> Hit | None:
    """What the attachments' names say: data, a response letter, "not held", "refusal"."""
    for name in view.names:
        low = name.lower()
        if "not held" in low or "not_held" in low or "nil return" in low:
            return Hit(Signal.NOT_HELD, f"attachment {name!r}", 0.75)
        if "refusal" in low or "exempt" in low:
            return Hit(Signal.WITHHELD, f"attachment {name!r}", 0.7)
    for name in view.names:
        if _DATA_FILE.search(name) or _DATA_NAME.search(name):
            return Hit(Signal.DISCLOSED, f"data attachment {name!r}", 0.75)
    for name in view.names:
        if _RESPONSE_NAME.search(name):
            return Hit(Signal.RESPONSE, f"response attachment {name!r}", 0.7)
    return None
