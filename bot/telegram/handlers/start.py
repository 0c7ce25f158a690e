"""/start, with deep-link payloads `<topic>_<lang>` (posters, QR codes, "continue privately")."""
from __future__ import annotations

import json
import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.knowledge.catalogue import t
from bot.telegram.deep_links import parse_start_payload
from bot.telegram.handlers.group import group_help
from bot.telegram.handlers.onboarding import send_privacy_notice
from bot.telegram.sending import send_markdown
from bot.telegram.services import get_services, hint_of, ui_lang
from bot.telegram.turns import ask

log = logging.getLogger(__name__)


def topic_payload(topic: str) -> str:
    return "/choose_topic" + json.dumps({"topic": topic})


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat, user = update.effective_chat, update.effective_user
    if chat.type != ChatType.PRIVATE:
        await group_help(update, context)
        return
    services = get_services(context)
    key = services.key(user)
    link = parse_start_payload(context.args[0] if context.args else None)
    log.info("start user=%s deep_link=%s", key[:10], f"{link.topic}_{link.lang}" if link else None)
    async with services.locks(key):
        profile = await services.profiles.touch(key)
        lang = (link.lang if link and link.lang else None) or ui_lang(profile, user)
        if link and link.lang:
            await services.profiles.set_language(key, link.lang, confirmed=True)
        if not profile.privacy_accepted:
            await send_privacy_notice(context.bot, services, chat.id, lang, key)
        if link and link.topic:
            await ask(context.bot, services, chat_id=chat.id, user_key=key, sender_id=key,
                      text=topic_payload(link.topic), lang_hint=hint_of(user), current_lang=lang)
        elif profile.privacy_accepted:
            await send_markdown(context.bot, services, chat.id, t("greet", lang), user_key=key)
