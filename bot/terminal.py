"""A terminal chat through the real stack (no Telegram token needed): `make run`."""
from __future__ import annotations

import asyncio
import re
import sys

from bot.conversation import BotMessage, Conversation, Incoming
from bot.language_detection import get_detector
from bot.rasa_client import RasaClient
from bot.translation import get_translator

BOLD = re.compile(r"\*\*(.+?)\*\*")


def render(message: BotMessage, use_colour: bool) -> str:
    text = BOLD.sub(lambda m: f"\033[1m{m.group(1)}\033[0m" if use_colour else m.group(1), message.text)
    buttons = "".join(f"\n  [{i}] {title}" for i, (title, _) in enumerate(message.buttons, 1))
    return text + buttons


async def chat(rasa_url: str, user_key: str = "terminal-user") -> None:
    rasa = RasaClient(rasa_url)
    conversation = Conversation(rasa, get_detector(), get_translator())
    colour = sys.stdout.isatty()
    lang: str | None = None
    buttons: list[tuple[str, str]] = []
    print("Wegweiser terminal chat. Type a question in any language; a number presses a button; Ctrl-C quits.")
    try:
        while True:
            try:
                line = await asyncio.to_thread(input, "\nyou> ")
            except EOFError:
                break
            if line.strip().isdigit() and 0 < int(line) <= len(buttons):
                line = buttons[int(line) - 1][1]
            outcome = await conversation.handle(Incoming(line, user_key, current_lang=lang, chat_type="terminal"))
            lang = outcome.lang
            buttons = [b for m in outcome.messages for b in m.buttons]
            number = 0
            for message in outcome.messages:
                shown = BotMessage(message.text, [])
                text = render(shown, colour)
                for title, _ in message.buttons:
                    number += 1
                    text += f"\n  [{number}] {title}"
                print(f"\nbot ({lang})> {text}")
    finally:
        await rasa.aclose()
