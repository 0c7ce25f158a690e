"""Deep links `https://t.me/<bot>?start=<payload>`: `<topic>_<lang>`, `<topic>` or `<lang>`.

Telegram allows at most 64 characters of `[A-Za-z0-9_-]` in a start payload; all of ours are short.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.languages import CURATED
from bot.topics import CONTENT_TOPICS

MAX_PAYLOAD = 64
PAYLOAD_CHARS = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class StartPayload:
    topic: str | None = None
    lang: str | None = None


def parse_start_payload(payload: str | None) -> StartPayload | None:
    """The topic and language a deep link asks for; None for anything malformed or unknown."""
    if not payload or not PAYLOAD_CHARS.match(payload):
        return None
    payload = payload.lower()
    if payload in CURATED:
        return StartPayload(lang=payload)
    if payload in CONTENT_TOPICS:
        return StartPayload(topic=payload)
    topic, sep, lang = payload.rpartition("_")
    if sep and topic in CONTENT_TOPICS and lang in CURATED:
        return StartPayload(topic=topic, lang=lang)
    return None


def start_payload(topic: str | None = None, lang: str | None = None) -> str:
    parts = [p for p in (topic, lang) if p]
    payload = "_".join(parts)
    if not payload or not PAYLOAD_CHARS.match(payload):
        raise ValueError(f"not a valid start payload: {payload!r}")
    return payload


def deep_link(bot_username: str, topic: str | None = None, lang: str | None = None) -> str:
    """https://t.me/<bot>?start=<topic>_<lang> (or just the chat when neither is given)."""
    base = f"https://t.me/{bot_username.lstrip('@')}"
    if not topic and not lang:
        return base
    return f"{base}?start={start_payload(topic, lang)}"
