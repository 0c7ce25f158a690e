"""Per-user settings (language, privacy notice accepted, Bundesland, blocked) keyed by the pseudonymous
user key. Synchronous SQLAlchemy underneath; the async methods run it in a worker thread."""
from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.db.models import UserProfile, utcnow


@dataclass(frozen=True)
class Profile:
    user_key: str
    language: str | None
    language_confirmed: bool
    privacy_accepted: bool
    bundesland: str | None
    blocked: bool
    created: bool = False   # created by this call (first contact)


def _view(row: UserProfile, created: bool = False) -> Profile:
    return Profile(row.user_key, row.language, bool(row.language_confirmed), row.privacy_accepted_at is not None,
                   row.bundesland, bool(row.blocked_bot), created)


class Profiles:
    def __init__(self, engine: Engine):
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def _session(self) -> Session:
        return self._sessions()

    # --- synchronous API -------------------------------------------------------------------------
    def get_sync(self, key: str) -> Profile | None:
        with self._session() as session:
            row = session.get(UserProfile, key)
            return _view(row) if row else None

    def touch_sync(self, key: str) -> Profile:
        """The user's profile, created on first contact; marks them as seen and not blocking the bot."""
        for _ in range(2):
            try:
                with self._session() as session, session.begin():
                    row = session.get(UserProfile, key)
                    created = row is None
                    if created:
                        row = UserProfile(user_key=key, language_confirmed=False, blocked_bot=False)
                        session.add(row)
                    row.last_seen_at = utcnow()
                    row.blocked_bot = False
                    session.flush()
                    return _view(row, created)
            except IntegrityError:  # created concurrently by another process; read it again
                continue
        raise RuntimeError("could not create the user profile")

    def update_sync(self, key: str, **values) -> None:
        allowed = {"language", "language_confirmed", "bundesland", "blocked_bot", "privacy_accepted_at"}
        unknown = set(values) - allowed
        if unknown:
            raise ValueError(f"not profile settings: {sorted(unknown)}")
        with self._session() as session, session.begin():
            row = session.get(UserProfile, key)
            if row is None:
                if values.get("blocked_bot"):
                    return  # never create a profile just to remember a block
                row = UserProfile(user_key=key, language_confirmed=False, blocked_bot=False)
                session.add(row)
            for name, value in values.items():
                setattr(row, name, value)

    def delete_sync(self, key: str) -> bool:
        with self._session() as session, session.begin():
            return session.execute(delete(UserProfile).where(UserProfile.user_key == key)).rowcount > 0

    def stale_keys_sync(self, before: dt.datetime) -> list[str]:
        with self._session() as session:
            return list(session.scalars(select(UserProfile.user_key).where(UserProfile.last_seen_at < before)))

    # --- async API (for handlers) ------------------------------------------------------------------
    async def get(self, key: str) -> Profile | None:
        return await asyncio.to_thread(self.get_sync, key)

    async def touch(self, key: str) -> Profile:
        return await asyncio.to_thread(self.touch_sync, key)

    async def set_language(self, key: str, lang: str, confirmed: bool) -> None:
        values: dict = {"language": lang}
        if confirmed:
            values["language_confirmed"] = True
        await asyncio.to_thread(self.update_sync, key, **values)

    async def accept_privacy(self, key: str) -> None:
        await asyncio.to_thread(self.update_sync, key, privacy_accepted_at=utcnow())

    async def set_bundesland(self, key: str, code: str) -> None:
        await asyncio.to_thread(self.update_sync, key, bundesland=code)

    async def mark_blocked(self, key: str, blocked: bool = True) -> None:
        await asyncio.to_thread(self.update_sync, key, blocked_bot=blocked)

    async def delete(self, key: str) -> bool:
        return await asyncio.to_thread(self.delete_sync, key)
