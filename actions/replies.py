"""Sending an action's replies: texts with buttons, then one custom message with the turn's metadata
(language, intent, entities, knowledge entry, sources, handoff) for the front ends and `make triage`."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.context import Turn
from bot.knowledge.catalogue import t
from bot.languages import CURATED, FALLBACK
from bot.topics import topic_for_intent

META_KEY = "wegweiser"


@dataclass
class Reply:
    text: str
    buttons: list[tuple[str, str]] = field(default_factory=list)


def send_replies(dispatcher: CollectingDispatcher, turn: Turn, replies: list[Reply], meta: dict[str, Any]) -> None:
    if turn.lang not in CURATED:
        # No translation configured for this language: say so, then answer in German and English.
        dispatcher.utter_message(text="\n\n".join(t("no_translator_apology", lang) for lang in FALLBACK))
    for reply in replies:
        buttons = [{"title": title, "payload": payload} for title, payload in reply.buttons]
        dispatcher.utter_message(text=reply.text, buttons=buttons or None)
    intent = meta.get("intent")
    dispatcher.utter_message(json_message={META_KEY: {
        "lang": turn.lang,
        "answer_langs": turn.answer_langs,
        "topic": topic_for_intent(intent),
        "confidence": round(turn.confidence, 4),
        "entities": turn.entities,
        "chat_type": turn.chat_type,
        **meta,
    }})
