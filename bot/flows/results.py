"""What a finished flow tells the user, in their language: figures from knowledge/, text from the
catalogue, counselling centres from the directory, and the handoff decision from bot/handoff.py."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from bot.answers import centre_lines, compose, format_date
from bot.entities import entity_data, is_eu_citizen, profession_record
from bot.flows import deadlines, wages
from bot.flows.engine import Flow
from bot.flows.figures import get_figures
from bot.flows.questions import Button, money, start_button, title_name
from bot.handoff import FlowFacts, HandoffDecision, decide, route
from bot.knowledge.base import get_knowledge_base
from bot.knowledge.catalogue import t

FINDER_URL = "https://www.anerkennung-in-deutschland.de"
# Residence document -> the knowledge entry about it.
TITLE_ENTRIES = {
    "blue_card": "residence-blue-card", "chancenkarte": "residence-chancenkarte", "duldung": "residence-duldung",
    "beschaeftigungsduldung": "residence-duldung", "ausbildungsduldung": "residence-duldung",
    "aufenthaltsgestattung": "residence-aufenthaltsgestattung", "para24_ukraine": "residence-ukraine-24",
    "fiktionsbescheinigung": "residence-fiktionsbescheinigung", "recognition_16d": "residence-16d-recognition",
}
QUESTION_ENTRIES = {"work": "residence-work-permission", "change_employer": "residence-change-employer",
                    "job_loss": "residence-job-loss", "where_to_ask": "residence-auslaenderbehoerde"}
TITLES_WITH_NOTE = frozenset({"niederlassungserlaubnis", "beschaeftigungsduldung", "ausbildungsduldung", "visa",
                              "student_permit", "eu_freedom"})
# Profession -> a knowledge entry specific to it (steps shown in the recognition result).
PROFESSION_ENTRY_FIELD = "PROFESSION"


@dataclass
class FlowResult:
    replies: list[tuple[str, list[Button]]]
    decision: HandoffDecision
    meta: dict[str, Any] = field(default_factory=dict)


def day_label(day: dt.date, lang: str) -> str:
    names = t("weekdays_short", lang).split(",")
    return f"{names[day.weekday()].strip()} {format_date(day)}"


def sources_footer(entry_ids: list[str], lang: str) -> tuple[str, list[str]]:
    kb = get_knowledge_base()
    urls = list(dict.fromkeys(str(kb.by_id[e].sources[0].url) for e in entry_ids if e in kb.by_id))
    reviewed = max(kb.by_id[e].last_reviewed for e in entry_ids if e in kb.by_id)
    lines = [f"{t('label_source', lang)}: {', '.join(urls)}",
             f"{t('label_reviewed', lang, date=format_date(reviewed))} · {t('disclaimer', lang)}"]
    return "\n".join(lines), urls


def human_block(decision: HandoffDecision, topic: str, bundesland: str | None, eu: bool | None, lang: str,
                abroad: bool = False) -> tuple[str, list[Button]]:
    if not decision.offer:
        return "", []
    lines = [t("urgent_note", lang)] if decision.urgent else []
    lines += [t("offer_human", lang), t("centre_intro", lang),
              *centre_lines(route(topic, bundesland, eu, abroad), lang)]
    return "\n".join(lines), [(t("btn_human", lang), "/request_human")]


def restart_button(flow: Flow, lang: str) -> Button:
    _, payload = start_button(flow.name, lang)
    return t("btn_restart", lang), payload + '{"choice": "restart"}'


# ---- dismissal ---------------------------------------------------------------------------------------

def dismissal(flow: Flow, values: dict[str, Any], lang: str, today: dt.date, *, eu: bool | None,
              seen_signals: frozenset[str], text: str, intent: str) -> FlowResult:
    rules = flow.rules  # type: ignore[attr-defined]
    received = dt.date.fromisoformat(values["notice_date"])
    region = values.get("work_region")
    land = region if region and region != "unknown" else values.get("bundesland")
    months = values.get("employment_months")
    probation = {"yes": True, "no": False}.get(values.get("probation") or "")
    form = values.get("notice_form")
    facts = deadlines.compute(received, today, months_employed=float(months) if months is not None else None,
                              probation=probation, written_form_ok=None if form == "unknown" else form == "paper",
                              bundesland=land, rules=rules)
    lines = [f"**{t('res_dismissal_title', lang)}**", t("res_notice_received", lang, date=day_label(received, lang))]
    claim = facts.claim
    if facts.passed:
        lines.append(t("res_claim_passed", lang, weeks=rules.claim_weeks, date=day_label(claim.last_day, lang)))
    elif facts.days_left == 0:
        lines.append(t("res_claim_today", lang, weeks=rules.claim_weeks, date=day_label(claim.last_day, lang)))
    else:
        lines.append(t("res_claim_deadline", lang, weeks=rules.claim_weeks, date=day_label(claim.last_day, lang),
                       days=facts.days_left))
    if claim.moved:
        key = "res_moved_weekend" if claim.moved_because == "weekend" else "res_moved_holiday"
        lines.append(t(key, lang, raw=day_label(claim.raw_end, lang), holiday=claim.moved_because or ""))
    if not land and deadlines.land_matters(received, rules):
        lines.append(t("res_region_unknown", lang))
    if form in ("electronic", "oral", "not_paper"):
        lines.append(t("res_not_written", lang))
    elif form == "unknown":
        lines.append(t("res_written_unknown", lang))
    notice, alt = facts.notice, facts.notice_if_probation
    if notice is not None:
        if alt is not None:
            lines.append(t("res_notice_probation_unknown", lang, weeks_probation=alt.weeks,
                           date_probation=day_label(alt.end, lang), weeks=notice.weeks,
                           date=day_label(notice.end, lang), day=rules.mid_month_day))
        else:
            lines.append(notice_line(notice, lang, rules))
        lines.append(t("res_notice_caveat", lang))
    reg = facts.registration
    rule_text = (t("res_reg_rule_days", lang, days=rules.registration_days) if reg.rule == "days" else
                 t("res_reg_rule_months", lang, months=rules.registration_lead_months))
    if reg.due < today:
        lines.append(t("res_registration_late", lang, date=day_label(reg.due, lang), rule=rule_text))
    else:
        lines.append(t("res_registration", lang, date=day_label(reg.due, lang), rule=rule_text))
    lines.append(t("res_dismissal_steps", lang))
    decision = decide(intent=intent, text=text, seen_signals=seen_signals, facts=FlowFacts(
        flow="dismissal", deadline_days_left=facts.days_left, written_form_missing=form in ("electronic", "oral",
                                                                                             "not_paper")))
    footer, urls = sources_footer(["dismissal-claim-deadline", "dismissal-notice-periods",
                                   "dismissal-register-jobseeker"], lang)
    human, buttons = human_block(decision, "dismissal", land, eu, lang)
    replies = [("\n\n".join(p for p in [_join(lines), human, footer] if p), buttons + [restart_button(flow, lang)])]
    meta = {"flow": "dismissal", "deadline": claim.last_day.isoformat(), "days_left": facts.days_left,
            "sources": urls}
    return FlowResult(replies, decision, meta)


def notice_line(notice: deadlines.NoticePeriod, lang: str, rules: deadlines.DismissalRules) -> str:
    if notice.kind == "probation":
        return t("res_notice_probation", lang, weeks=notice.weeks, date=day_label(notice.end, lang))
    if notice.kind == "basic":
        return t("res_notice_basic", lang, weeks=notice.weeks, day=rules.mid_month_day,
                 date=day_label(notice.end, lang))
    return t("res_notice_extended", lang, years=int(notice.service_years or 0), months=notice.months,
             date=day_label(notice.end, lang))


def _join(lines: list[str]) -> str:
    return "\n".join(f"• {line}" if i and not line.startswith("**") else line for i, line in enumerate(lines))


# ---- wage check --------------------------------------------------------------------------------------

def wage(flow: Flow, values: dict[str, Any], lang: str, today: dt.date, *, eu: bool | None,
         seen_signals: frozenset[str], text: str, intent: str) -> FlowResult:
    rules = wages.rules_from_kb(today)
    minijob = {"yes": True, "no": False}.get(values.get("minijob") or "")
    facts = wages.compute(float(values["pay_amount"]), values["pay_unit"], float(values["hours_per_week"]),
                          values.get("pay_basis"), minijob, rules)
    since = format_date(rules.minimum_wage_since) if rules.minimum_wage_since else ""
    lines = [f"**{t('res_wage_title', lang)}**"]
    if values["pay_unit"] == "hour":
        lines.append(t("res_wage_hourly", lang, hourly=money(facts.hourly, lang), monthly=money(facts.monthly, lang),
                       hours_month=round(facts.hours_per_month)))
    else:
        lines.append(t("res_wage_hourly_from_month", lang, hourly=money(facts.hourly, lang), monthly=money(facts.monthly, lang),
                       hours_month=round(facts.hours_per_month)))
    if facts.below_minimum is None:
        lines.append(t("res_wage_netto_unclear", lang, mw=money(rules.minimum_wage, lang), since=since))
        lines.append(t("res_wage_brutto_needed", lang, min_month=money(facts.minimum_monthly, lang)))
    elif facts.below_minimum:
        lines.append(t("res_wage_below", lang, mw=money(rules.minimum_wage, lang), since=since,
                       min_month=money(facts.minimum_monthly, lang)))
        if rules.exemption_age:
            lines.append(t("res_wage_exceptions", lang, age=rules.exemption_age))
    else:
        lines.append(t("res_wage_ok", lang, mw=money(rules.minimum_wage, lang), since=since))
    if rules.next_minimum_wage and rules.next_minimum_wage_from:
        lines.append(t("res_wage_next_change", lang, date=format_date(rules.next_minimum_wage_from),
                       mw_next=money(rules.next_minimum_wage, lang)))
        if facts.below_next_minimum and not facts.below_minimum:
            lines.append(t("res_wage_next_below", lang))
    if facts.above_minijob_limit and (minijob or values.get("minijob") == "unknown"):
        lines.append(t("res_minijob_over", lang, monthly=money(facts.monthly, lang), limit=money(rules.minijob_limit, lang)))
    elif minijob:
        lines.append(t("res_minijob_ok", lang, monthly=money(facts.monthly, lang), limit=money(rules.minijob_limit, lang),
                       hours=round(facts.minijob_max_hours_per_month)))
    if facts.below_minimum is not False or facts.above_minijob_limit and minijob:
        lines.append(t("res_wage_steps", lang))
    decision = decide(intent=intent, text=text, seen_signals=seen_signals, facts=FlowFacts(
        flow="wage", below_minimum_wage=bool(facts.below_minimum), wage_unclear=facts.below_minimum is None,
        above_minijob_limit=bool(facts.above_minijob_limit and minijob)))
    footer, urls = sources_footer(["wages-minimum-wage", "wages-minijob"], lang)
    human, buttons = human_block(decision, "wages", None, eu, lang)
    replies = [("\n\n".join(p for p in [_join(lines), human, footer] if p), buttons + [restart_button(flow, lang)])]
    meta = {"flow": "wage", "hourly": round(facts.hourly, 2), "below_minimum": facts.below_minimum,
            "sources": urls}
    return FlowResult(replies, decision, meta)


# ---- unpaid wages ------------------------------------------------------------------------------------

def unpaid(flow: Flow, values: dict[str, Any], lang: str, today: dt.date, *, eu: bool | None,
           seen_signals: frozenset[str], text: str, intent: str) -> FlowResult:
    months = float(values["unpaid_months"])
    at_risk = values.get("livelihood") == "at_risk" or "livelihood_at_risk" in seen_signals
    cut_off = get_figures().maybe("wages-cut-off-periods", "cut_off_period_minimum_in_employment_contracts", today)
    lines = [f"**{t('res_unpaid_title', lang)}**"]
    lines.append(t("res_unpaid_long" if months >= 1 else "res_unpaid_short", lang))
    if at_risk:
        lines.append(t("res_unpaid_livelihood", lang))
    lines.append(t("res_unpaid_steps", lang, months=int(cut_off.value) if cut_off else 3))
    decision = decide(intent=intent, text=text, seen_signals=seen_signals, facts=FlowFacts(
        flow="unpaid", unpaid_months=months, livelihood_at_risk=at_risk))
    footer, urls = sources_footer(["wages-unpaid", "wages-cut-off-periods"], lang)
    human, buttons = human_block(decision, "wages", None, eu, lang)
    replies = [("\n\n".join(p for p in [_join(lines), human, footer] if p), buttons + [start_button("wage", lang)])]
    return FlowResult(replies, decision, {"flow": "unpaid", "unpaid_months": months, "sources": urls})


# ---- recognition finder ------------------------------------------------------------------------------

def profession_name(profession: str, lang: str) -> tuple[str, dict]:
    record = profession_record(profession)
    if not record:
        return profession, {}
    terms = record.get("terms") or {}
    name = (terms.get(lang) or terms.get("de") or [profession])[0]
    return str(name)[:1].upper() + str(name)[1:], record


def country_name(country: str, lang: str) -> str:
    record = entity_data().records.get("COUNTRY", {}).get(country)
    if not record:
        return country
    terms = record.get("terms") or {}
    name = (terms.get(lang) or terms.get("en") or [country])[0]
    return str(name)[:1].upper() + str(name)[1:]


def recognition(flow: Flow, values: dict[str, Any], lang: str, today: dt.date, *, eu: bool | None,
                seen_signals: frozenset[str], text: str, intent: str) -> FlowResult:
    kb, figures = get_knowledge_base(), get_figures()
    profession, country = values["profession"], values["country"]
    abroad = values.get("abroad") == "yes"
    region = values.get("work_region")
    land = region if region and region != "unknown" else values.get("bundesland")
    name, record = profession_name(profession, lang)
    eu_qualification = is_eu_citizen({country}) if country in entity_data().records.get("COUNTRY", {}) else None
    lines = [f"**{t('res_rec_title', lang, profession=name, country=country_name(country, lang))}**"]
    if not record:
        lines.append(t("res_rec_unknown", lang, url=FINDER_URL))
    elif record.get("regulated"):
        lines.append(t("res_rec_regulated", lang))
    else:
        lines.append(t("res_rec_not_regulated", lang))
    if record.get("authority"):
        land_name = entity_data().records.get("BUNDESLAND", {}).get(land or "", {}).get("name_de")
        lines.append(t("res_rec_authority", lang, authority=record["authority"]) +
                     (" " + t("res_rec_authority_land", lang, land=land_name) if land_name else ""))
    if eu_qualification:
        lines.append(t("res_rec_eu", lang))
    fee_min = figures.maybe("recognition-costs-funding", "chamber_recognition_fee_min", today)
    fee_max = figures.maybe("recognition-costs-funding", "chamber_recognition_fee_max", today)
    grant = figures.maybe("recognition-costs-funding", "anerkennungszuschuss_max", today)
    if fee_min and fee_max:
        lines.append(t("res_rec_costs", lang, min=money(fee_min.value, lang), max=money(fee_max.value, lang)))
    if grant and not abroad:
        lines.append(t("res_rec_grant", lang, grant=money(grant.value, lang)))
    duration = figures.maybe("recognition-duration", "recognition_decision_deadline", today)
    if duration:
        lines.append(t("res_rec_duration", lang, months=int(duration.value)))
    specific = next((e for e in kb.entries if e.topic == "recognition" and profession in
                     e.match_entities.get(PROFESSION_ENTRY_FIELD, [])), None)
    steps_entry = specific or kb.by_id["recognition-from-abroad" if abroad else "recognition-find-authority"]
    steps = "\n".join(f"{i}. {step}" for i, step in enumerate(steps_entry.content[lang].steps, 1))
    body = _join(lines) + f"\n\n**{t('res_rec_steps', lang)}**\n{steps}\n\n" + t("res_rec_finder", lang, url=FINDER_URL)
    centres = route("recognition", land, None, abroad)
    counselling = "\n".join([t("res_rec_counselling_zsba" if abroad else "res_rec_counselling_iq", lang),
                             *centre_lines(centres, lang)])
    decision = decide(intent=intent, text=text, seen_signals=seen_signals, facts=FlowFacts(
        flow="recognition", regulated_profession=bool(record.get("regulated")) if record else None,
        unknown_profession=not record))
    entry_ids = [steps_entry.id, "recognition-costs-funding", "recognition-duration"]
    footer, urls = sources_footer(entry_ids, lang)
    replies = [("\n\n".join([body, counselling, footer]),
                [(t("btn_human", lang), "/request_human"), restart_button(flow, lang)])]
    meta = {"flow": "recognition", "regulated": record.get("regulated") if record else None,
            "sources": [FINDER_URL, *urls], "kb_id": steps_entry.id}
    return FlowResult(replies, decision, meta)


# ---- residence check ---------------------------------------------------------------------------------

def residence(flow: Flow, values: dict[str, Any], lang: str, today: dt.date, *, eu: bool | None,
              seen_signals: frozenset[str], text: str, intent: str) -> FlowResult:
    kb = get_knowledge_base()
    title, question = values["residence_title"], values["residence_question"]
    land = values.get("bundesland")
    parts = [f"**{t('res_res_title', lang, title=title_name(title, lang))}**"]
    if title in TITLES_WITH_NOTE:
        parts.append(t(f"rt_note_{title}", lang))
    entry_id = QUESTION_ENTRIES[question]
    if question == "work" and title in TITLE_ENTRIES:
        entry_id = TITLE_ENTRIES[title]
    entry = kb.by_id[entry_id]
    centres = route("residence", land, eu)
    answer = compose(entry, lang, bundesland=land, centres=centres)
    decision = decide(intent=intent, text=text, seen_signals=seen_signals, facts=FlowFacts(
        flow="residence", residence_title=title, residence_question=question))
    parts.append(t("res_res_never_decide", lang))
    buttons = [b for b in answer.buttons if b[1] != "/request_human"] + [(t("btn_human", lang), "/request_human"),
                                                                         restart_button(flow, lang)]
    if title == "eu_freedom" and question != "where_to_ask":
        text_out = "\n\n".join(parts + ["\n".join([t("centre_intro", lang), *centre_lines(centres, lang)])])
        urls: list[str] = []
    else:
        text_out = "\n\n".join(parts + [answer.text])  # the entry ends with its source and review date
        urls = answer.sources
    if decision.urgent:
        text_out = t("urgent_note", lang) + "\n\n" + text_out
    return FlowResult([(text_out, buttons)], decision, {"flow": "residence", "kb_id": entry.id, "sources": urls})


RESULTS = {"dismissal": dismissal, "wage": wage, "unpaid": unpaid, "recognition": recognition,
           "residence": residence}


def result(flow: Flow, values: dict[str, Any], lang: str, today: dt.date, **context: Any) -> FlowResult:
    return RESULTS[flow.name](flow, values, lang, today, **context)
