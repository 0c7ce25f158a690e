"""Free text in a private chat: language detection -> Rasa -> answer (the shared conversation core)."""
from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.knowledge.schema import BUNDESLAENDER
from bot.languages import CURATED
from bot.telegram.handlers.onboarding import send_privacy_notice
from bot.telegram.handoff_flow import relay_user_text
from bot.telegram.services import curated_or, get_services, hint_of, ui_lang
from bot.telegram.turns import ask


async def private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = get_services(context)
    message, user = update.effective_message, update.effective_user
    key = services.key(user)
    hint = hint_of(user)
    async with services.locks(key):
        profile = await services.profiles.touch(key)
        case = await services.cases.run("open_for_user", key)
        if case is not None:  # relay mode: the counsellor answers, not Rasa
            await relay_user_text(context.bot, services, case, message.text)
            return
        if profile.created:
            # First contact by just writing: the privacy notice first, in the language they write in.
            lang = curated_or(services.detector.detect(message.text, hint, None).lang, ui_lang(None, user))
            await send_privacy_notice(context.bot, services, message.chat_id, lang, key, with_language_choice=False)
        elif not profile.privacy_accepted:
            await services.profiles.accept_privacy(key)  # they saw the notice and carried on
        outcome = await ask(context.bot, services, chat_id=message.chat_id, user_key=key, sender_id=key,
                            text=message.text, lang_hint=hint, current_lang=profile.language)
        if outcome.lang in CURATED and outcome.lang != profile.language and not outcome.error:
            await services.profiles.set_language(key, outcome.lang, confirmed=False)
        bundesland = named_bundesland(outcome.meta.get("entities") or [])
        if bundesland and bundesland != profile.bundesland:
            await services.profiles.set_bundesland(key, bundesland)


def named_bundesland(entities: list[dict]) -> str | None:
    """The one Bundesland the user named (directly or through a city), if exactly one."""
    named = {e.get("value") for e in entities if e.get("entity") == "BUNDESLAND"} & set(BUNDESLAENDER)
    return named.pop() if len(named) == 1 else None
