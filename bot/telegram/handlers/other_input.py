"""Everything that is not a text question in a private chat: voice notes, photos and documents,
locations, stickers and the like, edited messages. Each gets a short, friendly reply in the user's
language; nothing is downloaded or stored. In groups such input is ignored."""
from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ContextTypes, filters

from bot.knowledge.catalogue import t
from bot.telegram.handoff_flow import relay_user_media
from bot.telegram.keyboards import human_keyboard
from bot.telegram.sending import send_markdown
from bot.telegram.services import get_services, ui_lang

log = logging.getLogger(__name__)

VOICE = filters.VOICE | filters.AUDIO | filters.VIDEO_NOTE
PLACES = filters.LOCATION | filters.VENUE | filters.CONTACT
FILES = filters.PHOTO | filters.Document.ALL | filters.VIDEO
OTHER = filters.Sticker.ALL | filters.ANIMATION | filters.POLL | filters.Dice.ALL | filters.GAME | filters.STORY
NON_TEXT = VOICE | PLACES | FILES | OTHER


def kind_of(message) -> str:
    if message.voice or message.audio or message.video_note:
        return "voice"
    if message.location or message.venue or message.contact:
        return "place"
    if message.animation or message.sticker or message.dice or message.poll or message.game or message.story:
        return "other"
    if message.photo or message.document or message.video:
        return "file"
    return "other"


async def non_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = get_services(context)
    message, user = update.effective_message, update.effective_user
    key = services.key(user)
    case = await services.cases.run("open_for_user", key)
    if case is not None:  # relay mode: forwarded to the counsellor, not stored
        await relay_user_media(context.bot, services, case, message)
        return
    profile = await services.profiles.get(key)
    lang = ui_lang(profile, user)
    kind = kind_of(message)
    log.info("non-text input user=%s kind=%s", key[:10], kind)
    keyboard = None
    if kind == "voice":
        text, keyboard = t("error_voice", lang), human_keyboard(lang, services.codec)
    elif kind == "place":
        text = t("error_location", lang)
    elif kind == "file":
        text = t("error_file", lang)
    else:
        text = t("error_no_text", lang)
    await send_markdown(context.bot, services, message.chat_id, text, keyboard=keyboard, user_key=key)


async def edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = get_services(context)
    message, user = update.effective_message, update.effective_user
    key = services.key(user)
    profile = await services.profiles.get(key)
    await send_markdown(context.bot, services, message.chat_id, t("edited_message", ui_lang(profile, user)),
                        reply_to=message.message_id, user_key=key)
