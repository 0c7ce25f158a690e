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

from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

from bot.languages import CURATED

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

# Arabic and Persian typed in Latin letters ("3andi mushkila", "man ekhraj shodam"): lingua has no
# model for these, so a few unmistakable markers decide.
ARABIZI_DIGIT = re.compile(r"(?<![\d])[a-z]*[23579][a-z]+|[a-z]+[23579](?![\d])", re.IGNORECASE)
ARABIZI_WORDS = frozenset("ana enta inta 3andi andi mish msh mafi fi shoghl shogl sho shu kif keef ya3ni yani "
                          "inshallah wallah habibi bidi badi ma3 m3 3am lesh leh ayza 3ayez kaman kaza el il".split())
FINGLISH_WORDS = frozenset("man shodam shod mikonam mikham mikhaham hast nist chetor chetori baraye "
                           "kar karam kardam dastmozd salam khoob khub lotfan mamnoon merci ekhraj "
                           "kojast chera cheghadr chand beram mitoonam mitunam".split())


@dataclass(frozen=True)
class Detection:
    lang: str
    confidence: float
    reason: str  # "detected" | "romanised" | "kept" | "hint" | "default"

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


def romanised_language(text: str) -> str | None:
    """'ar' or 'fa' for Arabizi/Finglish with at least two markers, else None."""
    words = re.findall(r"[\w']+", text.lower())
    arabizi = sum(1 for w in words if w in ARABIZI_WORDS or ARABIZI_DIGIT.fullmatch(w))
    finglish = sum(1 for w in words if w in FINGLISH_WORDS)
    if max(arabizi, finglish) < 2 and not (len(words) <= 2 and max(arabizi, finglish) == 1 and
                                           any(ARABIZI_DIGIT.fullmatch(w) for w in words)):
        return None
    return "ar" if arabizi >= finglish else "fa"


class LanguageDetector:
    def __init__(self) -> None:
        codes = CURATED + OTHER_CANDIDATES
        languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in codes]
        self._detector = LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().build()

    def ranked(self, text: str) -> list[tuple[str, float]]:
        return [(cv.language.iso_code_639_1.name.lower(), cv.value)
                for cv in self._detector.compute_language_confidence_values(text)]

    def detect(self, text: str, hint: str | None = None, current: str | None = None) -> Detection:
        hint = (hint or "").split("-")[0].lower() or None
        script = script_of(text)
        letters = sum(ch.isalpha() for ch in text)
        if script is None:  # emoji, digits, punctuation only
            return self._fallback(current, hint, script, 0.0)
        ranked = self.ranked(text)
        top, top_p = ranked[0] if ranked else (None, 0.0)
        second_p = ranked[1][1] if len(ranked) > 1 else 0.0
        confident = top_p >= CONFIDENT or (top_p >= CONFIDENT_MIN and top_p >= CONFIDENT_RATIO * second_p)
        short = len(text.split()) < SHORT_WORDS or letters < SHORT_LETTERS
        romanised = romanised_language(text) if script == "latin" else None
        if romanised and not (confident and top in CURATED and top_p >= CONFIDENT):
            return Detection(romanised, top_p, "romanised")
        if short:
            # One word must not flip the conversation ("ok", "Kündigung" are typed in every language);
            # a change to a non-Latin script does.
            for keep, reason in ((current, "kept"), (hint, "hint")):
                if keep and (script == "latin" or script_fits(keep, script)):
                    return Detection(keep, dict(ranked).get(keep, 0.0), reason)
        if top in CURATED and confident:
            return Detection(top, top_p, "detected")
        if top and top not in CURATED and confident and not short:
            return Detection(top, top_p, "detected")
        for keep, reason in ((current, "kept"), (hint, "hint")):
            if script_fits(keep, script):
                return Detection(keep, dict(ranked).get(keep, 0.0), reason)
        best_curated = next(((lang, p) for lang, p in ranked if lang in CURATED), None)
        if best_curated and best_curated[1] >= WEAK_GUESS:
            return Detection(best_curated[0], best_curated[1], "detected")
        return self._fallback(current, hint, script, 0.0)

    @staticmethod
    def _fallback(current: str | None, hint: str | None, script: str | None, p: float) -> Detection:
        if current:
            return Detection(current, p, "kept")
        if hint:
            return Detection(hint, p, "hint")
        return Detection(DEFAULT_LANGUAGE, p, "default")


@lru_cache
def get_detector() -> LanguageDetector:
    return LanguageDetector()
