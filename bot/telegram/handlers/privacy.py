"""/privacy, and /delete_my_data with a confirmation (the bot's own `D:y` / `D:n` callbacks)."""
from __future__ import annotations

import logging

from telegram import CallbackQuery, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.knowledge.catalogue import t
from bot.telegram.handlers.group import prompt_in_private
from bot.telegram.handlers.onboarding import privacy_text
from bot.telegram.handoff_flow import withdraw_cases
from bot.telegram.keyboards import erase_keyboard
from bot.telegram.sending import edit_markdown, send_markdown
from bot.telegram.services import get_services, ui_lang

log = logging.getLogger(__name__)


async def privacy_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = get_services(context)
    user = update.effective_user
    private = update.effective_chat.type == ChatType.PRIVATE
    key = services.key(user)
    profile = await services.profiles.get(key) if private else None
    await send_markdown(context.bot, services, update.effective_chat.id, privacy_text(services, ui_lang(profile, user)),
                        user_key=key if private else None)


async def delete_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await prompt_in_private(update, context, "delete_confirm", erase_keyboard)


async def confirm_delete(query: CallbackQuery, context: ContextTypes.DEFAULT_TYPE, answer: str) -> None:
    if query.message is None or query.message.chat.type != ChatType.PRIVATE:
        return
    services = get_services(context)
    key = services.key(query.from_user)
    async with services.locks(key):
        profile = await services.profiles.get(key)
        lang = ui_lang(profile, query.from_user)
        if answer != "y":
            await edit_markdown(query.message, t("delete_cancelled", lang))
            return
        report = await services.erasure.erase(key)
        cases = await withdraw_cases(context.bot, services, key)
    log.info("erasure user=%s profile=%s tracker_events=%d cases=%d", key[:10], report.profile_deleted,
             report.tracker_events_deleted, cases)
    await edit_markdown(query.message, t("delete_done", lang))
