"""Inline keyboards: Rasa buttons, language choice, erasure confirmation, deep-link buttons."""
from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.knowledge.catalogue import t
from bot.languages import CURATED
from bot.telegram.callback_data import ERASE, LANGUAGE, ButtonCodec, local

BUTTON_TITLE_MAX = 64
# Rasa buttons that make sense in a community group (general information); the others are personal
# (a person to talk to, the user's Bundesland) and are replaced by "continue privately".
GROUP_SAFE_PAYLOADS = ("/more_detail", "/choose_topic")


def _title(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= BUTTON_TITLE_MAX else text[: BUTTON_TITLE_MAX - 1] + "…"


def rasa_buttons(buttons: list[tuple[str, str]], codec: ButtonCodec) -> list[list[InlineKeyboardButton]]:
    return [[InlineKeyboardButton(_title(title), callback_data=codec.encode(payload))]
            for title, payload in buttons if title and payload]


def group_safe(buttons: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(title, payload) for title, payload in buttons if payload.startswith(GROUP_SAFE_PAYLOADS)]


def url_row(title: str, url: str) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(_title(title), url=url)]


def markup(rows: list[list[InlineKeyboardButton]]) -> InlineKeyboardMarkup | None:
    return InlineKeyboardMarkup(rows) if rows else None


def language_keyboard(selected: str | None, per_row: int = 2) -> InlineKeyboardMarkup:
    buttons = [InlineKeyboardButton(("✓ " if code == selected else "") + t("language_name", code),
                                    callback_data=local(LANGUAGE, code)) for code in CURATED]
    return InlineKeyboardMarkup([buttons[i:i + per_row] for i in range(0, len(buttons), per_row)])


def erase_keyboard(lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t("btn_delete_yes", lang), callback_data=local(ERASE, "y"))],
                                 [InlineKeyboardButton(t("btn_cancel", lang), callback_data=local(ERASE, "n"))]])


def human_keyboard(lang: str, codec: ButtonCodec) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(rasa_buttons([(t("btn_human", lang), "/request_human")], codec))
