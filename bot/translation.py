"""Machine translation through deep-translator, only when an operator configured a provider.

`none` (default): user text never leaves the machine. `libre`: a self-hosted LibreTranslate
(docker-compose). `google`/`deepl`: third parties, only on explicit opt-in.
"""
from __future__ import annotations

import asyncio
from functools import lru_cache

from deep_translator import DeeplTranslator, GoogleTranslator, LibreTranslator
from deep_translator.exceptions import (AuthorizationException, BaseError, RequestError, ServerException,
                                        TooManyRequests)

from bot.settings import Settings, get_settings


class TranslationFailed(Exception):
    pass


class Translator:
    def __init__(self, settings: Settings):
        self.settings = settings

    def _engine(self, source: str, target: str):
        s = self.settings
        if s.translator_provider == "libre":
            # custom_url keeps requests on the operator's own server; the library's default is a public one.
            # A self-hosted LibreTranslate without API keys ignores the key, but the library insists on one.
            return LibreTranslator(source=source, target=target, custom_url=s.libretranslate_url.rstrip("/") + "/",
                                   api_key=s.translator_api_key or "self-hosted")
        if s.translator_provider == "deepl":
            return DeeplTranslator(source=source, target=target, api_key=s.translator_api_key)
        return GoogleTranslator(source=source, target=target)

    def translate_sync(self, text: str, source: str, target: str) -> str:
        if source == target or not text.strip():
            return text
        try:
            return self._engine(source, target).translate(text)
        # deep-translator's errors do not share one base class.
        except (BaseError, ServerException, RequestError, TooManyRequests, AuthorizationException,
                OSError, ValueError, KeyError) as exc:
            raise TranslationFailed(type(exc).__name__) from exc

    async def translate(self, text: str, source: str, target: str) -> str:
        return await asyncio.to_thread(self.translate_sync, text, source, target)


@lru_cache
def get_translator() -> Translator | None:
    settings = get_settings()
    return None if settings.translator_provider == "none" else Translator(settings)
