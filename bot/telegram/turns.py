"""One question through the shared conversation core (language detection -> Rasa -> replies) and
its answer back to the chat. Logs ids, intents and knowledge entries, never message text."""
from __future__ import annotations

import logging

from telegram import Bot

from bot.conversation import Incoming, Outcome
from bot.telegram.sending import send_outcome, typing
from bot.telegram.services import Services

log = logging.getLogger(__name__)


async def ask(bot: Bot, services: Services, *, chat_id: int, user_key: str, sender_id: str, text: str,
              lang_hint: str | None, current_lang: str | None, group: bool = False,
              reply_to: int | None = None) -> Outcome:
    incoming = Incoming(text, sender_id, lang_hint, current_lang, "group" if group else "private")
    async with typing(bot, chat_id):
        outcome = await services.conversation.handle(incoming)
    meta = outcome.meta
    log.info("turn user=%s chat=%s lang=%s intent=%s topic=%s kb=%s handoff=%s error=%s",
             user_key[:10], "group" if group else "private", outcome.lang, meta.get("intent"), meta.get("topic"),
             meta.get("kb_id"), meta.get("handoff"), outcome.error)
    if not group and not outcome.error:
        services.last_meta[user_key] = {k: meta.get(k) for k in ("topic", "urgent", "kb_id", "sources", "reasons",
                                                                  "handoff", "deadline") if meta.get(k) is not None}
    await send_outcome(bot, services, chat_id, outcome, group=group, reply_to=reply_to,
                       user_key=None if group else user_key)
    return outcome
