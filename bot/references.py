"""Authority reference numbers: find them in text and compare them (pure).

Authorities number requests in many shapes: ``FOI 11726``, ``reference number
10400``, ``NCC-049446-20``, ``FOI/2021/0123``, ``EIR 21/123``, ``CAS-12345-ABCDE``,
``[CASE:12345]``, ``Our ref: 2025/1234``. Three named patterns find them (a generic
FOI prefix, an authority code, a cue word such as "our ref"), and exclusions drop
what only looks like one: dates, phone numbers, money, section numbers, the year of
an Act ("FOIA 2000", "EIR 2004") and foibot's own tracking tokens.

References are compared by their *core*: upper case, letters and digits only, with
a generic prefix dropped, so "FOI 10400", "FOI-10400" and "reference number 10400"
are the same reference.

>>> [r.text for r in find_references("Our ref: FOI/2021/0123 (please quote NCC-049446-20)")]
['FOI/2021/0123', 'NCC-049446-20']
>>> normalize_reference("foi 10400") == normalize_reference("10400")
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["FoundReference", "find_references", "is_tracking_token", "normalize_reference"]

# Words that say "this is an FOI number" but are not part of the number itself.
_GENERIC = r"FOI(?:A|SA|R)?|EIRS?|RFI|FOI/EIR|EIR/FOI|ATI|IR"
_GENERIC_CORE = re.compile(r"^(?:FOISA|FOIA|FOIR|FOIEIR|EIRFOI|FOI|EIRS|EIR|RFI|ATI|IR|REF|CASE)")
_NOISE = re.compile(r"[^0-9A-Z]+")
_TOKEN = re.compile(r"^FOI-?[0-9A-F]{6}$", re.IGNORECASE)

# A number part: digit groups joined by / - . _ (e.g. 2021/0123, 049446-20, 21.123).
_NUMBER = r"\d[\d]*(?:[/._-]\d+)*(?:[/-][A-Z]{1,6}\d*)?"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "FOI 11726", "FOI/2021/0123", "EIR 21/123", "FOI request 12345", "RFI-2024-0456"
    (
        "generic_prefix",
        re.compile(
            rf"(?<![A-Za-z0-9/-])(?:{_GENERIC})"
            r"(?:[ \t]*(?:request|req|ref(?:erence)?|case|no\.?|number|#|:)){0,2}"
            rf"[ \t]*[:#/._-]?[ \t]*({_NUMBER})(?![\w/])",
            re.IGNORECASE,
        ),
    ),
    # "NCC-049446-20", "CAS-12345-ABCDE", "EDC/FOI/24/0377", "2024/FOI/555", "REQ0012345",
    # "RhG/FOI 2024-0117"
    (
        "authority_code",
        re.compile(
            r"(?<![A-Za-z0-9/£$€.-])"
            r"((?:[A-Z]{2,6}[/-]){1,2}\d{2,12}(?:[/-][A-Z0-9]{2,8})*"
            r"|\d{2,4}/[A-Z]{2,6}/\d{2,8}|\d{3,6}/20\d{2}"
            r"|[A-Z]{2,6}\d{5,12}(?:[/-][A-Z0-9]{2,8})*"
            # "RhG/FOI 2024-0117": a mixed-case authority code, an FOI word, a dated number
            r"|[A-Z][A-Za-z]{1,5}/(?:FOI|EIR|FOISA|EIRS)[ ]?\d{2,4}[/-]\d{2,8})"
            r"(?![\w/-])"
        ),
    ),
    (
        "bracketed",
        re.compile(
            r"\[(?:case|ref(?:erence)?|ticket|request|enquiry|req)[ \t]*[:#]?[ \t]*"
            r"([A-Z0-9][A-Z0-9/._-]{2,30})\]",
            re.IGNORECASE,
        ),
    ),
    # "our ref: 2025/1234", "reference number 10400", "case number: 00123456"
    (
        "cue_word",
        re.compile(
            r"(?:\bour[ \t]+ref(?:erence)?|\breference(?:[ \t]+(?:number|no\.?|is))*"
            r"|\bref(?:[ \t]*(?:no\.?|number))?[ \t]*[:.]"
            r"|\b(?:case|request|ticket|enquiry|log)[ \t]+(?:number|no\.?|ref(?:erence)?|id)"
            r"|\binformation[ \t]+request)"
            r"[ \t]*[:#.]?[ \t]*(?:is[ \t]+)?"
            r"((?:[A-Z]{1,6}[ /-]?)?\d[\dA-Z]*(?:[/._-][\dA-Z]+)*)(?![\w/])",
            re.IGNORECASE,
        ),
    ),
)

# Prefixes of the authority_code pattern that are standards, services or the NHS, not refs.
_NOT_CODES = frozenset(
    {"ISO", "BS", "EN", "IEC", "NHS", "COVID", "GDPR", "RFC", "SI", "UK", "GB", "PAS", "CVE",
     "SARS", "HTTP", "HTTPS", "ISBN", "ISSN", "DOI", "VAT", "PO", "TEL", "FAX", "MOB"}
)  # fmt: skip
# Just before a number, these say it belongs to another request than the one replied to.
_EARLIER = re.compile(
    r"(?:previous|earlier|prior|former|last|separate|other"
    r"|identical to (?:the|a)|same as (?:the|a))"
    r"\s+(?:\w+\s+){0,3}?(?:request|enquiry|case|application)[^.!?]{0,80}$"
    r"|(?:you made|you submitted|we answered|we responded to)[^.!?]{0,60}$",
    re.IGNORECASE,
)
_DATE = re.compile(r"^(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{2}|\d{4})|\d{4}[/.-]\d{1,2}[/.-]\d{1,2})$")
_YEAR = re.compile(r"^(?:19[89]\d|20[0-3]\d)$")
_PHONE = re.compile(r"^(?:0\d{9,10}|44\d{9,10})$")
_BEFORE_EXCLUDED = re.compile(
    r"(?:£|\$|€|\bs\.?|\bsection|\bsections|\breg\.?|\bregulation|\bpara(?:graph)?|\btel\.?"
    r"|\bphone|\btelephone|\bmobile|\bfax|\bpostcode)[ \t]*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FoundReference:
    """One reference as the authority wrote it, with its comparable core."""

    text: str
    normalized: str
    rule: str  # the pattern that found it
    start: int  # offset in the text searched
    earlier: bool = False  # written as another, earlier request's number ("your previous request")

    @property
    def strong(self) -> bool:
        """Long enough that two authorities are unlikely to share it by chance."""
        digits = sum(c.isdigit() for c in self.normalized)
        return digits >= 5 or (digits >= 3 and any(c.isalpha() for c in self.normalized))


def normalize_reference(reference: str) -> str:
    """Comparable core: upper case, letters and digits, generic prefix dropped.

    >>> normalize_reference("FOI/2021-0123"), normalize_reference("NCC-049446-20")
    ('20210123', 'NCC04944620')
    """
    core = _NOISE.sub("", reference.upper())
    stripped = _GENERIC_CORE.sub("", core)
    return stripped if any(c.isdigit() for c in stripped) else core


def is_tracking_token(text: str) -> bool:
    """foibot's own ``FOI-XXXXXX`` token (six hex digits, at least one a letter)."""
    token = text.strip("[] ")
    return bool(_TOKEN.match(token)) and any(c in "ABCDEF" for c in token.upper()[3:])


def find_references(text: str, limit: int = 50) -> list[FoundReference]:
    """Every reference in ``text``, in order of appearance, each core once."""
    found: dict[str, FoundReference] = {}
    spans: list[tuple[int, int]] = []
    for rule, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span(1)
            if any(s < end and start < e for s, e in spans):
                continue  # already found by an earlier, more specific pattern
            candidate = _clean(match.group(1))
            full = match.group(0).strip()
            if not _acceptable(
                rule, candidate, full, text[max(0, match.start() - 12) : match.start()]
            ):
                continue
            written = full if rule == "generic_prefix" else candidate
            earlier = bool(_EARLIER.search(text[max(0, start - 120) : start]))
            ref = FoundReference(written, normalize_reference(candidate), rule, start, earlier)
            spans.append((start, end))
            found.setdefault(ref.normalized, ref)
            if len(found) >= limit:
                break
    return sorted(found.values(), key=lambda r: r.start)


def _clean(candidate: str) -> str:
    return candidate.strip().rstrip(".-/_")


def _acceptable(rule: str, candidate: str, full: str, before: str) -> bool:
    digits = sum(c.isdigit() for c in candidate)
    if digits < 3 or is_tracking_token(full) or is_tracking_token(candidate):
        return False
    if _BEFORE_EXCLUDED.search(before) or _DATE.match(candidate):
        return False
    bare = _NOISE.sub("", candidate.upper())
    if rule == "generic_prefix" and _YEAR.match(candidate):
        return False  # "FOIA 2000", "EIR 2004": the Act, not a number
    if rule == "authority_code":
        prefix = re.match(r"[A-Z]+", candidate)
        if prefix and prefix.group(0) in _NOT_CODES:
            return False
    if rule == "cue_word":
        if bare.isdigit() and (_PHONE.match(bare) or _YEAR.match(bare)):
            return False
        if re.match(r"^[A-Z]{1,2}\d", candidate.upper()) and digits < 3:
            return False  # a postcode district
    return True
