"""What the bot and the console share around a case: office hours, routing, the summary, cached
translation that never loses a message, and the staff-facing texts (knowledge/staff_texts.yml)."""
from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import yaml

from bot.handoff_cases.store import CaseStore, CaseView
from bot.knowledge.base import KNOWLEDGE_DIR
from bot.knowledge.catalogue import t
from bot.knowledge.directory import Organisation, get_directory
from bot.settings import Settings
from bot.translation import TranslationFailed, Translator

# Tracker slots worth a counsellor's attention (key facts), in this order.
FACT_SLOTS = ("notice_date", "notice_form", "employment_months", "probation", "unpaid_months", "livelihood",
              "pay_amount", "pay_unit", "hours_per_week", "minijob", "residence_title", "residence_question",
              "profession", "country", "abroad", "work_region")


@lru_cache
def staff_texts() -> dict[str, str]:
    return yaml.safe_load((KNOWLEDGE_DIR / "staff_texts.yml").read_text(encoding="utf-8"))


def st(key: str, **values: object) -> str:
    text = staff_texts()[key]
    return text.format(**values) if values else text


def in_office_hours(settings: Settings, now: dt.datetime | None = None) -> bool:
    local = (now or dt.datetime.now(dt.timezone.utc)).astimezone(ZoneInfo(settings.office_timezone))
    days = {int(d) for d in settings.office_days.split(",") if d.strip()}
    opens = dt.time.fromisoformat(settings.office_open)
    closes = dt.time.fromisoformat(settings.office_close) if settings.office_close != "24:00" else dt.time.max
    return local.weekday() in days and opens <= local.time() < closes


def office_hours_text(settings: Settings) -> str:
    names = ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"]
    days = sorted(int(d) for d in settings.office_days.split(",") if d.strip())
    span = f"{names[days[0]]}–{names[days[-1]]}" if days and days == list(range(days[0], days[-1] + 1)) \
        else ", ".join(names[d] for d in days)
    return f"{span} {settings.office_open}–{settings.office_close}"


def route(topic: str | None, bundesland: str | None, eu_citizen: bool | None = None) -> Organisation:
    """The organisation that gets the case: the first routed by the directory (regional before nationwide)."""
    organisations = get_directory().route(topic or "other", bundesland, eu_citizen)
    return organisations[0]


def organisation(org_id: str) -> Organisation | None:
    return next((o for o in get_directory().organisations if o.id == org_id), None)


def build_summary(topic: str, meta: dict, slots: dict) -> dict:
    facts = {name: slots[name] for name in FACT_SLOTS if slots.get(name) not in (None, "", [])}
    return {"topic": topic, "facts": facts, "reasons": list(meta.get("reasons") or []),
            "kb_ids": [k for k in [meta.get("kb_id") or slots.get("last_kb_id")] if k],
            "sources": list(meta.get("sources") or []), "deadline": meta.get("deadline") or slots.get("deadline")}


@dataclass(frozen=True)
class Translated:
    text: str | None        # None: no translation needed (same language)
    failed: bool = False


async def translate_cached(store: CaseStore, translator: Translator | None, text: str, source: str,
                           target: str) -> Translated:
    """A translation from the cache or the translator; failures are reported, never raised."""
    if source == target or not text.strip():
        return Translated(None)
    cached = await store.run("cached_translation", text, source, target)
    if cached is not None:
        return Translated(cached)
    if translator is None:
        return Translated(None, failed=True)
    try:
        result = await translator.translate(text, source, target)
    except TranslationFailed:
        return Translated(None, failed=True)
    await store.run("cache_translation", text, source, target, result)
    return Translated(result)


def escape_md(text: str) -> str:
    """Counsellor text shown literally in the answers' Markdown subset."""
    while "**" in text:  # the subset's only markup is **bold**
        text = text.replace("**", "*\u200b*")
    return text


def counsellor_message(text: str, translated: Translated, language: str) -> str:
    """What the user reads of a counsellor's reply: the translation (or the original) with a note."""
    body = translated.text if translated.text is not None else text
    parts = [t("handoff_counsellor_says", language), escape_md(body)]
    if translated.text is not None:
        parts.append(t("handoff_machine_translated", language))
    elif translated.failed:
        parts.append(t("handoff_translation_failed", language))
    return "\n".join(parts)


def header_card(case: CaseView, settings: Settings) -> str:
    org = organisation(case.organisation_id)
    summary = case.summary
    facts = "; ".join(f"{k}={v}" for k, v in (summary.get("facts") or {}).items()) or "–"
    return st("header", id=case.id, language=case.language, topic=case.topic, bundesland=case.bundesland or "–",
              urgency=st("urgent") if case.urgent else st("not_urgent"),
              consent=case.consent_at.strftime("%Y-%m-%d %H:%M UTC") if case.consent_at else "–",
              deadline=summary.get("deadline") or "–", facts=facts,
              reasons=", ".join(summary.get("reasons") or []) or "–",
              kb=", ".join(summary.get("kb_ids") or []) or "–",
              sources=" ".join(summary.get("sources") or []) or "–",
              organisation=org.name if org else case.organisation_id)


def median_first_reply_minutes(cases: list[CaseView]) -> float | None:
    waits = [(c.first_reply_at - c.created_at).total_seconds() / 60 for c in cases if c.first_reply_at]
    return round(statistics.median(waits), 1) if waits else None
