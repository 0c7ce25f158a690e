"""Community groups: answer only commands, mentions and replies to the bot, with general information
only (no personal routing, no personal details), plus a "continue privately" deep link; a welcome
when the bot is added. Also notices when a private user blocks or unblocks the bot."""
from __future__ import annotations

import logging
import re

from telegram import Bot, Message, MessageEntity, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import ContextTypes

from bot.knowledge.catalogue import t
from bot.telegram.keyboards import markup
from bot.telegram.sending import continue_privately, send_markdown
from bot.telegram.services import curated_or, get_services, hint_of, ui_lang
from bot.telegram.turns import ask
from bot.telegram.user_keys import group_sender_id

log = logging.getLogger(__name__)
GROUP_TYPES = (ChatType.GROUP, ChatType.SUPERGROUP)
WELCOME_DEFAULT_LANG = "de"


def addressed_text(message: Message, bot: Bot) -> str | None:
    """The question if the message mentions the bot or replies to it (mention removed), else None."""
    text = message.text or ""
    username = (bot.username or "").lower()
    replied = message.reply_to_message
    addressed = bool(replied and replied.from_user and replied.from_user.id == bot.id)
    for entity, value in message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION]).items():
        if entity.type == MessageEntity.MENTION and username and value.lower() == "@" + username:
            addressed = True
        elif entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot.id:
            addressed = True
    if not addressed:
        return None
    if username:
        text = re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE)
    return " ".join(text.split())


async def group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message, user = update.effective_message, update.effective_user
    if user is None or user.is_bot:
        return
    question = addressed_text(message, context.bot)
    if question is None:
        return  # not for us: stay silent in community groups
    services = get_services(context)
    if not question:
        await group_help(update, context)
        return
    key = services.key(user)
    async with services.locks(group_sender_id(key)):
        await ask(context.bot, services, chat_id=message.chat_id, user_key=key, sender_id=group_sender_id(key),
                  text=question, lang_hint=hint_of(user), current_lang=None, group=True,
                  reply_to=message.message_id)


def _group_lang(update: Update) -> str:
    return curated_or(hint_of(update.effective_user), "en")


async def group_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = get_services(context)
    lang = _group_lang(update)
    bot = context.bot
    await send_markdown(bot, services, update.effective_chat.id, t("help_group", lang, bot=bot.username),
                        keyboard=markup([continue_privately(lang, bot.username, None)]),
                        reply_to=update.effective_message.message_id if update.effective_message else None)


async def private_only(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A personal command used in a group: point to the private chat instead."""
    services = get_services(context)
    lang = _group_lang(update)
    bot = context.bot
    await send_markdown(bot, services, update.effective_chat.id, t("group_use_private", lang),
                        keyboard=markup([continue_privately(lang, bot.username, None)]),
                        reply_to=update.effective_message.message_id if update.effective_message else None)


async def prompt_in_private(update: Update, context: ContextTypes.DEFAULT_TYPE, text_key: str, keyboard) -> None:
    """A personal command: in a group point to the private chat; in private send the catalogue text
    `text_key` in the user's language with the keyboard `keyboard(lang)`."""
    if update.effective_chat.type != ChatType.PRIVATE:
        await private_only(update, context)
        return
    services = get_services(context)
    key = services.key(update.effective_user)
    lang = ui_lang(await services.profiles.get(key), update.effective_user)
    await send_markdown(context.bot, services, update.effective_chat.id, t(text_key, lang),
                        keyboard=keyboard(lang), user_key=key)


async def my_chat_member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    change = update.my_chat_member
    old, new = change.old_chat_member.status, change.new_chat_member.status
    services = get_services(context)
    if change.chat.type == ChatType.PRIVATE:
        key = services.key(change.from_user)
        if new == ChatMemberStatus.BANNED:
            await services.profiles.mark_blocked(key, True)
            log.info("user=%s blocked the bot", key[:10])
        elif old == ChatMemberStatus.BANNED:
            await services.profiles.mark_blocked(key, False)
        return
    joined = old in (ChatMemberStatus.LEFT, ChatMemberStatus.BANNED) and new in (
        ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR)
    if change.chat.type in GROUP_TYPES and joined:
        lang = curated_or(hint_of(change.from_user), WELCOME_DEFAULT_LANG)
        bot = context.bot
        log.info("added to group chat=%s", change.chat.id)
        await send_markdown(bot, services, change.chat.id, t("group_welcome", lang, bot=bot.username),
                            keyboard=markup([continue_privately(lang, bot.username, None)]))
