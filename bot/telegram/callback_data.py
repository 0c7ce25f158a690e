"""Inline-keyboard callback data within Telegram's 64 bytes.

Rasa button payloads ('/more_detail{"kb_id": "wages-minimum-wage"}') are longer than they need to be;
the ones the actions use get compact codes ("m:wages-minimum-wage"), anything else is kept verbatim
when it fits, or else replaced by a short id remembered in a bounded in-memory cache.
Lowercase codes go to Rasa, uppercase codes are the bot's own buttons (language, erasure).
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import OrderedDict
from dataclasses import dataclass

MAX_BYTES = 64
VALUE = re.compile(r"^[A-Za-z0-9_-]{1,48}$")
RASA_PAYLOAD = re.compile(r"^/(\w+)(\{.*\})?$", re.S)

# code -> (intent, entity) for payloads with exactly one entity
ENTITY_CODES = {
    "m": ("more_detail", "kb_id"),
    "c": ("counselling_centre", "topic"),
    "t": ("choose_topic", "topic"),
    "b": ("set_bundesland", "bundesland_code"),
    "l": ("change_language", "lang_code"),
}
BARE_CODES = {"h": "request_human"}
INTENT_CODES = {intent: code for code, (intent, _) in ENTITY_CODES.items()}
BARE_INTENT_CODES = {intent: code for code, intent in BARE_CODES.items()}

# The bot's own buttons
LANGUAGE = "L"     # L:<lang>
ERASE = "D"        # D:y | D:n
CONSENT = "H"      # H:y | H:n  (handoff consent)
STAFF = "S"        # S:<c|x|b|t>:<case id>  (claim, close, hand back, translate) in staff groups


@dataclass(frozen=True)
class Decoded:
    kind: str                 # "rasa" | "local" | "expired"
    payload: str = ""         # for rasa: the message to send to Rasa
    action: str = ""          # for local: LANGUAGE | ERASE
    arg: str = ""


def fits(data: str) -> bool:
    return 0 < len(data.encode("utf-8")) <= MAX_BYTES


def local(action: str, arg: str) -> str:
    data = f"{action}:{arg}"
    assert fits(data), data
    return data


def parse_payload(payload: str) -> tuple[str, dict] | None:
    match = RASA_PAYLOAD.match(payload.strip())
    if not match:
        return None
    try:
        entities = json.loads(match.group(2)) if match.group(2) else {}
    except ValueError:
        return None
    return (match.group(1), entities) if isinstance(entities, dict) else None


class ButtonCodec:
    def __init__(self, cache_size: int = 5000):
        self._cache: OrderedDict[str, str] = OrderedDict()
        self._cache_size = cache_size

    def encode(self, payload: str) -> str:
        parsed = parse_payload(payload)
        if parsed:
            intent, entities = parsed
            if intent in BARE_INTENT_CODES and not entities:
                return BARE_INTENT_CODES[intent]
            code = INTENT_CODES.get(intent)
            if code and len(entities) == 1:
                entity, value = next(iter(entities.items()))
                if entity == ENTITY_CODES[code][1] and isinstance(value, str) and VALUE.match(value):
                    data = f"{code}:{value}"
                    if fits(data):
                        return data
        if fits("r:" + payload):
            return "r:" + payload
        short = "x:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]
        self._cache[short] = payload
        self._cache.move_to_end(short)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return short

    def decode(self, data: str) -> Decoded:
        code, _, arg = (data or "").partition(":")
        if code in (LANGUAGE, ERASE, CONSENT, STAFF):
            return Decoded("local", action=code, arg=arg)
        if code in BARE_CODES and not arg:
            return Decoded("rasa", payload=f"/{BARE_CODES[code]}")
        if code in ENTITY_CODES and VALUE.match(arg):
            intent, entity = ENTITY_CODES[code]
            return Decoded("rasa", payload=f"/{intent}{json.dumps({entity: arg})}")
        if code == "r" and arg.startswith("/"):
            return Decoded("rasa", payload=arg)
        if code == "x" and data in self._cache:
            return Decoded("rasa", payload=self._cache[data])
        return Decoded("expired")
