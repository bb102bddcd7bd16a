"""The answer to a question: the best card's opening (its caution kept), the next best as
buttons, and a warm word for a bare hello or thank-you."""

from __future__ import annotations

import re
import unicodedata

from bot.library.render import Renderer
from bot.library.search import Hit
from bot.library.words import normalise
from bot.telegram import callbacks
from bot.telegram.message import Button, Outgoing, keyboard
from bot.views import library as views

EXCERPT_CHARS = 320
# The warning-signs card lists symptoms (fever, blisters, swelling) so that a person asking
# about them finds it; as the first answer to a message that only names one in passing ("a
# fever of enthusiasm for kefir", "a blister from new shoes") it alarmed for nothing. After a
# calm triage it leads only when the question asks about warning signs or getting help.
WARNING_CARD = "urgent-warning-signs"
_ASKS_FOR_HELP = re.compile(
    r"\b(?:warning|signs?|symptoms?|urgent|emergency|ambulance|a ?& ?e|er|hospital|doctor|gp|"
    r"999|911|000|112|111|serious|worried|worry|when (?:to|should|do))\b", re.IGNORECASE)


def calm_order(hits: list[Hit], question: str) -> list[Hit]:
    """The hits for a question the triage found nothing urgent in: the warning-signs card
    moved behind the others, or dropped when it was the only one, unless help is asked for."""
    if not hits or hits[0].card.id != WARNING_CARD or _ASKS_FOR_HELP.search(question):
        return hits
    return hits[1:] + hits[:1] if len(hits) > 1 else []


def answer(renderer: Renderer, hits: list[Hit], feedback_id: int | None = None, *,
           ask_team: bool = False) -> Outgoing:
    """The best card's opening with a button to read it all, up to two more as buttons, and
    👍 / 👎 (was this what you needed?) when the question was recorded. With no card, the
    topics, and with `ask_team` the community's team too."""
    label = renderer.library.label
    if not hits:
        out = views.topic_menu(renderer, "no_answer")
        if not ask_team:
            return out
        return renderer.with_buttons(out, (*out.buttons, (Button(
            label("ask_team"), data=callbacks.make("hm", "ask")),)))
    best, others = hits[0].card, [h.card for h in hits[1:3]]
    rows = [[Button(label("open_card"), data=callbacks.make("card", best.id))]]
    rows += [[Button(c.title, data=callbacks.make("card", c.id))] for c in others]
    if feedback_id:
        rows.append([Button(label("helpful_yes"), data=callbacks.make("fb", f"{feedback_id}:y")),
                     Button(label("helpful_no"), data=callbacks.make("fb", f"{feedback_id}:n"))])
    rows.append([Button(label("topics"), data=callbacks.make("menu"))])
    # The text depends on the cards alone (the buttons carry the question's own id): built
    # once for each set of cards found, not rendered and checked again for every question.
    text = renderer.cached(
        "answer:" + ",".join(c.id for c in (best, *others)),
        lambda: renderer.message("answer", card=best, excerpt=excerpt(best.body),
                                 more=[c.title for c in others]))
    return renderer.with_buttons(text, keyboard(rows))


def excerpt(body: str, limit: int = EXCERPT_CHARS) -> str:
    """The card's first lines as plain text: whole lines, or whole sentences of a long one."""
    plain = re.sub(r"\*\*|(?<!\w)_|_(?!\w)", "", body)
    plain = re.sub(r"^- ", "• ", plain, flags=re.M)
    kept: list[str] = []
    for line in plain.splitlines():
        if sum(len(k) + 1 for k in kept) + len(line) > limit:
            break
        kept.append(line)
    if kept:
        return "\n".join(kept).strip()
    sentences = re.split(r"(?<=[.?!])\s+", plain)
    text = ""
    for sentence in sentences:
        if len(text) + len(sentence) > limit:
            break
        text = f"{text} {sentence}".strip()
    return text or plain[: limit - 1].rstrip() + "…"


# A number alone: in the local shell typing one presses a button, and people carry the habit
# over ("3", "[3]", "2.1"). With no such button it is not a question, and not a gap in the
# cards either.
_BARE_NUMBER = re.compile(r"^[\[(#№]?\s*(\d{1,6}(?:[.,]\d{1,3})?)\s*[\]).]?$")
# Emoji that say thanks or "good": a lone 👍 after an answer is a thank-you.
_THANKS_EMOJI = frozenset(
    "👍👌👏🙏🙌🤝🫶❤♥💛💙💚💜🧡🤍🖤🤎💕💖💗💓💞💝😊🙂☺😀😃😄😁😍🥰🤗😘🤩🥳✅💯⭐🌟✨🌸🌷🌺🌻💐🎉")
# What joins and shades an emoji without being one: variation selectors, the zero-width
# joiner, skin tones, and the spaces between several.
_EMOJI_GLUE = frozenset("\ufe0e\ufe0f\u200d\u20e3 ") | {chr(c) for c in range(0x1F3FB, 0x1F400)}


def not_a_question(renderer: Renderer, text: str) -> Outgoing | None:
    """A message that is not words at all: a number with no button to press, or emoji
    alone. Each is answered as what it is, and none is searched (nor kept for /gaps)."""
    stripped = text.strip()
    number = _BARE_NUMBER.match(stripped)
    if number:
        return views.topic_menu(renderer, "no_such_button", number=number.group(1))
    marks = [ch for ch in stripped if ch not in _EMOJI_GLUE and not ch.isspace()]
    if not marks or not all(unicodedata.category(ch) == "So" for ch in marks):
        return None
    if any(ch in _THANKS_EMOJI for ch in marks):
        return renderer.message("small_talk_thanks")
    return views.topic_menu(renderer, "emoji_only")


SMALL_TALK = {
    "greeting": re.compile(r"^(hi|hello|hey|hiya|good (morning|afternoon|evening)|yo|howdy)\b"),
    "thanks": re.compile(r"^(thanks|thank you|thx|ty|cheers|ta)\b"),
}


def small_talk(renderer: Renderer, text: str) -> Outgoing | None:
    """A bare hello or thank-you gets a warm word, not a search."""
    words = normalise(text).strip()
    if len(words.split()) > 4:
        return None  # "hi, is kefir good for kids?" is a question
    for kind, pattern in SMALL_TALK.items():
        if pattern.match(words):
            return views.topic_menu(renderer, f"small_talk_{kind}") if kind == "greeting" \
                else renderer.message(f"small_talk_{kind}")
    return None
