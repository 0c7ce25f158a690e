"""Button follow-ups: more detail on an entry, the counselling centre for the user's Bundesland,
and Rasa's core fallback."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import read_turn
from actions.replies import Reply, send_replies
from actions.respond import topic_buttons
from bot.answers import centre_lines, compose_detail
from bot.entities import entity_data
from bot.knowledge.base import get_knowledge_base
from bot.knowledge.catalogue import t
from bot.knowledge.directory import get_directory
from bot.knowledge.schema import BUNDESLAENDER

RELATED_SHOWN = 5


def bundesland_buttons() -> list[tuple[str, str]]:
    names = entity_data().records.get("BUNDESLAND", {})
    return [(names.get(code, {}).get("name_de", code), f'/set_bundesland{{"bundesland_code": "{code}"}}')
            for code in BUNDESLAENDER]


class ActionMoreDetail(Action):
    def name(self) -> str:
        return "action_more_detail"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        turn = read_turn(tracker)
        kb = get_knowledge_base()
        entry = kb.by_id.get(turn.entity("kb_id") or tracker.get_slot("last_kb_id") or "")
        if entry is None:
            send_replies(dispatcher, turn, [Reply(t("clarify", lang)) for lang in turn.answer_langs],
                         {"intent": "more_detail", "handoff": False, "urgent": False})
            return []
        related = [e for e in kb.entries if e.topic == entry.topic and e.id != entry.id][:RELATED_SHOWN]
        replies = [Reply(compose_detail(entry, lang, related)) for lang in turn.answer_langs]
        send_replies(dispatcher, turn, replies, {"intent": "more_detail", "kb_id": entry.id,
                                                 "sources": [str(s.url) for s in entry.sources],
                                                 "handoff": False, "urgent": False})
        return [SlotSet("last_kb_id", entry.id)]


class ActionCounsellingCentre(Action):
    def name(self) -> str:
        return "action_counselling_centre"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        turn = read_turn(tracker)
        topic = turn.entity("topic") or tracker.get_slot("last_topic") or "labour_rights"
        meta = {"intent": "counselling_centre", "handoff": False, "urgent": False}
        if not turn.bundesland or turn.in_group:
            replies = [Reply(t("centre_ask_bundesland", lang), bundesland_buttons()) for lang in turn.answer_langs]
            send_replies(dispatcher, turn, replies, meta)
            return [SlotSet("last_topic", topic)]
        centres = get_directory().route(topic, turn.bundesland, turn.eu_citizen)
        replies = [Reply("\n".join([t("centre_intro", lang), *centre_lines(centres, lang), "",
                                    t("emergency_numbers", lang)])) for lang in turn.answer_langs]
        send_replies(dispatcher, turn, replies, meta)
        return [SlotSet("bundesland", turn.bundesland), SlotSet("last_topic", topic)]


class ActionDefaultFallback(Action):
    """Rasa calls this when no dialogue rule fits; answer like a low-confidence NLU turn."""

    def name(self) -> str:
        return "action_default_fallback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        turn = read_turn(tracker)
        replies = [Reply(t("clarify", lang), topic_buttons(lang)) for lang in turn.answer_langs]
        send_replies(dispatcher, turn, replies, {"intent": turn.best_intent, "handoff": False, "urgent": False})
        return [SlotSet("fallback_count", turn.fallback_count + 1)]
