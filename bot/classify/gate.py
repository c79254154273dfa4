"""Literal gates: which sentences a rule's pattern could possibly match, found cheaply.

Most of the ~35 rule patterns match nothing in most messages, and running each one
over every sentence was most of the cost of classifying. Every match of a pattern
such as ``\\b(?:is|are|was|were) not held\\b|\\bnone held\\b`` contains certain
literal text ("held" as a whole word); a sentence without it cannot match, so it is
not searched. ``required`` reads what a pattern needs off its syntax tree; a ``Gate``
tells which sentences of a message have it.

The gate never changes an answer, it only skips searches that would find nothing:

- literals are taken from the parts of a pattern every match consumes (never from an
  optional part or a look-around); an alternation needs one alternative's literals;
- all is looked for in *folded* text: lower case, with the three characters that
  ``re.IGNORECASE`` matches to an ASCII letter but ``str.lower`` does not (İ, ı, ſ)
  mapped to that letter; literals are ASCII (or £ € §, which only match themselves);
- a word of a literal between two boundaries (``\\b``, a space) is a whole word of
  the text; one at an open end of the literal is only the start or end of a word;
- a pattern with nothing known (``required`` gives None) is searched everywhere.

``re._parser`` is the standard library's own regex parser; should it change, or a
pattern use something not understood here, ``required`` gives None: slower, never
wrong. tests/classify/test_gate.py checks every rule pattern's requirement against
the fixtures' sentences and that every pattern has one.
"""

from __future__ import annotations

import bisect
import importlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

Literals = tuple[str, ...]  # one of these strings is in the text
Term = tuple[Literals, ...]  # each of these sets has one string in the text
# How to look for a literal: by a whole word of it (WORD), a word of it that touches
# one boundary, so begins or ends a word of the text (START, END), or as it is (PART).
WORD, START, END, PART = 0, 1, 2, 3
Probe = tuple[int, str]

_EDGE = "\x00"  # in a literal: a word boundary (\\b, ^, $) was there
_WORD = re.compile(r"\w+")
_IS_WORD = re.compile(r"\w")
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})
_SPACES = str.maketrans({chr(c): " " for c in range(128) if not _IS_WORD.match(chr(c))})
_ENDS = (3, 6)  # the words' starts and ends indexed: their first (last) 3 and 6 letters
# Non-ASCII characters that only match themselves, with or without re.IGNORECASE.
_UNCASED = frozenset("£€§")
_MAX_CHOICES = 32  # strings a run with small alternations ("(?:was|were) not") may expand to
_MAX_TERMS = 64  # terms a sequence may multiply into
_MAX_ALTERNATIVES = 256  # terms an alternation may list
_MAX_SETS = 3  # sets kept per term: the strongest
_GOOD = 4  # a probe this long (a common word counts as 1) narrows the search well
# Words so common in FOI letters that looking for them hardly narrows anything down.
_COMMON = frozenset({
    "a", "all", "an", "and", "any", "are", "as", "at", "be", "been", "being", "by", "can",
    "could", "did", "do", "does", "for", "from", "had", "has", "have", "i", "if", "in",
    "information", "is", "it", "may", "me", "my", "no", "not", "now", "of", "on", "or", "our",
    "please", "request", "requested", "s", "should", "so", "that", "the", "their", "there",
    "these", "they", "this", "to", "under", "us", "was", "we", "were", "which", "will", "with",
    "would", "you", "your",
})  # fmt: skip


def fold(text: str) -> str:
    """Lower case for matching the literals; the same length as ``text``."""
    if "\u0130" in text or "\u0131" in text or "\u017f" in text:
        text = text.translate(_FOLD)
    return text.lower()


@dataclass(frozen=True, eq=False)  # compared (and cached) by identity
class Needs:
    """One of a set of probes, ready to look for in a text: in its index (see
    ``tokens``), a probe of one token (``tokens``) or of several, all of which are
    there (``groups``), else as a string (``parts``); in a sentence, every probe as a
    string (``keys``)."""

    tokens: frozenset[str]
    groups: tuple[frozenset[str], ...]
    parts: tuple[str, ...]
    keys: tuple[str, ...]

    @classmethod
    def of(cls, probes: Iterable[Probe]) -> Needs:
        tokens: set[str] = set()
        groups: set[frozenset[str]] = set()
        parts: set[str] = set()
        keys: set[str] = set()
        for how, key in probes:
            keys.add(key)
            found = _tokens_of(how, key)
            if len(found) == 1:
                tokens.update(found)
            elif found:
                groups.add(found)
            else:
                parts.add(key)
        return cls(frozenset(tokens), tuple(sorted(groups, key=sorted)), tuple(sorted(parts)),
                   tuple(sorted(keys)))  # fmt: skip


@dataclass(frozen=True)
class Requirement:
    """What every match of a pattern contains: for some term, one probe of each set.

    ``quick`` tests the whole text first: each term's strongest set merged, so when
    none of it is there, no term holds.
    """

    terms: tuple[tuple[Needs, ...], ...]
    quick: Needs


@lru_cache(maxsize=512)
def required(pattern: re.Pattern[str]) -> Requirement | None:
    """What every match of ``pattern`` contains (None: nothing known, search everywhere)."""
    if pattern.flags & re.VERBOSE:
        return None  # not worth the care: no rule pattern is verbose
    try:
        parser: Any = importlib.import_module("re._parser")  # the parser behind re.compile
        tree = parser.parse(pattern.pattern, pattern.flags)
        terms = _Reader(parser, edges=not pattern.flags & re.ASCII).sequence(list(tree))
    except Exception:  # a parser of another Python version: no gate, still correct
        return None
    if not terms:
        return None
    probed = sorted({_ordered({_probes(s) for s in term}) for term in terms})
    needs: dict[tuple[Probe, ...], Needs] = {}
    for term in probed:
        for probes in term:
            needs.setdefault(probes, Needs.of(probes))
    quick = {one for term in probed for one in max(term, key=_strength)}
    return Requirement(tuple(tuple(needs[p] for p in term) for term in probed), Needs.of(quick))


def _ordered(sets: set[tuple[Probe, ...]]) -> tuple[tuple[Probe, ...], ...]:
    """The strongest set first: a term fails soonest on it."""
    return tuple(sorted(sets, key=lambda probes: (_strength(probes), probes), reverse=True))


def _tokens_of(how: int, key: str) -> frozenset[str]:
    """The index tokens a probe's text has: every word of a PART string that touches a
    non-word character in it (none: look for the string itself)."""
    if how != PART:
        token = _token(how, key)
        return frozenset([token] if token else [])
    out = set()
    for match in _WORD.finditer(key):
        before, after = match.start() > 0, match.end() < len(key)
        if before or after:
            token = _token(WORD if before and after else START if before else END, match.group(0))
            if token:
                out.add(token)
    return frozenset(out)


def _token(how: int, key: str) -> str | None:
    """The probe as a token of the index (see ``tokens``); None: look for it as a string."""
    if how == WORD:
        return key
    length = max((n for n in _ENDS if n <= len(key)), default=0)
    if how == START and length:
        return "<" + key[:length]
    if how == END and length:
        return ">" + key[-length:]
    return None


@lru_cache(maxsize=8192)
def _probes(literals: Literals) -> tuple[Probe, ...]:
    """Few probes that between them cover every literal of a set: the one that covers
    the most literals well, then again for the rest."""
    options = [_options(literal) for literal in literals]
    chosen: set[Probe] = set()
    left = list(range(len(literals)))
    while left:
        counts = Counter(one for index in left for one in options[index])
        best = max(counts, key=lambda one: (_quality(one) >= _GOOD, counts[one], _quality(one),
                                            one))  # fmt: skip
        chosen.add(best)
        left = [index for index in left if best not in options[index]]
    return tuple(sorted(chosen))


@lru_cache(maxsize=8192)
def _options(literal: str) -> frozenset[Probe]:
    """Ways to look for a literal: each whole word in it (between non-word characters
    or word boundaries, not at its open ends), each word touching one boundary (the
    start or end of a word of the text), and the literal itself."""
    out = {(PART, literal.replace(_EDGE, ""))}
    for match in _WORD.finditer(literal):
        before, after = _edge(literal, match.start() - 1), _edge(literal, match.end())
        if before or after:
            out.add((WORD if before and after else START if before else END, match.group(0)))
    return frozenset(out)


def _edge(literal: str, at: int) -> bool:
    """Position ``at`` of the literal is outside a word: a non-word character or a
    marked boundary (not past the literal's own ends, where the text may go on)."""
    return 0 <= at < len(literal) and not _IS_WORD.match(literal, at)


def _quality(probe: Probe) -> int:
    how, key = probe
    if key.strip() in _COMMON:
        return 1
    return len(key) + (how == WORD) if how != PART else len(key) - 2


def _strength(probes: tuple[Probe, ...]) -> tuple[int, int]:
    """How well a set narrows the search: its weakest probe, then fewer probes."""
    return min(map(_quality, probes)), -len(probes)


class _Reader:
    """Reads requirements off a parsed pattern (``re._parser``'s tree).

    Where a run of literals starts or ends next to a non-word character or a word
    boundary (``before``, ``after``: what comes just before and after a sequence), the
    run is marked with ``_EDGE`` there, so its first and last words are whole words.
    """

    def __init__(self, parser: Any, edges: bool) -> None:
        self.p, self.edges = parser, edges

    def sequence(self, items: list[Any], before: bool = False,
                 after: bool = False) -> list[Term] | None:  # fmt: skip
        """Items matched one after the other: literals next to each other make one
        string (zero-width assertions consume nothing, so they do not split it)."""
        terms: list[Term] = [()]
        run, edge = [""], before  # edge: a non-word character (or nothing) comes before
        opened = before
        starting = [after]  # starting[-1 - i]: items[i:] begin with a non-word character
        for op, arg in reversed(items):
            starting.append(self.starts(op, arg, starting[-1]))
        for index, (op, arg) in enumerate(items):
            choices = self.choices(op, arg)
            if choices is not None and len(run) * len(choices) <= _MAX_CHOICES:
                if run == [""]:
                    opened = edge
                run = [head + tail for head in run for tail in choices]
                edge = self.ends(op, arg, edge)
                continue
            terms = _and(terms, _literal(run, opened, starting[len(items) - index]))
            run = [""]
            if choices is not None:  # too many to join to the run: a run of their own
                run, opened = choices, edge
            else:
                following = starting[len(items) - index - 1]
                terms = _and(terms, self.item(op, arg, edge, following))
            edge = self.ends(op, arg, edge)
        terms = _and(terms, _literal(run, opened, after))
        return None if terms == [()] else terms

    def item(self, op: Any, arg: Any, before: bool, after: bool) -> list[Term] | None:
        p = self.p
        if op is p.SUBPATTERN:
            _group, add_flags, del_flags, sub = arg
            return None if add_flags or del_flags else self.sequence(list(sub), before, after)
        if op is p.ATOMIC_GROUP:
            return self.sequence(list(arg), before, after)
        if op is p.BRANCH:
            branches = [self.sequence(list(alt), before, after) for alt in arg[1]]
            if not all(branches):
                return None  # an alternative that needs nothing
            terms = [term for branch in branches if branch for term in branch]
            return terms if len(terms) <= _MAX_ALTERNATIVES else [_collapse(terms)]
        if op in (p.MAX_REPEAT, p.MIN_REPEAT, p.POSSESSIVE_REPEAT):
            low, _high, sub = arg
            return self.sequence(list(sub)) if low >= 1 else None
        return None

    # -- what comes just before and after: a non-word character (or a boundary)? -------

    def ends(self, op: Any, arg: Any, before: bool) -> bool:
        """After this item, the last character is not a word character (``before``:
        that held before it, for an item that may consume nothing)."""
        p = self.p
        if op is p.AT:
            return self.edges and arg is not p.AT_NON_BOUNDARY
        if op in (p.ASSERT, p.ASSERT_NOT):
            return before
        if op is p.SUBPATTERN:
            return self.ends_all(list(arg[3]), before)
        if op is p.ATOMIC_GROUP:
            return self.ends_all(list(arg), before)
        if op is p.BRANCH:
            return all(self.ends_all(list(alt), before) for alt in arg[1])
        if op in (p.MAX_REPEAT, p.MIN_REPEAT, p.POSSESSIVE_REPEAT):
            low, _high, sub = arg
            return (before or low >= 1) and self.ends_all(list(sub), False)
        return self.non_word(op, arg)

    def ends_all(self, items: list[Any], before: bool) -> bool:
        for op, arg in items:
            before = self.ends(op, arg, before)
        return before

    def starts(self, op: Any, arg: Any, after: bool) -> bool:
        """This item's first character is not a word character (``after``: what follows
        it, for an item that may consume nothing)."""
        p = self.p
        if op is p.AT:
            return self.edges and arg is not p.AT_NON_BOUNDARY
        if op in (p.ASSERT, p.ASSERT_NOT):
            return after
        if op is p.SUBPATTERN:
            return self.starts_all(list(arg[3]), after)
        if op is p.ATOMIC_GROUP:
            return self.starts_all(list(arg), after)
        if op is p.BRANCH:
            return all(self.starts_all(list(alt), after) for alt in arg[1])
        if op in (p.MAX_REPEAT, p.MIN_REPEAT, p.POSSESSIVE_REPEAT):
            low, _high, sub = arg
            return (after or low >= 1) and self.starts_all(list(sub), False)
        return self.non_word(op, arg)

    def starts_all(self, items: list[Any], after: bool) -> bool:
        for op, arg in reversed(items):
            after = self.starts(op, arg, after)
        return after

    def non_word(self, op: Any, arg: Any) -> bool:
        """A one-character item that never matches a word character."""
        p = self.p
        non_word_categories = (p.CATEGORY_SPACE, p.CATEGORY_NOT_WORD, p.CATEGORY_LINEBREAK)
        if op is p.LITERAL:
            return not _IS_WORD.match(chr(arg))
        if op is p.IN:
            return all(
                (kind is p.LITERAL and not _IS_WORD.match(chr(value)))
                or (kind is p.CATEGORY and value in non_word_categories)
                for kind, value in arg
            )
        return False

    # -- literals ---------------------------------------------------------------------

    def choices(self, op: Any, arg: Any) -> list[str] | None:
        """Every string one item can match, when it is literals only (and few)."""
        p = self.p
        if op is p.AT:  # zero width; a word boundary is marked
            return [_EDGE] if self.edges and arg is not p.AT_NON_BOUNDARY else [""]
        if op in (p.ASSERT, p.ASSERT_NOT):
            return [""]  # zero width
        if op is p.LITERAL:
            return self.chars([arg])
        if op is p.IN and isinstance(arg, list) and 0 < len(arg) <= 4:
            if all(kind is p.LITERAL for kind, _ in arg):
                return self.chars([code for _, code in arg])
            return None
        if op is p.SUBPATTERN:
            _group, add_flags, del_flags, sub = arg
            return None if add_flags or del_flags else self.joined(list(sub))
        if op is p.BRANCH:
            out: set[str] = set()
            for alt in arg[1]:
                strings = self.joined(list(alt))
                if strings is None or "" in strings:
                    return None
                out.update(strings)
            return sorted(out) if len(out) <= _MAX_CHOICES else None
        return None

    def joined(self, items: list[Any]) -> list[str] | None:
        strings = [""]
        for op, arg in items:
            choices = self.choices(op, arg)
            if choices is None or len(strings) * len(choices) > _MAX_CHOICES:
                return None
            strings = [head + tail for head in strings for tail in choices]
        return sorted(set(strings))

    def chars(self, codes: list[Any]) -> list[str] | None:
        out = set()
        for code in codes:
            char = chr(code) if isinstance(code, int) else ""
            if not (char.isascii() and char) and char not in _UNCASED:
                return None  # their case-insensitive matches are known (see ``fold``)
            out.add(char.lower())  # looked for in folded text, whatever the pattern's case
        return sorted(out)


def _literal(run: list[str], opened: bool, closed: bool) -> list[Term] | None:
    """A run as a set of literals, marked where a word boundary is before or after it."""
    if any(not s.replace(_EDGE, "") for s in run):
        return None  # nothing, or one choice is nothing
    head, tail = _EDGE if opened else "", _EDGE if closed else ""
    return [(tuple(sorted({head + s + tail for s in run})),)]


def _and(left: list[Term], right: list[Term] | None) -> list[Term]:
    """Both hold: every pair of terms, each term keeping its strongest sets."""
    if right is None:
        return left
    if left == [()]:
        return right
    terms = [_strongest(a + b) for a in left for b in right]
    return terms if len(terms) <= _MAX_TERMS else [_collapse(terms)]


def _strongest(term: Term) -> Term:
    return tuple(sorted(set(term), key=lambda s: (_rough(s), s), reverse=True)[:_MAX_SETS])


def _collapse(terms: list[Term]) -> Term:
    """One set that holds whenever some term does: each term's strongest set, merged."""
    if any(not term for term in terms):
        return ()
    return (tuple(sorted({s for term in terms for s in max(term, key=_rough)})),)


def _rough(literals: Literals) -> tuple[int, int]:
    """A set's strength, while reading (before the probes are chosen)."""
    return _strength(_probes(literals))


def tokens(folded: str) -> frozenset[str]:
    """The index of a folded text: its words (``\\w+``), and "<" + the first and ">" +
    the last 3 and 6 letters of each (for START and END probes)."""
    words = set(folded.translate(_SPACES).split())
    for odd in [w for w in words if not w.isalnum()]:  # "_" or non-ASCII punctuation
        words.discard(odd)
        words.update(_WORD.findall(odd))
    out = set(words)
    for n in _ENDS:
        out.update(["<" + w[:n] for w in words if len(w) >= n])
        out.update([">" + w[-n:] for w in words if len(w) >= n])
    return frozenset(out)


class Gate:
    """Which of a list of texts (an Email's sentences) may contain what patterns need."""

    def __init__(self, texts: Sequence[str]) -> None:
        self._folded = fold("\n".join(texts))
        self._exact = len(self._folded) == sum(map(len, texts)) + max(len(texts) - 1, 0)
        self._count = len(texts)
        self._starts: list[int] = []
        offset = 0
        for text in texts:
            self._starts.append(offset)
            offset += len(text) + 1
        self._tokens: frozenset[str] | None = None
        self._there: dict[Needs, bool] = {}
        self._masks: dict[str, int] = {}

    def candidates(self, pattern: re.Pattern[str]) -> Sequence[int]:
        """Indexes of the texts ``pattern`` might match, in order."""
        needs = required(pattern)
        if needs is None or not self._exact:
            return range(self._count)
        if not self._present(needs.quick):
            return ()
        hits = 0
        for term in needs.terms:
            if all(map(self._present, term)):
                mask = -1
                for one in term:
                    mask &= self._mask(one)
                hits |= mask
        out = []
        while hits:
            low = hits & -hits
            out.append(low.bit_length() - 1)
            hits ^= low
        return out

    def _present(self, needs: Needs) -> bool:
        """Somewhere in the texts, one of the probes."""
        found = self._there.get(needs)
        if found is None:
            if self._tokens is None:
                self._tokens = tokens(self._folded)
            index = self._tokens
            found = (
                not needs.tokens.isdisjoint(index)
                or any(group <= index for group in needs.groups)
                or any(part in self._folded for part in needs.parts)
            )
            self._there[needs] = found
        return found

    def _mask(self, needs: Needs) -> int:
        """Bit i set: text i may contain one of the probes (found as a string in it)."""
        mask = 0
        for key in needs.keys:
            found = self._masks.get(key)
            if found is None:
                found = self._masks[key] = self._find(key)
            mask |= found
        return mask

    def _find(self, key: str) -> int:
        mask, starts, text = 0, self._starts, self._folded
        at = text.find(key)
        while at >= 0:
            index = bisect.bisect_right(starts, at) - 1
            mask |= 1 << index
            if index + 1 >= len(starts):
                break
            at = text.find(key, starts[index + 1])
        return mask
