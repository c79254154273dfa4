"""Exemptions cited in a sentence, normalised: ``s40``, ``s12``, ``reg12(4)(b)``, ``reg13``.

FOIA and FOISA sections are kept as ``s`` + the section number (subsections dropped:
"section 40(2)" -> ``s40``); EIR and EISR regulations keep their paragraphs
("regulation 12(5)(e)" -> ``reg12(5)(e)``). Only refusal grounds count: FOIA/FOISA
s.12 (cost), s.14 (vexatious) and the exemptions of ss.21-44; EIR regs 12 and 13,
EISR regs 10 and 11. Procedural sections (s.1, s.9, s.10, s.16, s.17, s.45, s.50)
are not exemptions, nor "not held" (EIR reg 12(4)(a), EISR reg 10(4)(a)), nor a
section of another Act ("section 17 of the Children Act 1989").

>>> exemptions_in("withheld under sections 31(1)(a), 40(2) and 43(2) of the Act")
['s31', 's40', 's43']
>>> exemptions_in("the exceptions at regulations 12(4)(b) and 13 of the EIR apply")
['reg12(4)(b)', 'reg13']
"""

from __future__ import annotations

import re

_PARAS = r"(?:\s*\(\s*[0-9a-z]{1,4}\s*\))*"
_NUMBER = rf"\d{{1,2}}[A-Z]?{_PARAS}(?:\.\d+)?(?:\s*-?\s*\([A-Z][^()\d]{{2,60}}\))?"
_NOT_A_COUNT = r"(?!\s*(?:hours|working|days|weeks|months|years|%|per|pounds|members|staff))"
_PREFIX = r"(?:(?:s|ss|sections?|reg(?:ulations?)?)\.?\s*)?"
_MORE = rf"(?:\s*(?:,|and|&|or|/)\s*{_PREFIX}{_NUMBER}{_NOT_A_COUNT})*"
_SECTION = re.compile(
    rf"(?:\bsections?|\bss?\.|\bs(?=\d)|§)\s*(?P<first>{_NUMBER}){_NOT_A_COUNT}(?P<more>{_MORE})",
    re.I,
)
_REGULATION = re.compile(
    rf"\b(?:regulations?|regs?\.?|r\.)\s*(?P<first>{_NUMBER}){_NOT_A_COUNT}(?P<more>{_MORE})",
    re.I,
)
_ITEM = re.compile(rf"{_NUMBER}", re.I)
_OTHER_ACT = re.compile(
    r"\s*(?:of|under|in)\s+(?:the\s+)?(?P<act>[A-Z][\w'() ]{1,60}?)\s+(?:Act|Regulations|Order)\b"
)
_OUR_ACTS = re.compile(r"freedom of information|environmental information", re.I)
_CONTEXT = re.compile(
    r"exempt|exception|withh[eo]ld|refus|redact|engag|rel(?:y|ied|ying|iance)\b|\bappl(?:y|ies|ied)"
    r"|public interest|prejudice|not (?:obliged|required) to|neither confirm nor deny"
    r"|appropriate limit|cost limit|vexatious|repeated|reasonably accessible|future publication"
    r"|personal (?:data|information)|commercial|confiden|\bunder (?:section|regulation|s\.|reg)"
    r"|\b(?:of|under) (?:the )?(?:FOIA|FOISA|EIRs?|EISRs?|Act|Regulations|Freedom of Information)",
    re.I,
)
_FOI_SECTIONS = frozenset({"12", "14", *(str(n) for n in range(21, 45)), "22A"})
# FOISA's refusal grounds are ss.12, 14 and 25-41; its s.21 is the review procedure
# ("in terms of section 21(4)(b) of FOISA, the panel has decided to substitute ...").
_FOISA_SECTIONS = frozenset({"12", "14", *(str(n) for n in range(25, 42))})
_SCOTTISH = re.compile(r"\bFOISA\b|\(Scotland\)", re.I)
# Just before a citation: the exemption is not (or no longer) relied on.
_NOT_RELIED = re.compile(
    r"\b(?:without (?:\w+ ){0,3}(?:rely|relying|reliance|apply|applying|engaging|citing)"
    r"|(?:not|n't|no longer) (?:\w+ ){0,2}(?:rely|relying|relied|apply|applying|applied|engage"
    r"|engaging|cite|citing))(?: on| upon)?(?: the)?"
    r"(?: (?:exemptions?|exceptions?) (?:at|in|under))?\W*$",
    re.I,
)
# The exemption is being considered, not applied (an extension's s.17(2) notice).
CONSIDERING = re.compile(
    r"\b(?:are|am|is) (?:still |currently |now )?(?:considering|assessing|deciding|determining)"
    r" whether\b|\bneed(?:s)? (?:more |further |additional )?(?:time )?to (?:consider|assess"
    r"|decide|determine) whether\b|\b(?:is|are) being considered\b"
    r"|\b(?:may|might|could) (?:be )?(?:exempt|apply|be engaged|be withheld)\b",
    re.I,
)
NOT_HELD_CITED = re.compile(
    r"\bs(?:ection)?\.?\s*1\s*\(\s*1\s*\)\s*\(\s*a\s*\)"
    r"|\breg(?:ulation)?s?\.?\s*(?:12\s*\(\s*4\s*\)"
    r"|10\s*\(\s*4\s*\))\s*\(\s*a\s*\)",
    re.I,
)


def _section(item: str, scottish: bool = False) -> str | None:
    number = re.match(r"\d{1,2}[A-Z]?", item.strip(), re.I)
    if number is None:
        return None
    value = number.group(0).upper()
    return f"s{value}" if value in (_FOISA_SECTIONS if scottish else _FOI_SECTIONS) else None


def _regulation(item: str) -> str | None:
    clean = re.sub(r"\s+", "", item).lower().split(".")[0]
    number = re.match(r"\d+", clean)
    if number is None or number.group(0) not in ("10", "11", "12", "13"):
        return None
    paras = re.findall(r"\(([0-9a-z]+)\)", clean)[:2]
    if number.group(0) in ("12", "10") and paras[:2] == ["4", "a"]:
        return None  # not held: an outcome, not an exemption
    if number.group(0) in ("12", "10") and not paras:
        return None  # "regulation 12" alone names no exception
    return "reg" + number.group(0) + "".join(f"({p})" for p in paras)


def other_act(text: str, end: int) -> bool:
    """What follows ``end`` names another Act or Regulations ("of the Children Act 1989",
    "of the Fees Regulations"), not FOIA or the EIR."""
    match = _OTHER_ACT.match(text, end)
    return bool(match and not _OUR_ACTS.search(match.group("act")))


_REPRESENTATIONS = re.compile(r"reconsider|representation|review", re.I)


def exemptions_in(sentence: str, *, listed: bool = False) -> list[str]:
    """Exemptions cited in ``sentence``, in order, each once; [] without refusal context.

    ``listed``: the sentence is an item of a list introduced as exemptions ("by virtue
    of the following exemptions:"), so the context is already given.
    """
    if not (listed or _CONTEXT.search(sentence)):
        return []
    found: list[str] = []
    scottish = bool(_SCOTTISH.search(sentence))
    for pattern, normal in ((_SECTION, _section), (_REGULATION, _regulation)):
        for match in pattern.finditer(sentence):
            if other_act(sentence, match.end()):
                continue
            if _NOT_RELIED.search(sentence[max(0, match.start() - 60) : match.start()]):
                continue  # "without needing to rely on section 31(3)"
            items = [match.group("first"), *_ITEM.findall(match.group("more"))]
            for item in items:
                value = _section(item, scottish) if normal is _section else normal(item)
                if value == "reg11" and _REPRESENTATIONS.search(sentence):
                    continue  # EIR reg 11: representations, not EISR reg 11 (personal data)
                if value and value not in found:
                    found.append(value)
    return found


def under_consideration(sentence: str, start: int = 10**9) -> bool:
    """Before ``start``, the sentence says exemptions are being considered, not applied:
    "we are considering whether sections 31 and 38 apply", "may be exempt under s.43"."""
    return any(m.start() < start for m in CONSIDERING.finditer(sentence))


def cites_not_held(sentence: str) -> bool:
    """FOIA s.1(1)(a), EIR reg 12(4)(a) or EISR reg 10(4)(a): the information is not held."""
    return bool(NOT_HELD_CITED.search(sentence))
