"""Inline mode: `@bot <question>` in any chat returns vetted knowledge-base answers (title, short
answer, source, review date) in the detected or chosen language, for outreach workers to share."""
from __future__ import annotations

import logging

from telegram import (InlineKeyboardMarkup, InlineQueryResultArticle, InlineQueryResultsButton,
                      InputTextMessageContent, Update)
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from bot.answers import format_date
from bot.knowledge.catalogue import t
from bot.knowledge.schema import Entry
from bot.telegram.deep_links import deep_link, start_payload
from bot.telegram.keyboards import url_row
from bot.telegram.rendering import MAX_MESSAGE, render_chunks, visible_len
from bot.telegram.sending import NO_PREVIEW
from bot.telegram.services import curated_or, get_services, hint_of
from bot.topics import CONTENT_TOPICS

log = logging.getLogger(__name__)
MAX_RESULTS = 8
DESCRIPTION_CHARS = 120
CACHE_SECONDS = 300


def inline_text(entry: Entry, lang: str) -> str:
    content = entry.content[lang]
    footer = [f"{t('label_source', lang)}: {entry.sources[0].url}",
              f"{t('label_reviewed', lang, date=format_date(entry.last_reviewed))} · {t('disclaimer', lang)}"]
    if content.status == "machine-translated":
        footer.append(t("note_unreviewed_translation", lang))
    head, tail = f"**{content.title}**", "\n".join(footer)
    answer = content.answer.strip()
    room = MAX_MESSAGE - visible_len(head) - visible_len(tail) - 4
    if visible_len(answer) > room:
        answer = answer[: max(room - 1, 0)].rstrip() + "…"
    return f"{head}\n\n{answer}\n\n{tail}"


def description(entry: Entry, lang: str) -> str:
    answer = " ".join(entry.content[lang].answer.split())
    return answer if len(answer) <= DESCRIPTION_CHARS else answer[: DESCRIPTION_CHARS - 1].rstrip() + "…"


def overview(entries: list[Entry]) -> list[Entry]:
    """For an empty query: one entry per topic, each topic's default answer first."""
    picked = []
    for topic in CONTENT_TOPICS:
        in_topic = [e for e in entries if e.topic == topic]
        in_topic.sort(key=lambda e: (not e.default_for, e.id))
        picked += in_topic[:1]
    return picked


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.inline_query
    services = get_services(context)
    text = " ".join(query.query.split())
    hint = hint_of(query.from_user)
    fallback = curated_or(hint, "en")
    lang = curated_or(services.detector.detect(text, hint, None).lang, fallback) if text else fallback
    entries = services.knowledge.search(text, limit=MAX_RESULTS) if text else overview(services.knowledge.entries)
    username = context.bot.username
    results = [
        InlineQueryResultArticle(
            id=f"{entry.id}.{lang}"[:64],
            title=entry.content[lang].title,
            description=description(entry, lang),
            input_message_content=InputTextMessageContent(render_chunks(inline_text(entry, lang))[0],
                                                          parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW),
            reply_markup=InlineKeyboardMarkup([url_row(t("btn_ask_bot", lang), deep_link(username, entry.topic, lang))]),
        )
        for entry in entries
    ]
    log.info("inline query lang=%s results=%d", lang, len(results))
    await query.answer(results, cache_time=CACHE_SECONDS, is_personal=True,
                       button=InlineQueryResultsButton(t("btn_ask_bot", lang), start_parameter=start_payload(lang=lang)))
