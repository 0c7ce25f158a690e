"""Turns a knowledge entry into the message the user reads, in their language.

Markup is a small Markdown subset (**bold**, plain URLs) that each front end renders safely:
Telegram as escaped HTML, the terminal as plain text.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from bot.knowledge.catalogue import t
from bot.knowledge.directory import Organisation
from bot.knowledge.schema import Entry

CENTRES_SHOWN = 2


@dataclass
class Answer:
    text: str
    sources: list[str]
    kb_id: str
    buttons: list[tuple[str, str]] = field(default_factory=list)


def format_date(day) -> str:
    return day.strftime("%d.%m.%Y")


def centre_lines(centres: list[Organisation], lang: str) -> list[str]:
    lines = []
    for org in centres[:CENTRES_SHOWN]:
        place = f" ({', '.join(org.cities)})" if org.cities else ""
        note = "" if org.verified else " " + t("centre_unverified", lang, as_of=format_date(org.as_of))
        lines.append(f"• {org.name}{place}: {org.url}{note}")
    return lines


def entry_buttons(entry: Entry, lang: str) -> list[tuple[str, str]]:
    return [
        (t("btn_more", lang), f'/more_detail{{"kb_id": "{entry.id}"}}'),
        (t("btn_centre", lang), f'/counselling_centre{{"topic": "{entry.topic}"}}'),
        (t("btn_human", lang), "/request_human"),
    ]


def compose(entry: Entry, lang: str, *, bundesland: str | None = None,
            centres: list[Organisation] = ()) -> Answer:
    content = entry.content[lang]
    parts = [f"**{content.title}**", content.answer.strip()]
    for variant in entry.variants:
        if bundesland in variant.bundesland:
            note = variant.note.get(lang) or variant.note.get("en")
            if note:
                parts.append(note.strip())
    steps = "\n".join(f"{i}. {step}" for i, step in enumerate(content.steps, 1))
    parts.append(f"**{t('label_steps', lang)}**\n{steps}")
    parts.append(f"**{t('label_advice', lang)}** {content.advice.strip()}")
    if centres:
        parts.append("\n".join([t("centre_intro", lang), *centre_lines(list(centres), lang)]))
    sources = [str(s.url) for s in entry.sources]
    footer = [f"{t('label_source', lang)}: {sources[0]}",
              f"{t('label_reviewed', lang, date=format_date(entry.last_reviewed))} · {t('disclaimer', lang)}"]
    if content.status == "machine-translated":
        footer.append(t("note_unreviewed_translation", lang))
    parts.append("\n".join(footer))
    return Answer(text="\n\n".join(parts), sources=sources, kb_id=entry.id, buttons=entry_buttons(entry, lang))


def compose_detail(entry: Entry, lang: str, related: list[Entry]) -> str:
    """'More details': legal basis, every source, sibling entries of the same topic."""
    parts = [f"**{entry.content[lang].title}**"]
    if entry.legal_refs:
        parts.append(f"**{t('label_legal', lang)}:** " + "; ".join(entry.legal_refs))
    parts.append("\n".join(f"{t('label_source', lang)}: {s.title} – {s.url}" for s in entry.sources))
    if related:
        parts.append("\n".join([f"**{t('label_related', lang)}**", *(f"• {e.content[lang].title}" for e in related)]))
    parts.append(t("disclaimer", lang))
    return "\n\n".join(parts)
