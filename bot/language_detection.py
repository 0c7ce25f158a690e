"""Which language is the user writing in?

lingua, restricted to the curated languages plus common other languages of migrants in Germany
(so that "other" is a confident answer, not a guess), combined with Telegram's `language_code` hint
and the conversation's current language, so that a short or mixed message ("ok", "Kündigung?")
does not flip the conversation language.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import yaml
from lingua import IsoCode639_1, Language, LanguageDetectorBuilder
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from bot.entities import entity_data
from bot.languages import CURATED
from bot.settings import PROJECT_ROOT
from bot.text_normalise import fold

NLU_TRAIN_DIR = PROJECT_ROOT / "nlu_data" / "nlu"
GERMAN_TERMS_FILE = PROJECT_ROOT / "nlu_data" / "german_terms.yml"

OTHER_CANDIDATES = (
    "it", "es", "pt", "nl", "sq", "sr", "hr", "bs", "mk", "el", "hu", "cs", "sk", "sl", "lt", "lv", "et",
    "so", "sw", "ur", "hi", "bn", "pa", "vi", "zh", "tl", "id", "ka", "hy", "az", "kk", "be", "he", "ta",
)
DEFAULT_LANGUAGE = "en"
# Below these sizes a message is "short": it keeps the conversation language unless the script changes.
SHORT_WORDS = 3
SHORT_LETTERS = 16
# lingua's confidences are spread over ~45 candidates: trust the top one when it is high, or
# clearly ahead of the runner-up.
CONFIDENT = 0.5
CONFIDENT_MIN = 0.2
CONFIDENT_RATIO = 2.5
WEAK_GUESS = 0.1  # below this, with no hint or history, the default language is the better bet

# A second opinion: a character n-gram classifier trained on our own NLU training data, which
# knows how people here write (Arabizi, Finglish, Ukrainian/Russian in Latin letters, no diacritics).
# Measured on the held-out split (make eval): blending 30 % lingua with 70 % of the learned model
# is best for the curated languages; a confident lingua verdict for another language stands unless the
# learned model is sure (it only knows the curated languages, so it is over-confident on others).
LEARNED_WEIGHT = 0.7
OTHER_GATE = 0.7
MIN_WORDS_AFTER_MASKING = 1


@dataclass(frozen=True)
class Detection:
    lang: str
    confidence: float
    reason: str  # "detected" | "learned" | "kept" | "hint" | "default"

    @property
    def curated(self) -> bool:
        return self.lang in CURATED


def script_of(text: str) -> str | None:
    """The dominant script of the letters: 'latin', 'cyrillic', 'arabic', 'other' or None (no letters)."""
    counts: dict[str, int] = {}
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        script = ("latin" if name.startswith("LATIN") else "cyrillic" if name.startswith("CYRILLIC")
                  else "arabic" if name.startswith("ARABIC") else "other")
        counts[script] = counts.get(script, 0) + 1
    return max(counts, key=counts.get) if counts else None


LANGUAGE_SCRIPT = {"ar": "arabic", "fa": "arabic", "ur": "arabic", "uk": "cyrillic", "ru": "cyrillic",
                   "bg": "cyrillic", "mk": "cyrillic", "sr": "cyrillic", "kk": "cyrillic", "be": "cyrillic"}


def script_fits(lang: str | None, script: str | None) -> bool:
    return lang is not None and script is not None and LANGUAGE_SCRIPT.get(lang, "latin") == script


def _training_texts() -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for lang in CURATED:
        data = yaml.safe_load((NLU_TRAIN_DIR / f"{lang}.yml").read_text(encoding="utf-8"))
        for block in data["nlu"]:
            for line in block["examples"].splitlines():
                text = line.strip().removeprefix("- ").strip()
                if text:
                    texts.append(text)
                    labels.append(lang)
    return texts, labels


def _german_terms() -> list[str]:
    data = yaml.safe_load(GERMAN_TERMS_FILE.read_text(encoding="utf-8"))
    raw = list(data["terms"])
    records = entity_data().records
    for label in ("CITY", "BUNDESLAND"):
        for entry in records.get(label, {}).values():
            raw += (entry.get("terms") or {}).get("de", [])
    terms = {form for t in raw for form in (str(t).lower(), fold(str(t)))}
    return sorted(terms, key=len, reverse=True)  # longest first, so "blaue karte" goes before "karte"


class LanguageDetector:
    def __init__(self) -> None:
        codes = CURATED + OTHER_CANDIDATES
        languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in codes]
        self._detector = LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().build()
        texts, labels = _training_texts()
        self._learned = Pipeline([
            # Lowercase only: folding would merge Arabic and Persian letters (ي/ی, ك/ک), the best clue between them.
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True, lowercase=True)),
            ("classify", LogisticRegression(C=20, max_iter=2000)),
        ]).fit(texts, labels)
        self._german_terms = re.compile(
            "|".join(rf"(?<!\w){re.escape(t)}\w*" for t in _german_terms()), re.IGNORECASE)

    def without_german_terms(self, text: str) -> str:
        """Drop German official words; keep the text if too little would remain."""
        masked = self._german_terms.sub(" ", text.lower())
        return masked if len(re.findall(r"[^\W\d_]{2,}", masked)) >= MIN_WORDS_AFTER_MASKING else text

    def ranked(self, text: str) -> list[tuple[str, float]]:
        return [(cv.language.iso_code_639_1.name.lower(), cv.value)
                for cv in self._detector.compute_language_confidence_values(text)]

    def learned_probabilities(self, text: str) -> dict[str, float]:
        probabilities = self._learned.predict_proba([text])[0]
        return {str(lang): float(p) for lang, p in zip(self._learned.classes_, probabilities)}

    def detect(self, text: str, hint: str | None = None, current: str | None = None) -> Detection:
        hint = (hint or "").split("-")[0].lower() or None
        script = script_of(text)
        if script is None:  # emoji, digits, punctuation only
            return self._fallback(current, hint, 0.0)
        letters = sum(ch.isalpha() for ch in text)
        short = len(text.split()) < SHORT_WORDS or letters < SHORT_LETTERS
        probe = self.without_german_terms(text)
        ranked = self.ranked(probe)
        top, top_p = ranked[0] if ranked else (None, 0.0)
        second_p = ranked[1][1] if len(ranked) > 1 else 0.0
        confident = top_p >= CONFIDENT or (top_p >= CONFIDENT_MIN and top_p >= CONFIDENT_RATIO * second_p)
        if short:
            # One word must not flip the conversation ("ok", "Kündigung" are typed in every language);
            # a change to a non-Latin script does.
            for keep, reason in ((current, "kept"), (hint, "hint")):
                if keep and (script == "latin" or script_fits(keep, script)):
                    return Detection(keep, dict(ranked).get(keep, 0.0), reason)
        learned = self.learned_probabilities(probe)
        learned_top = max(learned, key=learned.get)
        if top and top not in CURATED and confident and not short and learned[learned_top] < OTHER_GATE:
            return Detection(top, top_p, "detected")  # a confident non-curated language
        lingua_p = dict(ranked)
        blended = {lang: (1 - LEARNED_WEIGHT) * lingua_p.get(lang, 0.0) + LEARNED_WEIGHT * learned.get(lang, 0.0)
                   for lang in CURATED if script == "latin" or script_fits(lang, script)}
        best = max(blended, key=blended.get) if blended else None
        if best and blended[best] >= WEAK_GUESS:
            return Detection(best, blended[best], "detected")
        for keep, reason in ((current, "kept"), (hint, "hint")):
            if script_fits(keep, script):
                return Detection(keep, lingua_p.get(keep, 0.0), reason)
        return self._fallback(current, hint, 0.0)

    @staticmethod
    def _fallback(current: str | None, hint: str | None, p: float) -> Detection:
        if current:
            return Detection(current, p, "kept")
        if hint:
            return Detection(hint, p, "hint")
        return Detection(DEFAULT_LANGUAGE, p, "default")


@lru_cache
def get_detector() -> LanguageDetector:
    return LanguageDetector()
