"""The numbered questions of a request, and what a reply says about them. Pure.

Requesters number their questions ("1) Has the council ...", "2. Details of ...",
"Q3 ..."). A list is recognised only when it starts at 1 and counts up without a
gap; anything else gives no questions, and the letters then say nothing about
which questions were answered rather than guess.

>>> [q.number for q in parse_questions("Please send:\\n1) A?\\n2) B.\\n\\nThanks")]
[1, 2]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ITEM = re.compile(
    r"^[ \t]*(?:[-*•][ \t]*)?"
    r"(?:\(?(?:Q(?:uestion)?[ \t]*)?(\d{1,2})(?:[.):]|[ \t]+-)|Q(\d{1,2})\b[.:]?)"
    r"[ \t]+(?=\S)",
    re.IGNORECASE | re.MULTILINE,
)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "six": 6, "twelve": 12, "eighteen": 18,
                 "twenty-four": 24, "twenty four": 24, "24": 24}  # fmt: skip
_PERIOD = re.compile(
    r"\b(?:last|past|previous|preceding)\s+(\d{1,2}|one|two|three|six|twelve|eighteen"
    r"|twenty[- ]four)\s+(months?|years?)\b",
    re.IGNORECASE,
)
_ALREADY_LIMITED = re.compile(
    r"\b(?:within the (?:last|past)|since (?:\d|january|february|march|april|may|june|july"
    r"|august|september|october|november|december)|between \d|from \d{4}|dated|in the (?:last"
    r"|past) \d|financial years?|calendar years?|\b(?:19|20)\d\d\b)",
    re.IGNORECASE,
)
# "questions 4 to 6", "Qs. 4-6", "Q4-5", "question 3", "questions 4, 5 and 6"
_MENTION = re.compile(
    r"\b(?:questions?|qs?\.?)[ \t]*(\d{1,2})"
    r"((?:[ \t]*(?:-|–|to|and|&|,)[ \t]*(?:q[ \t]*)?\d{1,2})*)",
    re.IGNORECASE,
)
# "Please note, the timeframe for questions 4-6 is indefinite.": untrue once narrowed.
_UNLIMITED = re.compile(
    r"^[^\n]*\btime ?(?:frame|period|scale)\b[^\n]*"
    r"\b(?:indefinite|unlimited|not limited|open[- ]ended)[^\n]*\n?",
    re.IGNORECASE | re.MULTILINE,
)
_SIGN_OFF = 400  # a sign-off is within the last few lines
_GREETING = re.compile(r"\A\s*(?:dear|to|hello|hi|good (?:morning|afternoon))\b[^\n]*\n", re.I)
_CLOSING = re.compile(
    r"^[ \t]*(?:yours (?:faithfully|sincerely|truly)|kind regards|best wishes|many thanks"
    r"|with thanks|regards|best regards|thank you)\b[^\n]*$",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class Question:
    number: int
    text: str
    start: int  # the span of the text in the request body
    end: int

    @property
    def asks_for_records(self) -> bool:
        """It asks for documents ("Details of any briefing notes ..."), not a yes/no
        question: the kind a shorter period narrows."""
        return not self.text.rstrip(" *").endswith("?")

    @property
    def limited_in_time(self) -> bool:
        return bool(_ALREADY_LIMITED.search(self.text))


def parse_questions(body: str) -> tuple[Question, ...]:
    """The request's numbered questions 1..n, each with its (unwrapped) text; () if unsure."""
    items = list(_ITEM.finditer(body))
    found: list[Question] = []
    for index, item in enumerate(items):
        number = int(item.group(1) or item.group(2))
        if number != len(found) + 1:
            if found:
                break  # a second list, or a date: the first list is the request's
            continue
        stop = items[index + 1].start() if index + 1 < len(items) else len(body)
        paragraph_end = body.find("\n\n", item.end())
        end = min(stop, paragraph_end if paragraph_end >= 0 else len(body))
        text = " ".join(body[item.end() : end].split()).strip(" *")
        if not text:
            break
        found.append(Question(number, text, item.end(), end))
    return tuple(found) if len(found) >= 2 else ()


def mentioned_numbers(text: str, last: int) -> frozenset[int]:
    """Question numbers a reply answers by number: its own numbered lines, and
    "Q4-6" / "questions 4 to 6" / "questions 4, 5 and 6" (numbers above ``last`` dropped)."""
    numbers = {q.number for q in parse_questions(text)}
    for match in _MENTION.finditer(text):
        values = [int(match.group(1)), *map(int, re.findall(r"\d{1,2}", match.group(2)))]
        ranged = re.search(r"-|–|\bto\b", match.group(2) or "")
        if ranged and len(values) == 2 and values[0] < values[1]:
            values = list(range(values[0], values[1] + 1))
        numbers.update(values)
    return frozenset(n for n in numbers if 1 <= n <= last)


def unanswered(questions: tuple[Question, ...], reply: str) -> tuple[int, ...] | None:
    """The numbers of questions the reply never mentions, or None when not sure.

    Sure only when the reply answers line by line, in a numbered list of its own (then
    "Qs. 4-6" in it counts too); a reply in prose, or one that answers in an attachment
    we could not read, may answer everything without a single number.
    """
    if not questions:
        return None
    if not parse_questions(reply):
        return None  # "regarding question 2, ..." in a reply that answers the rest in prose
    mentioned = mentioned_numbers(reply, len(questions))
    return tuple(q.number for q in questions if q.number not in mentioned)


def advice_period(advice: str) -> str | None:
    """The shorter period an authority's s.16 advice suggests: "12 months", "2 years"."""
    match = _PERIOD.search(advice)
    if match is None:
        return None
    count = _NUMBER_WORDS.get(match.group(1).lower().replace("-", " "))
    number = count if count is not None else int(match.group(1))
    unit = match.group(2).lower().rstrip("s")
    return f"{number} {unit}{'' if number == 1 else 's'}"


def advice_numbers(advice: str, last: int) -> frozenset[int]:
    """The questions the advice would limit to a shorter period: those named in the
    sentence that names the period ("if you limited questions 4 to 6 to the last 12
    months"), not those of other sentences ("Questions 1 to 3 could be answered")."""
    for sentence in re.split(r"(?<=[.!?])\s+", advice):
        if _PERIOD.search(sentence):
            return mentioned_numbers(sentence, last)
    return frozenset()


def narrowed(
    body: str, questions: tuple[Question, ...], period: str, only: frozenset[int] = frozenset()
) -> tuple[str, tuple[int, ...]]:
    """The request text with "dated within the last <period>" added to each question that
    asks for records (or to the questions in ``only``), and the numbers changed.

    The greeting and the sign-off of the original are left out: the new letter has its own.
    """
    chosen = [
        q
        for q in questions
        if (q.number in only if only else q.asks_for_records) and not q.limited_in_time
    ]
    text = body
    for question in sorted(chosen, key=lambda q: q.start, reverse=True):
        original = body[question.start : question.end]
        core = original.rstrip()
        tail = original[len(core) :]
        stripped = core.rstrip(" .*")
        stars = core[len(stripped) :].replace(".", "").strip()
        text = (
            text[: question.start]
            + f"{stripped}, dated within the last {period}.{stars}{tail}"
            + text[question.end :]
        )
    if chosen:
        text = _UNLIMITED.sub("", text)
    return request_text(text), tuple(q.number for q in chosen)


def request_text(body: str) -> str:
    """The body of a request without its greeting and sign-off."""
    text = _GREETING.sub("", body.replace("\r\n", "\n"), count=1).rstrip()
    closings = [m for m in _CLOSING.finditer(text) if m.start() >= len(text) - _SIGN_OFF]
    if closings:
        text = text[: closings[0].start()]
    return text.strip()
