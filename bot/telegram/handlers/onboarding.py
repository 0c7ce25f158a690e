"""First contact: the privacy notice, with the language choice preselected from Telegram's language_code."""
from __future__ import annotations

from telegram import Bot

from bot.knowledge.catalogue import t
from bot.telegram.keyboards import language_keyboard
from bot.telegram.sending import send_markdown
from bot.telegram.services import Services


def privacy_text(services: Services, lang: str) -> str:
    return t("privacy_notice", lang, days=services.settings.data_retention_days)


async def send_privacy_notice(bot: Bot, services: Services, chat_id: int, lang: str, user_key: str,
                              with_language_choice: bool = True) -> None:
    text = privacy_text(services, lang)
    if with_language_choice:
        text = f"{text}\n\n{t('choose_language', lang)}"
    await send_markdown(bot, services, chat_id, text,
                        keyboard=language_keyboard(lang) if with_language_choice else None, user_key=user_key)
