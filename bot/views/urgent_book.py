"""The book of urgent replies: every reply the planner can give, as a person would receive it,
written to docs/urgent-replies.md by `python -m bot urgent-book` so that a clinician can
review them all in one sitting. tests/test_urgent_book.py fails when the book is stale."""

from __future__ import annotations

from bot.library.render import Renderer
from bot.library.triage import Finding, Rule
from bot.library.urgent_plan import SITUATIONS
from bot.views.triage import triage_reply

# (what the person wrote, a note for the reviewer): the variants of one situation that the
# plan tells apart; every other situation is shown once.
VARIANTS: dict[str, tuple[tuple[str, str], ...]] = {
    "overdose": (("my toddler swallowed some tablets", "someone else took it: no crisis lines"),
                 ("I took all my tablets", "the writer took it: spoken to 'you', crisis lines")),
}
COUNTRIES = (("GB", "the chat's country is known (UK, from its time zone)"),
             (None, "the country is not known"))


def _finding(tier: str, situation: str, crisis_too: bool, language: str | None) -> Finding:
    rules = [Rule(id=situation, tier=tier, guidance=situation, why="", all=(), within=0)]
    if crisis_too:
        rules.append(Rule(id="crisis", tier="crisis", guidance="crisis", why="", all=(),
                          within=0))
    return Finding(tuple(rules), language)


def book(renderer: Renderer) -> str:
    """The whole book as Markdown: one section per situation, each reply in full."""
    helplines = renderer.library.helplines
    assert helplines is not None
    out = ["# The urgent replies, as a person receives them", "",
           "Written by `python -m bot urgent-book` from content/templates/triage_*.html.j2,",
           "content/helplines.yaml and bot/library/urgent_plan.py; do not edit by hand.",
           "Each reply is one plan for the most urgent situation found (see urgent_plan.py).",
           "Text in **bold** is bold in Telegram; the last line of each is the disclaimer.",
           ""]
    for tier, situations in SITUATIONS.items():
        for situation in situations:
            out += [f"## {tier}: {situation}", ""]
            variants = VARIANTS.get(situation, (("", ""),))
            if tier == "emergency" and situation != "overdose":
                variants += (("", "with crisis signs too (e.g. a deliberate act)"),)
            for text, note in variants:
                crisis_too = "crisis signs" in note
                for code, where in COUNTRIES:
                    for language in ((None, "es") if code is None else (None,)):
                        here = helplines.countries.get(code or "")
                        others = [helplines.countries[c] for c in helplines.default
                                  if c != code]
                        finding = _finding(tier, situation, crisis_too, language)
                        reply = triage_reply(renderer, finding, here, others, [], text)
                        title = "; ".join(x for x in (
                            note, where, "written in Spanish" if language else "",
                            f"message: \"{text}\"" if text else "") if x)
                        out += [f"### {title}", "", _markdown(reply.text), ""]
    return "\n".join(out).rstrip() + "\n"


def _markdown(html: str) -> str:
    """Telegram HTML as Markdown a reviewer reads: bold kept, line breaks kept."""
    text = html.replace("<b>", "**").replace("</b>", "**").replace("<i>", "_") \
        .replace("</i>", "_").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") \
        .replace("&#x27;", "'").replace("&quot;", '"')
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())
