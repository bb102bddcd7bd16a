"""What moderators see while preparing a campaign, and what subscribers receive from one."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from bot.library import dates
from bot.library.render import Renderer
from bot.library.triage import Rule
from bot.store.campaigns import ALL, GROUPS, ME, TOPIC_PREFIX, Campaign
from bot.telegram import callbacks
from bot.telegram.html import to_plain
from bot.telegram.message import Button, Outgoing, keyboard


def _bc(campaign_id: int, step: str) -> str:
    return callbacks.make("bc", f"{campaign_id}:{step}")


def delivered(renderer: Renderer, campaign: Campaign) -> Outgoing:
    """The message every recipient gets (the moderator's preview is this, exactly)."""
    library = renderer.library
    if campaign.kind == "card":
        card = library.cards.get(campaign.card_id or "")
        if card is None:
            raise LookupError(f"card {campaign.card_id!r} is no longer in the library")
        rows = [[Button(library.label("next_card"), data=callbacks.make("next", card.id))],
                [Button(library.label("topics"), data=callbacks.make("menu"))]]
        return renderer.message("pushed_card", keyboard(rows),
                                card_html=Markup(renderer.card_html(card)))
    return renderer.message("broadcast", photo=campaign.photo, body=Markup(campaign.body_html))


def describe_audience(renderer: Renderer, audience: str) -> str:
    if audience == ALL:
        return "all subscribers"
    if audience == GROUPS:
        return "groups and channels"
    if audience == ME:
        return "only you (a test)"
    topic = renderer.library.topic(audience.removeprefix(TOPIC_PREFIX))
    return f"followers of “{topic.title}”" if topic else audience


def audiences(renderer: Renderer, campaign_id: int, counts: dict[str, int]) -> Outgoing:
    label = renderer.library.label
    rows = [
        [Button(label("audience_all").format(n=counts[ALL]), data=_bc(campaign_id, "all"))],
        [Button(label("audience_topic"), data=_bc(campaign_id, "topics"))],
        [Button(label("audience_groups").format(n=counts[GROUPS]),
                data=_bc(campaign_id, "groups"))],
        [Button(label("audience_me"), data=_bc(campaign_id, "me"))],
        [Button(label("cancel"), data=_bc(campaign_id, "x"))],
    ]
    return renderer.message("campaign_audience", keyboard(rows))


def topic_audiences(renderer: Renderer, campaign_id: int, counts: dict[str, int]) -> Outgoing:
    label = renderer.library.label
    rows = [[Button(label("topic_count").format(topic=t.label, n=counts.get(t.id, 0)),
                    data=_bc(campaign_id, f"t{i}"))]
            for i, t in enumerate(renderer.library.topics)]
    rows.append([Button(label("back"), data=_bc(campaign_id, "back"))])
    return renderer.message("campaign_topics", keyboard(rows))


def confirm(renderer: Renderer, campaign: Campaign, recipients: int) -> Outgoing:
    label = renderer.library.label
    rows = [[Button(label("send_now"), data=_bc(campaign.id, "now")),
             Button(label("schedule"), data=_bc(campaign.id, "sch"))],
            [Button(label("cancel"), data=_bc(campaign.id, "x"))]]
    return renderer.message("campaign_confirm", keyboard(rows),
                            audience=describe_audience(renderer, campaign.audience),
                            recipients=recipients)


def unsent(renderer: Renderer, campaign: Campaign, recipients: int) -> Outgoing:
    """A draft that got as far as Send now and never went out, offered again with the same
    buttons (pressing them takes the same path, checks included)."""
    rows = confirm(renderer, campaign, recipients).buttons
    return renderer.message("campaign_unsent", rows,
                            what=summary_line(renderer, campaign),
                            audience=describe_audience(renderer, campaign.audience),
                            recipients=recipients)


def summary_line(renderer: Renderer, campaign: Campaign) -> str:
    if campaign.kind == "card":
        card = renderer.library.cards.get(campaign.card_id or "")
        return f"card “{card.title if card else campaign.card_id}”"
    text = " ".join(to_plain(campaign.body_html).split()) or "(photo)"
    return f"“{text[:40]}{'…' if len(text) > 40 else ''}”"


def campaign_list(renderer: Renderer, items: list[tuple[Campaign, dict[str, int]]],
                  zone_name: str, drafts: Sequence[Campaign] = ()) -> Outgoing:
    """Campaigns by number, newest first, and above them the moderator's own drafts, each
    marked as a draft (not sent, no number yet)."""
    label = renderer.library.label
    rows = [[Button(label("cancel_campaign").format(id=c.number), data=_bc(c.id, "x"))]
            for c, _ in items if c.status in ("scheduled", "running")]
    shown = [{
        "number": c.number, "what": summary_line(renderer, c), "status": c.status,
        "audience": describe_audience(renderer, c.audience), "counts": counts,
        "when": when(c.send_at, zone_name) if c.status == "scheduled" else "",
    } for c, counts in items]
    unsent = [{
        "what": summary_line(renderer, d),
        "audience": describe_audience(renderer, d.audience) if d.audience else "",
        "made": when(d.created_at, zone_name),
    } for d in drafts]
    return renderer.message("campaigns", keyboard(rows), campaigns=shown, drafts=unsent)


def when(epoch: int | None, zone_name: str) -> str:
    return dates.local(epoch, zone_name, "full")


def warning(renderer: Renderer, claims: list[Rule]) -> Outgoing:
    """Under the preview: what the broadcast seems to say that it should not."""
    return renderer.message("campaign_warning", reasons=[r.why for r in claims])


def confirm_again(renderer: Renderer, campaign: Campaign, claims: list[Rule],
                  step: str) -> Outgoing:
    """The second confirmation a flagged broadcast needs before it is sent or scheduled."""
    label = renderer.library.label
    rows = [[Button(label("send_anyway") if step == "now" else label("schedule_anyway"),
                    data=_bc(campaign.id, f"{step}2"))],
            [Button(label("cancel"), data=_bc(campaign.id, "x"))]]
    return renderer.message("campaign_confirm_again", keyboard(rows),
                            reasons=[r.why for r in claims])
