"""What Telegram's HTML parse mode accepts, checked before anything is sent or loaded."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from html.parser import HTMLParser

from telegram import MessageEntity

# The tags Telegram's HTML parse mode knows (https://core.telegram.org/bots/api#html-style).
ALLOWED_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
     "tg-spoiler", "span", "blockquote", "tg-emoji"}
)
MAX_MESSAGE_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
_NAMED_ENTITIES = frozenset({"lt", "gt", "amp", "quot"})
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
# The attributes each tag may carry, and what their values must look like.
_ATTRIBUTES: dict[str, dict[str, re.Pattern[str]]] = {
    "a": {"href": re.compile(r".+", re.S)},
    "span": {"class": re.compile(r"tg-spoiler")},
    "code": {"class": re.compile(r"language-[^\s\"]+")},
    "tg-emoji": {"emoji-id": re.compile(r"[0-9]+")},
    "blockquote": {"expandable": re.compile(r"")},
}
# A start tag as this bot writes one: every value in double quotes, none containing a quote.
_START_TAG = re.compile(r'<[a-z][a-z-]*(?:\s+[a-z][a-z-]*(?:="[^"<>]*")?)*\s*>')


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}> is not allowed by Telegram")
        raw = self.get_starttag_text() or ""
        if not _START_TAG.fullmatch(raw):
            self.problems.append(f"{raw[:40]}: attribute values must be in double quotes, "
                                 "with any quote inside them written &quot;")
        allowed = _ATTRIBUTES.get(tag, {})
        for name, value in attrs:
            rule = allowed.get(name)
            if rule is None or not rule.fullmatch(value or ""):
                self.problems.append(f"<{tag}> cannot have {name}={value!r}")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"closing </{tag}> does not match an open tag")
            return
        self.stack.pop()

    def handle_entityref(self, name: str) -> None:
        if name not in _NAMED_ENTITIES:
            self.problems.append(f"entity &{name}; is not one Telegram knows")

    def unknown_decl(self, data: str) -> None:
        self.problems.append("markup declaration is not allowed")


# The quick pass: a tag as this bot writes one, its attributes, and an "&" that starts no
# entity Telegram knows.
_QUICK_TAG = re.compile(r'<(/?)([a-z][a-z-]*)((?:\s+[a-z][a-z-]*(?:="[^"<>]*")?)*)\s*>')
_QUICK_ATTRIBUTE = re.compile(r'([a-z][a-z-]*)(?:="([^"]*)")?')
_BAD_AMPERSAND = re.compile(r"&(?!(?:#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);)")


def _plainly_fine(text: str) -> bool:
    """True for the usual message (known tags, closed in order, quoted attributes, known
    entities) in one pass of two regexes; False means "look closely", not "wrong"."""
    if _BAD_AMPERSAND.search(text):
        return False
    stack: list[str] = []
    last = 0
    for tag in _QUICK_TAG.finditer(text):
        if "<" in text[last:tag.start()]:
            return False
        last = tag.end()
        closing, name, attributes = tag.groups()
        if name not in ALLOWED_TAGS:
            return False
        if closing:
            if attributes or not stack or stack.pop() != name:
                return False
            continue
        allowed = _ATTRIBUTES.get(name, {})
        for attribute in _QUICK_ATTRIBUTE.finditer(attributes):
            rule = allowed.get(attribute[1])
            if rule is None or not rule.fullmatch(attribute[2] or ""):
                return False
        stack.append(name)
    return not stack and "<" not in text[last:]


def problems(text: str) -> list[str]:
    """Every reason Telegram's HTML parser would reject this text (empty when it is fine).

    Every message passes here before it is sent: the quick pass clears the usual one at a
    tenth of the full parse's cost, and anything it is unsure of gets the full parse."""
    return [] if _plainly_fine(text) else parsed_problems(text)


def parsed_problems(text: str) -> list[str]:
    """problems() by a full parse, always."""
    checker = _Checker()
    # A bare "&" not starting an entity is rejected by Telegram; HTMLParser would let it pass.
    for match in re.finditer(r"&", text):
        if not _ENTITY.match(text, match.start()):
            checker.problems.append("bare '&' must be written &amp;")
            break
    checker.feed(text)
    checker.close()
    if checker.stack:
        checker.problems.append(f"<{checker.stack[-1]}> is never closed")
    if "<" in checker.rawdata:
        checker.problems.append("a '<' that starts no tag must be written &lt;")
    return checker.problems


def visible_length(text: str) -> int:
    """Length as Telegram counts it: tags removed, entities decoded, in UTF-16 code units."""
    return len(to_plain(text).encode("utf-16-le")) // 2


def to_plain(text: str) -> str:
    """Telegram HTML as a terminal shows it: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]*>", "", text))


# --- a message a person formatted, as Telegram HTML ---------------------------------------------
_WRAPPERS = {
    MessageEntity.BOLD: ("<b>", "</b>"),
    MessageEntity.ITALIC: ("<i>", "</i>"),
    MessageEntity.UNDERLINE: ("<u>", "</u>"),
    MessageEntity.STRIKETHROUGH: ("<s>", "</s>"),
    MessageEntity.SPOILER: ("<tg-spoiler>", "</tg-spoiler>"),
    MessageEntity.CODE: ("<code>", "</code>"),
    MessageEntity.BLOCKQUOTE: ("<blockquote>", "</blockquote>"),
    MessageEntity.EXPANDABLE_BLOCKQUOTE: ("<blockquote expandable>", "</blockquote>"),
}


def from_entities(text: str | None, entities: Sequence[MessageEntity]) -> str:
    """A message's text and its formatting entities as Telegram HTML that Telegram accepts.

    PTB's `text_html` is not that: it leaves a link's URL unescaped (`&` is rejected, a `"`
    closes the attribute early), names a code block's language without `language-`, and writes
    a date as `<tg-time>`. Here every text and attribute value is escaped, dates and
    other entities that are not formatting (mentions, hashtags, plain URLs) stay plain text.
    """
    if not text:
        return ""
    units = text.encode("utf-16-le")  # entity offsets count UTF-16 code units
    ordered = sorted(entities, key=lambda e: (e.offset, -e.length))
    return _html_between(units, ordered, 0, len(units) // 2)


def _html_between(units: bytes, entities: list[MessageEntity], start: int, end: int) -> str:
    parts: list[str] = []
    at = start
    i = 0
    while i < len(entities):
        entity = entities[i]
        stop = min(entity.offset + entity.length, end)
        j = i + 1
        while j < len(entities) and entities[j].offset < stop:
            j += 1  # entities that start inside this one are rendered inside it
        if at <= entity.offset < stop:
            inside = [e for e in entities[i + 1:j] if e.offset + e.length <= stop]
            parts.append(_text(units, at, entity.offset))
            parts.append(_wrap(entity, _html_between(units, inside, entity.offset, stop)))
            at = stop
        i = j
    parts.append(_text(units, at, end))
    return "".join(parts)


def _text(units: bytes, start: int, end: int) -> str:
    return html.escape(units[start * 2:end * 2].decode("utf-16-le", errors="replace"),
                       quote=False)


def _attribute(value: object) -> str:
    return html.escape(str(value), quote=True)


def _wrap(entity: MessageEntity, inner: str) -> str:
    if entity.type in _WRAPPERS:
        opening, closing = _WRAPPERS[entity.type]
        return f"{opening}{inner}{closing}"
    if entity.type == MessageEntity.PRE:
        if entity.language:
            return (f'<pre><code class="language-{_attribute(entity.language)}">{inner}'
                    "</code></pre>")
        return f"<pre>{inner}</pre>"
    if entity.type == MessageEntity.TEXT_LINK and entity.url:
        return f'<a href="{_attribute(entity.url)}">{inner}</a>'
    if entity.type == MessageEntity.TEXT_MENTION and entity.user:
        return f'<a href="tg://user?id={int(entity.user.id)}">{inner}</a>'
    if entity.type == MessageEntity.CUSTOM_EMOJI and entity.custom_emoji_id:
        return f'<tg-emoji emoji-id="{_attribute(entity.custom_emoji_id)}">{inner}</tg-emoji>'
    return inner  # date_time, mention, hashtag, url, email...: the text as written
