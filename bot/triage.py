"""`make triage`: JSON Lines in, one JSON result per line out (contract 4 in ARCHITECTURE.md).

Each line is the first message of a fresh conversation, handled by the same Conversation code
the Telegram handler uses, against a Rasa server and action server started for this run.
Only results go to stdout; everything else goes to stderr or the service logs.
"""
from __future__ import annotations

import asyncio
import json
import logging
import sys
import uuid
from typing import IO, Any

from bot.conversation import Conversation, Incoming, Outcome
from bot.language_detection import get_detector
from bot.rasa_client import RasaClient
from bot.stack import running_stack
from bot.translation import get_translator

CONCURRENCY = 4


class BadLine(ValueError):
    pass


def parse_line(line: str) -> Incoming:
    if not line.strip():
        raise BadLine("empty line")
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadLine(f"invalid JSON: {exc.msg} at column {exc.colno}") from None
    if not isinstance(data, dict):
        raise BadLine("each line must be a JSON object with a \"text\" field")
    text, hint = data.get("text"), data.get("lang_hint")
    if not isinstance(text, str):
        raise BadLine("missing or non-string \"text\" field")
    if hint is not None and not isinstance(hint, str):
        raise BadLine("\"lang_hint\" must be a string like \"uk\"")
    if not text.strip():
        raise BadLine("empty text")
    return Incoming(text=text, user_key=f"triage-{uuid.uuid4().hex}", lang_hint=hint, chat_type="triage")


def result_of(outcome: Outcome) -> dict[str, Any]:
    if outcome.error == "service_unavailable":
        return {"error": "the Rasa server is not reachable"}
    meta = outcome.meta
    result = {
        "lang": outcome.lang,
        "topic": meta.get("topic", "other"),
        "intent": meta.get("intent"),
        "confidence": meta.get("confidence", 0.0),
        "entities": [{k: e[k] for k in ("entity", "value", "text", "start", "end")} for e in meta.get("entities", [])],
        "answer": "\n\n".join(m.text for m in outcome.messages),
        "sources": meta.get("sources", []),
        "kb_id": meta.get("kb_id"),
        "handoff": bool(meta.get("handoff")),
        "urgent": bool(meta.get("urgent")),
    }
    if outcome.truncated:
        result["note"] = "text was longer than the bot reads; only the beginning was analysed"
    if outcome.machine_translated:
        result["machine_translated"] = True
    return result


async def triage_lines(lines: list[str], conversation: Conversation) -> list[dict[str, Any]]:
    semaphore = asyncio.Semaphore(CONCURRENCY)

    async def one(line: str) -> dict[str, Any]:
        try:
            incoming = parse_line(line)
        except BadLine as exc:
            return {"error": str(exc)}
        async with semaphore:
            return result_of(await conversation.handle(incoming))

    return await asyncio.gather(*(one(line) for line in lines))


async def run(stdin: IO[str], stdout: IO[str]) -> int:
    lines = [line.rstrip("\r\n") for line in stdin]  # every line gets a result, blank ones an error
    if not lines:
        return 0
    with running_stack(persistent_trackers=False) as stack:
        rasa = RasaClient(stack.rasa_url, timeout=60)
        try:
            conversation = Conversation(rasa, get_detector(), get_translator())
            for result in await triage_lines(lines, conversation):
                stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
                stdout.flush()
        finally:
            await rasa.aclose()
    return 0


def main() -> int:
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    return asyncio.run(run(sys.stdin, sys.stdout))


if __name__ == "__main__":
    sys.exit(main())
