"""action_respond: every typed message ends here. Picks the knowledge entry (or catalogue text),
decides about a human handoff, and attaches the triage metadata the front ends read."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import FALLBACK_INTENT, Turn, read_turn
from actions.replies import Reply, send_replies
from bot.answers import centre_lines, compose
from bot.curation_log import log_unanswered
from bot.flows.questions import start_button
from bot.handoff import decide
from bot.knowledge.base import get_knowledge_base
from bot.knowledge.catalogue import t
from bot.knowledge.directory import get_directory
from bot.languages import CURATED
from bot.topics import CONTENT_TOPICS, topic_for_intent

# Catalogue key for each conversational intent.
SMALL_TALK = {
    "greet": "greet", "goodbye": "goodbye", "thanks": "thanks_reply", "affirm": "affirm_reply",
    "deny": "deny_reply", "bot_capabilities": "capabilities", "out_of_scope": "out_of_scope",
    "inform": "inform_without_context",
}
# The intent that stands for a whole topic when the user picks it from the clarification buttons.
TOPIC_INTENT = {"recognition": "ask_recognition", "residence": "ask_residence", "wages": "ask_wages",
                "dismissal": "ask_dismissal", "labour_rights": "ask_labour_rights"}
# The guided flow offered (as a button) under an answer to a general question. Reports of a dismissal
# or of missing wages start their flow at once (rules in nlu_data/core/flows.yml).
FLOW_FOR_INTENT = {"ask_dismissal": "dismissal", "ask_wages": "wage", "ask_recognition": "recognition",
                   "ask_residence": "residence"}
# Entities remembered for the rest of the conversation (the flows do not ask for them again).
REMEMBERED_ENTITIES = {"PROFESSION": "profession", "COUNTRY": "country", "RESIDENCE_TITLE": "residence_title"}


def topic_buttons(lang: str) -> list[tuple[str, str]]:
    return [(t(f"topic_{topic}", lang), f'/choose_topic{{"topic": "{topic}"}}') for topic in CONTENT_TOPICS]


def language_buttons() -> list[tuple[str, str]]:
    return [(t("language_name", code), f'/change_language{{"lang_code": "{code}"}}') for code in CURATED]


class ActionRespond(Action):
    def name(self) -> str:
        return "action_respond"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        turn = read_turn(tracker)
        intent = turn.intent
        if intent == "inform":
            from actions.flows import correct_finished_flow

            corrected = correct_finished_flow(tracker, turn)
            if corrected is not None:
                replies, meta, events = corrected
                send_replies(dispatcher, turn, replies, meta)
                return events
        if intent == "choose_topic":
            intent = TOPIC_INTENT.get(turn.entity("topic") or "", FALLBACK_INTENT)
        events: list[dict[str, Any]] = []
        meta: dict[str, Any] = {"kb_id": None, "sources": []}
        unanswered = False

        if intent == FALLBACK_INTENT:
            replies = [Reply(t("clarify", lang), topic_buttons(lang)) for lang in turn.answer_langs]
            events.append(SlotSet("fallback_count", turn.fallback_count + 1))
        elif topic_for_intent(intent) in CONTENT_TOPICS:
            replies, meta, unanswered = self.answer_from_knowledge(turn, intent)
            events += [SlotSet("fallback_count", 0), SlotSet("last_topic", topic_for_intent(intent)),
                       SlotSet("last_kb_id", meta["kb_id"])]
            flow = FLOW_FOR_INTENT.get(intent)
            if flow and not unanswered and turn.chat_type in ("private", "terminal") and replies:
                for reply, lang in zip(replies, turn.answer_langs):
                    reply.buttons = [start_button(flow, lang), *reply.buttons]
        elif intent == "change_language":
            replies, chosen = self.change_language(turn)
            if chosen:
                meta["set_language"] = chosen
                events.append(SlotSet("language", chosen))
        elif intent == "request_human":
            replies = self.offer_human(turn, tracker.get_slot("last_topic"), with_button=False)
        else:
            replies = [Reply(t(SMALL_TALK.get(intent, "out_of_scope"), lang)) for lang in turn.answer_langs]

        decision = decide(intent=turn.best_intent if intent == FALLBACK_INTENT else intent, text=turn.text,
                          fallback_count=turn.fallback_count + (intent == FALLBACK_INTENT), unanswered=unanswered)
        if decision.offer and intent != "request_human" and not turn.in_group:
            replies += self.offer_human(turn, topic_for_intent(intent), urgent=decision.urgent)
        if turn.bundesland and not turn.in_group:
            events.append(SlotSet("bundesland", turn.bundesland))
        if not turn.in_group:
            for label, slot in REMEMBERED_ENTITIES.items():
                value = turn.entity(label)
                if value and not (label == "COUNTRY" and value == "DE"):
                    events.append(SlotSet(slot, value))
        if turn.lang in CURATED and "set_language" not in meta:
            events.append(SlotSet("language", turn.lang))

        send_replies(dispatcher, turn, replies, {
            **meta,
            "intent": turn.best_intent if intent == FALLBACK_INTENT else intent,
            "handoff": decision.offer, "urgent": decision.urgent, "reasons": list(decision.reasons),
        })
        return events

    @staticmethod
    def answer_from_knowledge(turn: Turn, intent: str) -> tuple[list[Reply], dict, bool]:
        entry = get_knowledge_base().select(turn.text, intent, turn.values)
        if entry is None:
            log_unanswered(text=turn.text, language=turn.lang, intent=intent, topic=topic_for_intent(intent),
                           confidence=turn.confidence)
            return [Reply(t("not_in_kb", lang)) for lang in turn.answer_langs], {"kb_id": None, "sources": []}, True
        bundesland = None if turn.in_group else turn.bundesland
        centres = get_directory().route(entry.topic, bundesland, turn.eu_citizen)
        answers = [compose(entry, lang, bundesland=bundesland, centres=centres) for lang in turn.answer_langs]
        replies = [Reply(a.text, a.buttons) for a in answers]
        return replies, {"kb_id": entry.id, "sources": answers[0].sources}, False

    @staticmethod
    def change_language(turn: Turn) -> tuple[list[Reply], str | None]:
        chosen = turn.entity("lang_code")
        if chosen in CURATED:
            return [Reply(t("language_changed", chosen))], chosen
        return [Reply(t("choose_language", lang), language_buttons()) for lang in turn.answer_langs], None

    @staticmethod
    def offer_human(turn: Turn, topic: str | None, urgent: bool = False, with_button: bool = True) -> list[Reply]:
        if turn.in_group:
            return []
        centres = get_directory().route(topic or "labour_rights", turn.bundesland, turn.eu_citizen)
        replies = []
        for lang in turn.answer_langs:
            lines = [t("urgent_note", lang)] if urgent else []
            lines += [t("offer_human", lang), t("centre_intro", lang), *centre_lines(centres, lang)]
            buttons = [(t("btn_human", lang), "/request_human")] if with_button else []
            replies.append(Reply("\n".join(lines), buttons))
        return replies
