"""Separate the new text of a reply from the quoted history and the signature.

Pure. Quoted history starts at the first line where a rule in QUOTE_RULES fires;
lines starting with ">" are quoted wherever they are; a signature starts where a
rule in SIGNATURE_RULES fires. Each rule is a name, a one-line description and a
check on (lines, index), so `split_reply` can say which rule cut the text.

The sign-off ("Kind regards ... FOI team, reference NCC-049446-20") is kept in the
reply on purpose: authorities put their reference numbers there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

Check = Callable[[Sequence[str], int], bool]


@dataclass(frozen=True)
class QuoteRule:
    """A named way to recognise where quoted history or a signature begins."""

    name: str
    description: str
    check: Check


@dataclass(frozen=True)
class Split:
    """A body split into the new reply, the quoted history and the signature."""

    reply: str
    quoted: str
    signature: str
    rule: str | None  # the rule that found the start of the quoted history
    forwarded: bool = False  # the body began with a quoted header block (a forward)


def _clean(line: str) -> str:
    """A line without leading quote marks, bold markers or indentation."""
    return line.lstrip(" \t>*").rstrip()


_ORIGINAL = re.compile(r"^[-=_ ]{2,}\s*(original message|forwarded message)\s*[-=_ ]{2,}$", re.I)
_HEADER = re.compile(r"^\**(from|sent|date|to|cc|subject|reply-to)\**\s*:", re.I)
_UNDERSCORES = re.compile(r"^[_\-]{20,}$")
_ON = re.compile(r"^on\b.{4,300}\bwrote\s*:?$", re.I)
_ON_START = re.compile(r"^on\s.{4,300}$", re.I)
_WROTE_END = re.compile(r"\bwrote\s*:?$", re.I)
_SHOW_QUOTED = re.compile(r"^(show|hide) quoted sections?$", re.I)
_SIG_DASHES = re.compile(r"^--\s?$")
_SENT_FROM = re.compile(
    r"^(sent from my|get outlook for|sent from outlook|sent from mail for)\b", re.I
)
_DISCLAIMER = re.compile(
    r"^(this (e-?mail|message) (and any (files|attachments)|is (confidential|intended))"
    r"|the information (in|contained in) this (e-?mail|message)"
    r"|(e-?mail )?disclaimer\s*:|confidentiality notice)",
    re.I,
)


def _header_block(lines: Sequence[str], i: int) -> bool:
    """A quoted mail header block starts at line i: From plus two other fields within 8 lines."""
    first = _HEADER.match(_clean(lines[i]))
    if first is None:
        return False
    labels = {first.group(1).lower()}
    for line in lines[i + 1 : i + 8]:
        match = _HEADER.match(_clean(line))
        if match:
            labels.add(match.group(1).lower())
    return "from" in labels and len(labels) >= 3 and bool(labels & {"sent", "date", "subject"})


def _original_message(lines: Sequence[str], i: int) -> bool:
    return bool(_ORIGINAL.match(_clean(lines[i])))


def _underscores(lines: Sequence[str], i: int) -> bool:
    if not _UNDERSCORES.match(_clean(lines[i])):
        return False
    following = [n for n in range(i + 1, min(i + 4, len(lines))) if _clean(lines[n])]
    return bool(following) and _header_block(lines, following[0])


def _on_wrote(lines: Sequence[str], i: int) -> bool:
    line = _clean(lines[i])
    if _ON.match(line):
        return True
    return bool(
        _ON_START.match(line)
        and i + 1 < len(lines)
        and _WROTE_END.search(_clean(lines[i + 1]))
        and len(_clean(lines[i + 1])) < 200
    )


def _show_quoted(lines: Sequence[str], i: int) -> bool:
    return bool(_SHOW_QUOTED.match(_clean(lines[i])))


# Where quoted history begins. The earliest line any rule fires on wins.
QUOTE_RULES: tuple[QuoteRule, ...] = (
    # "-----Original Message-----" (Outlook, Lotus, many council systems)
    QuoteRule("original_message", "an '-----Original Message-----' separator", _original_message),
    # "________________________________" directly above a From:/Sent: block (Outlook)
    QuoteRule(
        "outlook_underscores", "an Outlook underscore line above a header block", _underscores
    ),
    # "From: FOI / Sent: 08 April 2021 / To: / Subject: ..." (Outlook, Exchange)
    QuoteRule("header_block", "a quoted From:/Sent:/To:/Subject: header block", _header_block),
    # "On 16 Mar 2021, at 10:00, Val Gillies <...> wrote:" (Gmail, Apple Mail, Thunderbird)
    QuoteRule("on_date_wrote", "an 'On <date>, <name> wrote:' attribution", _on_wrote),
    # "show quoted sections" (WhatDoTheyKnow's rendering of quoted text)
    QuoteRule(
        "show_quoted_sections", "WhatDoTheyKnow's 'show quoted sections' marker", _show_quoted
    ),
)


def _sig_dashes(lines: Sequence[str], i: int) -> bool:
    return bool(_SIG_DASHES.match(lines[i].rstrip("\n")))


def _sent_from(lines: Sequence[str], i: int) -> bool:
    return bool(_SENT_FROM.match(_clean(lines[i]))) and len(lines) - i <= 4


def _disclaimer(lines: Sequence[str], i: int) -> bool:
    before = i == 0 or not _clean(lines[i - 1])
    return before and i > 0 and bool(_DISCLAIMER.match(_clean(lines[i])))


# Where the signature begins within the new text. The earliest line wins.
SIGNATURE_RULES: tuple[QuoteRule, ...] = (
    # "-- " on its own line (RFC 3676 signature separator)
    QuoteRule("sig_dashes", "the '-- ' signature separator", _sig_dashes),
    # "Sent from my iPhone", "Get Outlook for iOS" in the last lines
    QuoteRule("sent_from_device", "a 'Sent from my ...' device footer", _sent_from),
    # "This email and any files transmitted with it are confidential ..."
    QuoteRule("disclaimer", "a confidentiality disclaimer paragraph", _disclaimer),
)


# Cheap first test on a cleaned line: no rule can fire on a line not matching these.
_QUOTE_HINT = re.compile(r"^(?:[-_=]|from|sent|date|to\b|cc|subject|reply-to|on\s|show|hide)", re.I)
_SIG_HINT = re.compile(
    r"^(?:--|sent from|get outlook|this |the information|(?:e-?mail )?disclaimer|confidential)",
    re.I,
)


def _first(
    rules: Sequence[QuoteRule], lines: Sequence[str], hint: re.Pattern[str]
) -> tuple[int, str | None]:
    for i, line in enumerate(lines):
        if not hint.match(_clean(line)):
            continue
        for rule in rules:
            if rule.check(lines, i):
                return i, rule.name
    return len(lines), None


def _join(lines: Sequence[str]) -> str:
    return "\n".join(lines).strip("\n").rstrip()


def _after_header(lines: Sequence[str], i: int) -> int:
    """The first line after a separator and/or header block starting at line i."""
    if not _HEADER.match(_clean(lines[i])):
        i += 1  # the separator or attribution line itself
    while i < len(lines) and not lines[i].strip():
        i += 1
    block_start = i
    while i < len(lines) and (
        _HEADER.match(_clean(lines[i])) or (i > block_start and lines[i][:1] in (" ", "\t"))
    ):
        i += 1
    return i


def split_reply(text: str) -> Split:
    """Split a body into new text, quoted history and signature.

    A body that starts with a quoted header block (a forwarded reply) keeps the
    forwarded message's own new text as the reply and sets ``forwarded``.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut, rule = _first(QUOTE_RULES, lines, _QUOTE_HINT)
    head: list[str] = []
    forwarded = False
    if rule is not None and not any(line.strip() for line in lines[:cut]):
        start = _after_header(lines, cut)
        if any(_HEADER.match(_clean(line)) for line in lines[cut:start]):
            forwarded = True
            head, lines = lines[:start], lines[start:]
            cut = _first(QUOTE_RULES, lines, _QUOTE_HINT)[0]
    new, history = lines[:cut], lines[cut:]
    kept = [line for line in new if not line.lstrip().startswith(">")]
    angle = [line for line in new if line.lstrip().startswith(">")]
    if angle and rule is None:
        rule = "angle_quotes"
    sig_at, _ = _first(SIGNATURE_RULES, kept, _SIG_HINT)
    return Split(
        reply=_join(kept[:sig_at]).strip(),
        quoted=_join([*head, *angle, *history]).strip(),
        signature=_join(kept[sig_at:]).strip(),
        rule=rule,
        forwarded=forwarded,
    )
