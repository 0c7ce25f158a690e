"""Unanswered questions for curators, scrubbed of personal data before they are stored."""
from __future__ import annotations

import re

from bot.db.models import UnansweredQuestion
from bot.db.session import new_session

MAX_STORED_CHARS = 300
_EMAIL = re.compile(r"\S+@\S+")
_URL = re.compile(r"https?://\S+")
_DIGITS = re.compile(r"\d[\d\s./-]{2,}\d|\d+")
# Capitalised words after "ich heiße"/"my name is"/"меня зовут" style phrases are names.
_NAME = re.compile(r"(?i)(heiße|heisse|name is|i am|i'm|меня зовут|мене звати|je m'appelle|nazywam się|benim adım|اسمي|اسم من)\s+\S+")


def scrub(text: str) -> str:
    """Remove what could identify a person: e-mails, links, numbers (phones, dates, ids), names."""
    text = _EMAIL.sub("<email>", text)
    text = _URL.sub("<link>", text)
    text = _NAME.sub(lambda m: f"{m.group(1)} <name>", text)
    text = _DIGITS.sub("<n>", text)
    return text[:MAX_STORED_CHARS]


def log_unanswered(*, text: str, language: str, intent: str | None, topic: str | None,
                   confidence: float | None) -> None:
    with new_session() as session, session.begin():
        session.add(UnansweredQuestion(language=language, intent=intent, topic=topic,
                                       confidence=confidence, question=scrub(text)))
