"""Logging that never writes message text: handlers log ids, intents and errors only, and this
filter drops library records that would echo request bodies (httpx logs URLs, which hold no text)."""
from __future__ import annotations

import logging


def configure_logging(level: str = "INFO") -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # httpx logs every request URL at INFO; the Telegram URL contains the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
