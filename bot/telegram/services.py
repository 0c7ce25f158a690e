"""What the handlers share, kept in `application.bot_data`: settings, the conversation (Rasa), the
profile repository, erasure, the button codec, the knowledge base, and per-user locks."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from telegram import User
from telegram.ext import ContextTypes

from bot.conversation import Conversation
from bot.handoff_cases.store import CaseStore
from bot.knowledge.base import KnowledgeBase
from bot.language_detection import LanguageDetector
from bot.languages import CURATED
from bot.rasa_client import RasaClient
from bot.settings import Settings
from bot.telegram.callback_data import ButtonCodec
from bot.telegram.erasure import Erasure
from bot.telegram.profiles import Profile, Profiles
from bot.telegram.user_keys import user_key
from bot.translation import Translator

SERVICES = "wegweiser"
DEFAULT_LANG = "en"


class KeyedLocks:
    """One asyncio lock per user key, so one user's updates are handled in order while different
    users are served concurrently. Locks are dropped when nobody holds or waits for them."""

    def __init__(self) -> None:
        self._locks: dict[str, list] = {}

    @asynccontextmanager
    async def __call__(self, key: str) -> AsyncIterator[None]:
        entry = self._locks.setdefault(key, [asyncio.Lock(), 0])
        entry[1] += 1
        try:
            async with entry[0]:
                yield
        finally:
            entry[1] -= 1
            if entry[1] == 0:
                self._locks.pop(key, None)


@dataclass
class Services:
    settings: Settings
    rasa: RasaClient
    conversation: Conversation
    detector: LanguageDetector
    profiles: Profiles
    erasure: Erasure
    knowledge: KnowledgeBase
    codec: ButtonCodec = field(default_factory=ButtonCodec)
    locks: KeyedLocks = field(default_factory=KeyedLocks)
    cases: CaseStore | None = None
    translator: Translator | None = None
    # the last turn's facts per user key (topic, urgency, kb id, sources), for a handoff summary
    last_meta: dict[str, dict] = field(default_factory=dict)
    pending_consent: dict[str, dict] = field(default_factory=dict)
    out_of_hours_told: dict[int, float] = field(default_factory=dict)

    def key(self, user: User) -> str:
        return user_key(self.settings.user_key_secret, user.id)


def get_services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.application.bot_data[SERVICES]


def hint_of(user: User | None) -> str | None:
    """Telegram's language_code ('pt-br', 'uk') as a two-letter code."""
    code = (user.language_code if user else None) or ""
    return code.split("-")[0].lower() or None


def ui_lang(profile: Profile | None, user: User | None) -> str:
    """The language for interface texts: the profile's, else Telegram's language_code, else English."""
    if profile and profile.language in CURATED:
        return profile.language
    hint = hint_of(user)
    return hint if hint in CURATED else DEFAULT_LANG


def curated_or(lang: str | None, fallback: str) -> str:
    return lang if lang in CURATED else fallback
