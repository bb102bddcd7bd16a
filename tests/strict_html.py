"""A strict, independent reading of Telegram's HTML parse mode, for the fuzz and fault runs.

It shares no code with bot/telegram_html.py (the bot's own checker): a bug there cannot hide
here. Written from https://core.telegram.org/bots/api#html-style and stricter where the
documentation is vague:

- tags: b strong i em u ins s strike del tg-spoiler span a code pre blockquote tg-emoji;
  span only as class="tg-spoiler", a needs href (http, https, tg or mailto), tg-emoji needs a
  numeric emoji-id, code may carry class="language-..." only directly inside pre, blockquote
  may carry expandable; attribute values in double quotes, none twice;
- every tag closed in order; pre and code hold no other tag; no blockquote in a blockquote
  and no link in a link;
- entities: &lt; &gt; &amp; &quot; and numeric ones only; no bare & or < or >;
- valid UTF-8 (no lone surrogates), not empty, at most 4,096 UTF-16 units of visible text
  (1,024 for a caption).

`NEGATIVE_CONTROLS` are texts Telegram rejects: a run first proves that every one of them is
caught (and every one of `POSITIVE_CONTROLS` passes), or its zero means nothing.
"""

from __future__ import annotations

import html
import re

TAGS = frozenset({"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "tg-spoiler",
                  "span", "a", "code", "pre", "blockquote", "tg-emoji"})
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
SCHEMES = ("http://", "https://", "tg://", "mailto:")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=<>/\"']+(?:=\"[^\"<>]*\")?)*)\s*>")
_ATTR = re.compile(r"\s+([^\s=<>/\"']+)(?:=\"([^\"<>]*)\")?")
_ENTITY = re.compile(r"&(?:#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z][a-zA-Z0-9]*));")


def problems(text: str, *, caption: bool = False) -> list[str]:
    """Every reason Telegram would refuse `text` as HTML; empty when it would take it."""
    found: list[str] = []
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        found.append("not valid UTF-8 (a lone surrogate)")
    stack: list[str] = []
    visible: list[str] = []
    at = 0
    while at < len(text):
        char = text[at]
        if char == "<":
            match = _TAG.match(text, at)
            if match is None:
                found.append(f"'<' at {at} starts no valid tag")
                at += 1
                continue
            found.extend(_tag(match, stack))
            at = match.end()
        elif char == "&":
            match = _ENTITY.match(text, at)
            if match is None:
                found.append(f"bare '&' at {at}")
                at += 1
                continue
            decoded = _entity(match)
            if decoded is None:
                found.append(f"entity {match.group(0)} is not one Telegram knows")
            else:
                visible.append(decoded)
            at = match.end()
        elif char == ">":
            found.append(f"bare '>' at {at}")
            at += 1
        else:
            visible.append(char)
            at += 1
    if stack:
        found.append(f"<{stack[-1]}> is never closed")
    plain = "".join(visible)
    if not plain.strip():
        found.append("no visible text")
    units = len(plain.encode("utf-16-le", "surrogatepass")) // 2
    limit = 1024 if caption else 4096
    if units > limit:
        found.append(f"{units} UTF-16 units of visible text, over {limit}")
    return found


def _entity(match: re.Match[str]) -> str | None:
    decimal, hexadecimal, name = match.groups()
    if name is not None:
        return NAMED_ENTITIES.get(name)
    number = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if number == 0 or number > 0x10FFFF or 0xD800 <= number <= 0xDFFF:
        return None
    return chr(number)


def _tag(match: re.Match[str], stack: list[str]) -> list[str]:
    closing, name, raw_attrs = match.group(1) == "/", match.group(2), match.group(3)
    if name != name.lower() or name not in TAGS:
        return [f"tag <{name}> is not one Telegram knows"]
    if closing:
        if raw_attrs.strip():
            return [f"</{name}> carries attributes"]
        if not stack or stack[-1] != name:
            return [f"</{name}> closes {'<' + stack[-1] + '>' if stack else 'nothing'}"]
        stack.pop()
        return []
    found = []
    attrs: dict[str, str | None] = {}
    for attr in _ATTR.finditer(raw_attrs):
        if attr.group(1) in attrs:
            found.append(f"<{name}> has {attr.group(1)} twice")
        attrs[attr.group(1)] = attr.group(2)
    found.extend(_attributes(name, attrs, stack))
    if stack and stack[-1] in ("pre", "code") and not (name == "code" and stack[-1] == "pre"):
        found.append(f"<{name}> inside <{stack[-1]}>")
    if name == "blockquote" and "blockquote" in stack:
        found.append("a blockquote inside a blockquote")
    if name == "a" and "a" in stack:
        found.append("a link inside a link")
    stack.append(name)
    return found


def _attributes(name: str, attrs: dict[str, str | None], stack: list[str]) -> list[str]:
    found = []
    allowed: dict[str, str | None] = {"span": "class", "a": "href", "code": "class",
                                      "tg-emoji": "emoji-id", "blockquote": "expandable"}
    for key in attrs:
        if allowed.get(name) != key:
            found.append(f"<{name}> cannot carry {key}")
    value = attrs.get(allowed.get(name) or "")
    if name == "span" and value != "tg-spoiler":
        found.append("<span> must be class=\"tg-spoiler\"")
    if name == "a":
        href = html.unescape(value or "")
        if not href.startswith(SCHEMES) or any(c.isspace() for c in href):
            found.append(f"<a> needs an http(s), tg or mailto href, not {value!r}")
    if name == "code" and "class" in attrs:
        if not (value or "").startswith("language-") or len(value or "") == len("language-"):
            found.append(f"<code> class must be language-..., not {value!r}")
        if not stack or stack[-1] != "pre":
            found.append("a code language outside <pre>")
    if name == "tg-emoji" and not (value or "").isdigit():
        found.append("<tg-emoji> needs a numeric emoji-id")
    if name == "blockquote" and "expandable" in attrs and attrs["expandable"] is not None:
        found.append("expandable takes no value")
    return found


NEGATIVE_CONTROLS = [
    "<b>never closed",
    "<i>crossed <b>tags</i></b>",
    "</b>closing nothing",
    "<script>alert(1)</script>",
    "<B>upper case</B>",
    "a bare & ampersand",
    "a bare < less-than",
    "a bare > greater-than",
    "&nbsp; is not one of Telegram's entities",
    "&#0; is no character",
    "&#xD800; is a surrogate",
    '<a href="javascript:alert(1)">link</a>',
    "<a>no href</a>",
    "<a href='single quotes'>x</a>",
    '<a href="https://example.com/a"b">broken quote</a>',
    '<a href="https://a.example" href="https://b.example">twice</a>',
    '<a href="https://a.example"><a href="https://b.example">nested</a></a>',
    '<span class="other">x</span>',
    '<code class="python">x</code>',
    '<code class="language-python">outside pre</code>',
    "<pre><b>bold in pre</b></pre>",
    "<code><i>italic in code</i></code>",
    "<blockquote>a<blockquote>b</blockquote></blockquote>",
    '<blockquote expandable="yes">x</blockquote>',
    '<tg-emoji emoji-id="abc">x</tg-emoji>',
    '<b class="x">attribute on b</b>',
    '<tg-time unix="1">now</tg-time>',
    "lone surrogate \ud800",
    "<b></b>",
    "   ",
    "x" * 4097,
]
POSITIVE_CONTROLS = [
    "plain text",
    "<b>bold</b> <i>italic</i> <u>u</u> <s>s</s> <tg-spoiler>sp</tg-spoiler>",
    '<a href="https://example.com/a?x=1&amp;y=2">link &amp; &quot;quote&quot;</a>',
    '<pre><code class="language-python">print(1 &lt; 2)</code></pre>',
    '<blockquote expandable>quoted <b>bold</b></blockquote>',
    '<span class="tg-spoiler">x</span> <tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
    "&#128512; &#x1F600; &lt;tag&gt;",
    "x" * 4096,
    "😀" * 2048,  # 4,096 UTF-16 units
]


def controls() -> tuple[int, int, list[str]]:
    """(negatives caught, positives passed, what went wrong) for the controls above."""
    wrong = [f"not caught: {t[:60]!r}" for t in NEGATIVE_CONTROLS if not problems(t)]
    wrong += [f"refused: {t[:60]!r}: {problems(t)}" for t in POSITIVE_CONTROLS if problems(t)]
    caught = sum(1 for t in NEGATIVE_CONTROLS if problems(t))
    passed = sum(1 for t in POSITIVE_CONTROLS if not problems(t))
    return caught, passed, wrong
