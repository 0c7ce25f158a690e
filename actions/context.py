"""What an action needs to know about the current turn, read once from the tracker."""
from __future__ import annotations

from dataclasses import dataclass

from rasa_sdk import Tracker

from bot.entities import is_eu_citizen, normalise, values_by_label
from bot.languages import CURATED, FALLBACK

FALLBACK_INTENT = "nlu_fallback"


@dataclass
class Turn:
    text: str
    lang: str                   # the user's language (may be outside the curated set)
    answer_langs: list[str]     # languages to answer in: [lang], or German+English
    intent: str                 # the top intent; nlu_fallback when NLU was unsure
    best_intent: str            # the best real intent even under nlu_fallback (for triage)
    confidence: float
    entities: list[dict]
    values: dict[str, set[str]]
    bundesland: str | None
    eu_citizen: bool | None
    chat_type: str              # private | group | triage | terminal
    fallback_count: int

    @property
    def in_group(self) -> bool:
        return self.chat_type in ("group", "supergroup", "channel")

    def entity(self, name: str) -> str | None:
        return next(iter(sorted(self.values.get(name, ()))), None)


def read_turn(tracker: Tracker) -> Turn:
    message = tracker.latest_message or {}
    metadata = message.get("metadata") or {}
    lang = metadata.get("language") or tracker.get_slot("language") or "en"
    intent = (message.get("intent") or {}).get("name") or FALLBACK_INTENT
    ranking = message.get("intent_ranking") or []
    real = [r for r in ranking if r.get("name") != FALLBACK_INTENT]
    best = real[0] if real else {"name": intent, "confidence": (message.get("intent") or {}).get("confidence", 0.0)}
    entities = normalise(message.get("entities") or [])
    values = values_by_label(entities)
    payload_values = {e["entity"]: e["value"] for e in message.get("entities") or [] if str(e.get("entity", "")).islower()}
    values.update({k: {v} for k, v in payload_values.items()})
    named_laender = values.get("bundesland_code") or values.get("BUNDESLAND") or set()
    bundesland = min(named_laender) if named_laender else tracker.get_slot("bundesland")
    return Turn(
        text=message.get("text") or "",
        lang=lang,
        answer_langs=[lang] if lang in CURATED else list(FALLBACK),
        intent=intent,
        best_intent=best["name"],
        confidence=float(best.get("confidence") or 0.0),
        entities=entities,
        values=values,
        bundesland=bundesland,
        eu_citizen=is_eu_citizen(values.get("COUNTRY", set())),
        chat_type=metadata.get("chat_type") or "private",
        fallback_count=int(tracker.get_slot("fallback_count") or 0),
    )
