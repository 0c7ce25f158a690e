"""/counsellor (and the "talk to a person" button, payload /request_human): the consent step of the
human handoff, handled here and never sent to Rasa. /end closes the user's open case."""
from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.knowledge.catalogue import t
from bot.telegram.handlers.group import private_only
from bot.telegram.handoff_flow import end_by_user, offer_consent
from bot.telegram.sending import send_markdown
from bot.telegram.services import get_services, ui_lang

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
        await offer_consent(context.bot, services, update.effective_chat.id, key, user, profile)


async def end_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = get_services(context)
    user = update.effective_user
    key = services.key(user)
    async with services.locks(key):
        case = await services.cases.run("open_for_user", key)
        if case is None:
            profile = await services.profiles.get(key)
            await send_markdown(context.bot, services, update.effective_chat.id,
                                t("handoff_no_case", ui_lang(profile, user)), user_key=key)
            return
        await end_by_user(context.bot, services, case)
