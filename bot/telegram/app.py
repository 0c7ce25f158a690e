"""The Telegram Application: polling by default, a webhook when TELEGRAM_WEBHOOK_URL is set.

TELEGRAM_BASE_URL points the bot at another Bot API server (a self-hosted telegram-bot-api or a test
double). Sending is rate-limited to Telegram's limits (30 messages/s overall, 20/min per group) and a
429 is retried after the time Telegram asks for. Ctrl-C / SIGTERM stop it cleanly.
"""
from __future__ import annotations

import asyncio
import logging
import secrets
from urllib.parse import urlparse

from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import (AIORateLimiter, Application, ApplicationBuilder, CallbackQueryHandler,
                          ChatMemberHandler, CommandHandler, InlineQueryHandler, MessageHandler, filters)

from bot.conversation import Conversation
from bot.db.session import make_engine
from bot.handoff_cases.store import CaseStore
from bot.knowledge.base import get_knowledge_base
from bot.knowledge.catalogue import t
from bot.language_detection import get_detector
from bot.languages import CURATED
from bot.rasa_client import RasaClient
from bot.settings import Settings
from bot.telegram.erasure import Erasure
from bot.telegram.handlers.callbacks import button_pressed
from bot.telegram.handlers.counsellor import counsellor_command, end_command
from bot.telegram.handlers.staff import staff_message
from bot.telegram.handlers.errors import on_error
from bot.telegram.handlers.group import group_text, my_chat_member
from bot.telegram.handlers.help import help_command
from bot.telegram.handlers.inline import inline_query
from bot.telegram.handlers.language import language_command
from bot.telegram.handlers.other_input import NON_TEXT, edited, non_text
from bot.telegram.handlers.privacy import delete_command, privacy_command
from bot.telegram.handlers.private_text import private_text
from bot.telegram.handlers.start import start
from bot.telegram.profiles import Profiles
from bot.telegram.services import SERVICES, Services
from bot.translation import get_translator

log = logging.getLogger(__name__)

COMMANDS = ("start", "help", "language", "privacy", "delete_my_data", "counsellor")
RETENTION_EVERY_SECONDS = 6 * 3600
CONCURRENT_UPDATES = 64


def file_base_url(base_url: str) -> str:
    """The Bot API file URL that belongs to a Bot API URL (".../bot" -> ".../file/bot")."""
    if "/bot{token}" in base_url:
        return base_url.replace("/bot{token}", "/file/bot{token}")
    if base_url.endswith("/bot"):
        return base_url[: -len("/bot")] + "/file/bot"
    return base_url.rstrip("/") + "/file/bot"


def rate_limiter() -> AIORateLimiter:
    return AIORateLimiter(overall_max_rate=30, overall_time_period=1, group_max_rate=20, group_time_period=60,
                          max_retries=3)


def bot_commands(lang: str) -> list[BotCommand]:
    return [BotCommand(name, t(f"cmd_{name}", lang)) for name in COMMANDS]


def build_services(settings: Settings, rasa_url: str) -> Services:
    rasa = RasaClient(rasa_url, timeout=settings.rasa_timeout_seconds)
    detector = get_detector()
    profiles = Profiles(make_engine(settings.database_url))
    translator = get_translator()
    return Services(settings=settings, rasa=rasa, conversation=Conversation(rasa, detector, translator),
                    detector=detector, profiles=profiles, erasure=Erasure(profiles, settings.rasa_tracker_db_url),
                    knowledge=get_knowledge_base(), cases=CaseStore(profiles.engine), translator=translator)


def register_handlers(app: Application) -> None:
    private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    new_message = filters.UpdateType.MESSAGE  # an edited "/start" is not a new command
    app.add_handler(CommandHandler("start", start, filters=new_message))
    app.add_handler(CommandHandler("help", help_command, filters=new_message))
    app.add_handler(CommandHandler("language", language_command, filters=new_message))
    app.add_handler(CommandHandler("privacy", privacy_command, filters=new_message))
    app.add_handler(CommandHandler("delete_my_data", delete_command, filters=new_message))
    app.add_handler(CommandHandler("counsellor", counsellor_command, filters=new_message))
    app.add_handler(CommandHandler("end", end_command, filters=new_message & private))
    staff_chats = list(app.bot_data[SERVICES].settings.staff_groups.values())
    if staff_chats:  # replies of counsellors inside a case's forum topic (before the community-group handler)
        app.add_handler(MessageHandler(filters.Chat(chat_id=staff_chats) & new_message & ~filters.COMMAND,
                                       staff_message))
    app.add_handler(CallbackQueryHandler(button_pressed))
    app.add_handler(InlineQueryHandler(inline_query))
    app.add_handler(ChatMemberHandler(my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(private & new_message & filters.TEXT & ~filters.COMMAND, private_text))
    app.add_handler(MessageHandler(groups & new_message & filters.TEXT & ~filters.COMMAND, group_text))
    app.add_handler(MessageHandler(private & new_message & filters.COMMAND, help_command))  # unknown commands
    app.add_handler(MessageHandler(private & filters.UpdateType.EDITED_MESSAGE, edited))
    app.add_handler(MessageHandler(private & new_message & NON_TEXT, non_text))
    app.add_error_handler(on_error)


async def _set_commands(app: Application) -> None:
    try:
        await app.bot.set_my_commands(bot_commands("en"))
        for lang in CURATED:
            await app.bot.set_my_commands(bot_commands(lang), language_code=lang)
    except TelegramError as exc:
        log.warning("could not set the bot's commands: %s", type(exc).__name__)


async def _retention_loop(services: Services) -> None:
    while True:
        try:
            await services.erasure.purge_expired(services.settings.data_retention_days)
            if services.cases is not None:
                await services.cases.run("purge_closed", services.settings.data_retention_days)
        except Exception as exc:  # a database hiccup must not stop the bot
            log.warning("retention purge failed: %s", type(exc).__name__)
        await asyncio.sleep(RETENTION_EVERY_SECONDS)


async def _post_init(app: Application) -> None:
    services: Services = app.bot_data[SERVICES]
    log.info("Telegram bot @%s ready", app.bot.username)
    await _set_commands(app)
    app.bot_data["retention_task"] = asyncio.create_task(_retention_loop(services))


async def _post_stop(app: Application) -> None:
    task = app.bot_data.pop("retention_task", None)
    if task:
        task.cancel()


async def _post_shutdown(app: Application) -> None:
    services: Services = app.bot_data[SERVICES]
    await services.rasa.aclose()
    services.erasure.close()
    services.profiles.engine.dispose()
    log.info("Telegram bot stopped")


def build_application(settings: Settings, rasa_url: str) -> Application:
    base_url = settings.telegram_base_url
    app = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token)
        .base_url(base_url)
        .base_file_url(file_base_url(base_url))
        .rate_limiter(rate_limiter())
        .concurrent_updates(CONCURRENT_UPDATES)
        .connection_pool_size(CONCURRENT_UPDATES)
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
        .build()
    )
    app.bot_data[SERVICES] = build_services(settings, rasa_url)
    register_handlers(app)
    return app


def run_telegram(settings: Settings, rasa_url: str) -> None:
    """Serve Telegram until Ctrl-C or SIGTERM (`make run` calls this when TELEGRAM_BOT_TOKEN is set)."""
    app = build_application(settings, rasa_url)
    if settings.telegram_webhook_url:
        path = urlparse(settings.telegram_webhook_url).path.lstrip("/")
        log.info("serving a webhook on port %d", settings.telegram_webhook_port)
        app.run_webhook(listen="0.0.0.0", port=settings.telegram_webhook_port, url_path=path,
                        webhook_url=settings.telegram_webhook_url,
                        secret_token=settings.telegram_webhook_secret or secrets.token_urlsafe(32),
                        allowed_updates=Update.ALL_TYPES)
    else:
        log.info("polling for updates")
        app.run_polling(allowed_updates=Update.ALL_TYPES)
