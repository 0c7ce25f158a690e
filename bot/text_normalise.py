"""Normalisation for matching user text against curated terms in many scripts."""
from __future__ import annotations

import re
import unicodedata

# Persian and Arabic share letters with different code points; Turkish dotless i has no decomposition.
_FOLD = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "ı": "i", "ё": "е", "ß": "ss", "’": "'", "ـ": ""})
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lowercase, drop diacritics/harakat, unify look-alike letters, collapse whitespace."""
    lowered = text.casefold().translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", lowered)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACE.sub(" ", unicodedata.normalize("NFC", stripped)).strip()


def contains_term(folded_text: str, folded_term: str) -> bool:
    """Term found at the start of a word (so inflected endings still match); short terms need a whole word."""
    if not folded_term:
        return False
    if len(folded_term) <= 3:
        return re.search(rf"(?<!\w){re.escape(folded_term)}(?!\w)", folded_text) is not None
    if re.search(r"[\u0600-\u06ff]", folded_term):
        # Arabic script glues prefixes (و، ال، ب) to words: a plain substring is the fair test.
        return folded_term in folded_text
    return re.search(rf"(?<!\w){re.escape(folded_term)}", folded_text) is not None
