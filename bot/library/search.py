"""Find the cards that answer a free-text message.

Pure and synchronous: `CardIndex.build(library)` once when the library is loaded (it is
immutable), then `index.search(text)` per message. No Telegram here.

How a message is scored, step by step:

1. Words. `words.normalise` (lower case, accents and apostrophes dropped, punctuation as
   spaces); only the first MAX_CHARS characters and MAX_WORDS words are read, so a pasted
   essay costs no more than a paragraph. Padding (runs of newlines, ideographic or zero-width
   spaces) counts as one space towards MAX_CHARS.
2. Typos. A word the library has never seen is corrected to the nearest subject word (from a
   card title, keyword, topic or synonyms.yaml), if one is close enough for the word's length
   (`allowed_edits`): four letters only by a dropped letter ("fibr"), five to seven letters by
   one slip ("eczma"), longer words by two ("probiotcs"); the first letter must match; a word
   of five or more letters may also be the start of a longer one ("probio"). A corrected word
   counts for less (CORRECTED_WEIGHT). There is no English dictionary here, so a real word the
   library lacks can be "corrected" ("table" -> "tablet"); the honesty rules below limit the harm.
3. Everyday words. content/synonyms.yaml folds each variant onto its canonical word, longest
   phrase first ("can't sleep" -> insomnia, "tummy" -> gut, "kimchee" -> kimchi). The cards go
   through the same folding, so both sides meet in one vocabulary.
4. Stop-words (STOP_WORDS) are dropped; the rest is reduced to a light stem (`stem`:
   "probiotics" -> probiotic, "sleeping" -> sleep, "moisturizer" -> moisturiser).
5. Score: BM25F. A term's weight in a card adds its title and keyword presence (FIELD_WEIGHTS,
   3 each), its topic's title and blurb (1) and its body mentions (0.5 each, length-normalised),
   saturates that with K1 and multiplies by the term's rarity across cards (idf). A word in the
   name of the card's topic adds TOPIC_NAME_WEIGHT times its rarity across topic names, so
   "tummy" (-> gut, in nearly every card) still points to "Gut and skin connection". All of
   this is worked out at build time; a search is a few dict lookups per word.
6. Honesty. The message must be about the library: at least MIN_SUBJECT_WORDS subject words,
   or subject words making up MIN_SUBJECT_SHARE of its words ("who won the match last night"
   is not about sleep). A card must meet the message in its title or keywords, or in two
   different words of its body, reach MIN_SCORE, and reach RELATIVE_CUTOFF of the best hit.
   Otherwise: [].
"""

from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass

from bot.library.model import Card, Library
from bot.library.search_words import (
    STOP_WORDS,
    allowed_edits,
    deletions,
    first_chars,
    folding_table,
    osa_distance,
    search_terms,
    stem,
)
from bot.library.words import normalise

MAX_WORDS = 200  # words of a message considered
MAX_TERMS = 48  # distinct search terms scored
MAX_CORRECTIONS = 24  # unknown words we try to spell-correct per message
MAX_WORD = 24  # longer "words" are not mistyped words (keeps correction cheap)

# BM25F. Title and keywords are what a card is about; the body also mentions things in passing.
FIELD_WEIGHTS = {"title": 3.0, "keywords": 3.0, "topic": 1.0, "body": 0.5}
STRONG_FIELDS = ("title", "keywords")
TOPIC_NAME_WEIGHT = 0.5
K1 = 1.6
B = 0.6  # how much a long body dilutes a mention

CORRECTED_WEIGHT = {1: 0.8, 2: 0.6}  # by edit distance; a prefix completion counts as 1
MIN_SCORE = 1.0
# A message must be about the library's subjects: at least MIN_SUBJECT_WORDS of its words
# found in card titles, keywords or topics, or those making up MIN_SUBJECT_SHARE of its words.
MIN_SUBJECT_WORDS = 2
MIN_SUBJECT_SHARE = 1 / 3
RELATIVE_CUTOFF = 0.3  # drop hits scoring under this share of the best one

 # noqa: SIM905 (a word list reads best as words)


@dataclass(frozen=True)
class Hit:
    card: Card
    score: float


@dataclass(frozen=True, slots=True)
class _Posting:
    score: float  # this term's BM25F contribution to the card
    strong: bool  # found in the title or keywords
    body: bool  # found in the body
    topic: bool  # found in the title or blurb of the card's topic


class CardIndex:
    """An immutable index over one Library; build it once, search it many times."""

    def __init__(self, cards: tuple[Card, ...], postings: dict[str, dict[int, _Posting]],
                 folding: dict[tuple[str, ...], tuple[str, ...]], longest_phrase: int,
                 known: frozenset[str], deletes: dict[str, tuple[str, ...]],
                 sorted_words: tuple[str, ...], word_df: dict[str, int]) -> None:
        self._cards = cards
        self._postings = postings
        self._folding = folding
        self._starts = frozenset(phrase[0] for phrase in folding)
        self._longest = longest_phrase
        self._known = known
        self._deletes = deletes
        self._sorted = sorted_words
        self._words = frozenset(sorted_words)
        self._word_df = word_df
        self._subject = frozenset(
            t for t, cards in postings.items() if any(p.strong or p.topic for p in cards.values()))

    # -- building ---------------------------------------------------------------------------

    @classmethod
    def build(cls, library: Library) -> CardIndex:
        folding = folding_table(library.synonyms)
        longest = max((len(k) for k in folding), default=1)
        cards = tuple(library.reading_order()) or tuple(library.cards.values())
        topic_texts = {t.id: [t.title, t.blurb] for t in library.topics}
        # A word in a topic's name ("Sleep", "Gut and skin connection") points to that topic's
        # cards, weighed by how few topic names share it (idf over topics, not cards).
        topic_names = {t.id: {term for term, _ in search_terms(
            ((w, 1.0) for w in normalise(t.title).split()), folding, longest)}
            for t in library.topics}
        n_topics = max(len(topic_names), 1)
        name_df: dict[str, int] = {}
        for names in topic_names.values():
            for term in names:
                name_df[term] = name_df.get(term, 0) + 1

        # term -> card -> weighted field frequencies
        fields: list[dict[str, dict[str, int]]] = []
        surface: dict[str, set[int]] = {}  # every word as written, -> cards it occurs in
        subject: set[str] = set()  # words of titles, keywords and topics: what a typo may mean
        body_lengths: list[int] = []
        for i, card in enumerate(cards):
            per_field: dict[str, dict[str, int]] = {}
            texts = {
                "title": [card.title],
                "keywords": list(card.keywords),
                "topic": topic_texts.get(card.topic, []),
                "body": [card.body],
            }
            body_len = 0
            for field, parts in texts.items():
                counts: dict[str, int] = {}
                for part in parts:
                    words = normalise(part).split()
                    for w in words:
                        surface.setdefault(w, set()).add(i)
                    if field != "body":
                        subject.update(words)
                    for term, _ in search_terms(((w, 1.0) for w in words), folding, longest):
                        counts[term] = counts.get(term, 0) + 1
                        if field == "body":
                            body_len += 1
                if field in ("title", "keywords", "topic"):
                    counts = {t: 1 for t in counts}  # presence, not repetition
                per_field[field] = counts
            fields.append(per_field)
            body_lengths.append(body_len)

        n = len(cards)
        avg_body = (sum(body_lengths) / n) if n else 1.0
        df: dict[str, int] = {}
        for per_field in fields:
            for term in {t for counts in per_field.values() for t in counts}:
                df[term] = df.get(term, 0) + 1

        postings: dict[str, dict[int, _Posting]] = {}
        for i, per_field in enumerate(fields):
            norm = 1 - B + B * (body_lengths[i] / avg_body if avg_body else 1.0)
            terms = {t for counts in per_field.values() for t in counts}
            for term in terms:
                tf = sum(FIELD_WEIGHTS[f] * per_field[f].get(term, 0)
                         for f in ("title", "keywords", "topic"))
                tf += FIELD_WEIGHTS["body"] * per_field["body"].get(term, 0) / norm
                idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
                score = idf * tf * (K1 + 1) / (tf + K1)
                if term in topic_names.get(cards[i].topic, ()):
                    tdf = name_df[term]
                    score += TOPIC_NAME_WEIGHT * math.log(1 + (n_topics - tdf + 0.5) / (tdf + 0.5))
                postings.setdefault(term, {})[i] = _Posting(
                    score=score,
                    strong=any(term in per_field[f] for f in STRONG_FIELDS),
                    body=term in per_field["body"],
                    topic=term in per_field["topic"],
                )

        # Every word the library uses is left as typed. A word it does not use may be corrected
        # to a subject word (titles, keywords, topics, synonyms) or a stop-word, never to a
        # word that only occurs in passing in a body: "making" must not become "taking".
        vocab: dict[str, int] = {w: len(c) for w, c in surface.items()}
        for phrase in folding:
            subject.update(phrase)
        subject.update(STOP_WORDS)
        for w in subject:
            vocab.setdefault(w, 0)
        targets = {w for w in subject if w.isalpha()}
        deletes: dict[str, set[str]] = {}
        for w in targets:
            if len(w) >= 5:
                for d in deletions(w, 2 if len(w) >= 8 else 1):
                    deletes.setdefault(d, set()).add(w)
        return cls(
            cards=cards,
            postings=postings,
            folding=folding,
            longest_phrase=longest,
            known=frozenset(vocab),
            deletes={k: tuple(sorted(v)) for k, v in deletes.items()},
            sorted_words=tuple(sorted(targets)),
            word_df=vocab,
        )

    # -- searching --------------------------------------------------------------------------

    def search(self, text: str, limit: int = 3) -> list[Hit]:
        """The cards that best answer `text`, best first; [] when nothing fits honestly."""
        if limit <= 0 or not text:
            return []
        query, words = self._query(text)
        on_topic = sum(1 for t in query if t in self._subject)
        if on_topic < MIN_SUBJECT_WORDS and on_topic < words * MIN_SUBJECT_SHARE:
            return []  # one subject word lost in a message about something else
        scores: dict[int, float] = {}
        strong: set[int] = set()
        body_terms: dict[int, int] = {}
        for term, weight in query.items():
            for i, posting in self._postings[term].items():
                scores[i] = scores.get(i, 0.0) + weight * posting.score
                if posting.strong:
                    strong.add(i)
                if posting.body:
                    body_terms[i] = body_terms.get(i, 0) + 1
        eligible = [(s, i) for i, s in scores.items()
                    if s >= MIN_SCORE and (i in strong or body_terms.get(i, 0) >= 2)]
        if not eligible:
            return []
        eligible.sort(key=lambda si: (-si[0], si[1]))
        floor = eligible[0][0] * RELATIVE_CUTOFF
        return [Hit(self._cards[i], round(s, 4)) for s, i in eligible[:limit] if s >= floor]

    def _query(self, text: str) -> tuple[dict[str, float], int]:
        """The message as index terms, each with its weight (1.0, less for a corrected typo),
        and how many distinct words it has that are not stop-words (known to the library or
        not): the measure of how much of the message the terms account for."""
        text = first_chars(text)
        # A lone letter ("b" of "B. lactis", or markup like <b>) says nothing about a subject.
        words = [w for w in normalise(text).split() if len(w) > 1 or w.isdigit()][:MAX_WORDS]
        corrected: list[tuple[str, float]] = []
        fixes: dict[str, tuple[str, float]] = {}  # each unknown word is looked at once
        for w in words:
            if w in self._known or not w.isalpha() or len(w) < 4 or stem(w) in self._postings:
                corrected.append((w, 1.0))
                continue
            if w not in fixes:
                fix = (self._correct(w)
                       if len(fixes) < MAX_CORRECTIONS and len(w) <= MAX_WORD else None)
                fixes[w] = fix if fix is not None else (w, 0.0)
            corrected.append(fixes[w])
        result: dict[str, float] = {}
        seen: set[str] = set()
        for term, weight in search_terms(corrected, self._folding, self._longest,
                                         self._starts):
            seen.add(term)
            if weight <= 0.0 or term not in self._postings:
                continue
            if weight > result.get(term, 0.0):
                result[term] = weight
            if len(result) >= MAX_TERMS:
                break
        return result, len(seen)

    def _correct(self, word: str) -> tuple[str, float] | None:
        """The closest known word, with the weight a correction that far earns; or None."""
        edits = allowed_edits(len(word))
        best: tuple[int, int, str] | None = None  # (distance, -frequency, word)
        if edits:
            candidates: set[str] = set()
            for d in deletions(word, edits):
                candidates.update(self._deletes.get(d, ()))
                if d in self._words:
                    candidates.add(d)
            candidates.update(self._deletes.get(word, ()))
            for c in candidates:
                if c[0] != word[0] and c[:2] != word[1::-1]:
                    continue  # people rarely mistype the first letter: "read" is not "bread"
                if len(word) == 4 and not (len(c) == 5 and word in deletions(c, 1)):
                    continue  # a four-letter word may only have dropped a letter
                dist = osa_distance(word, c, edits)
                if dist <= edits:
                    key = (dist, -self._word_df.get(c, 0), c)
                    if best is None or key < best:
                        best = key
        if len(word) >= 5 and (best is None or best[0] > 1):
            # The start of a longer word: "probio", "meditat".
            at = bisect_left(self._sorted, word)
            while at < len(self._sorted) and self._sorted[at].startswith(word):
                c = self._sorted[at]
                key = (1, -self._word_df.get(c, 0), c)
                if best is None or key < best:
                    best = key
                at += 1
        if best is None:
            return None
        return best[2], CORRECTED_WEIGHT[best[0]]
