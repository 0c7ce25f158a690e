"""The flows' questions in the user's language, with answer buttons (texts from knowledge/catalogue.yml).

Button payloads are Rasa intents with parameters, sent back as text: '/inform{"choice": "paper"}'."""
from __future__ import annotations

import datetime as dt
from typing import Any

from bot.entities import entity_data
from bot.flows.engine import Flow
from bot.knowledge.catalogue import t
from bot.knowledge.schema import BUNDESLAENDER

Button = tuple[str, str]
# Residence documents offered as buttons (the others are understood when typed).
TITLE_BUTTONS = ("aufenthaltserlaubnis", "niederlassungserlaubnis", "blue_card", "chancenkarte", "duldung",
                 "aufenthaltsgestattung", "para24_ukraine", "fiktionsbescheinigung", "visa", "student_permit",
                 "recognition_16d", "eu_freedom")
FLOW_START_INTENT = {"dismissal": "check_deadline", "wage": "check_wage", "unpaid": "check_unpaid",
                     "recognition": "check_recognition", "residence": "check_residence"}


def pick(value: str) -> str:
    return f'/inform{{"choice": "{value}"}}'


def yes_no_buttons(lang: str, unknown: bool = True) -> list[Button]:
    buttons = [(t("btn_yes", lang), pick("yes")), (t("btn_no", lang), pick("no"))]
    if unknown:
        buttons.append((t("btn_dont_know", lang), pick("unknown")))
    return buttons


def land_buttons(lang: str) -> list[Button]:
    names = entity_data().records.get("BUNDESLAND", {})
    buttons = [(names.get(code, {}).get("name_de", code), f'/set_bundesland{{"bundesland_code": "{code}"}}')
               for code in BUNDESLAENDER]
    return buttons + [(t("btn_not_sure", lang), pick("unknown"))]


def employment_buttons(lang: str, probation_max: int, steps: tuple[tuple[float, int], ...]) -> list[Button]:
    """Ranges between the § 622 steps, each with a value inside it (months)."""
    years = [int(y) for y, _ in steps]
    buttons = [(t("btn_less_than_months", lang, n=probation_max), pick(str(probation_max // 2))),
               (t("btn_months_to_years", lang, m=probation_max, y=years[0]), pick("12"))]
    for low, high in zip(years, years[1:]):
        buttons.append((t("btn_years_range", lang, a=low, b=high), pick(str(round((low + high) / 2 * 12)))))
    buttons.append((t("btn_more_than_years", lang, n=years[-1]), pick(str(years[-1] * 12 + 12))))
    return buttons


def title_name(title: str, lang: str) -> str:
    key = f"rt_{title}"
    try:
        return t(key, lang)
    except KeyError:
        record = entity_data().records.get("RESIDENCE_TITLE", {}).get(title, {})
        terms = (record.get("terms") or {}).get("de") or [title]
        return str(terms[0]).title()


def question(flow: Flow, slot: str, values: dict[str, Any], lang: str, today: dt.date) -> tuple[str, list[Button]]:
    if slot == "notice_date":
        return t("ask_notice_date", lang), []
    if slot == "notice_form":
        return t("ask_notice_form", lang), [(t("btn_paper", lang), pick("paper")),
                                            (t("btn_electronic", lang), pick("electronic")),
                                            (t("btn_oral", lang), pick("oral"))]
    if slot == "employment_months":
        rules = flow.rules  # type: ignore[attr-defined]
        return t("ask_employment_months", lang), employment_buttons(lang, rules.probation_max_months,
                                                                    rules.employer_steps)
    if slot == "probation":
        return t("ask_probation", lang), yes_no_buttons(lang)
    if slot == "work_region":
        key = {"dismissal": "ask_work_region_holiday", "recognition":
               "ask_work_region_abroad" if values.get("abroad") == "yes" else "ask_work_region"}[flow.name]
        return t(key, lang), land_buttons(lang)
    if slot == "pay_amount":
        return t("ask_pay_amount", lang), []
    if slot == "pay_unit":
        amount = values.get("pay_amount")
        return t("ask_pay_unit", lang, amount=money(amount, lang)), [(t("btn_per_hour", lang), pick("hour")),
                                                               (t("btn_per_month", lang), pick("month"))]
    if slot == "hours_per_week":
        return t("ask_hours_per_week", lang), []
    if slot == "minijob":
        return t("ask_minijob", lang), yes_no_buttons(lang)
    if slot == "pay_basis":
        return t("ask_pay_basis", lang), [(t("btn_brutto", lang), pick("brutto")), (t("btn_netto", lang), pick("netto")),
                                          (t("btn_dont_know", lang), pick("unknown"))]
    if slot == "unpaid_months":
        return t("ask_unpaid_months", lang), [(t("btn_unpaid_less_month", lang), pick("0.5")),
                                              (t("btn_unpaid_one_two", lang), pick("1.5")),
                                              (t("btn_unpaid_more_two", lang), pick("3"))]
    if slot == "livelihood":
        return t("ask_livelihood", lang), yes_no_buttons(lang, unknown=False)
    if slot == "profession":
        return t("ask_profession", lang), []
    if slot == "country":
        return t("ask_country", lang), []
    if slot == "abroad":
        return t("ask_abroad", lang), yes_no_buttons(lang, unknown=False)
    if slot == "residence_title":
        return t("ask_residence_title", lang), [(title_name(x, lang), pick(x)) for x in TITLE_BUTTONS]
    if slot == "residence_question":
        return t("ask_residence_question", lang), [(t(f"btn_rq_{q}", lang), pick(q)) for q in
                                                   ("work", "change_employer", "job_loss", "where_to_ask")]
    raise KeyError(slot)


DECIMAL_POINT_LANGS = frozenset({"en", "ar", "fa"})  # the others write 13,90


def money(value: Any, lang: str = "en") -> str:
    """Amounts as people in the language write them: '13,90' (de, fr, uk, ...) or '13.90' (en, ar, fa).
    Whole euros without decimals; a thin space groups thousands from 10 000 on."""
    if value is None:
        return "?"
    number = round(float(value), 2)
    text = f"{number:,.2f}" if number % 1 else f"{number:,.0f}"
    whole, _, cents = text.partition(".")
    whole = whole.replace(",", "\u202f") if number >= 10_000 else whole.replace(",", "")
    mark = "." if lang in DECIMAL_POINT_LANGS else ","
    return f"{whole}{mark}{cents}" if cents else whole


def start_button(flow_name: str, lang: str) -> Button:
    return t(f"btn_check_{flow_name}", lang), f"/{FLOW_START_INTENT[flow_name]}"


def continue_button(flow_name: str, lang: str) -> Button:
    return t("btn_continue", lang, flow=t(f"flow_name_{flow_name}", lang)), f"/{FLOW_START_INTENT[flow_name]}"
