"""Who may moderate, and the owners' commands: /mod and /audit.

Every moderator command and button first asks `allowed()`: for anyone who is not a moderator
the answer is exactly the unknown-command answer, and nothing is counted, previewed or written.
"""

from __future__ import annotations

from telegram import MessageOriginUser, Update

from bot.context import Context
from bot.handlers.guards import owners_only, user_id_of
from bot.library import dates
from bot.library.numbers import whole_number
from bot.store import moderation
from bot.telegram.send import reply
from bot.views import menus


# --- owners: moderators and the audit log ------------------------------------------------------
@owners_only
async def mod(update: Update, context: Context) -> None:
    """/mod add|remove <user id>, /mod list (owners only)."""
    data = context.bot_data
    args = context.args or []
    verb = args[0].lower() if args else "list"
    if verb == "list":
        rows = await moderation.listing(data.db)
        shown = [{"user_id": u, "by": by, "when": date_text(at)} for u, by, at in rows]
        await reply(update, context, data.renderer.message(
            "mod_list", owners=sorted(data.settings.admin_ids), moderators=shown))
        return
    target = _target_user(update, args[1:])
    if verb not in ("add", "remove") or target is None:
        await say(update, context, "That isn't a Telegram user id (a number like 123456789), "
                   "so nothing changed. Use /mod add 123456789, /mod remove 123456789, or reply "
                   "/mod add to a message forwarded from them.")
        return
    now = data.now()
    if target in data.settings.admin_ids:  # an owner is set by BOT_ADMIN_IDS, never by /mod
        await say(update, context, f"{target} is an owner (set by BOT_ADMIN_IDS), so they "
                  "already moderate and /mod cannot add or remove them. Nothing changed.")
        return
    if verb == "add":
        changed = await moderation.add(data.db, target, user_id_of(update), now)
        message = f"✅ {target} is now a moderator." if changed else \
            f"{target} was already a moderator; nothing changed."
    else:
        changed = await moderation.remove(data.db, target)
        message = f"✅ {target} is no longer a moderator." if changed else \
            f"{target} wasn't a moderator; nothing changed."
    if changed:
        await moderation.audit(data.db, user_id_of(update), f"mod {verb}", now, str(target))
        # Their own chat's menu gains (or loses) the moderator commands.
        if verb == "add":
            await menus.show_moderator_menu(context.bot, data.library, target,
                                            skin_check=data.settings.skin_check)
        else:
            await menus.drop_moderator_menu(context.bot, target)
    await say(update, context, message)


def _target_user(update: Update, args: list[str]) -> int | None:
    if args:
        user_id = whole_number(args[0].strip(), most=2**53 - 1)  # Telegram's largest user id
        return user_id if user_id else None
    message = update.effective_message
    replied = message.reply_to_message if message else None
    origin = replied.forward_origin if replied else None
    if isinstance(origin, MessageOriginUser):
        return origin.sender_user.id
    return None


@owners_only
async def audit(update: Update, context: Context) -> None:
    """/audit: the latest moderator actions (owners only)."""
    data = context.bot_data
    entries = [{"when": date_text(e.at, with_time=True), "actor": e.actor, "action": e.action,
                "detail": e.detail, "recipients": e.recipients}
               for e in await moderation.recent(data.db)]
    await reply(update, context, data.renderer.message("audit", entries=entries))


async def say(update: Update, context: Context, message: str) -> None:
    await reply(update, context, context.bot_data.renderer.message("mod_done", message=message))


def date_text(epoch: int, *, with_time: bool = False) -> str:
    return dates.local(epoch, style="utc" if with_time else "date")
