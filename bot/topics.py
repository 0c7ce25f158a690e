"""Intents are finer than the six triage topics of the contract; each maps to exactly one topic."""
from __future__ import annotations

TOPICS = ("recognition", "residence", "wages", "dismissal", "labour_rights", "other")
CONTENT_TOPICS = TOPICS[:-1]

INTENT_TOPIC = {
    "ask_recognition": "recognition",
    "ask_residence": "residence",
    "ask_wages": "wages",
    "report_unpaid_wages": "wages",
    "report_dismissal": "dismissal",
    "ask_dismissal": "dismissal",
    "ask_labour_rights": "labour_rights",
    "greet": "other",
    "goodbye": "other",
    "thanks": "other",
    "affirm": "other",
    "deny": "other",
    "request_human": "other",
    "bot_capabilities": "other",
    "change_language": "other",
    "out_of_scope": "other",
    "inform": "other",
    "nlu_fallback": "other",
}


def topic_for_intent(intent: str | None) -> str:
    return INTENT_TOPIC.get(intent or "", "other")
