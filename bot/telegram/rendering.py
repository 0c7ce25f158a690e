"""The answers' Markdown subset (**bold** and plain URLs) as Telegram HTML, split to Telegram's limit.

Every piece of text (knowledge base, catalogue, anything a user typed) is HTML-escaped; the only tags
in the output are the <b> tags made here. Telegram links plain URLs by itself.
"""
from __future__ import annotations

import html
import re

MAX_MESSAGE = 4096          # Telegram's limit, counted in UTF-16 code units of the visible text
BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
PARAGRAPH = "\n\n"


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def to_html(text: str) -> str:
    out, pos = [], 0
    for match in BOLD.finditer(text):
        out.append(escape(text[pos:match.start()]))
        out.append(f"<b>{escape(match.group(1))}</b>")
        pos = match.end()
    out.append(escape(text[pos:]))
    return "".join(out)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def visible_len(text: str) -> int:
    """Length Telegram counts for a message: the text after markup is parsed, in UTF-16 units."""
    return utf16_len(BOLD.sub(r"\1", text))


def _hard_split(text: str, limit: int) -> list[str]:
    pieces, current, size = [], [], 0
    for char in text:
        width = utf16_len(char)
        if size + width > limit:
            pieces.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    if current:
        pieces.append("".join(current))
    return pieces


def _split_on(text: str, separator: str, limit: int, finer) -> list[str]:
    pieces, current = [], ""
    for part in text.split(separator):
        parts = [part] if visible_len(part) <= limit else finer(part, limit)
        for piece in parts:
            candidate = piece if not current else current + separator + piece
            if visible_len(candidate) <= limit:
                current = candidate
            else:
                if current:
                    pieces.append(current)
                current = piece
    if current:
        pieces.append(current)
    return pieces


def _split_words(text: str, limit: int) -> list[str]:
    return _split_on(text, " ", limit, _hard_split)


def _split_lines(text: str, limit: int) -> list[str]:
    return _split_on(text, "\n", limit, _split_words)


def split_markdown(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Pieces of at most `limit` visible characters, cut at paragraph boundaries where possible
    (then lines, then words, and only as a last resort inside a word)."""
    if visible_len(text) <= limit:
        return [text] if text.strip() else []
    return [p for p in _split_on(text, PARAGRAPH, limit, _split_lines) if p.strip()]


def render_chunks(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Markdown subset -> Telegram HTML messages, each within Telegram's limit."""
    return [to_html(piece) for piece in split_markdown(text, limit)]
