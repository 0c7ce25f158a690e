"""/help (and unknown commands) in private chats."""
from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.knowledge.catalogue import t
from bot.telegram.handlers.group import group_help
from bot.telegram.sending import send_markdown
from bot.telegram.services import get_services, ui_lang


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_chat.type != ChatType.PRIVATE:
        await group_help(update, context)
        return
    services = get_services(context)
    key = services.key(update.effective_user)
    profile = await services.profiles.get(key)
    await send_markdown(context.bot, services, update.effective_chat.id,
                        t("help_text", ui_lang(profile, update.effective_user)), user_key=key)
