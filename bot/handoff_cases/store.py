"""Cases and their messages. Synchronous SQLAlchemy; `CaseStore.run` calls any method in a worker thread
for async callers. A claim is one atomic `UPDATE ... WHERE status = 'waiting'`, so of two concurrent
claims exactly one wins (on SQLite and PostgreSQL alike)."""
from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.orm import sessionmaker

from bot.db.models import Case, CaseMessage, TranslationCacheEntry, utcnow

OPEN = ("waiting", "claimed")


@dataclass(frozen=True)
class CaseView:
    id: int
    user_key: str
    chat_id: int
    language: str
    topic: str
    bundesland: str | None
    organisation_id: str
    urgent: bool
    summary: dict
    status: str
    assigned_to: str | None
    staff_chat_id: int | None
    staff_thread_id: int | None
    created_at: dt.datetime
    claimed_at: dt.datetime | None
    first_reply_at: dt.datetime | None
    closed_at: dt.datetime | None
    consent_at: dt.datetime | None = None

    @property
    def open(self) -> bool:
        return self.status in OPEN


@dataclass(frozen=True)
class MessageView:
    id: int
    direction: str
    author: str | None
    original: str
    translation: str | None
    language: str
    translation_failed: bool
    created_at: dt.datetime


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value.tzinfo is None:  # SQLite returns naive datetimes
        return value.replace(tzinfo=dt.timezone.utc)
    return value


def _case(row: Case) -> CaseView:
    return CaseView(row.id, row.user_key, row.chat_id, row.language, row.topic, row.bundesland, row.organisation_id,
                    bool(row.urgent), json.loads(row.summary or "{}"), row.status, row.assigned_to, row.staff_chat_id,
                    row.staff_thread_id, _aware(row.created_at), _aware(row.claimed_at), _aware(row.first_reply_at),
                    _aware(row.closed_at), _aware(row.consent_at))


def _message(row: CaseMessage) -> MessageView:
    return MessageView(row.id, row.direction, row.author, row.original, row.translation, row.language,
                       bool(row.translation_failed), _aware(row.created_at))


class CaseStore:
    def __init__(self, engine: Engine):
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    async def run(self, method: str, *args: Any, **kwargs: Any) -> Any:
        return await asyncio.to_thread(partial(getattr(self, method), *args, **kwargs))

    # --- cases -------------------------------------------------------------------------------------
    def create(self, *, user_key: str, chat_id: int, language: str, topic: str, bundesland: str | None,
               organisation_id: str, urgent: bool, summary: dict) -> CaseView:
        with self._sessions() as s, s.begin():
            row = Case(user_key=user_key, chat_id=chat_id, language=language, topic=topic or "other",
                       bundesland=bundesland, organisation_id=organisation_id, urgent=urgent,
                       summary=json.dumps(summary, ensure_ascii=False), status="waiting", consent_at=utcnow(),
                       created_at=utcnow(), updated_at=utcnow())
            s.add(row)
            s.flush()
            return _case(row)

    def get(self, case_id: int) -> CaseView | None:
        with self._sessions() as s:
            row = s.get(Case, case_id)
            return _case(row) if row else None

    def open_for_user(self, user_key: str) -> CaseView | None:
        with self._sessions() as s:
            row = s.scalars(select(Case).where(Case.user_key == user_key, Case.status.in_(OPEN))
                            .order_by(Case.id.desc())).first()
            return _case(row) if row else None

    def by_thread(self, staff_chat_id: int, thread_id: int) -> CaseView | None:
        with self._sessions() as s:
            row = s.scalars(select(Case).where(Case.staff_chat_id == staff_chat_id,
                                               Case.staff_thread_id == thread_id).order_by(Case.id.desc())).first()
            return _case(row) if row else None

    def set_thread(self, case_id: int, staff_chat_id: int, thread_id: int | None) -> None:
        with self._sessions() as s, s.begin():
            s.execute(update(Case).where(Case.id == case_id).values(staff_chat_id=staff_chat_id,
                                                                    staff_thread_id=thread_id))

    def claim(self, case_id: int, who: str) -> bool:
        """Atomic: True only for the one caller that moved the case from waiting to claimed."""
        with self.engine.begin() as conn:
            result = conn.execute(update(Case).where(Case.id == case_id, Case.status == "waiting")
                                  .values(status="claimed", assigned_to=who, claimed_at=utcnow(), updated_at=utcnow()))
            return result.rowcount == 1

    def close(self, case_id: int) -> bool:
        with self.engine.begin() as conn:
            return conn.execute(update(Case).where(Case.id == case_id, Case.status.in_(OPEN))
                                .values(status="closed", closed_at=utcnow(), updated_at=utcnow())).rowcount == 1

    def reopen(self, case_id: int) -> bool:
        with self.engine.begin() as conn:
            return conn.execute(update(Case).where(Case.id == case_id, Case.status == "closed")
                                .values(status="waiting", closed_at=None, assigned_to=None,
                                        updated_at=utcnow())).rowcount == 1

    def queue(self, organisation_ids: list[str] | None = None, bundeslaender: list[str] | None = None,
              statuses: tuple[str, ...] = OPEN) -> list[CaseView]:
        """Open cases, urgent first, then the longest waiting."""
        with self._sessions() as s:
            query = select(Case).where(Case.status.in_(statuses))
            if organisation_ids is not None:
                query = query.where(Case.organisation_id.in_(organisation_ids))
            if bundeslaender:
                query = query.where(Case.bundesland.in_(bundeslaender))
            rows = s.scalars(query.order_by(Case.urgent.desc(), Case.created_at.asc(), Case.id.asc()))
            return [_case(r) for r in rows]

    def all_cases(self) -> list[CaseView]:
        with self._sessions() as s:
            return [_case(r) for r in s.scalars(select(Case).order_by(Case.id))]

    # --- messages ----------------------------------------------------------------------------------
    def add_message(self, case_id: int, direction: str, original: str, language: str, *,
                    translation: str | None = None, translation_failed: bool = False,
                    author: str | None = None) -> MessageView:
        with self._sessions() as s, s.begin():
            row = CaseMessage(case_id=case_id, direction=direction, original=original, language=language,
                              translation=translation, translation_failed=translation_failed, author=author,
                              created_at=utcnow())
            s.add(row)
            if direction == "out":
                s.execute(update(Case).where(Case.id == case_id, Case.first_reply_at.is_(None))
                          .values(first_reply_at=utcnow()))
            s.execute(update(Case).where(Case.id == case_id).values(updated_at=utcnow()))
            s.flush()
            return _message(row)

    def messages(self, case_id: int) -> list[MessageView]:
        with self._sessions() as s:
            rows = s.scalars(select(CaseMessage).where(CaseMessage.case_id == case_id).order_by(CaseMessage.id))
            return [_message(r) for r in rows]

    # --- erasure and retention ---------------------------------------------------------------------
    def delete_for_user(self, user_key: str) -> list[CaseView]:
        """Remove every case of the user (open and closed) with its messages; returns what was removed."""
        with self._sessions() as s, s.begin():
            rows = list(s.scalars(select(Case).where(Case.user_key == user_key)))
            removed = [_case(r) for r in rows]
            ids = [r.id for r in rows]
            if ids:
                s.execute(delete(CaseMessage).where(CaseMessage.case_id.in_(ids)))
                s.execute(delete(Case).where(Case.id.in_(ids)))
            return removed

    def purge_closed(self, retention_days: int, now: dt.datetime | None = None) -> int:
        cutoff = (now or utcnow()) - dt.timedelta(days=retention_days)
        with self._sessions() as s, s.begin():
            ids = list(s.scalars(select(Case.id).where(Case.status == "closed", Case.closed_at < cutoff)))
            if ids:
                s.execute(delete(CaseMessage).where(CaseMessage.case_id.in_(ids)))
                s.execute(delete(Case).where(Case.id.in_(ids)))
            # cached translations hold message text too
            s.execute(delete(TranslationCacheEntry).where(TranslationCacheEntry.created_at < cutoff))
            return len(ids)

    # --- translation cache -------------------------------------------------------------------------
    @staticmethod
    def _cache_key(text: str, source: str, target: str) -> str:
        return hashlib.sha256(f"{source}\x00{target}\x00{text}".encode("utf-8")).hexdigest()

    def cached_translation(self, text: str, source: str, target: str) -> str | None:
        with self._sessions() as s:
            row = s.get(TranslationCacheEntry, self._cache_key(text, source, target))
            return row.translation if row else None

    def cache_translation(self, text: str, source: str, target: str, translation: str) -> None:
        key = self._cache_key(text, source, target)
        with self._sessions() as s, s.begin():
            if s.get(TranslationCacheEntry, key) is None:
                s.add(TranslationCacheEntry(key=key, translation=translation, created_at=utcnow()))

    # --- statistics --------------------------------------------------------------------------------
    def counts_by(self, column: str) -> list[tuple[str, int]]:
        col = getattr(Case, column)
        with self._sessions() as s:
            return [(k or "-", n) for k, n in s.execute(select(col, func.count()).group_by(col).order_by(col))]
