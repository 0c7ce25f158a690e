"""User-facing interface strings in every curated language, from knowledge/catalogue.yml."""
from __future__ import annotations

from functools import lru_cache

import yaml

from bot.knowledge.base import KNOWLEDGE_DIR
from bot.languages import CURATED

CATALOGUE_FILE = KNOWLEDGE_DIR / "catalogue.yml"


class Catalogue:
    def __init__(self, strings: dict[str, dict[str, str]]):
        self.strings = strings

    @classmethod
    def load(cls) -> "Catalogue":
        return cls(yaml.safe_load(CATALOGUE_FILE.read_text(encoding="utf-8")))

    def text(self, key: str, lang: str, **values: object) -> str:
        """The string in `lang`, else English; placeholders filled from `values`."""
        variants = self.strings[key]
        template = variants.get(lang) or variants["en"]
        return template.format(**values) if values else template

    def missing(self) -> list[str]:
        """Keys lacking a language, as 'key:lang' (kb-check reports these)."""
        return [f"{key}:{lang}" for key, variants in self.strings.items() for lang in CURATED if not variants.get(lang)]


@lru_cache
def get_catalogue() -> Catalogue:
    return Catalogue.load()


def t(key: str, lang: str, **values: object) -> str:
    return get_catalogue().text(key, lang, **values)
