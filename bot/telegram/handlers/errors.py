"""The error handler: logs the error type and where it happened (never message text, never shown to
users), records users who blocked the bot, and tells a private user that something went wrong."""
from __future__ import annotations

import logging
import traceback

from telegram import Update
from telegram.constants import ChatType
from telegram.error import Forbidden, NetworkError
from telegram.ext import ContextTypes

from bot.knowledge.catalogue import t
from bot.telegram.sending import UserBlockedBot, send_markdown
from bot.telegram.services import SERVICES, ui_lang

log = logging.getLogger(__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    error = context.error
    services = context.application.bot_data.get(SERVICES)
    if not isinstance(update, Update):
        # Polling/network trouble: PTB retries by itself. Log the type only.
        log.warning("telegram error outside an update: %s", type(error).__name__)
        return
    user, chat = update.effective_user, update.effective_chat
    if isinstance(error, (Forbidden, UserBlockedBot)):
        if services and user and chat and chat.type == ChatType.PRIVATE:
            await services.profiles.mark_blocked(services.key(user))
        log.info("update %s: chat unreachable (%s)", update.update_id, type(error).__name__)
        return
    frames = "".join(traceback.format_tb(error.__traceback__)) if error else ""
    log.error("update %s failed: %s\n%s", update.update_id, type(error).__name__, frames)
    if services is None or chat is None or chat.type != ChatType.PRIVATE or isinstance(error, NetworkError):
        return
    try:
        profile = await services.profiles.get(services.key(user)) if user else None
        await send_markdown(context.bot, services, chat.id, t("error_generic", ui_lang(profile, user)))
    except Exception as exc:  # never let the error handler fail loudly
        log.warning("could not tell the user about the error: %s", type(exc).__name__)
