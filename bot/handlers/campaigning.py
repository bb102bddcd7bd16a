"""Campaigns: /broadcast and /push compose one, its buttons choose the audience and send or
schedule it, /campaigns follows them. Moderators only (see handlers/moderators.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import Update

from bot.context import Context
from bot.delivery import localtime
from bot.handlers.common import chat_id_of
from bot.handlers.guards import allowed, moderators_only, private_chat, user_id_of
from bot.library.numbers import whole_number
from bot.library.triage import Rule
from bot.store import campaigns, chats, moderation
from bot.store.campaigns import ALL, GROUPS, ME, TOPIC_PREFIX
from bot.telegram import callbacks
from bot.telegram.html import from_entities, to_plain, visible_length
from bot.telegram.send import reply
from bot.views import campaigns as campaign_views
from bot.views import library as views

COMPOSE = "compose"  # user_data: waiting for a broadcast's message
SCHEDULE = "schedule_campaign"  # user_data: waiting for a campaign's send time
DRAFT = "draft"  # user_data: the draft being prepared (previewed, not yet sent or scheduled)
SCHEDULE_HORIZON = timedelta(days=366)  # further ahead is a mistyped year, not a plan


# --- composing a broadcast -----------------------------------------------------------------------
@moderators_only
async def broadcast(update: Update, context: Context) -> None:
    """/broadcast: the next message the moderator sends becomes a campaign draft."""
    if not private_chat(update):
        await reply(update, context, context.bot_data.renderer.message("group_only_private"))
        return
    context.user_data.pop(SCHEDULE, None)  # type: ignore[union-attr]
    context.user_data[COMPOSE] = True  # type: ignore[index]
    await reply(update, context, context.bot_data.renderer.message("compose"))
    await _offer_unsent(update, context)


@moderators_only
async def push(update: Update, context: Context) -> None:
    """/push <card id>: send an existing card the same way."""
    data = context.bot_data
    if not private_chat(update):
        await reply(update, context, data.renderer.message("group_only_private"))
        return
    card_id = " ".join(context.args or []).strip().lower()
    if card_id not in data.library.cards:
        await reply(update, context, data.renderer.message(
            "push_usage", card_id=card_id, example_card=views.example_card(data.renderer)))
        return
    campaign_id = await campaigns.create_draft(
        data.db, created_by=user_id_of(update), report_chat=chat_id_of(update),
        kind="card", card_id=card_id, now=data.now())
    await _preview(update, context, campaign_id)


async def cancel_pending(update: Update, context: Context) -> bool:
    """/cancel: the broadcast being written is dropped, and its draft, if it was previewed
    (waiting for an audience, Send now or a time), is cancelled: the screens say "/cancel
    stops here". True when there was one. A campaign already sent or scheduled is left to
    /campaigns' Cancel."""
    user_data = context.user_data or {}
    composing = bool(user_data.pop(COMPOSE, None))
    drafts = {user_data.pop(SCHEDULE, None), user_data.pop(DRAFT, None)} - {None}
    cancelled = False
    for draft_id in drafts:
        campaign = await campaigns.get(context.bot_data.db, int(draft_id))
        if campaign is not None and campaign.status == "draft":
            cancelled |= await _drop_draft(update, context, campaign)
    return composing or cancelled


async def _drop_draft(update: Update, context: Context, campaign: campaigns.Campaign) -> bool:
    """Cancel a draft (nothing was sent, and it never had a number) and say so in the log."""
    data = context.bot_data
    if not await campaigns.cancel(data.db, campaign.id, data.now(), draft_only=True):
        return False
    await moderation.audit(data.db, user_id_of(update), "draft cancelled", data.now(),
                           campaign_views.summary_line(data.renderer, campaign))
    return True


def _done_with(context: Context, campaign_id: int) -> None:
    """The draft left the drafts (sent, scheduled or cancelled): /cancel no longer means it."""
    user_data = context.user_data
    if user_data is not None and user_data.get(DRAFT) == campaign_id:
        user_data.pop(DRAFT, None)


async def composed(update: Update, context: Context) -> bool:
    """The message a moderator sends after /broadcast, or a typed schedule time; False when
    nothing is waiting for this person's message."""
    user_data = context.user_data
    if not user_data or not private_chat(update):
        return False
    if not user_data.get(SCHEDULE) and not user_data.get(COMPOSE):
        return False
    data = context.bot_data
    if not await moderation.is_moderator(data.db, data.settings.admin_ids, user_id_of(update)):
        user_data.pop(COMPOSE, None)  # removed as a moderator meanwhile
        user_data.pop(SCHEDULE, None)
        return False
    if user_data.get(SCHEDULE):
        await _scheduled_time(update, context, int(user_data[SCHEDULE]))
        return True
    message = update.effective_message
    assert message is not None
    photo = message.photo[-1].file_id if message.photo else None
    body = from_entities(message.caption, message.caption_entities) if photo \
        else from_entities(message.text, message.entities)
    if not photo and not body.strip():
        await _compose_problem(update, context, "That message has no text. Send text, or a "
                               "photo with a caption.")
        return True
    room = data.renderer.room_for(photo=bool(photo)) - 60  # the broadcast heading
    if visible_length(body) > room:
        await _compose_problem(update, context, f"That is {visible_length(body) - room} "
                               f"characters too long for one Telegram "
                               f"{'caption' if photo else 'message'} once the disclaimer is "
                               f"added (at most {room}).")
        return True
    user_data.pop(COMPOSE, None)
    campaign_id = await campaigns.create_draft(
        data.db, created_by=user_id_of(update), report_chat=message.chat.id, kind="message",
        body_html=body, photo=photo, now=data.now())
    await _preview(update, context, campaign_id)
    return True


async def _compose_problem(update: Update, context: Context, problem: str) -> None:
    await reply(update, context, context.bot_data.renderer.message("compose_problem",
                                                                   problem=problem))


async def _preview(update: Update, context: Context, campaign_id: int) -> None:
    data = context.bot_data
    campaign = await campaigns.get(data.db, campaign_id)
    assert campaign is not None
    context.user_data[DRAFT] = campaign_id  # type: ignore[index]  # what /cancel cancels
    await reply(update, context, campaign_views.delivered(data.renderer, campaign))
    warnings = _claims(context, campaign)
    if warnings:
        await reply(update, context, campaign_views.warning(data.renderer, warnings))
    await reply(update, context, campaign_views.audiences(
        data.renderer, campaign_id, await _counts(update, context)))


async def _counts(update: Update, context: Context) -> dict[str, int]:
    db = context.bot_data.db
    chat_id = chat_id_of(update)
    return {ALL: await campaigns.count_audience(db, ALL, chat_id),
            GROUPS: await campaigns.count_audience(db, GROUPS, chat_id)}


# --- the campaign's buttons ----------------------------------------------------------------------
async def button(update: Update, context: Context, action: callbacks.Action) -> bool:
    """bc:<id>:<step>. Not a moderator: the unknown-command answer, nothing else."""
    if not await allowed(update, context):
        return True
    data = context.bot_data
    raw_id, _, step = action.arg.partition(":")
    campaign_id = whole_number(raw_id)  # beyond 64 bits no campaign can have it: stale
    campaign = await campaigns.get(data.db, campaign_id) if campaign_id is not None else None
    if campaign is None:
        return False
    renderer = data.renderer
    if step == "x":
        await _cancel(update, context, campaign)
    elif campaign.status != "draft":
        await reply(update, context, renderer.message("campaign_gone", number=campaign.number))
    elif step == "topics":
        await reply(update, context, campaign_views.topic_audiences(
            renderer, campaign.id,
            await campaigns.topic_counts(data.db, [t.id for t in data.library.topics])),
            edit=True)
    elif step == "back":
        await reply(update, context, campaign_views.audiences(
            renderer, campaign.id, await _counts(update, context)), edit=True)
    elif step in ("all", "groups", "me") or _topic_step(context, step):
        audience = {"all": ALL, "groups": GROUPS, "me": ME}.get(step) or _topic_step(context, step)
        await campaigns.set_audience(data.db, campaign.id, audience)  # type: ignore[arg-type]
        campaign = await campaigns.get(data.db, campaign.id)
        assert campaign is not None
        count = await campaigns.count_audience(data.db, campaign.audience, campaign.report_chat)
        await reply(update, context, campaign_views.confirm(renderer, campaign, count), edit=True)
    elif step in ("now", "sch") and campaign.audience and _claims(context, campaign):
        # A broadcast that promises a cure or tells people to stop a treatment: ask again.
        await reply(update, context, campaign_views.confirm_again(
            renderer, campaign, _claims(context, campaign), step), edit=True)
    elif step in ("now", "now2") and campaign.audience:
        await _send_now(update, context, campaign)
    elif step in ("sch", "sch2") and campaign.audience:
        context.user_data.pop(COMPOSE, None)  # type: ignore[union-attr]
        context.user_data[SCHEDULE] = campaign.id  # type: ignore[index]
        await reply(update, context, renderer.message("campaign_ask_time",
                                                      **await _time_hint(update, context)))
    else:
        return False
    return True


def _topic_step(context: Context, step: str) -> str | None:
    topics = context.bot_data.library.topics
    index = whole_number(step[1:], most=len(topics) - 1) if step.startswith("t") else None
    return TOPIC_PREFIX + topics[index].id if index is not None else None


async def _gone(update: Update, context: Context, campaign_id: int) -> None:
    """Someone (or an earlier press) sent, scheduled or cancelled it first: as it is now."""
    data = context.bot_data
    campaign = await campaigns.get(data.db, campaign_id)
    await reply(update, context, data.renderer.message(
        "campaign_gone", number=campaign.number if campaign else None))


async def _send_now(update: Update, context: Context, campaign: campaigns.Campaign) -> None:
    data = context.bot_data
    recipients = await campaigns.start(data.db, campaign.id, data.now())
    if recipients is None:
        await _gone(update, context, campaign.id)
        return
    _done_with(context, campaign.id)
    sent = await campaigns.get(data.db, campaign.id)  # numbered as it started
    number = sent.number if sent else None
    await moderation.audit(data.db, user_id_of(update), "broadcast sent", data.now(),
                           f"#{number} "
                           f"{campaign_views.summary_line(data.renderer, campaign)} "
                           f"to {campaign.audience}{_warned(context, campaign)}", recipients)
    data.sender.wake()
    await reply(update, context, data.renderer.message("campaign_started", number=number,
                                                       recipients=recipients), edit=True)


async def _cancel(update: Update, context: Context, campaign: campaigns.Campaign) -> None:
    data = context.bot_data
    if campaign.status == "draft":
        if await _drop_draft(update, context, campaign):
            _done_with(context, campaign.id)
            await reply(update, context, data.renderer.message("campaign_cancelled",
                                                               number=None, sent=0))
            return
        campaign = await campaigns.get(data.db, campaign.id) or campaign  # sent meanwhile
    if not await campaigns.cancel(data.db, campaign.id, data.now()):
        await _gone(update, context, campaign.id)
        return
    sent = (await campaigns.progress(data.db, campaign.id))["sent"]
    await moderation.audit(data.db, user_id_of(update), "campaign cancelled", data.now(),
                           f"#{campaign.number}", sent)
    await reply(update, context, data.renderer.message("campaign_cancelled",
                                                       number=campaign.number, sent=sent))


def _claims(context: Context, campaign: campaigns.Campaign) -> list[Rule]:
    """What a moderator's own text claims that needs a second look (cards are ours)."""
    triage = context.bot_data.library.triage
    if triage is None or campaign.kind != "message":
        return []
    return triage.check_claims(to_plain(campaign.body_html))


def _warned(context: Context, campaign: campaigns.Campaign) -> str:
    """The audit log's note that a broadcast went out despite a warning."""
    claims = _claims(context, campaign)
    return f" (sent despite warning: {', '.join(r.id for r in claims)})" if claims else ""


async def _zone_of(context: Context, user_id: int) -> str:
    """A moderator's own time zone: the one saved for their private chat (UTC if none)."""
    return await chats.zone_of(context.bot_data.db, user_id) or "UTC"


async def _time_hint(update: Update, context: Context) -> dict[str, Any]:
    zone_name = await _zone_of(context, user_id_of(update))
    tomorrow = datetime.fromtimestamp(context.bot_data.now(), localtime.zone(zone_name)) + \
        timedelta(days=1)
    example = f"{tomorrow:%Y-%m-%d} 18:00"
    return {"zone": zone_name, "example": example}


async def _scheduled_time(update: Update, context: Context, campaign_id: int) -> None:
    data = context.bot_data
    message = update.effective_message
    text = message.text if message and message.text else ""
    hint = await _time_hint(update, context)
    zone_name = hint["zone"]
    now = datetime.fromtimestamp(data.now(), UTC)
    moment = localtime.parse_when(text, zone_name, now)
    if moment is None:
        await reply(update, context, data.renderer.message(
            "campaign_bad_time", problem=f"I couldn't read “{text[:40]}” as a date and time.",
            **hint))
        return
    if moment <= now or moment > now + SCHEDULE_HORIZON:
        shown = campaign_views.when(int(moment.timestamp()), zone_name)
        await reply(update, context, data.renderer.message(
            "campaign_bad_time", problem=f"{shown} is in the past." if moment <= now else
            f"{shown} is more than a year away; a campaign can be scheduled up to a year "
            "ahead.", **hint))
        return
    campaign = await campaigns.get(data.db, campaign_id)
    context.user_data.pop(SCHEDULE, None)  # type: ignore[union-attr]
    if campaign is None or not await campaigns.schedule(data.db, campaign_id,
                                                        int(moment.timestamp())):
        await _gone(update, context, campaign_id)
        return
    _done_with(context, campaign_id)
    scheduled = await campaigns.get(data.db, campaign_id)  # numbered as it was scheduled
    number = scheduled.number if scheduled else None
    shown = campaign_views.when(int(moment.timestamp()), zone_name)
    await moderation.audit(data.db, user_id_of(update), "broadcast scheduled", data.now(),
                           f"#{number} for {shown} to {campaign.audience}"
                           f"{_warned(context, campaign)}")
    await reply(update, context, data.renderer.message(
        "campaign_scheduled", number=number, when=shown,
        audience=campaign_views.describe_audience(data.renderer, campaign.audience)))


@moderators_only
async def campaign_list(update: Update, context: Context) -> None:
    """/campaigns: scheduled, running and finished campaigns with their counts, and in the
    moderator's own chat their drafts not yet sent, marked as drafts."""
    data = context.bot_data
    items = [(c, await campaigns.progress(data.db, c.id))
             for c in await campaigns.listing(data.db)]
    zone_name = await _zone_of(context, user_id_of(update))
    # A draft's text is for its moderator's eyes, and a week old it is no longer offered.
    drafts = await campaigns.open_drafts(
        data.db, user_id_of(update), data.now() - campaigns.UNSENT_DAYS * 86_400) \
        if private_chat(update) else []
    await reply(update, context, campaign_views.campaign_list(data.renderer, items, zone_name,
                                                              drafts))
    await _offer_unsent(update, context)


async def _offer_unsent(update: Update, context: Context) -> None:
    """Drafts this moderator took as far as Send now that never went out, each with its Send
    now again: the bot may have stopped right after Telegram handed over the press (PTB had
    acknowledged it before the campaign started), and the moderator saw no answer."""
    if not private_chat(update):
        return  # a draft's text is for its moderator's eyes
    data = context.bot_data
    for draft in await campaigns.unsent_drafts(data.db, user_id_of(update), data.now()):
        count = await campaigns.count_audience(data.db, draft.audience, draft.report_chat)
        await reply(update, context, campaign_views.unsent(data.renderer, draft, count))
