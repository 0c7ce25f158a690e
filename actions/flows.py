"""Rasa side of the guided flows (forms in domain.yml, rules in nlu_data/core/flows.yml). Thin: the logic
is in bot/flows (engine: what an answer means; questions; results) and bot/handoff.py.

- validate_<form>: reads the user's message into the form's slots (bot.flows.engine.handle), says so
  when an answer cannot be read, pauses on "stop", and rejects messages that are another question so
  the normal rules answer them (the form then asks again).
- action_ask_<slot>: the question, with buttons, in the user's language.
- action_flow_result: the personal result when a form is done (or "paused" after "stop").
- action_read_context: runs after every user message (slot mapping) and records whether flows may run
  (private chats only) and the risk signals seen so far in the conversation.
"""
from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import Turn, read_turn
from actions.replies import META_KEY, Reply, send_replies
from bot.entities import is_eu_citizen
from bot.flows.engine import Flow, Message, flows, handle
from bot.flows.questions import continue_button, question
from bot.flows.results import result
from bot.handoff import FALLBACKS_BEFORE_OFFER
from bot.knowledge.catalogue import t
from bot.signals import detect_signals

FLOW_SLOTS = ("notice_date", "notice_form", "employment_months", "probation", "work_region", "pay_amount",
              "pay_unit", "hours_per_week", "minijob", "pay_basis", "unpaid_months", "livelihood", "profession",
              "country", "abroad", "residence_title", "residence_question", "bundesland", "flow_retries")
# Slots only a flow fills (the others can also come from ordinary questions): used to tell a resumed flow.
OWN_SLOTS = {"dismissal_form": ("notice_date", "notice_form", "employment_months", "probation"),
             "wage_form": ("pay_amount", "pay_unit", "hours_per_week", "minijob", "pay_basis"),
             "unpaid_form": ("unpaid_months", "livelihood"),
             "recognition_form": ("abroad",),
             "residence_form": ("residence_question",)}
QUIET_ACTIONS = frozenset({"action_listen", "action_extract_slots", "action_read_context"})
PRIVATE_CHATS = frozenset({"private", "terminal"})


def today() -> dt.date:
    return dt.date.today()


def events_since_user(tracker: Tracker) -> list[dict]:
    events = tracker.events or []
    for index in range(len(events) - 1, -1, -1):
        if events[index].get("event") == "user":
            return events[index + 1:]
    return list(events)


def activated_now(tracker: Tracker, form: str) -> bool:
    return any(e.get("event") == "active_loop" and e.get("name") == form for e in events_since_user(tracker))


def returning_after_digression(tracker: Tracker, form: str) -> bool:
    """The form runs again after another action answered the user's message (no new answer to read)."""
    return any(e.get("event") == "action" and e.get("name") not in QUIET_ACTIONS | {form, f"validate_{form}"}
               for e in events_since_user(tracker))


def paused_form_before(tracker: Tracker, form: str) -> str | None:
    """The form that was active when this turn started, if it is another one (the user switched flows)."""
    events = tracker.events or []
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=len(events))
    for event in reversed(events[:last_user]):
        if event.get("event") == "active_loop":
            name = event.get("name")
            return name if name and name != form else None
    return None


def slots_before_turn(tracker: Tracker, names: tuple[str, ...]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    events = tracker.events or []
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=len(events))
    for event in events[:last_user]:
        if event.get("event") == "slot" and event.get("name") in names:
            values[event["name"]] = event.get("value")
    return values


def previous_user_message(tracker: Tracker) -> dict | None:
    """The question just before a button press, if the normal answer (not a flow) handled it:
    "Is 9 € an hour legal?" -> [Check my wage] starts the wage check with 9 € per hour known."""
    events = list(tracker.events or [])
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    if len(users) < 2:
        return None
    before, current = users[-2], users[-1]
    event = events[before]
    actions = {e.get("name") for e in events[before + 1:current] if e.get("event") == "action"}
    if str(event.get("text") or "").startswith("/") or "action_respond" not in actions or actions & set(flows()):
        return None
    return event


def message_of(turn: Turn, today_: dt.date) -> Message:
    texts: dict[str, list[str]] = {}
    for ent in turn.entities:
        texts.setdefault(ent["entity"], []).append(ent["text"])
    return Message(text=turn.text, lang=turn.answer_langs[0], intent=turn.intent, confidence=turn.confidence,
                   values=turn.values, entity_texts=texts, today=today_)


def message_from_event(event: dict, lang: str, today_: dt.date) -> Message:
    from bot.entities import normalise, values_by_label

    parse = event.get("parse_data") or {}
    entities = normalise(parse.get("entities") or [])
    texts: dict[str, list[str]] = {}
    for ent in entities:
        texts.setdefault(ent["entity"], []).append(ent["text"])
    intent = (parse.get("intent") or {}).get("name") or "nlu_fallback"
    return Message(text=event.get("text") or "", lang=lang, intent=intent,
                   confidence=float((parse.get("intent") or {}).get("confidence") or 0.0),
                   values=values_by_label(entities), entity_texts=texts, today=today_)


def flow_values(tracker: Tracker) -> dict[str, Any]:
    return {slot: tracker.get_slot(slot) for slot in FLOW_SLOTS}


def emit_flow_meta(dispatcher: CollectingDispatcher, **meta: Any) -> None:
    """Flow facts for the front ends; bot/conversation.py merges them into the turn's metadata."""
    dispatcher.utter_message(json_message={META_KEY: meta})


class ValidateFlow(Action, ABC):
    @property
    @abstractmethod
    def form(self) -> str: ...

    def name(self) -> str:
        return f"validate_{self.form}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        flow = flows()[self.form]
        turn = read_turn(tracker)
        day = today()
        values = flow_values(tracker)
        requested = tracker.get_slot("requested_slot")
        if activated_now(tracker, self.form):
            return self.activate(flow, turn, tracker, values, day)
        if returning_after_digression(tracker, self.form):
            return self.next_slot(flow, values, day)
        msg = message_of(turn, day)
        outcome = handle(flow, values, requested, msg, prefill=False)
        if outcome.reject:
            return []  # not an answer: Rasa's rules take over, the form asks again afterwards
        if outcome.stop:
            return [SlotSet("flow_paused", self.form), SlotSet("flow_retries", 0), SlotSet("requested_slot", None)]
        if outcome.problem:
            retries = int(values.get("flow_retries") or 0) + 1
            lines = [t(outcome.problem, lang, **outcome.problem_values) for lang in turn.answer_langs]
            buttons = []
            if retries >= FALLBACKS_BEFORE_OFFER:
                lines = [f"{line}\n\n{t('retry_offer_human', lang)}" for line, lang in zip(lines, turn.answer_langs)]
                buttons = [(t("btn_human", turn.answer_langs[0]), "/request_human")]
            for line in lines:
                dispatcher.utter_message(text=line, buttons=[{"title": b, "payload": p} for b, p in buttons] or None)
            emit_flow_meta(dispatcher, flow=flow.name, problem=outcome.problem, retries=retries,
                           handoff=retries >= FALLBACKS_BEFORE_OFFER)
            return [SlotSet(requested, None), SlotSet("flow_retries", retries), SlotSet("requested_slot", requested)]
        values.update(outcome.updates)
        events = [SlotSet(k, v) for k, v in outcome.updates.items()]
        return events + [SlotSet("flow_retries", 0)] + self.next_slot(flow, values, day)

    def activate(self, flow: Flow, turn: Turn, tracker: Tracker, values: dict[str, Any],
                 day: dt.date) -> list[dict[str, Any]]:
        events: list[dict[str, Any]] = []
        restart = turn.entity("choice") == "restart"
        if restart:
            cleared = {slot: None for slot in OWN_SLOTS[self.form]}
            values.update(cleared)
            events += [SlotSet(k, None) for k in cleared]
        msg = message_of(turn, day)
        if msg.is_payload and not restart:
            previous = previous_user_message(tracker)
            if previous is not None:
                msg = message_from_event(previous, turn.answer_langs[0], day)
        outcome = handle(flow, values, None, msg, prefill=True)
        values.update(outcome.updates)
        events += [SlotSet(k, v) for k, v in outcome.updates.items()]
        paused = tracker.get_slot("flow_paused")
        other = paused_form_before(tracker, self.form)
        if other:
            paused = other
        elif paused == self.form:
            paused = None
        return events + [SlotSet("flow_paused", paused), SlotSet("flow_retries", 0)] + self.next_slot(flow, values, day)

    @staticmethod
    def next_slot(flow: Flow, values: dict[str, Any], day: dt.date) -> list[dict[str, Any]]:
        missing = flow.missing(values, day)
        return [SlotSet("requested_slot", missing[0] if missing else None)]


class ValidateDismissalForm(ValidateFlow):
    form = "dismissal_form"


class ValidateWageForm(ValidateFlow):
    form = "wage_form"


class ValidateUnpaidForm(ValidateFlow):
    form = "unpaid_form"


class ValidateRecognitionForm(ValidateFlow):
    form = "recognition_form"


class ValidateResidenceForm(ValidateFlow):
    form = "residence_form"


class AskSlot(Action, ABC):
    @property
    @abstractmethod
    def slot(self) -> str: ...

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        form = (tracker.active_loop or {}).get("name")
        flow = flows().get(form or "")
        if flow is None:
            return []
        turn = read_turn(tracker)
        values = flow_values(tracker)
        intro = None
        if activated_now(tracker, flow.form):
            earlier = slots_before_turn(tracker, OWN_SLOTS[flow.form])
            resumed = any(v not in (None, "") for v in earlier.values())
            intro = "flow_resume" if resumed else f"flow_intro_{flow.name}"
        for lang in turn.answer_langs:
            text, buttons = question(flow, self.slot, values, lang, today())
            if intro:
                text = f"{t(intro, lang)}\n\n{text}"
            dispatcher.utter_message(text=text, buttons=[{"title": b, "payload": p} for b, p in buttons] or None)
        emit_flow_meta(dispatcher, flow=flow.name, asking=self.slot)
        return []


def _ask(slot_name: str) -> type[AskSlot]:
    """action_ask_<slot>, defined as a module attribute (the action server pickles action classes)."""
    name = "Ask" + "".join(part.title() for part in slot_name.split("_"))
    cls = type(name, (AskSlot,), {"slot": slot_name, "__module__": __name__, "__qualname__": name})
    globals()[name] = cls
    return cls


ASK_ACTIONS = [_ask(s) for s in ("notice_date", "notice_form", "employment_months", "probation", "work_region",
                                 "pay_amount", "pay_unit", "hours_per_week", "minijob", "pay_basis", "unpaid_months",
                                 "livelihood", "profession", "country", "abroad", "residence_title",
                                 "residence_question")]


def finished_form(tracker: Tracker) -> str | None:
    if tracker.latest_action_name in flows():
        return tracker.latest_action_name
    for event in reversed(tracker.events or []):
        if event.get("event") == "active_loop" and event.get("name") in flows():
            return event["name"]
        if event.get("event") == "action" and event.get("name") in flows():
            return event["name"]
    return None


class ActionFlowResult(Action):
    def name(self) -> str:
        return "action_flow_result"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        form = finished_form(tracker)
        flow = flows().get(form or "")
        turn = read_turn(tracker)
        if flow is None or turn.in_group:
            return []
        values = flow_values(tracker)
        day = today()
        paused = tracker.get_slot("flow_paused")
        base_meta = {"intent": turn.intent, "topic": flow.topic, "kb_id": None, "sources": []}
        if paused == flow.form or not flow.complete(values, day):
            replies = [Reply(t("flow_paused", lang), [continue_button(flow.name, lang)]) for lang in turn.answer_langs]
            send_replies(dispatcher, turn, replies, {**base_meta, "flow": flow.name, "paused": True,
                                                     "handoff": False, "urgent": False})
            return [SlotSet("flow_paused", flow.form)]
        seen = frozenset(tracker.get_slot("seen_signals") or [])
        eu = turn.eu_citizen if turn.eu_citizen is not None else is_eu_citizen(
            {tracker.get_slot("country")} if tracker.get_slot("country") else set())
        replies = []
        decision = None
        meta: dict[str, Any] = {}
        for lang in turn.answer_langs:
            outcome = result(flow, values, lang, day, eu=eu, seen_signals=seen, text=turn.text, intent=turn.intent)
            decision, meta = outcome.decision, outcome.meta
            for text, buttons in outcome.replies:
                if paused and paused != flow.form and paused in flows():
                    buttons = buttons + [continue_button(flows()[paused].name, lang)]
                replies.append(Reply(text, buttons))
        send_replies(dispatcher, turn, replies, {**base_meta, **meta, "handoff": decision.offer,
                                                 "urgent": decision.urgent, "reasons": list(decision.reasons)})
        events = [SlotSet("last_topic", flow.topic), SlotSet("flow_retries", 0), SlotSet("last_flow", flow.form)]
        if paused == flow.form:
            events.append(SlotSet("flow_paused", None))
        return events


def correct_finished_flow(tracker: Tracker, turn: Turn) -> tuple[list[Reply], dict[str, Any], list] | None:
    """A fact given after a flow's result ("the letter came on 12.11.") updates that result."""
    flow = flows().get(tracker.get_slot("last_flow") or "")
    if flow is None or turn.in_group:
        return None
    day = today()
    values = flow_values(tracker)
    if not flow.complete(values, day):
        return None
    msg = message_of(turn, day)
    updates = {k: v for k, v in flow.facts(msg, values, None).items() if v is not None and values.get(k) != v}
    values.update(updates)
    if not updates or not flow.complete(values, day):
        return None
    seen = frozenset(tracker.get_slot("seen_signals") or [])
    replies, decision, meta = [], None, {}
    for lang in turn.answer_langs:
        outcome = result(flow, values, lang, day, eu=turn.eu_citizen, seen_signals=seen, text=turn.text,
                         intent=turn.intent)
        decision, meta = outcome.decision, outcome.meta
        replies += [Reply(f"{t('flow_updated', lang)}\n\n{text}", buttons) for text, buttons in outcome.replies]
    meta = {"intent": turn.intent, "topic": flow.topic, "kb_id": None, **meta, "corrected": sorted(updates),
            "handoff": decision.offer, "urgent": decision.urgent, "reasons": list(decision.reasons)}
    return replies, meta, [SlotSet(k, v) for k, v in updates.items()]


class ActionReadContext(Action):
    """Slot mapping action (domain.yml): runs after every user message, before the next action is chosen."""

    def name(self) -> str:
        return "action_read_context"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        message = tracker.latest_message or {}
        metadata = message.get("metadata") or {}
        chat_type = metadata.get("chat_type") or "private"
        events = []
        flows_on = chat_type in PRIVATE_CHATS
        if tracker.get_slot("flows_on") != flows_on:
            events.append(SlotSet("flows_on", flows_on))
        text = message.get("text") or ""
        seen = set(tracker.get_slot("seen_signals") or [])
        new = detect_signals(text) - seen if text and not text.startswith("/") else set()
        if new:
            events.append(SlotSet("seen_signals", sorted(seen | new)))
        return events
