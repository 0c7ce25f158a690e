"""`make share-links`: deep links for posters and flyers, one per topic and language
(https://t.me/<bot>?start=<topic>_<lang>), printed and written as QR code PNGs to share-links/.

The bot's username comes from --bot-name, else TELEGRAM_BOT_USERNAME, else the Bot API (getMe with
TELEGRAM_BOT_TOKEN and TELEGRAM_BASE_URL)."""
from __future__ import annotations

import argparse
import asyncio
import csv
import os
import sys
from pathlib import Path

import qrcode
from qrcode.constants import ERROR_CORRECT_M

from bot.languages import CURATED
from bot.settings import PROJECT_ROOT, get_settings
from bot.telegram.deep_links import deep_link, start_payload
from bot.topics import CONTENT_TOPICS

DEFAULT_OUT = PROJECT_ROOT / "share-links"


def links(bot_username: str) -> list[tuple[str, str, str]]:
    """(topic, lang, url) for every topic and curated language."""
    return [(topic, lang, deep_link(bot_username, topic, lang)) for topic in CONTENT_TOPICS for lang in CURATED]


def write_qr(url: str, path: Path) -> None:
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=4)
    qr.add_data(url)
    qr.make(fit=True)
    qr.make_image(fill_color="black", back_color="white").save(path)


def write_all(bot_username: str, out: Path) -> list[tuple[str, str, str]]:
    out.mkdir(parents=True, exist_ok=True)
    rows = links(bot_username)
    for topic, lang, url in rows:
        write_qr(url, out / f"{start_payload(topic, lang)}.png")
    with open(out / "links.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["topic", "lang", "url", "qr_png"])
        writer.writerows([topic, lang, url, f"{start_payload(topic, lang)}.png"] for topic, lang, url in rows)
    return rows


async def username_from_api() -> str | None:
    settings = get_settings()
    if not settings.telegram_bot_token:
        return None
    from telegram import Bot

    from bot.telegram.app import file_base_url

    async with Bot(settings.telegram_bot_token, base_url=settings.telegram_base_url,
                   base_file_url=file_base_url(settings.telegram_base_url)) as bot:
        return bot.username


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bot-name", default=os.environ.get("TELEGRAM_BOT_USERNAME"),
                        help="the bot's @username (default: TELEGRAM_BOT_USERNAME or getMe)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the QR code PNGs")
    args = parser.parse_args(argv)
    name = args.bot_name
    if not name:
        try:
            name = asyncio.run(username_from_api())
        except Exception as exc:  # network or token problems: say what to do instead
            print(f"could not ask the Bot API for the bot's name ({type(exc).__name__})", file=sys.stderr)
    if not name:
        print("Set TELEGRAM_BOT_USERNAME (or TELEGRAM_BOT_TOKEN, or pass --bot-name) to make share links.",
              file=sys.stderr)
        return 2
    rows = write_all(name.lstrip("@"), args.out)
    for topic, lang, url in rows:
        print(f"{topic}\t{lang}\t{url}")
    print(f"{len(rows)} links; QR codes in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
