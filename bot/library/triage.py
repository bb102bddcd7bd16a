"""Urgent-care triage: which tier of help a message needs, from rules in content/triage.yaml.

The rules are data a clinician can read. They are built from *concepts* (lists of words and
phrases: who, body part, sign, trigger, feeling very unwell) and each rule names the concepts
that must all appear close together. Around that sit the things that make plain keyword lists
fail on messages nobody here wrote:

- negation: a concept preceded by "no", "not", "without"... in the same clause does not count
  ("no fever", "not struggling to breathe");
- figures of speech and objects: a concept inside a known idiom ("wheezing with laughter",
  "dying to try") or next to an object ("the yoghurt has a yellow crust") does not count;
- questions about a thing rather than reports of it ("does eczema cause wheezing?");
- things long past ("she had a reaction last year").

Messages in other languages are recognised by script or by common words, and emergency or
crisis words in those languages still reach the right tier.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.library.problems import Problem

# Most urgent first: the order a reply shows them in.
TIERS = ("emergency", "crisis", "same_day", "distress", "caution")
ALARM_TIERS = frozenset({"emergency", "crisis", "same_day"})
BREAK = "|"  # a clause break in the token stream: negation does not reach across it
# Concepts that frame a message rather than name a sign: searched whenever a rule may fire.
FRAMING = ("figure_of_speech", "asking_about", "asking_strong", "personal_report", "hypothetical",
           "long_past", "resolved", "happening_now")
DEFAULT_WITHIN = 8
NEGATION_REACH = 3
# Negators that deny what follows them inside a phrase: "isn't closing", "doesn't look blue".
INNER_NEGATORS = frozenset({"isnt", "arent", "wasnt", "werent", "doesnt", "dont", "didnt",
                            "hasnt", "havent", "not"})
# Tiers whose rules name signs; crisis and distress phrases often carry a "not" of their own
# ("rather not exist", "seeing things that aren't there").
SIGN_TIERS = frozenset({"emergency", "same_day", "claim"})
LIST_REACH = 6  # how far a negation reaches back over "or": "no blisters or sores"
WORD_CACHE = 50_000


# --- the message as tokens --------------------------------------------------------------

_APOSTROPHES = ("\u2019", "'", "\u2018", "`")
_COMBINING = re.compile("[\u0300-\u036f]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# Letters of scripts other than Latin: only then are script languages looked for.
_OTHER_SCRIPT = re.compile(r"[\u0370-\u1fff\u3000-\ud7ff\uf900-\ufaff\ufb50-\ufeff]")
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

def _term_pattern(term: str) -> str:
    """One term as a regex: words in order, `*` ends a word prefix, `re:` is a raw regex."""
    if term.startswith("re:"):
        return f"(?:{term[3:].strip()})"
    parts = []
    for word in term.split():
        if word.endswith("*"):
            parts.append(re.escape(word[:-1]) + "[a-z]*")
        else:
            parts.append(re.escape(word))
    return " ".join(parts)


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


# --- rules ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    id: str
    tier: str
    guidance: str  # which part of the reply explains what to do
    why: str  # the reason the rule exists, for a reviewer
    all: tuple[str, ...]  # concepts that must all appear ...
    within: int  # ... inside this many words
    unless: tuple[str, ...] = ()  # concepts anywhere in the message that cancel the rule
    unless_near: tuple[str, ...] = ()  # concepts right beside a sign that cancel it
    asked_about_ok: bool = False  # True: also fires on a general question about it
    past_ok: bool = False  # True: also fires on something long past
    negatable: bool = True  # False: "I don't think it will ever get better" still counts


@dataclass(frozen=True)
class Finding:
    """What a message needs: the tiers it reached and the guidance for each, most urgent first."""

    rules: tuple[Rule, ...] = ()
    language: str | None = None  # a language other than English the message is written in

    @property
    def tier(self) -> str | None:
        return self.rules[0].tier if self.rules else None

    @property
    def guidance(self) -> tuple[str, ...]:
        seen: list[str] = []
        for rule in self.rules:
            if rule.guidance not in seen:
                seen.append(rule.guidance)
        return tuple(seen)

    @property
    def alarming(self) -> bool:
        return self.tier in ALARM_TIERS


@dataclass(frozen=True)
class Triage:
    """The loaded rules. `assess` is pure and fast: it runs before every search."""

    concepts: Mapping[str, Concept]
    rules: tuple[Rule, ...]
    negators: frozenset[str]
    emoji: Mapping[str, str] = field(default_factory=dict)
    languages: Mapping[str, LanguageRules] = field(default_factory=dict)
    claims: tuple[Rule, ...] = ()  # what a moderator's broadcast must not say
    max_chars: int = 4000

    @functools.cached_property
    def index(self) -> TermIndex:
        return TermIndex(self.concepts.values())

    def assess(self, text: str) -> Finding:
        text = text[: self.max_chars * 2]  # Telegram's own limit is 4,096; be safe with more
        language = self.language_of(text)
        # Urgent words in other languages are looked for in every message: "quiero morir" has
        # too few words to tell its language, and must still reach the crisis tier.
        foreign = self._foreign_rules(text, language, self._english_words(text))
        if foreign and language is None:
            language = foreign[0].id.rsplit("_", 1)[0]
        tokens = tokenise(text, self.emoji)
        if not tokens.words:
            return Finding(tuple(foreign), language)
        found = self._spans(tokens)
        asked = self._asks_about(found)
        hits = []
        for rule in self.rules:
            if asked and not rule.asked_about_ok:
                continue
            if any(found.get(name) for name in rule.unless):
                continue
            window = self._fires(rule, found, tokens)
            if window is None or not rule.past_ok and self._long_past(window, found, tokens):
                continue
            hits.append(rule)
        hits += foreign
        hits.sort(key=lambda r: TIERS.index(r.tier))
        return Finding(tuple(hits), language)

    def check_claims(self, text: str) -> list[Rule]:
        """The claims a broadcast makes that need a second look: a promised cure, or telling
        people to stop a treatment. Negation counts ("don't stop your cream" is fine)."""
        tokens = tokenise(text[: self.max_chars * 2], self.emoji)
        found = self._spans(tokens)
        return [rule for rule in self.claims if self._fires(rule, found, tokens) is not None]

    # The steps of assess, each small enough to read on its own.

    def _spans(self, tokens: Tokens) -> dict[str, list[tuple[int, int]]]:
        """Every concept's places, less those inside an idiom."""
        raw = self.index.scan(tokens)
        idioms = raw.pop("figure_of_speech", [])
        if not idioms:
            return raw
        return {name: kept for name, spans in raw.items()
                if (kept := [s for s in spans
                             if not any(a <= s[0] and s[1] <= b for a, b in idioms)])}

    def _negated(self, span: tuple[int, int], tokens: Tokens,
                 own: list[tuple[int, int]], phrases: list[tuple[int, int]],
                 inner: bool) -> bool:
        """A negator shortly before the span, in the same clause, that is not itself part of
        one of the rule's own concepts ("can not breathe" is not negated by its own "not"),
        or a negating phrase ending just before it ("no thoughts of harming myself")."""
        first, last = span
        for _, b in phrases:
            if first - NEGATION_REACH <= b < first and BREAK not in tokens.words[b:first]:
                return True
        # Inside the span ("throat isn't closing"), but not its first word ("not breathing"),
        # and only the words that turn a statement round ("never wake up" is not negated).
        if inner and any(tokens.words[i] in INNER_NEGATORS for i in range(first + 1, last + 1)):
            return True
        reach = NEGATION_REACH
        for index in range(first - 1, max(first - 1 - LIST_REACH, -1), -1):
            word = tokens.words[index]
            if word == BREAK or word == "but":
                return False
            if word in ("or", "nor"):  # "no blisters or punched-out spots"
                reach = LIST_REACH
            if first - index > reach:
                continue
            if word in self.negators and not any(a <= index <= b for a, b in own):
                return True
        return False

    def _fires(self, rule: Rule, found: dict[str, list[tuple[int, int]]],
               tokens: Tokens) -> tuple[int, int] | None:
        """The words where the rule's concepts meet, or None when it does not fire."""
        per_concept = []
        for name in rule.all:
            spans = found.get(name)
            if not spans:
                return None
            per_concept.append(spans)
        own = [s for spans in per_concept for s in spans]
        phrases = found.get("negation_phrase", [])
        live = []
        for spans in per_concept:
            kept = [s for s in spans
                    if not (rule.negatable and self._negated(s, tokens, own, phrases,
                                                             rule.tier in SIGN_TIERS))
                    and not self._beside(s, rule.unless_near, found)]
            if not kept:
                return None
            live.append(kept)
        return _close_enough(live, rule.within)

    @staticmethod
    def _long_past(window: tuple[int, int], found: dict[str, list[tuple[int, int]]],
                   tokens: Tokens) -> bool:
        """The rule's words are about the past: "last year" or "when he was 2" in the same
        clause, or "all fine now" anywhere, with nothing happening now in that clause."""
        def clause(name: str) -> bool:
            for a, b in found.get(name, ()):
                lo, hi = min(a, window[0]), max(b, window[1])
                if BREAK not in tokens.words[lo:hi + 1] or a <= window[0] <= b:
                    return True
            return False
        if clause("happening_now"):
            return False
        return clause("long_past") or bool(found.get("resolved"))

    def _beside(self, span: tuple[int, int], names: tuple[str, ...],
                found: dict[str, list[tuple[int, int]]]) -> bool:
        """An object or other cancelling concept within three words of the span."""
        for name in names:
            for a, b in found.get(name, ()):
                if a - 3 <= span[1] and span[0] <= b + 3:
                    return True
        return False

    @staticmethod
    def _asks_about(found: dict[str, list[tuple[int, int]]]) -> bool:
        """A general question ("what are the signs of...") with nobody's present state in it."""
        if found.get("asking_strong") and not found.get("happening_now"):
            return True  # "how do I know if...", "is it true...": a question, whoever it is about
        if not found.get("asking_about"):
            return False
        return not found.get("personal_report") or bool(found.get("hypothetical"))

    # Other languages.

    def language_of(self, text: str) -> str | None:
        """The code of a language other than English the message is written in, if any."""
        if not text.isascii() and _OTHER_SCRIPT.search(text):
            letters = len(_LETTERS.findall(text))
            for code, rules in self.languages.items():
                if rules.script and len(rules.script.findall(text)) > letters / 2:
                    return code
            if letters >= 2 and len(_LATIN.findall(text)) < letters / 2:
                return "other"
        counts = Counter(_WORDS.findall(text.lower()))
        if not counts:
            return None
        scores = {code: sum(counts[w] for w in rules.common & counts.keys())
                  for code, rules in self.languages.items() if not rules.script}
        english = scores.pop("en", 0)
        best = max(scores, key=scores.__getitem__, default=None)
        if best and scores[best] >= 2 and scores[best] > english:
            return best
        return None

    def _english_words(self, text: str) -> int:
        common = self.languages.get("en", _NO_LANGUAGE).common
        return sum(1 for w in _WORDS.findall(text[:400].lower()) if w in common)

    def _foreign_rules(self, text: str, language: str | None, english: int) -> list[Rule]:
        """Urgent phrases in other languages. A Latin-script language's phrases count only in
        a message written in it, or one with hardly any English that has a word of it: "suicid"
        and "ambulance" are English too, and "do antihistamines stop anaphylaxis?" is English.
        """
        lowered = unicodedata.normalize("NFKC", text).lower()
        other_script = not text.isascii() and _OTHER_SCRIPT.search(text) is not None
        words = set(_WORDS.findall(lowered)) if language is None and english < 2 else set()
        hits = []
        for rules in self.languages.values():
            if rules.script is not None:
                if not other_script:
                    continue
            elif language != rules.code and not (words & rules.common):
                continue
            for rule, pattern in rules.urgent:
                if pattern.search(lowered):
                    hits.append(rule)
        return hits


@dataclass(frozen=True)
class LanguageRules:
    code: str
    name: str
    notice: str  # "I read only English; in an emergency call...", in this language
    script: re.Pattern[str] | None
    common: frozenset[str]
    urgent: tuple[tuple[Rule, re.Pattern[str]], ...]


_WORDS = re.compile(r"[^\W\d_]+")
_LETTERS = re.compile(r"[^\W\d_]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_NO_LANGUAGE = LanguageRules("", "", "", None, frozenset(), ())


def _close_enough(live: list[list[tuple[int, int]]],
                  within: int) -> tuple[int, int] | None:
    """The words spanned by one place of every concept inside a window of `within` words."""
    if len(live) == 1:
        return live[0][0]
    for a_first, a_last in live[0]:
        lo, hi = a_first, a_last
        ok = True
        for spans in live[1:]:
            best = None
            for first, last in spans:
                span_lo, span_hi = min(lo, first), max(hi, last)
                if span_hi - span_lo < within and (best is None or
                                                   span_hi - span_lo < best[1] - best[0]):
                    best = (span_lo, span_hi)
            if best is None:
                ok = False
                break
            lo, hi = best
        if ok:
            return lo, hi
    return None


# --- loading ----------------------------------------------------------------------------

def load_triage(path: Path, problems: list[Problem]) -> Triage:
    """Read content/triage.yaml, naming the file and field of every problem."""
    name = path.name
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(Problem(name, "-", "file is missing"))
        return Triage({}, (), frozenset())
    except yaml.YAMLError as exc:
        problems.append(Problem(name, "-", f"not valid YAML: {' '.join(str(exc).split())}"))
        return Triage({}, (), frozenset())
    if not isinstance(data, dict):
        problems.append(Problem(name, "-", "must be a mapping"))
        return Triage({}, (), frozenset())
    concepts = _load_concepts(data.get("concepts"), name, problems)
    rules = _load_rules(data.get("rules"), concepts, name, problems)
    raw_negators = data.get("negators") or []
    if any(not isinstance(w, str) for w in raw_negators):
        problems.append(Problem(name, "negators", "every word must be text: put no in quotes"))
    negators = frozenset(str(w) for w in raw_negators)
    if not negators:
        problems.append(Problem(name, "negators", "must be a non-empty list"))
    emoji = {str(k): str(v) for k, v in (data.get("emoji") or {}).items()}
    languages = _load_languages(data.get("languages"), name, problems)
    claims = _load_rules(data.get("claims"), concepts, name, problems, tiers=("claim",))
    return Triage(concepts, rules, negators, emoji, languages, claims)


def _load_concepts(raw: Any, name: str, problems: list[Problem]) -> dict[str, Concept]:
    if not isinstance(raw, dict) or not raw:
        problems.append(Problem(name, "concepts", "must be a non-empty mapping"))
        return {}
    concepts = {}
    for key, terms in raw.items():
        if not isinstance(terms, list) or not terms:
            problems.append(Problem(name, f"concepts.{key}", "must be a non-empty list"))
            continue
        odd = [t for t in terms if not isinstance(t, str)
               or not t.startswith("re:") and any(c in t for c in "()[]?|\\{")]
        if odd:
            # YAML reads a bare no as false and "a: b" as a mapping: quote such terms.
            problems.append(Problem(name, f"concepts.{key}",
                                    f"{odd[0]!r} is not a term: quote plain words, and start "
                                    "a regular expression with re:"))
            continue
        try:
            concepts[str(key)] = compile_concept(str(key), (str(t) for t in terms))
        except re.error as exc:
            problems.append(Problem(name, f"concepts.{key}", f"bad pattern: {exc}"))
    for needed in ("figure_of_speech", "asking_about", "personal_report", "long_past",
                   "happening_now"):
        if needed not in concepts:
            problems.append(Problem(name, f"concepts.{needed}", "is required"))
    return concepts


def _load_rules(raw: Any, concepts: Mapping[str, Concept], name: str,
                problems: list[Problem], tiers: tuple[str, ...] = TIERS) -> tuple[Rule, ...]:
    if not isinstance(raw, list) or not raw:
        problems.append(Problem(name, "rules", "must be a non-empty list"))
        return ()
    rules = []
    for index, entry in enumerate(raw):
        rid = str(entry.get("id")) if isinstance(entry, dict) and entry.get("id") \
            else f"#{index + 1}"
        if not isinstance(entry, dict):
            problems.append(Problem(name, rid, "each rule is a mapping"))
            continue
        rule = _rule_from(entry, rid, name, problems, tiers)
        if rule is None:
            continue
        unknown = [c for c in (*rule.all, *rule.unless, *rule.unless_near) if c not in concepts]
        if unknown:
            problems.append(Problem(name, f"{rid}.all", f"unknown concepts {unknown}"))
            continue
        rules.append(rule)
    return tuple(rules)


def _rule_from(entry: dict[str, Any], rid: str, name: str, problems: list[Problem],
               tiers: tuple[str, ...]) -> Rule | None:
    tier = entry.get("tier")
    if tier not in tiers:
        problems.append(Problem(name, f"{rid}.tier", f"must be one of {tiers}"))
        return None
    concepts = entry.get("all")
    if isinstance(concepts, str):
        concepts = [concepts]
    if not isinstance(concepts, list) or not concepts:
        problems.append(Problem(name, f"{rid}.all", "must name at least one concept"))
        return None
    why = str(entry.get("why") or "").strip()
    if not why:
        problems.append(Problem(name, f"{rid}.why", "say why the rule exists"))
        return None
    return Rule(
        id=rid, tier=str(tier), guidance=str(entry.get("guidance") or tier), why=why,
        all=tuple(str(c) for c in concepts), within=int(entry.get("within") or DEFAULT_WITHIN),
        unless=tuple(str(c) for c in entry.get("unless") or ()),
        unless_near=tuple(str(c) for c in entry.get("unless_near") or ()),
        asked_about_ok=bool(entry.get("asked_about_ok")), past_ok=bool(entry.get("past_ok")),
        negatable=entry.get("negatable", True) is not False,
    )


def _load_languages(raw: Any, name: str, problems: list[Problem]) -> dict[str, LanguageRules]:
    languages: dict[str, LanguageRules] = {}
    if not isinstance(raw, dict):
        problems.append(Problem(name, "languages", "must be a mapping of language codes"))
        return languages
    for code, entry in raw.items():
        field_name = f"languages.{code}"
        if not isinstance(entry, dict):
            problems.append(Problem(name, field_name, "must be a mapping"))
            continue
        try:
            script = re.compile(entry["script"]) if entry.get("script") else None
            urgent = []
            for tier, phrases in (entry.get("urgent") or {}).items():
                if tier not in TIERS:
                    problems.append(Problem(name, f"{field_name}.urgent.{tier}",
                                            f"must be one of {TIERS}"))
                    continue
                rule = Rule(id=f"{code}_{tier}", tier=tier, guidance=tier,
                            why=f"{tier} words in {entry.get('name', code)}", all=(), within=0)
                pattern = re.compile("|".join(f"(?:{p})" for p in phrases))
                urgent.append((rule, pattern))
        except re.error as exc:
            problems.append(Problem(name, field_name, f"bad pattern: {exc}"))
            continue
        languages[str(code)] = LanguageRules(
            code=str(code), name=str(entry.get("name") or code),
            notice=str(entry.get("notice") or ""), script=script,
            common=frozenset(str(w) for w in entry.get("common") or ()), urgent=tuple(urgent))
    return languages
