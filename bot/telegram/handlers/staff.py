"""Messages in an organisation's staff supergroup: a registered counsellor's reply inside a case's forum
topic is relayed to the user (translated). Anyone else, and anything outside a case topic, gets nothing."""
from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ContextTypes

from bot.telegram.handoff_flow import is_counsellor, relay_counsellor_text
from bot.telegram.services import get_services

log = logging.getLogger(__name__)


async def staff_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = get_services(context)
    message = update.effective_message
    if message is None or update.effective_user is None or not message.text:
        return
    thread_id = message.message_thread_id if message.is_topic_message else None
    if thread_id is None:
        return
    case = await services.cases.run("by_thread", message.chat_id, thread_id)
    if case is None or not case.open:
        return
    if not is_counsellor(services, case.organisation_id, update.effective_user.id):
        log.info("staff message from a non-counsellor ignored case=%d", case.id)
        return
    who = f"tg:{update.effective_user.id}"
    if case.status == "waiting":
        await services.cases.run("claim", case.id, who)  # answering claims the case
    async with services.locks(case.user_key):
        await relay_counsellor_text(context.bot, services, case, message.text, who)
