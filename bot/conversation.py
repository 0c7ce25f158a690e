"""One user message in, the bot's messages out: the code path shared by Telegram, the terminal
chat and `make triage`. Language detection -> (translation) -> Rasa REST channel -> replies."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from bot.knowledge.catalogue import t
from bot.language_detection import LanguageDetector
from bot.languages import CURATED
from bot.rasa_client import RasaClient, RasaUnavailable
from bot.translation import TranslationFailed, Translator

log = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 2000   # what NLU reads; longer messages are cut, and the user is told
PIVOT_LANGUAGE = "en"      # other languages are translated to this for NLU when a translator is set
META_KEY = "wegweiser"


@dataclass
class Incoming:
    text: str
    user_key: str
    lang_hint: str | None = None      # Telegram's language_code
    current_lang: str | None = None   # the conversation's language so far
    chat_type: str = "private"


@dataclass
class BotMessage:
    text: str
    buttons: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Outcome:
    lang: str
    messages: list[BotMessage]
    meta: dict[str, Any] = field(default_factory=dict)
    error: str | None = None          # empty | service_unavailable
    truncated: bool = False
    machine_translated: bool = False


class Conversation:
    def __init__(self, rasa: RasaClient, detector: LanguageDetector, translator: Translator | None = None):
        self.rasa = rasa
        self.detector = detector
        self.translator = translator

    def language_of(self, incoming: Incoming) -> str:
        if incoming.text.startswith("/"):  # a button payload carries no language
            return incoming.current_lang or (incoming.lang_hint if incoming.lang_hint in CURATED else "en")
        return self.detector.detect(incoming.text, incoming.lang_hint, incoming.current_lang).lang

    async def handle(self, incoming: Incoming) -> Outcome:
        text = incoming.text.strip()
        if not text:
            lang = incoming.current_lang or (incoming.lang_hint if incoming.lang_hint in CURATED else "en")
            return Outcome(lang, [BotMessage(t("error_empty", lang))], error="empty")
        incoming = Incoming(text, incoming.user_key, incoming.lang_hint, incoming.current_lang, incoming.chat_type)
        lang = self.language_of(incoming)
        truncated = len(text) > MAX_MESSAGE_CHARS
        nlu_text, nlu_lang = text[:MAX_MESSAGE_CHARS], lang
        translate = lang not in CURATED and self.translator is not None
        if translate:
            try:
                nlu_text = await self.translator.translate(nlu_text, lang, PIVOT_LANGUAGE)
                nlu_lang = PIVOT_LANGUAGE
            except TranslationFailed:
                log.warning("translation to pivot failed; answering in German/English")
                translate = False
        metadata = {"language": nlu_lang, "user_language": lang, "chat_type": incoming.chat_type}
        try:
            raw = await self.rasa.send(incoming.user_key, nlu_text, metadata)
        except RasaUnavailable as exc:
            log.error("Rasa unavailable: %s", exc)
            reply_lang = lang if lang in CURATED else "en"
            return Outcome(lang, [BotMessage(t("error_service", reply_lang))], error="service_unavailable")
        messages, meta = parse_rasa_messages(raw)
        if translate:
            messages = await self._translate_back(messages, lang)
        if truncated:
            messages.insert(0, BotMessage(t("error_too_long", nlu_lang if nlu_lang in CURATED else "en",
                                            limit=MAX_MESSAGE_CHARS)))
        return Outcome(meta.get("set_language") or lang, messages, meta, truncated=truncated,
                       machine_translated=translate)

    async def _translate_back(self, messages: list[BotMessage], lang: str) -> list[BotMessage]:
        translated = []
        for message in messages:
            try:
                text = await self.translator.translate(message.text, PIVOT_LANGUAGE, lang)
                buttons = [(await self.translator.translate(title, PIVOT_LANGUAGE, lang), payload)
                           for title, payload in message.buttons]
                note = t("note_machine_translated", PIVOT_LANGUAGE)
                translated.append(BotMessage(f"{text}\n\n{note}", buttons))
            except TranslationFailed:
                translated.append(message)  # never lose the answer: keep the English original
        return translated


def parse_rasa_messages(raw: list[dict]) -> tuple[list[BotMessage], dict]:
    messages, meta = [], {}
    for item in raw:
        custom = item.get("custom")
        if isinstance(custom, dict) and META_KEY in custom:
            meta.update(custom[META_KEY])  # several actions may answer one message; later facts win
        elif item.get("text"):
            buttons = [(b.get("title", ""), b.get("payload", "")) for b in item.get("buttons") or []]
            messages.append(BotMessage(item["text"], buttons))
    return messages, meta
