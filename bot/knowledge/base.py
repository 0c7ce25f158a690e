"""Loads knowledge entries and picks the best one for an intent, the user's words and entities."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from bot.knowledge.schema import Entry
from bot.settings import PROJECT_ROOT
from bot.text_normalise import contains_term, fold

KNOWLEDGE_DIR = PROJECT_ROOT / "knowledge"
ENTITY_MATCH_WEIGHT = 6


class KnowledgeError(Exception):
    """A knowledge file is malformed; the message names the file."""


@dataclass(frozen=True)
class Match:
    entry: Entry
    score: int


class KnowledgeBase:
    def __init__(self, entries: list[Entry]):
        self.entries = entries
        self.by_id = {e.id: e for e in entries}
        self._folded_keywords = {
            e.id: sorted({fold(k) for kws in e.keywords.values() for k in kws if fold(k)}) for e in entries
        }
        self.defaults = {intent: e for e in entries for intent in e.default_for}

    @classmethod
    def load(cls, directory: Path = KNOWLEDGE_DIR / "entries") -> "KnowledgeBase":
        entries, errors = [], []
        for path in sorted(directory.glob("*/*.yml")):
            try:
                entry = Entry.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
            except (ValidationError, yaml.YAMLError, TypeError) as exc:
                errors.append(f"{path.relative_to(directory.parent.parent)}: {exc}")
                continue
            if entry.id != path.stem or entry.topic != path.parent.name:
                errors.append(f"{path}: id/topic must match the file name and folder")
                continue
            entries.append(entry)
        if errors:
            raise KnowledgeError("\n".join(errors))
        return cls(entries)

    def keyword_score(self, entry: Entry, folded_text: str) -> int:
        # Longer terms are more specific, so they weigh more.
        return sum(1 + len(term) // 6 for term in self._folded_keywords[entry.id] if contains_term(folded_text, term))

    def entity_score(self, entry: Entry, entities: dict[str, set[str]]) -> int:
        return sum(
            ENTITY_MATCH_WEIGHT
            for label, wanted in entry.match_entities.items()
            if entities.get(label, set()) & set(wanted)
        )

    def rank(self, text: str, *, intent: str | None = None, topic: str | None = None,
             entities: dict[str, set[str]] | None = None) -> list[Match]:
        folded = fold(text)
        entities = entities or {}
        candidates = [
            e for e in self.entries
            if (intent is None or intent in e.intents) and (topic is None or e.topic == topic)
        ]
        matches = [Match(e, self.keyword_score(e, folded) + self.entity_score(e, entities)) for e in candidates]
        return sorted((m for m in matches if m.score > 0), key=lambda m: (-m.score, m.entry.id))

    def select(self, text: str, intent: str, entities: dict[str, set[str]] | None = None) -> Entry | None:
        """The best entry for this intent, or the intent's default entry when no term matches."""
        ranked = self.rank(text, intent=intent, entities=entities)
        if ranked:
            return ranked[0].entry
        return self.defaults.get(intent)

    def search(self, text: str, limit: int = 5) -> list[Entry]:
        """Free search across all topics (inline mode): keywords plus words of the titles."""
        return [m.entry for m in self.rank(text)[:limit]]


@lru_cache
def get_knowledge_base() -> KnowledgeBase:
    return KnowledgeBase.load()
