"""What rules read: the message cut into sentences, and phrase search with filters.

Only the new reply text and the attachments' text are content. The quoted history
(our own request, which names s.12 and s.16) is never read. Two filters keep
statements that are not decisions from firing a rule:

- *hedged*: a conditional or a possibility before the phrase in the same sentence
  ("If we need clarification ...", "a fee may be charged", "If it is not possible to
  provide the information due to the cost limit in s.12 ...");
- *past*: the sentence is about an earlier request ("our last response to a previous
  iteration of this FOI ... would take more than 18 hours").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache

from bot.classify.gate import Gate, required
from bot.deadlines import london_date
from bot.parse import Email

# Only the start of very long texts is read: decisions are stated early, and every rule is
# linear in the text (about 0.15 s per megabyte each).
_MAX_BODY_CHARS = 200_000
_MAX_ATTACHMENT_CHARS = 60_000  # each
_MAX_ATTACHMENTS_CHARS = 300_000  # all together
_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
    "\u2212": "-", "\xa0": " ", "\u202f": " ", "\u2009": " ", "\t": " ", "\u00ad": None,
    "\u200b": None, "\ufeff": None,
})  # fmt: skip
# "s. 12", "reg. 7", "Qs. 4-6": keep the abbreviation's full stop from ending a sentence.
_ABBREVIATION = re.compile(r"\b(s|ss|reg|regs|no|nos|para|paras|q|qs|sec|art)\.\s+(?=\d)", re.I)
_ABBREVIATION_HINT = re.compile(r"\.\s+\d")  # in every match of _ABBREVIATION
_BREAK = re.compile(
    r"(?<=[.!?;])(?<!^\d\.)(?<!^\d\d\.)(?<!^Q\d\.)(?<!^Q\d\d\.)(?<!^[a-hA-H]\.)"
    r"\s+(?=[A-Z0-9(\"'\[])"  # end of a sentence (not after "1." or "Q4." opening a line)
    r"|\n[ ]*\n\s*"  # a blank line
    r"|\n(?=[ ]*(?:\(?\d{1,2}[.)]\s|\(?[a-hA-H][.)]\s|[-•*·>]\s|Q\d|Question\s+\d"
    r"|Answer|Response))",  # a list item or an answer label on a new line
    re.M,
)
_CELL = re.compile(r"(?<=\S) {3,}(?=\S)")
HEDGE = re.compile(
    r"\b(?:if|unless|whether|where|should(?= (?:we|you|it|the|this|there|your|any)\b)|in the event"
    r"|in (?:some|certain|most|rare) cases|may|might|possibly|potentially|sometimes"
    r"|occasionally|would need to|any (?:such )?(?:fee|charge|clarification|extension))\b",
    re.I,
)
# A decision stated in the sentence outweighs a condition before it: "Where fewer than
# five cases occurred, the information is withheld under s.38(1)(b)" is a refusal.
_DECIDED = re.compile(
    r"\b(?:is|are|has been|have been|was|were|will be) (?:being |therefore )?(?:withheld|refused"
    r"|exempt|redacted|not (?:being )?(?:disclosed|provided|released))\b"
    r"|\b(?:we|I) (?:are|am|have|will) (?:therefore )?(?:withh|refus|apply|applied|applying|rely"
    r"|relied|relying|not (?:be )?(?:provid|disclos|releas))",
    re.I,
)
# "whether" opens an indirect question that ends with its clause: in "we are considering
# whether s.31 applies, and we estimate that we will need a further 20 working days" the
# estimate is not in doubt (a condition, "if ..., and we will ...", reaches further).
_CLAUSE = re.compile(r";|,\s+(?:and|but|so)\s+(?:we|I|it|this|the|our)\b", re.I)
_REPEAT = re.compile(r"\brepeat", re.I)
_WHETHER = re.compile(r"\bwhether\b", re.I)
_PAST = re.compile(
    r"\b(?:previous|earlier|prior|last) (?:request|response|iteration|foi|reply|submission"
    r"|correspondence)\b|\boriginal request\b|\bhad (?:been )?(?:refused|declined)\b",
    re.I,
)


def normalise(text: str) -> str:
    """Straight quotes, plain dashes and spaces; abbreviations kept with their numbers."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_TRANSLATE)
    if not _ABBREVIATION_HINT.search(text):
        return text  # no "." with a number after it: nothing to do (a cheap first look)
    return _ABBREVIATION.sub(lambda m: m.group(1) + ".", text)


@dataclass(frozen=True)
class Sentence:
    where: str  # "body", "subject" or "attachment NAME"
    text: str  # whitespace collapsed


@dataclass(frozen=True)
class Found:
    """A phrase found in a sentence."""

    sentence: Sentence
    match: re.Match[str]

    @property
    def quote(self) -> str:
        """The sentence (or a window of it around the phrase), quoted, with its place."""
        text, start, end = self.sentence.text, self.match.start(), self.match.end()
        if len(text) > 180:
            left, right = max(0, start - 70), min(len(text), end + 90)
            text = ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")
        return f'"{text}" ({self.sentence.where})'


def split_sentences(text: str, where: str) -> list[Sentence]:
    out = []
    for piece in _BREAK.split(text):
        clean = " ".join(piece.split())  # whitespace (re's \s) collapsed
        if clean:
            out.append(Sentence(where, clean))
    return out


@dataclass(frozen=True)
class View:
    """The classifier's view of one Email."""

    email: Email
    subject: str
    headers: Mapping[str, str]  # lower-case names, first occurrence
    body: str  # the new reply text (normalised)
    attachments: tuple[tuple[str, str], ...]  # (filename, normalised text)
    sentences: tuple[Sentence, ...]  # of the body, then each attachment
    received: dt.date | None  # London date of the message, for dates without a year

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.attachments) + tuple(
            a.filename for a in self.email.attachments if a.text is None
        )

    @cached_property
    def gate(self) -> Gate:
        """Which sentences contain which literals (see ``sentences_for``)."""
        return Gate([s.text for s in self.sentences])

    @cached_property
    def all_text(self) -> str:
        """Every sentence, joined by newlines."""
        return "\n".join(s.text for s in self.sentences)

    def sentences_for(self, pattern: re.Pattern[str]) -> list[Sentence]:
        """The sentences ``pattern`` could match, in order: the others cannot (they lack
        every literal the pattern needs, see ``bot.classify.gate``), so need no search."""
        if required(pattern) is None:
            if _prefilter_ok(pattern) and pattern.search(self.all_text) is None:
                return []  # no sentence can match what the whole text does not
            return list(self.sentences)
        return [self.sentences[index] for index in self.gate.candidates(pattern)]

    def lines(self) -> Iterator[tuple[str, str]]:
        """(where, line) of the body and the attachments; table cells (an HTML table
        rendered as text columns, 3+ spaces apart) are lines of their own."""
        for where, text in (("body", self.body), *self.attachments):
            for line in text.split("\n"):
                for cell in _CELL.split(line):
                    if cell.strip():
                        yield where, " ".join(cell.split())


def _content_attachment(content_type: str, parent: str | None) -> bool:
    """Attachments whose text is the authority's: not returned or forwarded messages."""
    ctype = content_type.lower()
    return not (ctype.startswith("message/") or ctype == "text/rfc822-headers" or parent)


def view_of(email: Email) -> View:
    body = email.reply_text
    if not body.strip() and email.quote_rule is None:
        body = email.text
    body = normalise(body[:_MAX_BODY_CHARS])
    attachments: list[tuple[str, str]] = []
    room = _MAX_ATTACHMENTS_CHARS
    for a in email.attachments:
        if a.text and room > 0 and _content_attachment(a.content_type, a.parent):
            text = a.text[: min(_MAX_ATTACHMENT_CHARS, room)]
            room -= len(text)
            attachments.append((a.filename, normalise(text)))
    sentences = split_sentences(body, "body")
    for name, text in attachments:
        sentences += split_sentences(text, f"attachment {name}")
    return View(
        email=email,
        subject=normalise(email.subject),
        headers={k.lower(): v for k, v in email.headers.items()},
        body=body,
        attachments=tuple(attachments),
        sentences=tuple(sentences),
        received=london_date(email.date) if email.date else None,
    )


def hedged(sentence: str, start: int, hedge: re.Pattern[str] = HEDGE) -> bool:
    """A condition or a possibility comes before position ``start`` of the sentence."""
    return any(_reaches(sentence, m, start) for m in hedge.finditer(sentence))


def _reaches(sentence: str, hedge: re.Match[str], start: int) -> bool:
    """The hedge comes before ``start`` (a "whether" only within its own clause)."""
    if hedge.start() >= start:
        return False
    return not (_WHETHER.fullmatch(hedge.group(0)) and _CLAUSE.search(sentence, hedge.end(), start))


def hedged_decision(sentence: str, start: int) -> bool:
    """For refusal wording: hedged, and no decision stated in the sentence. "whether" is
    not a hedge here ("we neither confirm nor deny whether ... by virtue of s.30(3)")."""
    hedges = (m for m in HEDGE.finditer(sentence) if not _WHETHER.fullmatch(m.group(0)))
    return any(_reaches(sentence, m, start) for m in hedges) and not _DECIDED.search(sentence)


@lru_cache(maxsize=8192)  # asked for every sentence by each of ~30 rules
def about_the_past(sentence: str) -> bool:
    """The sentence is about an earlier request or response (but a refusal of a repeated
    request, s.14(2), names the earlier request as its ground)."""
    return bool(_PAST.search(sentence)) and not _REPEAT.search(sentence)


def find_all(
    view: View,
    pattern: re.Pattern[str],
    *,
    hedge: bool | re.Pattern[str] = True,
    past: bool = True,
) -> Iterator[Found]:
    """Every sentence of the content where ``pattern`` matches and the filters allow it.

    ``hedge`` drops hedged matches (True: the HEDGE words; or a pattern of one's own);
    ``past=True`` drops sentences about an earlier request.
    """
    words = HEDGE if hedge is True else hedge or None
    for sentence in view.sentences_for(pattern):
        if past and about_the_past(sentence.text):
            continue
        for match in pattern.finditer(sentence.text):
            if words is not None and hedged(sentence.text, match.start(), words):
                continue
            yield Found(sentence, match)
            break


@lru_cache(maxsize=512)
def _prefilter_ok(pattern: re.Pattern[str]) -> bool:
    """A match inside one sentence is also a match in all the text joined by newlines (no
    anchors or look-arounds that could depend on where the sentence starts or ends; a
    ``\\b`` still holds next to the newline)."""
    return not any(token in pattern.pattern for token in ("^", "$", "(?<", "(?=", "(?!"))


def find(
    view: View,
    pattern: re.Pattern[str],
    *,
    hedge: bool | re.Pattern[str] = True,
    past: bool = True,
) -> Found | None:
    """The first sentence ``find_all`` would give, or None."""
    return next(find_all(view, pattern, hedge=hedge, past=past), None)


def in_subject(view: View, pattern: re.Pattern[str]) -> Found | None:
    match = pattern.search(view.subject)
    return Found(Sentence("subject", view.subject), match) if match else None
