"""Words for the search: stems, synonym folding and the spelling corrections a tired thumb
needs, each cheap enough to run on every word of a question."""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Iterator, Mapping

from bot.library.words import normalise

MAX_CHARS = 3000  # of a message, read at all (about 500 words; a phone screen is ~100)

# Words that carry no subject in a question about eczema, in their normalised form
# (apostrophes dropped: "don't" -> "dont"): English function words, chat filler, the frame of a
# question ("is X good", "does X help", "does X make it worse", "I read that X"), "live"
# (mostly "to live"; "live cultures" keeps its noun), and "eczema" itself: every card is about
# it, so it cannot tell cards apart (its misspellings and "atopic dermatitis" fold onto it
# through synonyms.yaml first). They are properties of English and of the whole library, not
# of any card, so they live here; subject words and their everyday variants live in content/
# (card keywords, synonyms.yaml), where editors can add them without touching code.
# Words that carry no subject in a question about eczema, in their normalised form
# (apostrophes dropped: "don't" -> "dont"): English function words, chat filler, the frame of a
# question ("is X good", "does X help", "does X make it worse", "I read that X"), "live"
# (mostly "to live"; "live cultures" keeps its noun), and "eczema" itself: every card is about
# it, so it cannot tell cards apart (its misspellings and "atopic dermatitis" fold onto it
# through synonyms.yaml first). They are properties of English and of the whole library, not
# of any card, so they live here; subject words and their everyday variants live in content/
# (card keywords, synonyms.yaml), where editors can add them without touching code.
# Words that carry no subject in a question about eczema, in their normalised form
# (apostrophes dropped: "don't" -> "dont"): English function words, chat filler, the frame of a
# question ("is X good", "does X help", "does X make it worse", "I read that X"), "live"
# (mostly "to live"; "live cultures" keeps its noun), and "eczema" itself: every card is about
# it, so it cannot tell cards apart (its misspellings and "atopic dermatitis" fold onto it
# through synonyms.yaml first). They are properties of English and of the whole library, not
# of any card, so they live here; subject words and their everyday variants live in content/
# (card keywords, synonyms.yaml), where editors can add them without touching code.
_STOP_WORDS_TEXT = """
    a about above after again against all also am an and any anyone anything are as at
    be because been before being below between both but by
    can cant could couldnt did didnt do does doesnt doing done dont down during
    each either else etc even ever every few for from further
    get gets getting got had hadnt has hasnt have havent having he hed hes her here hers
    herself him himself his how hows
    i id ie if ill im in into is isnt it its itself ive just know let lets like likely
    may me might mine more most much must mustnt my myself
    no nor not now of off oh ok okay on once one only or other others ought our ours
    ourselves out over own please pls plz really same say says shall she shed should
    shouldnt so some someone something such tell than thank thanks that thats the their
    theirs them themselves then there theres these they theyd theyll theyre theyve thing
    things think this those though through to too u under until up upon ur us very
    want wanted wants was wasnt way we wed well were werent weve what whats when whens
    where wheres whether which while who whos whom why whys will with wont would wouldnt
    yeah yes yet you youd youll your youre yours yourself yourselves youve
    hi hello hey hiya
    good bad better worse best worst help helps helped helping helpful
    make makes making made take takes taking took give gives giving gave
    go goes going went work works worked working matter matters affect affects
    need needs needed mean means meant meaning live lives lived living
    read heard hear saw seen said told
    eczema
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

_LAST_WORD = re.compile(r"\S+\Z")


# Runs of whitespace (newlines, U+3000 ideographic spaces...) and of the blank characters
# that pad a message invisibly (zero-width spaces and joiners, the word joiner, the BOM,
# Hangul fillers, the blank Braille pattern). They separate words and say nothing else.
_PADDING = re.compile(r"[\s\u200b-\u200d\u2060\ufeff\u115f\u1160\u3164\uffa0\u2800]+")
# Telegram's messages stop at 4,096 characters; squeezing reads at most this many of any text.
_SQUEEZED_AT_MOST = 8 * MAX_CHARS


def first_chars(text: str) -> str:
    """The first MAX_CHARS characters once each run of padding is one space, without a word
    the cut went through: "fibre" after 4,000 newlines or ideographic spaces is still read
    (padding cost the question its words when it counted towards the limit)."""
    if len(text) <= MAX_CHARS:
        return text
    text = _PADDING.sub(" ", text[:_SQUEEZED_AT_MOST])
    if len(text) <= MAX_CHARS:
        return text
    head = text[:MAX_CHARS]
    if not text[MAX_CHARS].isspace():
        head = _LAST_WORD.sub("", head)
    return head


def allowed_edits(length: int) -> int:
    """How many typing slips a word of this length may hold and still be recognised."""
    if length <= 3:
        return 0
    if length <= 7:
        return 1  # four-letter words: a dropped letter only (checked in _correct)
    return 2


def folding_table(synonyms: Mapping[str, tuple[str, ...]]
                   ) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Normalised variant phrase -> the canonical phrase's words (canonical maps to itself)."""
    table: dict[tuple[str, ...], tuple[str, ...]] = {}
    for canonical, variants in synonyms.items():
        target = tuple(normalise(canonical).split())
        if not target:
            continue
        table.setdefault(target, target)
        for variant in variants:
            key = tuple(normalise(variant).split())
            if key:
                table.setdefault(key, target)
    return table


def search_terms(words: Iterable[tuple[str, float]],
                 folding: dict[tuple[str, ...], tuple[str, ...]],
                 longest: int, starts: Container[str] | None = None
                 ) -> Iterator[tuple[str, float]]:
    """Fold synonym phrases (longest first), drop stop-words, stem what is left. `starts`,
    the first words of the folding's phrases, lets a word that starts none skip the look-ups."""
    seq = list(words)
    i = 0
    while i < len(seq):
        out: tuple[str, ...] = (seq[i][0],)
        weight = seq[i][1]
        step = 1
        reach = min(longest, len(seq) - i) if starts is None or seq[i][0] in starts else 0
        for n in range(reach, 0, -1):
            key = tuple(w for w, _ in seq[i:i + n])
            target = folding.get(key)
            if target is not None:
                out, step = target, n
                weight = min(wt for _, wt in seq[i:i + n])
                break
        for w in out:
            if w not in STOP_WORDS:
                yield stem(w), weight
        i += step


def stem(word: str) -> str:
    """A light, predictable English stem, the same for cards and messages.

    Not a linguist's stem, only enough that the forms of one word meet: probiotics and
    probiotic, sleeping and sleep, causes and caused, moisturizer and moisturiser.
    """
    if len(word) > 5 and "iz" in word:
        word = word.replace("iz", "is")  # moisturizer -> moisturiser
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"  # babies -> baby
    if len(word) > 5 and word.endswith("ing"):
        word = undo_suffix(word[:-3])  # sleeping -> sleep, caring -> care
    elif len(word) > 5 and word.endswith("ed"):
        word = undo_suffix(word[:-2])  # fermented -> ferment
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]  # probiotics -> probiotic
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]  # cause, causes, caused -> caus
    return word


def undo_suffix(stem: str) -> str:
    """What is left of a word after -ing or -ed, made to meet the word's plain form."""
    if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
        return stem[:-1]  # running -> run
    if len(stem) == 3 and stem[0] not in VOWELS and stem[1] in VOWELS and stem[2] not in VOWELS:
        return stem + "e"  # waking -> wake, caring -> care
    return stem


VOWELS = frozenset("aeiou")


def deletions(word: str, depth: int) -> set[str]:
    """Every string made by removing up to `depth` letters from word."""
    found: set[str] = set()
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def osa_distance(a: str, b: str, limit: int) -> int:
    """Edit distance counting a swap of neighbours as one slip; limit + 1 when beyond limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]
