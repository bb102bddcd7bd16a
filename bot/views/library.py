"""The messages the library browser shows, built from content and a chat's reading history."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from bot.library.model import Card, Topic
from bot.library.next_card import for_reader
from bot.library.render import Renderer
from bot.telegram import callbacks
from bot.telegram.message import Button, Keyboard, Outgoing, keyboard


def topic_buttons(renderer: Renderer) -> Keyboard:
    return keyboard(
        [Button(t.label, data=callbacks.make("topic", t.id))] for t in renderer.library.topics
    )


def welcome(renderer: Renderer, first_name: str, ask_who: bool = False) -> Outgoing:
    """The greeting and the topics; a first private chat is also asked who it is for."""
    label = renderer.library.label
    rows = [list(row) for row in topic_buttons(renderer)]  # topics keep numbers 1-10 in the shell
    if ask_who:
        rows.append([Button(label("who_self"), data=callbacks.make("who", "self")),
                     Button(label("who_child"), data=callbacks.make("who", "child"))])
    return renderer.message("welcome", keyboard(rows), name=first_name or "there",
                            ask_who=ask_who)


def who_saved(renderer: Renderer, who: str) -> Outgoing:
    """After "for me" or "for my child": said back, and the daily card offered at once."""
    label = renderer.library.label
    rows = [[Button(label("reminders_offer"), data=callbacks.make("remind"))],
            [Button(label("topics"), data=callbacks.make("menu"))]]
    return renderer.message("who_saved", keyboard(rows), who=who)


def who_now(renderer: Renderer, who: str | None) -> Outgoing:
    """/who: the answer kept (or none yet) and the two buttons that change it."""
    label = renderer.library.label
    rows = [[Button(label("who_self"), data=callbacks.make("who", "self")),
             Button(label("who_child"), data=callbacks.make("who", "child"))]]
    return renderer.message("who_now", keyboard(rows), who=who)


def topic_menu(renderer: Renderer, template: str = "topic_menu", **context: Any) -> Outgoing:
    """Any short message followed by the topic menu (help, stale buttons, unknown input)."""
    def build() -> Outgoing:
        context.setdefault("example_card", example_card(renderer))
        return renderer.message(template, topic_buttons(renderer), **context)
    if context:  # words of its own (a card id typed, a count): built each time
        return build()
    return renderer.cached(f"topic_menu:{template}", build)


def topic_cards(renderer: Renderer, topic: Topic, read: Collection[str],
                who: str | None = None) -> Outgoing:
    """A topic's cards, those for this reader (a parent, or someone with eczema) first."""
    cards = for_reader(renderer.library.cards_in(topic.id), who)
    label = renderer.library.label
    rows = [[Button(("✓ " if c.id in read else "") + c.title, data=callbacks.make("card", c.id))]
            for c in cards]
    rows.append([Button(label("back_to_topics"), data=callbacks.make("menu"))])
    return renderer.message("topic", keyboard(rows), topic=topic, cards=cards, read=set(read))


def card_view(renderer: Renderer, card: Card) -> Outgoing:
    """A card opened from the library: the same for every reader, so built once."""
    def build() -> Outgoing:
        label = renderer.library.label
        rows = [
            [Button(label("next_card"), data=callbacks.make("next", card.id))],
            [Button(label("back_to_topics"), data=callbacks.make("menu")),
             Button(label("reminders"), data=callbacks.make("remind"))],
        ]
        return renderer.finish(renderer.card_html(card), keyboard(rows))
    return renderer.cached(f"card_view:{card.id}", build)


def example_card(renderer: Renderer) -> str:
    order = renderer.library.reading_order()
    return order[0].id if order else "fibre"


def shared_card(renderer: Renderer, card: Card) -> Outgoing:
    """A card shared into another chat by inline mode: it links back to the bot."""
    return renderer.finish(renderer.card_html(card))


def nearest_cards(renderer: Renderer, typed: str, cards: list[Card]) -> Outgoing:
    """No card has the id typed after /card: the cards a search finds for it, then topics."""
    if not cards:
        return topic_menu(renderer, "unknown_card", card_id=typed)
    label = renderer.library.label
    rows = [[Button(c.title, data=callbacks.make("card", c.id))] for c in cards[:3]]
    rows.append([Button(label("topics"), data=callbacks.make("menu"))])
    return renderer.message("unknown_card", keyboard(rows), card_id=typed, suggestions=True,
                            example_card=example_card(renderer))
