"""Removing what the project stores about a user: their profile and Rasa's tracker (the conversation
history in the SQL tracker store's `events` table, keyed by sender id = user key). `/delete_my_data`
erases one user; `purge_expired` enforces the retention period for everyone."""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import Engine, MetaData, Table, delete, inspect

from bot.db.models import utcnow
from bot.db.session import make_engine
from bot.telegram.profiles import Profiles
from bot.telegram.user_keys import sender_ids

log = logging.getLogger(__name__)
EVENTS_TABLE = "events"


@dataclass(frozen=True)
class ErasureReport:
    profile_deleted: bool
    tracker_events_deleted: int


class Erasure:
    def __init__(self, profiles: Profiles, tracker_db_url: str):
        self.profiles = profiles
        self.tracker_db_url = tracker_db_url

    @cached_property
    def tracker_engine(self) -> Engine:
        return make_engine(self.tracker_db_url)

    def _events(self) -> Table | None:
        if not inspect(self.tracker_engine).has_table(EVENTS_TABLE):
            return None  # Rasa creates the table with the first conversation
        return Table(EVENTS_TABLE, MetaData(), autoload_with=self.tracker_engine)

    def delete_tracker_sync(self, senders: tuple[str, ...]) -> int:
        events = self._events()
        if events is None:
            return 0
        with self.tracker_engine.begin() as conn:
            return conn.execute(delete(events).where(events.c.sender_id.in_(senders))).rowcount or 0

    def erase_sync(self, key: str) -> ErasureReport:
        deleted_events = self.delete_tracker_sync(sender_ids(key))
        profile = self.profiles.delete_sync(key)
        log.debug("erased user data: profile=%s tracker_events=%d", profile, deleted_events)
        return ErasureReport(profile, deleted_events)

    async def erase(self, key: str) -> ErasureReport:
        return await asyncio.to_thread(self.erase_sync, key)

    def purge_expired_sync(self, retention_days: int, now: dt.datetime | None = None) -> tuple[int, int]:
        """Delete profiles not seen for `retention_days` (with their trackers) and every tracker event
        older than that. Returns (profiles, events) deleted."""
        cutoff = (now or utcnow()) - dt.timedelta(days=retention_days)
        stale = self.profiles.stale_keys_sync(cutoff)
        for key in stale:
            self.erase_sync(key)
        events = self._events()
        old_events = 0
        if events is not None and "timestamp" in events.c:
            with self.tracker_engine.begin() as conn:
                old_events = conn.execute(delete(events).where(events.c.timestamp < cutoff.timestamp())).rowcount or 0
        if stale or old_events:
            log.info("retention: deleted %d profiles and %d old tracker events", len(stale), old_events)
        return len(stale), old_events

    async def purge_expired(self, retention_days: int) -> tuple[int, int]:
        return await asyncio.to_thread(self.purge_expired_sync, retention_days)

    def close(self) -> None:
        if "tracker_engine" in self.__dict__:
            self.tracker_engine.dispose()
