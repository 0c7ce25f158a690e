"""/language and the language buttons (the bot's own `L:<lang>` callbacks)."""
from __future__ import annotations

import logging

from telegram import CallbackQuery, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.knowledge.catalogue import t
from bot.languages import CURATED
from bot.telegram.handlers.group import prompt_in_private
from bot.telegram.keyboards import language_keyboard
from bot.telegram.sending import edit_markdown, send_markdown
from bot.telegram.services import get_services

log = logging.getLogger(__name__)


async def language_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await prompt_in_private(update, context, "choose_language", language_keyboard)


async def choose_language(query: CallbackQuery, context: ContextTypes.DEFAULT_TYPE, code: str) -> None:
    if code not in CURATED or query.message is None or query.message.chat.type != ChatType.PRIVATE:
        return
    services = get_services(context)
    key = services.key(query.from_user)
    async with services.locks(key):
        profile = await services.profiles.touch(key)
        await services.profiles.set_language(key, code, confirmed=True)
        if not profile.privacy_accepted:
            await services.profiles.accept_privacy(key)
    log.info("language chosen user=%s lang=%s", key[:10], code)
    await edit_markdown(query.message, t("language_changed", code))
    if not profile.privacy_accepted:  # the first-contact flow: now say hello
        await send_markdown(context.bot, services, query.message.chat.id, t("greet", code), user_key=key)
