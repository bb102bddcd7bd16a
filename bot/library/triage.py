"""Urgent-care triage: which tier of help a message needs, from rules and a learned model.

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

Beside the rules sits a model trained on every labelled set (bot/library/triage_model.py):
the more urgent of the two wins; a rule that is not a clinical red flag stands down when the
model is sure a message is ordinary; and a message neither calls urgent, but the model is
unsure of, is flagged for one safety question before its answer.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.library.triage_model import TriageModel
from bot.library.triage_terms import (
    BREAK,
    OTHER_SCRIPT,
    Concept,
    TermIndex,
    Tokens,
    tokenise,
)

# Most urgent first: the order a reply shows them in.
TIERS = ("emergency", "crisis", "same_day", "distress", "caution")
ALARM_TIERS = frozenset({"emergency", "crisis", "same_day"})
DEFAULT_WITHIN = 8
NEGATION_REACH = 3
# Negators that deny what follows them inside a phrase: "isn't closing", "doesn't look blue".
INNER_NEGATORS = frozenset({"isnt", "arent", "wasnt", "werent", "doesnt", "dont", "didnt",
                            "hasnt", "havent", "not"})
# Tiers whose rules name signs; crisis and distress phrases often carry a "not" of their own
# ("rather not exist", "seeing things that aren't there").
SIGN_TIERS = frozenset({"emergency", "same_day", "claim"})
LIST_REACH = 6  # how far a negation reaches back over "or": "no blisters or sores"


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
    cards: bool = True  # False: no card answers this; the topics are offered, not a search
    # True: a red flag of named guidance (its source in `why`), which fires whatever the
    # model reads. Any other alarm rule stands down when the model is sure the message is
    # ordinary (MODEL_SURE_ORDINARY): those rules catch phrasings, and their look-alikes
    # ("choking down sauerkraut", "can you overdose on probiotics?") are what the model
    # learned to tell apart.
    clinical: bool = False


# The model's "none" share above which a non-clinical alarm rule stands down. On held-out
# predictions over all sets it took false alarms from 8.2% to 7.0% with the same recall
# (0.7 gained little more and began to lose crisis messages); clinical rules never stand down.
MODEL_SURE_ORDINARY = 0.8

# The one-tap check needs a message the model has read something of: an emoji or a word it
# never saw leaves it at its prior, which says nothing about this message.
CHECK_EVIDENCE = 12

# What the learned model adds when it reads a more urgent tier than the rules did: the
# general guidance of that tier (the rules, where they know the sign, give the specific one).
MODEL_RULES = {
    tier: Rule(id=f"model_{tier}", tier=tier, guidance=tier,
               why="the learned model (content/triage_model.json) read this tier", all=(),
               within=0)
    for tier in ("emergency", "crisis", "same_day")
}
_FROM_MODEL = frozenset(MODEL_RULES.values())


@dataclass(frozen=True)
class Finding:
    """What a message needs: the tiers it reached and the guidance for each, most urgent first."""

    rules: tuple[Rule, ...] = ()
    language: str | None = None  # a language other than English the message is written in
    # Nothing fired, but the model is unsure enough to ask one safety question first.
    check_first: bool = False

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

    @property
    def by_rules(self) -> bool:
        """An alarm a rule raised (not only the model's reading)."""
        return any(r.tier in ALARM_TIERS and r not in _FROM_MODEL for r in self.rules)


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
    model: TriageModel | None = None  # the learned half; None: rules alone

    def prepare(self) -> Triage:
        """Build every look-up table now (the term index takes 0.16 s), when the library
        loads, rather than while the first person after a start or a /reload waits."""
        for table in (self.index, self._by_concept, self._common_words):
            assert table is not None
        if self.model is not None:
            self.model.predict("")  # its set of known features
        return self

    @functools.cached_property
    def index(self) -> TermIndex:
        return TermIndex(self.concepts.values())

    @functools.cached_property
    def _by_concept(self) -> dict[str, tuple[int, ...]]:
        """Each concept's rules, by their place in `rules`: a rule can fire only when every
        concept it needs was found, so a message is checked against those rules alone."""
        places: dict[str, list[int]] = {}
        for place, rule in enumerate(self.rules):
            for name in rule.all or ("",):  # "": a rule that needs nothing is always checked
                places.setdefault(name, []).append(place)
        return {name: tuple(found) for name, found in places.items()}

    @functools.cached_property
    def _latin_languages(self) -> tuple[str, ...]:
        """The languages told apart by their common words (not by their script)."""
        return tuple(code for code, rules in self.languages.items() if not rules.script)

    @functools.cached_property
    def _common_words(self) -> dict[str, tuple[str, ...]]:
        """word -> the languages (of those above) it is a common word of."""
        found: dict[str, list[str]] = {}
        for code in self._latin_languages:
            for word in self.languages[code].common:
                found.setdefault(word, []).append(code)
        return {word: tuple(codes) for word, codes in found.items()}

    def _candidates(self, found: Mapping[str, list[tuple[int, int]]]) -> list[Rule]:
        """The rules whose every concept is in `found`, in their own order."""
        places = {place for name, spans in found.items() if spans
                  for place in self._by_concept.get(name, ())}
        places.update(self._by_concept.get("", ()))
        rules = (self.rules[place] for place in sorted(places))
        return [rule for rule in rules if all(found.get(name) for name in rule.all)]

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
            return self._with_model(text, foreign, language)
        found = self._spans(tokens)
        asked = self._asks_about(found)
        hits = []
        for rule in self._candidates(found):
            if asked and not rule.asked_about_ok:
                continue
            if any(found.get(name) for name in rule.unless):
                continue
            window = self._fires(rule, found, tokens)
            if window is None or not rule.past_ok and self._long_past(window, found, tokens):
                continue
            hits.append(rule)
        return self._with_model(text, hits + foreign, language)

    def _with_model(self, text: str, hits: list[Rule], language: str | None) -> Finding:
        """The rules' findings and the model's reading together: the more urgent wins, and a
        message neither calls urgent but the model is unsure of gets one question first."""
        check_first = False
        # Numbers, emoji and punctuation alone ("2.1", "👍") leave the model at its prior,
        # which can lean towards an alarm: it reads only a message with a few letters in it
        # (any script: two Chinese characters are a word).
        if self.model is not None and _has_letters(text):
            reading = self.model.predict(text)
            if reading.probabilities.get("none", 0.0) >= MODEL_SURE_ORDINARY:
                hits = [r for r in hits if r.clinical or r.tier not in ALARM_TIERS]
            tier = reading.tier
            urgent = min((TIERS.index(r.tier) for r in hits), default=len(TIERS))
            if tier in MODEL_RULES and TIERS.index(tier) < urgent:
                hits = [*hits, MODEL_RULES[tier]]
            elif urgent == len(TIERS) and reading.share(ALARM_TIERS) >= self.model.ask_above \
                    and reading.evidence >= CHECK_EVIDENCE:
                check_first = True
        hits.sort(key=lambda r: TIERS.index(r.tier))
        return Finding(tuple(hits), language, check_first)

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
        if not text.isascii() and OTHER_SCRIPT.search(text):
            letters = len(_LETTERS.findall(text))
            for code, rules in self.languages.items():
                if rules.script and len(rules.script.findall(text)) > letters / 2:
                    return code
            if letters >= 2 and len(_LATIN.findall(text)) < letters / 2:
                return "other"
        counts = Counter(_WORDS.findall(text.lower()))
        if not counts:
            return None
        # One look-up per word of the message, not a pass per language.
        scores = dict.fromkeys(self._latin_languages, 0)
        languages_of = self._common_words
        for word, count in counts.items():
            for code in languages_of.get(word, ()):
                scores[code] += count
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
        other_script = not text.isascii() and OTHER_SCRIPT.search(text) is not None
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


def _has_letters(text: str, enough: int = 2) -> bool:
    found = 0
    for char in text:
        if char.isalpha():
            found += 1
            if found >= enough:
                return True
    return False


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
