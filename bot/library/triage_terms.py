"""A message as words, and the concepts of the triage's rules found in it.

Every term of every concept is filed under the words a match can start with, so scanning a
4,000-character message is one pass over its words, not one regex search per concept.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

BREAK = "|"  # a clause break in the token stream: negation does not reach across it
WORD_CACHE = 50_000  # distinct words whose terms are remembered between messages


# --- the message as tokens --------------------------------------------------------------

_APOSTROPHES = ("\u2019", "'", "\u2018", "`")
_COMBINING = re.compile("[\u0300-\u036f]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# Letters of scripts other than Latin: only then are script languages looked for.
OTHER_SCRIPT = re.compile(r"[\u0370-\u1fff\u3000-\ud7ff\uf900-\ufaff\ufb50-\ufeff]")
_TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)?|[a-z]+|[.!?;,:()\n]+")


@dataclass(frozen=True)
class Tokens:
    """The English-readable words of a message, with clause breaks kept as BREAK."""

    words: tuple[str, ...]
    joined: str  # words joined by single spaces, for phrase search
    starts: tuple[int, ...]  # character offset of each word in `joined`

    def index_at(self, offset: int) -> int:
        """The word that starts at or contains this character offset."""
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo


def tokenise(text: str, emoji: Mapping[str, str] | None = None) -> Tokens:
    """Lower case, accents and apostrophes dropped ("Can't" -> "cant"), emoji as words."""
    if emoji:
        for symbol, word in emoji.items():
            if symbol in text:
                text = text.replace(symbol, f" {word} ")
    text = text.lower()
    for mark in _APOSTROPHES:
        if mark in text:
            text = text.replace(mark, "")
    if not text.isascii():
        # Accents off ("café" -> "cafe"); any other non-ASCII character separates words.
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
        text = _NON_ASCII.sub(" ", text)
    words: list[str] = []
    for token in _TOKEN.findall(text):
        if token[0] in ".!?;,:()\n":
            if words and words[-1] != BREAK:
                words.append(BREAK)
        else:
            words.append(token)
    while words and words[-1] == BREAK:
        words.pop()
    starts, offset = [], 0
    for word in words:
        starts.append(offset)
        offset += len(word) + 1
    return Tokens(tuple(words), " ".join(words), tuple(starts))


# --- concepts ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Concept:
    """A named list of terms. `terms` keeps them as written, for the index."""

    name: str
    terms: tuple[str, ...]


_LEADING_LOOKAROUND = re.compile(r"^(?:\\b|\(\?<?[!=](?:[^()]|\([^()]*\))*\))+")


def _split_top(alternatives: str) -> list[str]:
    """Split a regex on the | that are not inside a group."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in alternatives:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "|" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _group_end(regex: str) -> int:
    """The index of the parenthesis that closes the group the regex starts with."""
    depth = 0
    for index, ch in enumerate(regex):
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0:
            return index
    return len(regex) - 1


def _anchors(regex: str) -> list[tuple[str, str]] | None:
    """The words or word beginnings a regex match can start with: ("exact", w), ("prefix", p)
    or ("digit", ""); None when that cannot be told, and the concept is searched whole."""
    regex = _LEADING_LOOKAROUND.sub("", regex)
    if regex.startswith("(?:"):
        end = _group_end(regex)
        if regex[end + 1: end + 2] in ("?", "*"):
            return None  # an optional first group: the match may start after it
        found: list[tuple[str, str]] = []
        for part in _split_top(regex[3:end]):
            anchors = _anchors(part + regex[end + 1:])
            if anchors is None:
                return None
            found += anchors
        return found
    if regex[:1] == "[" and regex.startswith(("[0-9]", "[0-3]", "[0-2]")) or regex[:1].isdigit():
        return [("digit", "")]
    literal = re.match(r"[a-z]+", regex)
    if literal is None:
        return None
    word, rest = literal.group(), regex[literal.end():]
    if rest[:1] in ("?", "*", "+", "{"):
        word = word[:-1]  # the quantifier belongs to the last letter
        return [("prefix", word)] if word else None
    if rest == "" or rest[:1] == " " or rest.startswith("\\b"):
        return [("exact", word)]
    return [("prefix", word)]


def compile_concept(name: str, terms: Iterable[str]) -> Concept:
    concept = Concept(name, tuple(terms))
    TermIndex([concept])  # compiles every term: a bad regex raises re.error here
    return concept


# One way a term can match where a word starts: the concept it belongs to, and either its words
# (each with "ends in *") compared with the message's words, or a regex matched at the word.
Entry = tuple[str, tuple[tuple[str, bool], ...] | None, re.Pattern[str] | None]


def _merged(entries: list[Entry]) -> list[Entry]:
    """One regex per concept under a word, instead of one per term: fewer matches to try."""
    bodies: dict[str, list[str]] = {}
    kept: list[Entry] = []
    for name, sequence, pattern in entries:
        if pattern is None:
            kept.append((name, sequence, None))
        else:
            bodies.setdefault(name, []).append(pattern.pattern)
    for name, group in bodies.items():
        alternatives = "|".join(f"(?:{body})" for body in sorted(group, key=len, reverse=True))
        kept.append((name, None, re.compile(rf"(?:{alternatives})(?![a-z0-9])")))
    return kept


class TermIndex:
    """Every term of every concept, filed under the words a match can start with.

    Scanning a message is then one pass over its words with a dictionary look-up per distinct
    word: a 4,000-character message is not searched once per concept.
    """

    def __init__(self, concepts: Iterable[Concept]) -> None:
        self._exact: dict[str, list[Entry]] = {}
        self._prefix: dict[str, list[Entry]] = {}
        self._digits: list[Entry] = []
        self._anywhere: list[tuple[str, re.Pattern[str]]] = []
        for concept in concepts:
            for term in concept.terms:
                self._add(concept.name, term)
        for table in (self._exact, self._prefix):
            for key, entries in table.items():
                table[key] = _merged(entries)
        self._digits = _merged(self._digits)
        self._lengths = sorted({len(p) for p in self._prefix})
        # Which entries each word starts: words recur from message to message, so the look-up
        # is kept (bounded: a flood of made-up words cannot grow it without limit).
        self._by_word: dict[str, list[Entry]] = {}

    def _add(self, name: str, term: str) -> None:
        if not term.startswith("re:"):
            words = tuple((w.rstrip("*"), w.endswith("*")) for w in term.split())
            first, is_prefix = words[0]
            target = self._prefix if is_prefix else self._exact
            target.setdefault(first, []).append((name, words, None))
            return
        body = term[3:].strip()
        anchors = _anchors(body)
        if anchors is None:
            self._anywhere.append(
                (name, re.compile(rf"(?<![a-z0-9.])(?:{body})(?![a-z0-9])")))
            return
        pattern = re.compile(body)  # merged with its neighbours in _merged
        for kind, word in anchors:
            entry: Entry = (name, None, pattern)
            if kind == "digit":
                self._digits.append(entry)
            elif kind == "exact":
                self._exact.setdefault(word, []).append(entry)
            else:
                self._prefix.setdefault(word, []).append(entry)

    def _entries(self, word: str) -> list[Entry]:
        found = list(self._exact.get(word, ()))
        for length in self._lengths:
            if length > len(word):
                break
            found += self._prefix.get(word[:length], ())
        if word[:1].isdigit():
            found += self._digits
        return found

    def scan(self, tokens: Tokens) -> dict[str, list[tuple[int, int]]]:
        """(first word, last word) of every place each concept appears."""
        words, joined, starts = tokens.words, tokens.joined, tokens.starts
        count = len(words)
        ends: dict[tuple[str, int], int] = {}
        cache = self._by_word
        if len(cache) > WORD_CACHE:
            cache.clear()
        for index, word in enumerate(words):
            entries = cache.get(word)
            if entries is None:
                entries = cache[word] = self._entries(word) if word != BREAK else []
            for name, sequence, pattern in entries:
                if sequence is not None:
                    last = index + len(sequence) - 1
                    if last != index and (last >= count or not all(
                            words[index + k] == w or (prefix and words[index + k].startswith(w))
                            for k, (w, prefix) in enumerate(sequence[1:], 1))):
                        continue
                else:
                    assert pattern is not None
                    match = pattern.match(joined, starts[index])
                    if match is None:
                        continue
                    last = index + joined.count(" ", match.start(), match.end())
                key = (name, index)
                if ends.get(key, -1) < last:
                    ends[key] = last
        for name, pattern in self._anywhere:
            for match in pattern.finditer(joined):
                first = tokens.index_at(match.start())
                last = first + joined.count(" ", match.start(), match.end())
                if ends.get((name, first), -1) < last:
                    ends[(name, first)] = last
        found: dict[str, list[tuple[int, int]]] = {}
        for (name, first), last in ends.items():
            found.setdefault(name, []).append((first, last))
        return found
