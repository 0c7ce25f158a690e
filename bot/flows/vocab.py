"""Answer words for the guided flows (knowledge/flow_words.yml): yes/no, stop, paper vs. WhatsApp, per hour ..."""
from __future__ import annotations

import re
from functools import lru_cache

import yaml

from bot.knowledge.base import KNOWLEDGE_DIR
from bot.text_normalise import contains_term, fold

SHORT_ANSWER_WORDS = 6
SHORT_ONLY = frozenset({"yes", "no", "stop", "dont_know"})


@lru_cache
def _data() -> dict:
    return yaml.safe_load((KNOWLEDGE_DIR / "flow_words.yml").read_text(encoding="utf-8"))


@lru_cache
def terms(kind: str, lang: str | None) -> tuple[str, ...]:
    by_lang = _data()["words"][kind]
    langs = dict.fromkeys([lang or "en", "de", "en"])
    found = {fold(str(t)) for code in langs for t in by_lang.get(code) or []}
    return tuple(sorted(found, key=len, reverse=True))


def has(kind: str, text: str, lang: str | None) -> bool:
    folded = fold(text)
    if kind in SHORT_ONLY and len(folded.split()) > SHORT_ANSWER_WORDS:
        return False
    return any(_contains(folded, term) for term in terms(kind, lang))


def _contains(folded: str, term: str) -> bool:
    if len(term) <= 3 and not re.search(r"[\u0600-\u06ff]", term):
        return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", folded) is not None
    if re.search(r"[\u0600-\u06ff]", term) and len(term) <= 3:
        return re.search(rf"(?<![\u0600-\u06ff]){re.escape(term)}(?![\u0600-\u06ff])", folded) is not None
    return contains_term(folded, term)


def first_of(kinds: tuple[str, ...], text: str, lang: str | None) -> str | None:
    return next((kind for kind in kinds if has(kind, text, lang)), None)


def extra_weekdays() -> dict[str, dict[int, list[str]]]:
    return {lang: {int(k): v for k, v in days.items()} for lang, days in (_data().get("extra_weekdays") or {}).items()}
