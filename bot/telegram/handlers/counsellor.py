"""/counsellor: the route to a human counsellor (the actions pick the right centre)."""
from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.telegram.handlers.group import private_only
from bot.telegram.services import get_services, hint_of
from bot.telegram.turns import ask

REQUEST_HUMAN = "/request_human"


async def counsellor_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_chat.type != ChatType.PRIVATE:
        await private_only(update, context)
        return
    services = get_services(context)
    user = update.effective_user
    key = services.key(user)
    async with services.locks(key):
        profile = await services.profiles.touch(key)
        await ask(context.bot, services, chat_id=update.effective_chat.id, user_key=key, sender_id=key,
                  text=REQUEST_HUMAN, lang_hint=hint_of(user), current_lang=profile.language)
