"""What Telegram's HTML parse mode accepts, checked before anything is sent or loaded."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

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


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}> is not allowed by Telegram")
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


def problems(text: str) -> list[str]:
    """Every reason Telegram's HTML parser would reject this text (empty when it is fine)."""
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
