"""`make run`: Rasa server + action server, then Telegram (with TELEGRAM_BOT_TOKEN) or a terminal chat.
Ctrl-C stops all of it."""
from __future__ import annotations

import asyncio
import logging
import sys

from bot.db.session import migrate
from bot.logging_setup import configure_logging
from bot.settings import get_settings
from bot.stack import running_stack


def serve(settings, rasa_url: str) -> None:
    if settings.telegram_bot_token:
        from bot.telegram.app import run_telegram

        run_telegram(settings, rasa_url)
    else:
        from bot.terminal import chat

        asyncio.run(chat(rasa_url))


def main() -> int:
    settings = get_settings()
    configure_logging(settings.log_level)
    migrate(settings.database_url)
    try:
        if settings.start_services:
            print("Starting the Rasa server and the action server (first start trains the model) ...",
                  file=sys.stderr)
            with running_stack(settings) as stack:
                serve(settings, stack.rasa_url)
        else:
            serve(settings, settings.rasa_url)
    except KeyboardInterrupt:
        pass
    logging.getLogger(__name__).info("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
