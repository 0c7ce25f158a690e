"""Pseudonymous user keys: a keyed hash of the Telegram user id, so the database never holds the id."""
from __future__ import annotations

import hashlib
import hmac

GROUP_SUFFIX = "-g"


def user_key(secret: str, telegram_user_id: int) -> str:
    """HMAC-SHA256(secret, user id) as 64 hex characters; the same user always gets the same key."""
    return hmac.new(secret.encode("utf-8"), str(int(telegram_user_id)).encode("ascii"), hashlib.sha256).hexdigest()


def group_sender_id(key: str) -> str:
    """Rasa's sender id for the user's questions in community groups: a conversation of its own, so
    nothing said privately (Bundesland, context) colours a public answer. Erasure removes both."""
    return key + GROUP_SUFFIX


def sender_ids(key: str) -> tuple[str, str]:
    """Every Rasa sender id that belongs to this user."""
    return key, group_sender_id(key)
