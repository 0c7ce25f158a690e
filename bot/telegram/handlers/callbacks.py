"""Inline-keyboard presses: the bot's own buttons (language, erasure) and Rasa's buttons, whose
payloads go back to Rasa as the user's message (in groups: general information only)."""
from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.knowledge.catalogue import t
from bot.knowledge.schema import BUNDESLAENDER
from bot.telegram.callback_data import CONSENT, ERASE, LANGUAGE, STAFF, parse_payload
from bot.telegram.handlers.language import choose_language
from bot.telegram.handlers.privacy import confirm_delete
from bot.telegram.handoff_flow import consent_answer, offer_consent, staff_button
from bot.telegram.sending import send_markdown
from bot.telegram.services import get_services, hint_of, ui_lang
from bot.telegram.turns import ask
from bot.telegram.user_keys import group_sender_id

log = logging.getLogger(__name__)


async def button_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    try:
        await query.answer()  # stop the button's spinner at once
    except BadRequest:  # too old to answer; the press itself still counts
        pass
    services = get_services(context)
    decoded = services.codec.decode(query.data or "")
    if query.message is None:  # a button under an inline-mode message: nothing to answer into
        return
    chat = query.message.chat
    user = query.from_user
    key = services.key(user)
    if decoded.kind == "local":
        if decoded.action == LANGUAGE:
            await choose_language(query, context, decoded.arg)
        elif decoded.action == ERASE:
            await confirm_delete(query, context, decoded.arg)
        elif decoded.action == STAFF:
            await staff_button(context.bot, services, query, decoded.arg)
        elif decoded.action == CONSENT and chat.type == ChatType.PRIVATE:
            async with services.locks(key):
                profile = await services.profiles.touch(key)
                await consent_answer(context.bot, services, chat.id, key, user, profile, decoded.arg)
        return
    group = chat.type != ChatType.PRIVATE
    if decoded.kind == "expired":
        if not group:
            profile = await services.profiles.get(key)
            await send_markdown(context.bot, services, chat.id, t("error_button_expired", ui_lang(profile, user)),
                                user_key=key)
        return
    parsed = parse_payload(decoded.payload)
    log.info("button user=%s chat=%s intent=%s", key[:10], "group" if group else "private",
             parsed[0] if parsed else None)
    if group:
        async with services.locks(group_sender_id(key)):
            await ask(context.bot, services, chat_id=chat.id, user_key=key, sender_id=group_sender_id(key),
                      text=decoded.payload, lang_hint=hint_of(user), current_lang=None, group=True)
        return
    async with services.locks(key):
        profile = await services.profiles.touch(key)
        if parsed and parsed[0] == "request_human":  # the handoff starts in the Telegram layer, with consent
            await offer_consent(context.bot, services, chat.id, key, user, profile)
            return
        if await services.cases.run("open_for_user", key):  # a counsellor is answering: no bot buttons
            return
        if parsed and parsed[0] == "set_bundesland":
            code = str(parsed[1].get("bundesland_code", ""))
            if code in BUNDESLAENDER:
                await services.profiles.set_bundesland(key, code)
        await ask(context.bot, services, chat_id=chat.id, user_key=key, sender_id=key, text=decoded.payload,
                  lang_hint=hint_of(user), current_lang=profile.language)
