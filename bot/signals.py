"""Situations a single message can reveal (livelihood at risk, passport taken, ...), from knowledge/signals.yml."""
from __future__ import annotations

from functools import lru_cache

import yaml

from bot.knowledge.base import KNOWLEDGE_DIR
from bot.text_normalise import contains_term, fold


@lru_cache
def _signal_terms() -> dict[str, list[str]]:
    data = yaml.safe_load((KNOWLEDGE_DIR / "signals.yml").read_text(encoding="utf-8"))
    return {signal: sorted({fold(t) for terms in by_lang.values() for t in terms})
            for signal, by_lang in data["signals"].items()}


def detect_signals(text: str) -> set[str]:
    folded = fold(text)
    return {signal for signal, terms in _signal_terms().items() if any(contains_term(folded, t) for t in terms)}
