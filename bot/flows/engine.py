"""The guided flows as plain Python: which slots a flow still needs, and how a user's answer fills them.

The Rasa forms (domain.yml) call this through actions/flows.py; nothing here knows about Rasa, so the
behaviour is unit-testable. Slot values are plain strings and numbers (they live in the tracker).

A user's message inside a flow is one of:
- an answer to the requested slot (parsed from the text or a button payload), maybe with more facts
  ("1800 brutto" fills amount, unit and basis; "seit 3 Jahren" while asked something else is a correction);
- "stop" -> the flow pauses, answers are kept;
- another question or topic (a confident intent that is not an answer) -> the form is rejected and the
  normal rules answer it; the form asks its question again afterwards;
- something unreadable ("abc", -5 hours) -> a friendly re-ask that says what is expected.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from bot.entities import entity_data
from bot.flows import vocab
from bot.flows.dates import parse_date, parse_duration_months
from bot.flows.deadlines import DismissalRules, land_matters
from bot.flows.wages import MAX_HOURLY, MAX_HOURS_PER_WEEK, MAX_MONTHLY, WageRules, guess_unit, parse_number
from bot.knowledge.schema import BUNDESLAENDER
from bot.signals import detect_signals
from bot.text_normalise import contains_term, fold

# Intents that mean "this is not an answer, it is something else" when the text does not parse.
DIGRESSION_INTENTS = frozenset({
    "ask_recognition", "ask_residence", "ask_wages", "report_unpaid_wages", "report_dismissal", "ask_dismissal",
    "ask_labour_rights", "request_human", "bot_capabilities", "change_language",
    "more_detail", "counselling_centre", "choose_topic",
    "check_deadline", "check_wage", "check_unpaid", "check_recognition", "check_residence",
})
DIGRESSION_CONFIDENCE = 0.6
PAYLOAD_INTENTS = frozenset({"more_detail", "counselling_centre", "choose_topic", "set_bundesland", "inform",
                             "check_deadline", "check_wage", "check_unpaid", "check_recognition", "check_residence"})
MAX_FREE_TEXT_WORDS = 8
RETRIES_BEFORE_FREE_TEXT = 1   # a country we do not know is accepted as typed after one re-ask
RESIDENCE_QUESTION_ENTRIES = {
    "residence-work-permission": "work", "residence-change-employer": "change_employer",
    "residence-job-loss": "job_loss", "dismissal-residence-consequences": "job_loss",
    "residence-auslaenderbehoerde": "where_to_ask",
}
RESIDENCE_QUESTIONS = ("work", "change_employer", "job_loss", "where_to_ask")


@dataclass
class Message:
    """The user's message as the flows need it."""
    text: str
    lang: str
    intent: str
    confidence: float = 1.0
    values: dict[str, set[str]] = field(default_factory=dict)   # canonical entity values and payload params
    entity_texts: dict[str, list[str]] = field(default_factory=dict)  # DATE/DURATION as written
    today: dt.date = field(default_factory=dt.date.today)

    @property
    def is_payload(self) -> bool:
        return self.text.startswith("/")

    def one(self, label: str) -> str | None:
        found = sorted(self.values.get(label, ()))
        return found[0] if found else None


@dataclass
class Outcome:
    """What a message did to a flow."""
    updates: dict[str, Any] = field(default_factory=dict)
    problem: str | None = None         # catalogue key of a friendly re-ask
    problem_values: dict[str, Any] = field(default_factory=dict)
    reject: bool = False               # not an answer: let the other rules handle the message
    stop: bool = False
    recognised: bool = False           # an answer of the right kind, but impossible (future date, -5 hours)


class Flow:
    name: str = ""
    form: str = ""
    topic: str = ""
    slots: tuple[str, ...] = ()

    def required(self, values: dict[str, Any], today: dt.date) -> list[str]:
        return list(self.slots)

    def missing(self, values: dict[str, Any], today: dt.date) -> list[str]:
        return [s for s in self.required(values, today) if values.get(s) in (None, "")]

    def complete(self, values: dict[str, Any], today: dt.date) -> bool:
        return not self.missing(values, today)

    # --- extraction -------------------------------------------------------------------------------
    def facts(self, msg: Message, values: dict[str, Any], requested: str | None) -> dict[str, Any]:
        """Slot values a message states clearly, whatever was asked (prefill and corrections)."""
        return {}

    def parse(self, slot: str, msg: Message, values: dict[str, Any]) -> Outcome:
        """The answer to the requested slot."""
        raise NotImplementedError


# ---- shared parsers --------------------------------------------------------------------------------

def choice(msg: Message) -> str | None:
    return msg.one("choice")


def yes_no(msg: Message, allow_unknown: bool = True) -> str | None:
    picked = choice(msg)
    if picked in ("yes", "no", "unknown"):
        return picked
    kind = vocab.first_of(("dont_know", "no", "yes"), msg.text, msg.lang)
    if kind == "dont_know":
        return "unknown" if allow_unknown else None
    return kind


def scan_entity(label: str, text: str) -> str | None:
    """An entity the NLU missed, found by its terms (longest first)."""
    folded = fold(text)
    best = None
    for term, ident in entity_data().ids.get(label, {}).items():
        if len(term) >= 3 and contains_term(folded, term) and (best is None or len(term) > len(best[0])):
            best = (term, ident)
    return best[1] if best else None


def plausible_free_text(msg: Message, max_words: int) -> bool:
    """A short name typed as an answer – not a question, not yes/no, not another confident intent."""
    text = msg.text.strip()
    if msg.is_payload or not re.search(r"[^\W\d_]", text) or len(text.split()) > max_words or "?" in text:
        return False
    if msg.intent in DIGRESSION_INTENTS and msg.confidence >= DIGRESSION_CONFIDENCE:
        return False
    return vocab.first_of(("dont_know", "no", "yes", "stop"), text, msg.lang) is None


def land_of(msg: Message) -> str | None:
    code = msg.one("bundesland_code") or msg.one("BUNDESLAND")
    if code in BUNDESLAENDER:
        return code
    picked = choice(msg)
    if picked in BUNDESLAENDER:
        return picked
    scanned = scan_entity("BUNDESLAND", msg.text)
    if scanned in BUNDESLAENDER:
        return scanned
    city = scan_entity("CITY", msg.text)
    land = entity_data().records.get("CITY", {}).get(city or "", {}).get("bundesland")
    return land if land in BUNDESLAENDER else None


def date_texts(msg: Message) -> list[str]:
    return msg.entity_texts.get("DATE", []) + [t for t in msg.entity_texts.get("DURATION", [])]


def parse_number_answer(msg: Message) -> float | None:
    picked = choice(msg)
    if picked:
        try:
            return float(picked)
        except ValueError:
            return None
    return parse_number(msg.text)


# ---- the flows --------------------------------------------------------------------------------------

class DismissalFlow(Flow):
    name, form, topic = "dismissal", "dismissal_form", "dismissal"
    slots = ("notice_date", "notice_form", "employment_months", "probation")

    def __init__(self, rules: DismissalRules | None = None):
        self.rules = rules or DismissalRules()

    def required(self, values: dict[str, Any], today: dt.date) -> list[str]:
        needed = ["notice_date", "notice_form", "employment_months"]
        months = values.get("employment_months")
        if months is None or float(months) <= self.rules.probation_max_months:
            needed.append("probation")
        received = values.get("notice_date")
        if received and not values.get("bundesland") and land_matters(dt.date.fromisoformat(received), self.rules):
            needed.append("work_region")
        return needed

    def facts(self, msg: Message, values: dict[str, Any], requested: str | None) -> dict[str, Any]:
        found: dict[str, Any] = {}
        if requested != "employment_months":
            for text in msg.entity_texts.get("DATE", []):
                answer = parse_date(text, msg.lang, msg.today)
                if answer.ok:
                    found["notice_date"] = answer.day.isoformat()
                    break
        for text in msg.entity_texts.get("DURATION", []):
            if vocab.has("stop", text, msg.lang):
                continue
            answer = parse_date(text, msg.lang, msg.today)
            is_ago = bool(re.search(r"\d", text)) and answer.ok and not _is_since(text, msg.lang)
            if is_ago and requested not in ("employment_months",) and "notice_date" not in found:
                found["notice_date"] = answer.day.isoformat()
            elif _is_since(text, msg.lang) and requested != "notice_date":
                months = parse_duration_months(text, msg.lang, msg.today)
                if months and months > 0:
                    found["employment_months"] = round(months, 1)
        if requested is None and "notice_date" not in found and re.search(r"\d{1,2}\.\d{1,2}\.?", msg.text):
            answer = parse_date(msg.text, msg.lang, msg.today)  # "12.11." even if NLU found no DATE
            if answer.ok:
                found["notice_date"] = answer.day.isoformat()
        if requested != "notice_form" and not msg.is_payload:
            kind = vocab.first_of(("electronic", "oral"), msg.text, msg.lang)
            if kind:
                found["notice_form"] = kind
        land = land_of(msg) if requested != "work_region" else None
        if land:
            found["work_region"] = land
        return found

    def parse(self, slot: str, msg: Message, values: dict[str, Any]) -> Outcome:
        if slot == "notice_date":
            answer = parse_date(msg.text, msg.lang, msg.today)
            if not answer.ok:
                for text in date_texts(msg):
                    answer = parse_date(text, msg.lang, msg.today)
                    if answer.ok:
                        break
            if answer.ok:
                return Outcome({"notice_date": answer.day.isoformat()})
            if answer.problem == "future":
                return Outcome(problem="invalid_date_future", recognised=True)
            return Outcome(problem="invalid_date")
        if slot == "notice_form":
            picked = choice(msg)
            if picked in ("paper", "electronic", "oral", "not_paper", "unknown"):
                return Outcome({"notice_form": picked})
            kind = vocab.first_of(("dont_know", "electronic", "oral", "no", "paper", "yes"), msg.text, msg.lang)
            mapped = {"dont_know": "unknown", "no": "not_paper", "yes": "paper"}.get(kind, kind)
            return Outcome({"notice_form": mapped}) if mapped else Outcome(problem="invalid_choice")
        if slot == "employment_months":
            months = parse_number_answer(msg) if choice(msg) else parse_duration_months(msg.text, msg.lang, msg.today)
            if months is None or months <= 0 or months > 600:
                return Outcome(problem="invalid_duration", recognised=months is not None)
            return Outcome({"employment_months": round(months, 1)})
        if slot == "probation":
            answer = yes_no(msg)
            return Outcome({"probation": answer}) if answer else Outcome(problem="invalid_choice")
        if slot == "work_region":
            return _parse_region(msg)
        raise KeyError(slot)


def _is_since(text: str, lang: str) -> bool:
    from bot.flows.dates import find_terms, languages_for, normalise, words_for

    return bool(find_terms(normalise(text), words_for(languages_for(lang)).since))


def _parse_region(msg: Message) -> Outcome:
    land = land_of(msg)
    if land:
        return Outcome({"work_region": land, "bundesland": land})
    if choice(msg) == "unknown" or vocab.has("dont_know", msg.text, msg.lang):
        return Outcome({"work_region": "unknown"})
    return Outcome(problem="invalid_region")


class WageFlow(Flow):
    name, form, topic = "wage", "wage_form", "wages"
    slots = ("pay_amount", "pay_unit", "hours_per_week", "minijob", "pay_basis")

    def __init__(self, rules: WageRules | None = None):
        self._rules = rules

    @property
    def rules(self) -> WageRules:
        if self._rules is None:
            from bot.flows.wages import rules_from_kb

            return rules_from_kb()
        return self._rules

    def required(self, values: dict[str, Any], today: dt.date) -> list[str]:
        needed = ["pay_amount", "pay_unit", "hours_per_week"]
        amount, unit, hours = values.get("pay_amount"), values.get("pay_unit"), values.get("hours_per_week")
        if None in (amount, unit, hours):
            return needed + ["minijob", "pay_basis"]
        rules = self.rules
        hours_month = float(hours) * 52 / 12
        monthly = float(amount) * hours_month if unit == "hour" else float(amount)
        hourly = monthly / hours_month
        if monthly <= rules.minijob_limit:
            needed.append("minijob")
        threshold = max(rules.minimum_wage, rules.next_minimum_wage or 0)
        if values.get("minijob") != "yes" and hourly < threshold:
            needed.append("pay_basis")
        return needed

    def facts(self, msg: Message, values: dict[str, Any], requested: str | None) -> dict[str, Any]:
        found: dict[str, Any] = {}
        if msg.is_payload:
            return found
        basis = vocab.first_of(("brutto", "netto"), msg.text, msg.lang)
        if basis and requested != "pay_basis":
            found["pay_basis"] = basis
        if requested is None:  # prefill from the message that started the flow: "9 € per hour"
            unit = _unit_of(msg)
            amount = parse_number(msg.text)
            if amount and amount > 0 and (unit or re.search(r"€|eur|euro|евро|євро|يورو|یورو|avro|euro", fold(msg.text))):
                found["pay_amount"] = amount
                found["pay_unit"] = unit or guess_unit(amount)
        if "minijob" in fold(msg.text).replace("-", "") and requested != "minijob":
            found["minijob"] = "yes"
        return {k: v for k, v in found.items() if v is not None}

    def parse(self, slot: str, msg: Message, values: dict[str, Any]) -> Outcome:
        if slot == "pay_amount":
            amount = parse_number(msg.text)
            if amount is None or amount <= 0 or amount > MAX_MONTHLY:
                return Outcome(problem="invalid_amount", recognised=amount is not None)
            updates: dict[str, Any] = {"pay_amount": amount}
            unit = _unit_of(msg) or guess_unit(amount)
            if unit == "hour" and amount > MAX_HOURLY:
                return Outcome(problem="invalid_amount")
            if unit:
                updates["pay_unit"] = unit
            else:
                updates["pay_unit"] = None
            basis = vocab.first_of(("brutto", "netto"), msg.text, msg.lang)
            if basis:
                updates["pay_basis"] = basis
            return Outcome(updates)
        if slot == "pay_unit":
            unit = choice(msg) if choice(msg) in ("hour", "month") else _unit_of(msg)
            return Outcome({"pay_unit": unit}) if unit else Outcome(problem="invalid_choice")
        if slot == "hours_per_week":
            hours = parse_number_answer(msg)
            if hours is not None and vocab.has("per_month", msg.text, msg.lang) and hours > MAX_HOURS_PER_WEEK:
                hours = hours * 12 / 52  # "160 hours a month"
            if hours is None or hours <= 0 or hours > MAX_HOURS_PER_WEEK:
                return Outcome(problem="invalid_hours", problem_values={"max": MAX_HOURS_PER_WEEK},
                               recognised=hours is not None)
            return Outcome({"hours_per_week": round(hours, 1)})
        if slot == "minijob":
            if "minijob" in fold(msg.text) and not vocab.has("no", msg.text, msg.lang):
                return Outcome({"minijob": "yes"})
            answer = yes_no(msg)
            return Outcome({"minijob": answer}) if answer else Outcome(problem="invalid_choice")
        if slot == "pay_basis":
            picked = choice(msg)
            if picked in ("brutto", "netto", "unknown"):
                return Outcome({"pay_basis": picked})
            kind = vocab.first_of(("dont_know", "brutto", "netto"), msg.text, msg.lang)
            mapped = {"dont_know": "unknown"}.get(kind, kind)
            return Outcome({"pay_basis": mapped}) if mapped else Outcome(problem="invalid_choice")
        raise KeyError(slot)


def _unit_of(msg: Message) -> str | None:
    picked = choice(msg)
    if picked in ("hour", "month"):
        return picked
    text = fold(msg.text)
    if re.search(r"/\s*(h|std|stunde|hour|hr)\b", text):
        return "hour"
    if re.search(r"/\s*(m|mon|monat|month|mo)\b", text):
        return "month"
    kind = vocab.first_of(("per_hour", "per_month"), msg.text, msg.lang)
    return {"per_hour": "hour", "per_month": "month"}.get(kind or "")


class UnpaidFlow(Flow):
    name, form, topic = "unpaid", "unpaid_form", "wages"
    slots = ("unpaid_months", "livelihood")
    UNPAID_MONTHS_ASK_LIVELIHOOD = 1.0

    def required(self, values: dict[str, Any], today: dt.date) -> list[str]:
        needed = ["unpaid_months"]
        months = values.get("unpaid_months")
        if months is None or float(months) >= self.UNPAID_MONTHS_ASK_LIVELIHOOD:
            needed.append("livelihood")
        return needed

    def facts(self, msg: Message, values: dict[str, Any], requested: str | None) -> dict[str, Any]:
        found: dict[str, Any] = {}
        if "livelihood_at_risk" in detect_signals(msg.text):
            found["livelihood"] = "at_risk"
        if requested != "unpaid_months":
            for text in msg.entity_texts.get("DURATION", []):
                months = parse_duration_months(text, msg.lang, msg.today)
                if months and months > 0:
                    found["unpaid_months"] = round(months, 2)
                    break
        return found

    def parse(self, slot: str, msg: Message, values: dict[str, Any]) -> Outcome:
        if slot == "unpaid_months":
            if choice(msg):
                months = parse_number_answer(msg)
            else:
                months = parse_duration_months(msg.text, msg.lang, msg.today)
            if months is None or months <= 0 or months > 120:
                return Outcome(problem="invalid_duration_unpaid", recognised=months is not None)
            updates: dict[str, Any] = {"unpaid_months": round(months, 2)}
            if "livelihood_at_risk" in detect_signals(msg.text):
                updates["livelihood"] = "at_risk"
            return Outcome(updates)
        if slot == "livelihood":
            if "livelihood_at_risk" in detect_signals(msg.text):
                return Outcome({"livelihood": "at_risk"})
            answer = yes_no(msg)
            mapped = {"yes": "ok", "no": "at_risk", "unknown": "unsure"}.get(answer or "")
            return Outcome({"livelihood": mapped}) if mapped else Outcome(problem="invalid_choice")
        raise KeyError(slot)


class RecognitionFlow(Flow):
    name, form, topic = "recognition", "recognition_form", "recognition"
    slots = ("profession", "country", "abroad", "work_region")

    def required(self, values: dict[str, Any], today: dt.date) -> list[str]:
        needed = list(self.slots)
        if values.get("bundesland") and values.get("abroad") == "no":
            needed.remove("work_region")  # we know where the user lives
        return needed

    def facts(self, msg: Message, values: dict[str, Any], requested: str | None) -> dict[str, Any]:
        found: dict[str, Any] = {}
        profession = msg.one("PROFESSION")
        if profession and requested != "profession":
            found["profession"] = profession
        country = msg.one("COUNTRY")
        if country and country != "DE" and requested != "country":
            found["country"] = country
        land = land_of(msg) if requested != "work_region" else None
        if land:
            found["work_region"] = land
        return found

    def parse(self, slot: str, msg: Message, values: dict[str, Any]) -> Outcome:
        if slot == "profession":
            found = msg.one("PROFESSION") or scan_entity("PROFESSION", msg.text)
            if found:
                return Outcome({"profession": found})
            text = msg.text.strip()
            if not plausible_free_text(msg, MAX_FREE_TEXT_WORDS):
                return Outcome(problem="invalid_profession")
            return Outcome({"profession": text[:60]})
        if slot == "country":
            found = msg.one("COUNTRY") or scan_entity("COUNTRY", msg.text)
            if found:
                return Outcome({"country": found})
            text = msg.text.strip()
            retries = int(values.get("flow_retries") or 0)
            if retries >= RETRIES_BEFORE_FREE_TEXT and plausible_free_text(msg, 4):
                return Outcome({"country": text[:40]})
            return Outcome(problem="invalid_country")
        if slot == "abroad":
            land = land_of(msg)
            if land:  # "I live in Munich"
                return Outcome({"abroad": "no", "work_region": land, "bundesland": land})
            answer = yes_no(msg, allow_unknown=False)
            return Outcome({"abroad": answer}) if answer else Outcome(problem="invalid_choice")
        if slot == "work_region":
            return _parse_region(msg)
        raise KeyError(slot)


class ResidenceFlow(Flow):
    name, form, topic = "residence", "residence_form", "residence"
    slots = ("residence_title", "residence_question")

    def facts(self, msg: Message, values: dict[str, Any], requested: str | None) -> dict[str, Any]:
        found: dict[str, Any] = {}
        title = msg.one("RESIDENCE_TITLE")
        if title and requested != "residence_title":
            found["residence_title"] = title
        if requested is None and not msg.is_payload:
            question = residence_question_of(msg)
            if question:
                found["residence_question"] = question
        return found

    def parse(self, slot: str, msg: Message, values: dict[str, Any]) -> Outcome:
        if slot == "residence_title":
            picked = choice(msg)
            known = entity_data().records.get("RESIDENCE_TITLE", {})
            title = picked if picked in known else (msg.one("RESIDENCE_TITLE") or scan_entity("RESIDENCE_TITLE", msg.text))
            return Outcome({"residence_title": title}) if title else Outcome(problem="invalid_title")
        if slot == "residence_question":
            question = residence_question_of(msg)
            return Outcome({"residence_question": question}) if question else Outcome(problem="invalid_choice")
        raise KeyError(slot)


def residence_question_of(msg: Message) -> str | None:
    picked = choice(msg)
    if picked in RESIDENCE_QUESTIONS:
        return picked
    if msg.is_payload:
        return None
    kind = vocab.first_of(("rq_job_loss", "rq_change_employer", "rq_where_to_ask", "rq_work"), msg.text, msg.lang)
    if kind:
        return kind[3:]
    from bot.knowledge.base import get_knowledge_base

    kb = get_knowledge_base()
    for match in kb.rank(msg.text):
        question = RESIDENCE_QUESTION_ENTRIES.get(match.entry.id)
        if question:
            return question
    return None


FLOWS: dict[str, Flow] = {}


def flows() -> dict[str, Flow]:
    """Flows by form name, with their rules read from the knowledge base."""
    if not FLOWS:
        from bot.flows.deadlines import rules_from_kb

        for flow in (DismissalFlow(rules_from_kb()), WageFlow(), UnpaidFlow(), RecognitionFlow(), ResidenceFlow()):
            FLOWS[flow.form] = flow
    return FLOWS


def flow_by_name(name: str) -> Flow:
    return next(f for f in flows().values() if f.name == name)


# ---- one message in a flow --------------------------------------------------------------------------

def is_stop(msg: Message) -> bool:
    return not msg.is_payload and vocab.has("stop", msg.text, msg.lang)


def handle(flow: Flow, values: dict[str, Any], requested: str | None, msg: Message, *, prefill: bool) -> Outcome:
    """Apply one user message to a flow. `prefill`: the message started the flow (no question asked yet)."""
    if prefill:
        return Outcome(flow.facts(msg, values, None))
    if requested is None:
        return Outcome(flow.facts(msg, values, None) if not msg.is_payload else {})
    if is_stop(msg):
        return Outcome(stop=True)
    if msg.intent in ("check_" + flow.name, _own_check(flow)):
        return Outcome()  # "continue" pressed while the flow is running: just ask again
    outcome = flow.parse(requested, msg, values)
    if outcome.problem and not outcome.recognised:
        if msg.intent == "goodbye" and msg.confidence >= DIGRESSION_CONFIDENCE:
            return Outcome(stop=True)  # "bye" inside a flow: pause it, keep the answers
        confident_other = msg.intent in DIGRESSION_INTENTS and (msg.confidence >= DIGRESSION_CONFIDENCE or
                                                                msg.is_payload)
        if confident_other or (msg.is_payload and msg.intent not in ("inform", "set_bundesland")):
            return Outcome(reject=True)
    if outcome.problem:
        return outcome
    facts = flow.facts(msg, {**values, **outcome.updates}, requested)
    facts.update(outcome.updates)  # the parsed answer wins over incidental facts
    return Outcome(facts)


def _own_check(flow: Flow) -> str:
    return {"dismissal": "check_deadline"}.get(flow.name, "check_" + flow.name)
