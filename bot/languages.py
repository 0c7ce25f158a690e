"""The curated languages of the contract and their metadata."""
from __future__ import annotations

CURATED = ("de", "en", "ar", "fa", "uk", "ru", "tr", "ro", "bg", "pl", "fr")
RTL = frozenset({"ar", "fa", "ur", "he"})
# Languages used when we cannot answer in the user's own language (no translator configured).
FALLBACK = ("de", "en")


def is_curated(code: str | None) -> bool:
    return code in CURATED
