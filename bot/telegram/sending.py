"""Sending to Telegram: rendered HTML, split at the limit, keyboards on the last piece, a typing
indicator while Rasa works, and users who blocked the bot marked and not retried."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions, Message, ReplyParameters
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.conversation import BotMessage, Outcome
from bot.knowledge.catalogue import t
from bot.telegram.deep_links import deep_link
from bot.telegram.keyboards import group_safe, markup, rasa_buttons, url_row
from bot.telegram.rendering import render_chunks
from bot.telegram.services import Services, curated_or
from bot.topics import CONTENT_TOPICS

log = logging.getLogger(__name__)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
TYPING_EVERY = 4.5  # Telegram shows a chat action for about 5 seconds


class UserBlockedBot(Exception):
    """Telegram refused to deliver: the user blocked the bot (already recorded)."""


async def send_markdown(bot: Bot, services: Services, chat_id: int, text: str, *,
                        keyboard: InlineKeyboardMarkup | None = None, reply_to: int | None = None,
                        user_key: str | None = None) -> list[Message]:
    """Send text in the answers' Markdown subset as escaped HTML, in as many messages as needed."""
    chunks = render_chunks(text)
    sent: list[Message] = []
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        reply = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to and index == 0 else None
        try:
            sent.append(await bot.send_message(chat_id, chunk, parse_mode=ParseMode.HTML,
                                               reply_markup=keyboard if last else None,
                                               link_preview_options=NO_PREVIEW, reply_parameters=reply))
        except Forbidden:
            if user_key:
                await services.profiles.mark_blocked(user_key)
            log.info("chat unreachable (bot blocked or removed); not retrying")
            raise UserBlockedBot() from None
    return sent


async def edit_markdown(message: Message, text: str, keyboard: InlineKeyboardMarkup | None = None) -> None:
    """Replace a message's text (e.g. a confirmation) with short text; falls back to nothing on errors."""
    chunks = render_chunks(text)
    try:
        await message.edit_text(chunks[0], parse_mode=ParseMode.HTML, reply_markup=keyboard,
                                link_preview_options=NO_PREVIEW)
    except BadRequest as exc:  # "message is not modified", too old to edit, ...
        log.info("could not edit message: %s", type(exc).__name__)


@asynccontextmanager
async def typing(bot: Bot, chat_id: int) -> AsyncIterator[None]:
    """Show "typing…" until the block ends."""
    async def keep_typing() -> None:
        while True:
            try:
                await bot.send_chat_action(chat_id, ChatAction.TYPING)
            except Forbidden:
                return
            except TelegramError as exc:
                log.debug("chat action failed: %s", type(exc).__name__)
            await asyncio.sleep(TYPING_EVERY)

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        task.cancel()


def continue_privately(lang: str, bot_username: str, topic: str | None) -> list:
    topic = topic if topic in CONTENT_TOPICS else None
    return url_row(t("btn_continue_private", lang), deep_link(bot_username, topic, lang))


async def send_outcome(bot: Bot, services: Services, chat_id: int, outcome: Outcome, *, group: bool = False,
                       reply_to: int | None = None, user_key: str | None = None) -> None:
    """The bot's messages for one turn. In groups: only general-information buttons, a note about
    personal details, and a "continue privately" deep link."""
    lang = curated_or(outcome.lang, "en")
    messages = outcome.messages
    if not messages:
        messages = [BotMessage(t("error_generic", lang))]
    for index, message in enumerate(messages):
        last = index == len(messages) - 1
        text, buttons = message.text, message.buttons
        rows = []
        if group:
            rows = rasa_buttons(group_safe(buttons), services.codec)
            if last:
                text = f"{text}\n\n{t('group_note', lang)}"
                rows.append(continue_privately(lang, bot.username, outcome.meta.get("topic")))
        else:
            rows = rasa_buttons(buttons, services.codec)
        await send_markdown(bot, services, chat_id, text, keyboard=markup(rows),
                            reply_to=reply_to if index == 0 else None, user_key=user_key)
